// import FILE and export, in three formats: JSONL (exchange.proto), CSV
// (exchange_csv.h) and PLOVER event records (exchange_plover.h).

#include <atomic>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
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
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/cli/client.h"
#include "client/cli/commands.h"
#include "client/cli/csv.h"
#include "client/cli/exchange_csv.h"
#include "client/cli/exchange_plover.h"
#include "client/cli/names.h"
#include "client/cli/output.h"
#include "client/cli/progress.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "rollcall/v1/exchange.pb.h"
#include "server/common/exchange_requests.h"

namespace rollcall::cli {
namespace {

struct TransferFlags {
  std::string file;
  std::string format;
  std::string event;
  bool include_retracted = false;
  bool update = false;
  bool quiet = false;
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
                                        "start_time", "end_time", "labels",
                                        "sides"};

// Whether `stored` differs from `wanted` in any of `fields`.
template <typename Message, size_t N>
bool Differs(Message stored, Message wanted, const char* const (&fields)[N]) {
  google::protobuf::FieldMask mask;
  for (const char* field : fields) mask.add_paths(field);
  google::protobuf::util::FieldMaskUtil::TrimMessage(mask, &stored);
  google::protobuf::util::FieldMaskUtil::TrimMessage(mask, &wanted);
  return !google::protobuf::util::MessageDifferencer::Equals(stored, wanted);
}

enum class Refresh { kAlreadyPresent, kUpdated };

// With --update: makes an existing actor or event match the file, if it
// differs, in one masked update conditioned on the etag just read.
template <typename Message, typename Request, size_t N>
absl::StatusOr<Refresh> UpdateExisting(
    const Message& wanted, const char* const (&fields)[N],
    const std::function<absl::StatusOr<Message>()>& get,
    const std::function<absl::Status(const Request&)>& update,
    Message* (Request::*mutable_resource)()) {
  absl::StatusOr<Message> stored = get();
  if (!stored.ok()) return stored.status();
  if (!Differs(*stored, wanted, fields)) return Refresh::kAlreadyPresent;
  Request request;
  Message* resource = (request.*mutable_resource)();
  *resource = wanted;
  resource->set_etag(stored->etag());
  for (const char* field : fields) request.mutable_update_mask()->add_paths(field);
  absl::Status updated = update(request);
  if (!updated.ok()) return updated;
  return Refresh::kUpdated;
}

// An import in progress: what has been counted, where errors go, and the
// IngestStatements stream that carries its statements. Statements are sent
// without waiting for their answers (the server commits those that arrive
// together in one transaction); answers arrive on the stream's thread, so
// the counts are kept under a lock.
class Importer {
 public:
  Importer(RollcallClient& client, const TransferFlags& flags, Progress& progress)
      : client_(client), flags_(flags), progress_(progress) {}

  RollcallClient& client() { return client_; }
  bool update() const { return flags_.update; }

  void Count(int ImportCounts::*counter) {
    {
      absl::MutexLock lock(&mu_);
      ++(counts_.*counter);
    }
    ++records_done_;
    ShowProgress();
  }
  ImportCounts counts() {
    absl::MutexLock lock(&mu_);
    return counts_;
  }
  // False once an error has made going on pointless (no server).
  bool going_on() {
    absl::MutexLock lock(&mu_);
    return !stopped_.has_value();
  }
  // Why the import stopped, if it did.
  absl::Status stop_status() {
    absl::MutexLock lock(&mu_);
    return stopped_.value_or(absl::OkStatus());
  }

  // One more record read, with `share` of the file read so far.
  void Advance(double share) {
    ++records_read_;
    file_share_ = share;
    ShowProgress();
  }

  // Reports a bad line on stderr as FILE:LINE: CODE: message. Without a
  // server nothing else can succeed: the import stops.
  void Report(int line, const absl::Status& status) {
    if (status.ok()) return;
    absl::MutexLock lock(&mu_);
    ++counts_.errors;
    ++records_done_;
    progress_.Clear();
    std::cerr << flags_.file << ":" << line << ": " << StatusLine(status) << std::endl;
    if (absl::IsUnavailable(status) && !stopped_.has_value()) stopped_ = status;
  }

  // Sends one statement with `request_id`; its answer is counted or
  // reported against `line` when it arrives.
  void SendStatement(const v1::Statement& statement, const std::string& request_id,
                     int line) {
    if (stream_ == nullptr) {
      stream_ = client_.OpenIngest(
          [this](int64_t tag, absl::StatusOr<v1::Statement> result) {
            Answer(static_cast<int>(tag), result);
          });
    }
    v1::CreateStatementRequest request;
    *request.mutable_statement() = statement;
    request.set_request_id(request_id);
    if (!stream_->Send(request, line)) Finish();
  }

  // Waits for the answers to every statement sent so far: before an actor
  // or event line, so that the file's order holds.
  void Drain() {
    if (stream_ != nullptr) stream_->Drain();
  }

