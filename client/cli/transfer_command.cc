// import FILE and export: the JSONL exchange format (exchange.proto).

#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "client/cli/client.h"
#include "client/cli/commands.h"
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

// FNV-1a: a hash that is the same in every run, unlike std::hash.
uint64_t StableHash(absl::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string RequestIdFor(const v1::ExchangeRecord& record, absl::string_view line) {
  if (!record.request_id().empty()) return record.request_id();
  if (!record.statement().name().empty()) {
    return "import:" + record.statement().name();
  }
  return absl::StrFormat("import:line:%016x", StableHash(line));
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

// Records one line. Returns the error to report for a bad line.
absl::Status ImportLine(RollcallClient& client, absl::string_view line, bool update,
                        absl::Time started, ImportCounts* counts) {
  v1::ExchangeRecord record;
  auto parsed = google::protobuf::util::JsonStringToMessage(std::string(line), &record);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an ExchangeRecord: ", parsed.message().as_string()));
  }
  absl::Status status;
  switch (record.record_case()) {
    case v1::ExchangeRecord::kActor: {
      v1::CreateActorRequest request;
      request.set_actor_id(ResourceId(record.actor().name()));
      *request.mutable_actor() = record.actor();
      status = client.CreateActor(request).status();
      if (status.ok()) ++counts->actors;
      if (update && absl::IsAlreadyExists(status)) {
        const std::string name = record.actor().name();
        return UpdateExisting<v1::Actor, v1::UpdateActorRequest>(
            record.actor(), kActorFields, [&] { return client.GetActor(name); },
            [&](const v1::UpdateActorRequest& r) {
              return client.UpdateActor(r).status();
            },
            &v1::UpdateActorRequest::mutable_actor, counts);
      }
      break;
    }
    case v1::ExchangeRecord::kEvent: {
      v1::CreateEventRequest request;
      request.set_event_id(ResourceId(record.event().name()));
      *request.mutable_event() = record.event();
      status = client.CreateEvent(request).status();
      if (status.ok()) ++counts->events;
      if (update && absl::IsAlreadyExists(status)) {
        const std::string name = record.event().name();
        return UpdateExisting<v1::Event, v1::UpdateEventRequest>(
            record.event(), kEventFields, [&] { return client.GetEvent(name); },
            [&](const v1::UpdateEventRequest& r) {
              return client.UpdateEvent(r).status();
            },
            &v1::UpdateEventRequest::mutable_event, counts);
      }
      break;
    }
    case v1::ExchangeRecord::kStatement: {
      v1::CreateStatementRequest request;
      *request.mutable_statement() = record.statement();
      request.set_request_id(RequestIdFor(record, line));
      auto created = client.CreateStatement(request);
      if (!created.ok()) return created.status();
      // A statement created before this run was recorded by an earlier
      // import with the same request id.
      const absl::Time create_time =
          absl::FromUnixNanos(google::protobuf::util::TimeUtil::TimestampToNanoseconds(
              created->create_time()));
      ++(create_time < started ? counts->already_present : counts->statements);
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError("the record has none of actor, event, statement");
  }
  if (absl::IsAlreadyExists(status)) {
    ++counts->already_present;
    return absl::OkStatus();
  }
  return status;
}

absl::Status RunImport(Session& session, const TransferFlags& flags) {
  std::ifstream in(flags.file);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", flags.file));
  RollcallClient client(session);
  ImportCounts counts;
  const absl::Time started = absl::Now();
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    absl::string_view content = absl::StripAsciiWhitespace(line);
    if (content.empty() || absl::StartsWith(content, "#")) continue;
    absl::Status status = ImportLine(client, content, flags.update, started, &counts);
    if (!status.ok()) {
      ++counts.errors;
      std::cerr << flags.file << ":" << number << ": " << StatusLine(status) << std::endl;
      // Without a server nothing else can succeed: stop at the first line.
      if (absl::IsUnavailable(status)) return status;
    }
  }
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

absl::Status RunExport(Session& session, const TransferFlags& flags) {
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

  v1::ExchangeRecord record;
  for (const auto& actor : MembersAfterOrganisations(std::move(*actors))) {
    *record.mutable_actor() = actor;
    PrintJsonLine(record, std::cout);
  }
  for (const auto& event : *events) {
    *record.mutable_event() = event;
    PrintJsonLine(record, std::cout);
  }
  for (const auto& statement : *statements) {
    // Output-only fields stay: the server ignores them on create.
    *record.mutable_statement() = statement;
    record.set_request_id("import:" + statement.name());
    PrintJsonLine(record, std::cout);
  }
  return absl::OkStatus();
}

}  // namespace

void AddTransferCommands(CLI::App& app, Session& session, Command* selected) {
  auto flags = std::make_shared<TransferFlags>();
  CLI::App* import = app.add_subcommand(
      "import", "Load actors, events and statements from a JSONL file");
  import->add_option("file", flags->file, "One ExchangeRecord per line")->required();
  import->add_flag("--update", flags->update,
                   "Bring actors and events that already exist up to date with the file");
  import->callback([=, &session] {
    *selected = [=, &session] { return RunImport(session, *flags);
};
}  // namespace rollcall::cli
);

CLI::App* exporter = app.add_subcommand(
    "export", "Write actors, events and statements as JSONL to stdout");
exporter->add_option("--event", flags->event, "Only statements about this event");
exporter->add_flag("--include-retracted", flags->include_retracted,
                   "Also export retracted statements");
exporter->callback([=, &session] {
  *selected = [=, &session] { return RunExport(session, *flags); };
});
}

}  // namespace rollcall::cli
