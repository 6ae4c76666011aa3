// import FILE and export, in three formats: JSONL (exchange.proto), CSV
// (exchange_csv.h) and PLOVER event records (exchange_plover.h).

#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "client/cli/client.h"
#include "client/cli/commands.h"
#include "client/cli/csv.h"
#include "client/cli/exchange_csv.h"
#include "client/cli/exchange_jsonl.h"
#include "client/cli/exchange_plover.h"
#include "client/cli/names.h"
#include "client/cli/output.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "rollcall/v1/exchange.pb.h"

namespace rollcall::cli {
namespace {

struct TransferFlags {
  std::string file;
  std::string format;
  std::string event;
  bool include_retracted = false;
  bool update = false;
};

struct ImportCounts {
  int actors = 0;
  int events = 0;
  int statements = 0;
  int already_present = 0;
  int updated = 0;
  int errors = 0;
};

enum class Format { kJsonl, kCsv, kPlover };

// --format if given, else from the file name: ".csv" is CSV,
// ".plover.jsonl" PLOVER, anything else JSONL.
absl::StatusOr<Format> ChooseFormat(absl::string_view flag, absl::string_view file) {
  std::string format = absl::AsciiStrToLower(flag);
  if (format.empty()) {
    const std::string lower = absl::AsciiStrToLower(file);
    if (absl::EndsWith(lower, ".csv")) return Format::kCsv;
    if (absl::EndsWith(lower, ".plover.jsonl")) return Format::kPlover;
    return Format::kJsonl;
  }
  if (format == "jsonl") return Format::kJsonl;
  if (format == "csv") return Format::kCsv;
  if (format == "plover") return Format::kPlover;
  return UsageError(absl::StrCat("invalid value \"", flag,
                                 "\" for --format; expected one of: jsonl, csv, plover"));
}

std::string Plural(int count, absl::string_view noun) {
  return absl::StrCat(count, " ", noun, count == 1 ? "" : "s");
}

// The fields of an actor or event that an import brings up to date.
constexpr const char* kActorFields[] = {"display_name", "kind",    "country_code",
                                        "member_of",    "aliases", "identifiers"};
constexpr const char* kEventFields[] = {"title",      "summary",  "country_code",
                                        "start_time", "end_time", "labels"};

// Whether `stored` differs from `wanted` in any of `fields`.
template <typename Message, size_t N>
bool Differs(Message stored, Message wanted, const char* const (&fields)[N]) {
  google::protobuf::FieldMask mask;
  for (const char* field : fields) mask.add_paths(field);
  google::protobuf::util::FieldMaskUtil::TrimMessage(mask, &stored);
  google::protobuf::util::FieldMaskUtil::TrimMessage(mask, &wanted);
  return !google::protobuf::util::MessageDifferencer::Equals(stored, wanted);
}

// With --update: makes an existing actor or event match the file, if it
// differs, in one masked update conditioned on the etag just read.
template <typename Message, typename Request, size_t N>
absl::Status UpdateExisting(const Message& wanted, const char* const (&fields)[N],
                            const std::function<absl::StatusOr<Message>()>& get,
                            const std::function<absl::Status(const Request&)>& update,
                            Message* (Request::*mutable_resource)(),
                            ImportCounts* counts) {
  absl::StatusOr<Message> stored = get();
  if (!stored.ok()) return stored.status();
  if (!Differs(*stored, wanted, fields)) {
    ++counts->already_present;
    return absl::OkStatus();
  }
  Request request;
  Message* resource = (request.*mutable_resource)();
  *resource = wanted;
  resource->set_etag(stored->etag());
  for (const char* field : fields) request.mutable_update_mask()->add_paths(field);
  absl::Status updated = update(request);
  if (!updated.ok()) return updated;
  ++counts->updated;
  return absl::OkStatus();
}

// Records one statement with `request_id`.
absl::Status ImportStatement(RollcallClient& client, const v1::Statement& statement,
                             const std::string& request_id, absl::Time started,
                             ImportCounts* counts) {
  v1::CreateStatementRequest request;
  *request.mutable_statement() = statement;
  request.set_request_id(request_id);
  auto created = client.CreateStatement(request);
  if (!created.ok()) return created.status();
  // A statement created before this run was recorded by an earlier
  // import with the same request id.
  const absl::Time create_time = absl::FromUnixNanos(
      google::protobuf::util::TimeUtil::TimestampToNanoseconds(created->create_time()));
  ++(create_time < started ? counts->already_present : counts->statements);
  return absl::OkStatus();
}

// Records one line. Returns the error to report for a bad line.
absl::Status ImportLine(RollcallClient& client, absl::string_view line, bool update,
                        absl::Time started, ImportCounts* counts) {
  absl::StatusOr<ImportRequest> request = ParseJsonlLine(line);
  if (!request.ok()) return request.status();
  absl::Status status;
  if (auto* actor = std::get_if<v1::CreateActorRequest>(&*request)) {
    status = client.CreateActor(*actor).status();
    if (status.ok()) ++counts->actors;
    if (update && absl::IsAlreadyExists(status)) {
      const std::string name = actor->actor().name();
      return UpdateExisting<v1::Actor, v1::UpdateActorRequest>(
          actor->actor(), kActorFields, [&] { return client.GetActor(name); },
          [&](const v1::UpdateActorRequest& r) { return client.UpdateActor(r).status(); },
          &v1::UpdateActorRequest::mutable_actor, counts);
    }
  } else if (auto* event = std::get_if<v1::CreateEventRequest>(&*request)) {
    status = client.CreateEvent(*event).status();
    if (status.ok()) ++counts->events;
    if (update && absl::IsAlreadyExists(status)) {
      const std::string name = event->event().name();
      return UpdateExisting<v1::Event, v1::UpdateEventRequest>(
          event->event(), kEventFields, [&] { return client.GetEvent(name); },
          [&](const v1::UpdateEventRequest& r) { return client.UpdateEvent(r).status(); },
          &v1::UpdateEventRequest::mutable_event, counts);
    }
  } else {
    const auto& statement = std::get<v1::CreateStatementRequest>(*request);
    return ImportStatement(client, statement.statement(), statement.request_id(), started,
                           counts);
  }
  if (absl::IsAlreadyExists(status)) {
    ++counts->already_present;
    return absl::OkStatus();
  }
  return status;
}

// An import in progress: where errors go and what has been counted.
struct Importer {
  RollcallClient& client;
  const TransferFlags& flags;
  absl::Time started = absl::Now();
  ImportCounts counts;