  // Ends the stream. If it broke, the statements sent and not answered may
  // be missing; that is reported, and stops the import.
  void Finish() {
    if (stream_ == nullptr) return;
    absl::Status status = stream_->Close();
    stream_.reset();
    if (status.ok()) return;
    absl::MutexLock lock(&mu_);
    ++counts_.errors;
    progress_.Clear();
    std::cerr << flags_.file << ": the statement stream broke: " << StatusLine(status)
              << "; statements not reported above may be missing: import the file "
                 "again (request ids make that safe)"
              << std::endl;
    if (!stopped_.has_value()) stopped_ = status;
  }

 private:
  // Records done (recorded, already present or failed) so far; the time
  // left from how many the file holds, estimated from the share read.
  void ShowProgress() {
    const int64_t done = records_done_;
    const double share = file_share_;
    const double total = share > 0 ? records_read_ / share : 0;
    progress_.Update(done, share, total > 0 ? done / total : -1);
  }

  void Answer(int line, const absl::StatusOr<v1::Statement>& result) {
    if (!result.ok()) {
      Report(line, result.status());
      return;
    }
    // A statement created before this run was recorded by an earlier
    // import with the same request id.
    const absl::Time create_time = absl::FromUnixNanos(
        google::protobuf::util::TimeUtil::TimestampToNanoseconds(result->create_time()));
    Count(create_time < started_ ? &ImportCounts::already_present
                                 : &ImportCounts::statements);
  }

  RollcallClient& client_;
  const TransferFlags& flags_;
  Progress& progress_;
  // Updated by the importing thread (read) and the stream's (done).
  std::atomic<int64_t> records_read_{0};
  std::atomic<int64_t> records_done_{0};
  std::atomic<double> file_share_{0};
  const absl::Time started_ = absl::Now();
  absl::Mutex mu_;
  ImportCounts counts_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> stopped_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<IngestStream> stream_;
};

// Creates the actor or event of a line with `create`, counting it under
// `created`; one that exists already counts as already present or, with
// --update, is brought up to date by `refresh`.
absl::Status ImportResource(Importer& importer, int ImportCounts::*created,
                            const std::function<absl::Status()>& create,
                            const std::function<absl::StatusOr<Refresh>()>& refresh) {
  absl::Status status = create();
  if (status.ok()) importer.Count(created);
  if (!absl::IsAlreadyExists(status)) return status;
  Refresh outcome = Refresh::kAlreadyPresent;
  if (importer.update()) {
    absl::StatusOr<Refresh> refreshed = refresh();
    if (!refreshed.ok()) return refreshed.status();
    outcome = *refreshed;
  }
  importer.Count(outcome == Refresh::kUpdated ? &ImportCounts::updated
                                              : &ImportCounts::already_present);
  return absl::OkStatus();
}

// Records one JSONL line numbered `number`; a statement goes on the stream
// and its answer comes later. Returns the error to report for a bad line.
absl::Status ImportLine(Importer& importer, absl::string_view line, int number) {
  absl::StatusOr<ExchangeRequest> request = ParseExchangeLine(line);
  if (!request.ok()) return request.status();
  RollcallClient& client = importer.client();
  if (auto* actor = std::get_if<v1::CreateActorRequest>(&*request)) {
    importer.Drain();
    const v1::Actor& wanted = actor->actor();
    return ImportResource(
        importer, &ImportCounts::actors, [&] { return client.CreateActor(*actor).status(); },
        [&] {
          return UpdateExisting<v1::Actor, v1::UpdateActorRequest>(
              wanted, kActorFields, [&] { return client.GetActor(wanted.name()); },
              [&](const v1::UpdateActorRequest& r) { return client.UpdateActor(r).status(); },
              &v1::UpdateActorRequest::mutable_actor);
        });
  }
  if (auto* event = std::get_if<v1::CreateEventRequest>(&*request)) {
    importer.Drain();
    const v1::Event& wanted = event->event();
    return ImportResource(
        importer, &ImportCounts::events, [&] { return client.CreateEvent(*event).status(); },
        [&] {
          return UpdateExisting<v1::Event, v1::UpdateEventRequest>(
              wanted, kEventFields, [&] { return client.GetEvent(wanted.name()); },
              [&](const v1::UpdateEventRequest& r) { return client.UpdateEvent(r).status(); },
              &v1::UpdateEventRequest::mutable_event);
        });
  }
  const auto& statement = std::get<v1::CreateStatementRequest>(*request);
  importer.SendStatement(statement.statement(), statement.request_id(), number);
  return absl::OkStatus();
}

void ImportJsonl(Importer& importer, absl::string_view text) {
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    absl::string_view content = absl::StripAsciiWhitespace(line);
    if (content.empty() || absl::StartsWith(content, "#")) continue;
    importer.Report(number, ImportLine(importer, content, number));
    importer.Advance(static_cast<double>(line.end() - text.begin()) / text.size());
    if (!importer.going_on()) return;
  }
}

// The first row names the columns; each other row is one statement.
void ImportCsv(Importer& importer, absl::string_view text) {
  CsvReader reader(text);
  CsvRecord header;
  if (!reader.Next(&header)) return;
  absl::Status status = header.status;
  if (status.ok()) status = CheckStatementCsvHeader(header.cells);
  // Without the column names no row can be read.
  if (!status.ok()) {
    importer.Report(header.line, status);
    return;
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
      importer.SendStatement(*statement, request_id, row.line);
    } else {
      importer.Report(row.line, statement.status());
    }
    importer.Advance(static_cast<double>(reader.offset()) / text.size());
    if (!importer.going_on()) return;
  }
}

// Records are grouped by the statement they come from, in the order each
// statement first appears; a group's errors are reported at its first line.
void ImportPlover(Importer& importer, absl::string_view text) {
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
  for (size_t i = 0; i < groups.size(); ++i) {
    Group& group = groups[i];
    absl::StatusOr<v1::Statement> statement =
        StatementFromPlover(std::move(group.events));
    if (statement.ok()) {
      const std::string request_id =
          statement->name().empty()
              ? absl::StrFormat("import:line:%016x", StableHash(group.content))
              : "import:" + statement->name();
      importer.SendStatement(*statement, request_id, group.line);
    } else {
      importer.Report(group.line, statement.status());
    }
    importer.Advance(static_cast<double>(i + 1) / groups.size());
    if (!importer.going_on()) return;
  }
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
  Progress progress("importing", "records", ShowProgressOnStderr(flags.quiet), std::cerr);
  Importer importer(client, flags, progress);
  switch (*format) {
    case Format::kJsonl:
      ImportJsonl(importer, text);
      break;
    case Format::kCsv:
      ImportCsv(importer, text);
      break;
    case Format::kPlover:
      ImportPlover(importer, text);
      break;
  }
  importer.Finish();
  progress.Finish();
  if (absl::Status stopped = importer.stop_status(); !stopped.ok()) return stopped;
  const ImportCounts counts = importer.counts();
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
                const std::vector<v1::Statement>& statements,
                const std::vector<v1::Position>& positions,
                const std::function<void(size_t)>& written) {
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
    record.set_position(positions[&statement - statements.data()]);
    PrintJsonLine(record, std::cout);
    written(&statement - statements.data() + 1);
  }
}

void WriteCsv(const std::vector<v1::Actor>& actors,
              const std::vector<v1::Statement>& statements,
              const std::vector<v1::Position>& positions,
              const std::function<void(size_t)>& written) {
  std::map<std::string, std::string> display_names;
  for (const auto& actor : actors) display_names[actor.name()] = actor.display_name();
  std::cout << CsvRow(StatementCsvHeader());
  for (const auto& statement : statements) {
    std::cout << CsvRow(StatementToCsv(statement, display_names,
                                       positions[&statement - statements.data()]));
    written(&statement - statements.data() + 1);
  }
}

void WritePlover(const std::vector<v1::Actor>& actors,
                 const std::vector<v1::Statement>& statements,
                 const std::vector<v1::Position>& positions,
                 const std::function<void(size_t)>& written) {
  std::map<std::string, v1::Actor> by_name;
  for (const auto& actor : actors) by_name[actor.name()] = actor;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  for (const auto& statement : statements) {
    for (const auto& event :
         PloverEvents(statement, by_name, positions[&statement - statements.data()])) {
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(event, &json, options);
      std::cout << json << '\n';
    }
    written(&statement - statements.data() + 1);
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
  const bool show_progress = ShowProgressOnStderr(flags.quiet);
  Progress reading("exporting", "statements read", show_progress, std::cerr);
  std::vector<v1::Position> positions;
  auto statements = client.ListStatements(
      request, /*limit=*/0, [&](size_t read) { reading.Update(static_cast<int64_t>(read)); },
      &positions);
  reading.Finish();
  if (!statements.ok()) return statements.status();
  Progress writing("exporting", "statements written", show_progress, std::cerr);
  const auto written = [&](size_t count) { writing.Update(static_cast<int64_t>(count)); };

  switch (*format) {
    case Format::kJsonl:
      WriteJsonl(MembersAfterOrganisations(std::move(*actors)), *events, *statements,
                 positions, written);
      break;
    case Format::kCsv:
      WriteCsv(*actors, *statements, positions, written);
      break;
    case Format::kPlover:
      WritePlover(*actors, *statements, positions, written);
      break;
  }
  writing.Finish();
  std::cout << std::flush;
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
  import->add_flag("--quiet", flags->quiet,
                   "No progress line (shown only when stderr is a terminal)");
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
exporter->add_flag("--quiet", flags->quiet,
                   "No progress line (shown only when stderr is a terminal)");
exporter->callback([=, &session] {
  *selected = [=, &session] { return RunExport(session, *flags); };
});
}

}  // namespace rollcall::cli