  // Reports a bad line on stderr as FILE:LINE: CODE: message. Returns
  // false when the import cannot go on: without a server nothing else can
  // succeed.
  bool Report(int line, const absl::Status& status) {
    if (status.ok()) return true;
    ++counts.errors;
    std::cerr << flags.file << ":" << line << ": " << StatusLine(status) << std::endl;
    return !absl::IsUnavailable(status);
  }
};

absl::Status ImportJsonl(Importer& importer, absl::string_view text) {
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    absl::string_view content = absl::StripAsciiWhitespace(line);
    if (content.empty() || absl::StartsWith(content, "#")) continue;
    absl::Status status = ImportLine(importer.client, content, importer.flags.update,
                                     importer.started, &importer.counts);
    if (!importer.Report(number, status)) return status;
  }
  return absl::OkStatus();
}

// The first row names the columns; each other row is one statement.
absl::Status ImportCsv(Importer& importer, absl::string_view text) {
  CsvReader reader(text);
  CsvRecord header;
  if (!reader.Next(&header)) return absl::OkStatus();
  absl::Status status = header.status;
  if (status.ok()) status = CheckStatementCsvHeader(header.cells);
  // Without the column names no row can be read.
  if (!status.ok()) {
    importer.Report(header.line, status);
    return absl::OkStatus();
  }
  CsvRecord row;
  while (reader.Next(&row)) {
    absl::StatusOr<v1::Statement> statement =
        row.status.ok() ? StatementFromCsv(header.cells, row.cells)
                        : absl::StatusOr<v1::Statement>(row.status);
    if (statement.ok()) {
      const std::string request_id =
          statement->name().empty()
              ? absl::StrFormat("import:row:%016x", StableHash(row.text))
              : "import:" + statement->name();
      status = ImportStatement(importer.client, *statement, request_id, importer.started,
                               &importer.counts);
    } else {
      status = statement.status();
    }
    if (!importer.Report(row.line, status)) return status;
  }
  return absl::OkStatus();
}

// Records are grouped by the statement they come from, in the order each
// statement first appears; a group's errors are reported at its first line.
absl::Status ImportPlover(Importer& importer, absl::string_view text) {
  struct Group {
    int line;
    std::string content;
    std::vector<PloverEvent> events;
  };
  std::vector<Group> groups;
  std::map<std::string, size_t> group_of;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    absl::string_view content = absl::StripAsciiWhitespace(line);
    if (content.empty() || absl::StartsWith(content, "#")) continue;
    PloverEvent event;
    auto parsed =
        google::protobuf::util::JsonStringToMessage(std::string(content), &event);
    if (!parsed.ok()) {
      importer.Report(
          number, absl::InvalidArgumentError(absl::StrCat("not a PLOVER record: ",
                                                          parsed.message().as_string())));
      continue;
    }
    const std::string key = PloverStatementKey(event);
    auto [it, added] = group_of.emplace(key, groups.size());
    if (added || key.empty()) {
      it->second = groups.size();
      groups.push_back({number, std::string(content), {}});
    }
    groups[it->second].events.push_back(std::move(event));
  }
  for (auto& group : groups) {
    absl::StatusOr<v1::Statement> statement =
        StatementFromPlover(std::move(group.events));
    absl::Status status = statement.status();
    if (statement.ok()) {
      const std::string request_id =
          statement->name().empty()
              ? absl::StrFormat("import:line:%016x", StableHash(group.content))
              : "import:" + statement->name();
      status = ImportStatement(importer.client, *statement, request_id, importer.started,
                               &importer.counts);
    }
    if (!importer.Report(group.line, status)) return status;
  }
  return absl::OkStatus();
}

absl::Status RunImport(Session& session, const TransferFlags& flags) {
  absl::StatusOr<Format> format = ChooseFormat(flags.format, flags.file);
  if (!format.ok()) return format.status();
  std::ifstream in(flags.file, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", flags.file));
  std::stringstream contents;
  contents << in.rdbuf();
  const std::string text = contents.str();
  RollcallClient client(session);
  Importer importer{client, flags, absl::Now(), {}};
  absl::Status status;
  switch (*format) {
    case Format::kJsonl:
      status = ImportJsonl(importer, text);
      break;
    case Format::kCsv:
      status = ImportCsv(importer, text);
      break;
    case Format::kPlover:
      status = ImportPlover(importer, text);
      break;
  }
  if (!status.ok()) return status;
  const ImportCounts& counts = importer.counts;
  std::cout << "imported " << Plural(counts.actors, "actor") << ", "
            << Plural(counts.events, "event") << ", "
            << Plural(counts.statements, "statement") << "; " << counts.already_present
            << " already present; ";
  if (flags.update) std::cout << counts.updated << " updated; ";
  std::cout << Plural(counts.errors, "error") << std::endl;
  // Each bad line has been reported with its number already.
  return counts.errors > 0 ? AlreadyReportedError() : absl::OkStatus();
}

// Orders actors so that each comes after the actors it is a member of, so
// that importing the export never refers to an actor not yet created.
std::vector<v1::Actor> MembersAfterOrganisations(std::vector<v1::Actor> all) {
  std::map<std::string, const v1::Actor*> by_name;
  for (const auto& actor : all) by_name[actor.name()] = &actor;
  std::vector<v1::Actor> ordered;
  std::set<std::string> visited;
  std::function<void(const v1::Actor&)> visit = [&](const v1::Actor& actor) {
    if (!visited.insert(actor.name()).second) return;
    for (const auto& membership : actor.member_of()) {
      auto it = by_name.find(membership.organisation());
      if (it != by_name.end()) visit(*it->second);
    }
    ordered.push_back(actor);
  };
  for (const auto& actor : all) visit(actor);
  return ordered;
}

void WriteJsonl(const std::vector<v1::Actor>& actors,
                const std::vector<v1::Event>& events,
                const std::vector<v1::Statement>& statements) {
  v1::ExchangeRecord record;
  for (const auto& actor : actors) {
    *record.mutable_actor() = actor;
    PrintJsonLine(record, std::cout);
  }
  for (const auto& event : events) {
    *record.mutable_event() = event;
    PrintJsonLine(record, std::cout);
  }
  for (const auto& statement : statements) {
    // Output-only fields stay: the server ignores them on create.
    *record.mutable_statement() = statement;
    record.set_request_id("import:" + statement.name());
    PrintJsonLine(record, std::cout);
  }
}

void WriteCsv(const std::vector<v1::Actor>& actors,
              const std::vector<v1::Statement>& statements) {
  std::map<std::string, std::string> display_names;
  for (const auto& actor : actors) display_names[actor.name()] = actor.display_name();
  std::cout << CsvRow(StatementCsvHeader());
  for (const auto& statement : statements) {
    std::cout << CsvRow(StatementToCsv(statement, display_names));
  }
}

void WritePlover(const std::vector<v1::Actor>& actors,
                 const std::vector<v1::Statement>& statements) {
  std::map<std::string, v1::Actor> by_name;
  for (const auto& actor : actors) by_name[actor.name()] = actor;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  for (const auto& statement : statements) {
    for (const auto& event : PloverEvents(statement, by_name)) {
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(event, &json, options);
      std::cout << json << '\n';
    }
  }
}

absl::Status RunExport(Session& session, const TransferFlags& flags) {
  absl::StatusOr<Format> format =
      ChooseFormat(flags.format.empty() ? "jsonl" : flags.format, "");
  if (!format.ok()) return format.status();
  RollcallClient client(session);
  auto actors = client.ListActors("");
  if (!actors.ok()) return actors.status();
  auto events = client.ListEvents("");
  if (!events.ok()) return events.status();
  v1::ListStatementsRequest request;
  if (!flags.event.empty()) {
    request.set_filter(absl::StrCat("event = \"", EventName(flags.event), "\""));
  }
  request.set_order_by("issue_time");
  request.set_show_retracted(flags.include_retracted);
  auto statements = client.ListStatements(request, /*limit=*/0);
  if (!statements.ok()) return statements.status();

  switch (*format) {
    case Format::kJsonl:
      WriteJsonl(MembersAfterOrganisations(std::move(*actors)), *events, *statements);
      break;
    case Format::kCsv:
      WriteCsv(*actors, *statements);
      break;
    case Format::kPlover:
      WritePlover(*actors, *statements);
      break;
  }
  return absl::OkStatus();
}

}  // namespace

void AddTransferCommands(CLI::App& app, Session& session, Command* selected) {
  auto flags = std::make_shared<TransferFlags>();
  CLI::App* import = app.add_subcommand(
      "import", "Load actors, events and statements from a JSONL, CSV or PLOVER file");
  import
      ->add_option("file", flags->file,
                   "The file; its format comes from --format or its name "
                   "(.csv, .plover.jsonl, else JSONL)")
      ->required();
  import->add_option("--format", flags->format, "jsonl, csv or plover");
  import->add_flag("--update", flags->update,
                   "Bring actors and events that already exist up to date with the file");
  import->callback([=, &session] {
    *selected = [=, &session] { return RunImport(session, *flags);
};
}  // namespace rollcall::cli
);

CLI::App* exporter = app.add_subcommand(
    "export", "Write actors, events and statements to stdout (JSONL, CSV or PLOVER)");
exporter->add_option("--format", flags->format,
                     "jsonl (default: actors, events, statements), csv (statements) "
                     "or plover (coded actions)");
exporter->add_option("--event", flags->event, "Only statements about this event");
exporter->add_flag("--include-retracted", flags->include_retracted,
                   "Also export retracted statements");
exporter->callback([=, &session] {
  *selected = [=, &session] { return RunExport(session, *flags); };
});
}

}  // namespace rollcall::cli
