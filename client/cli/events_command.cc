// events add|get|list|update.

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "client/cli/client.h"
#include "client/cli/commands.h"
#include "client/cli/filters.h"
#include "client/cli/names.h"
#include "client/cli/values.h"
#include "client/cli/views.h"

namespace rollcall::cli {
namespace {

struct EventFlags {
  std::string id;
  std::string title;
  std::string summary;
  std::string country_code;
  std::string start;
  std::string end;
  std::vector<std::string> labels;
  std::vector<std::string> initiators;
  std::vector<std::string> targets;
  std::string etag;
  std::string filter;
};

void AddEventFieldFlags(CLI::App* cmd, EventFlags* flags) {
  cmd->add_option("--title", flags->title,
                  "Short title, e.g. \"Military coup in Niger\"");
  cmd->add_option("--summary", flags->summary, "What happened");
  cmd->add_option("--country", flags->country_code, "ISO 3166-1 alpha-3 code, e.g. NER");
  cmd->add_option("--start", flags->start,
                  "When it began: 2023-07-26 or an RFC 3339 time");
  cmd->add_option("--end", flags->end, "When it ended, if it has");
  cmd->add_option("--label", flags->labels, "key=value (repeatable)");
  cmd->add_option("--initiator", flags->initiators,
                  "An actor who carried out the event, e.g. niger-coup-leaders "
                  "(repeatable; with --target, replaces the sides)");
  cmd->add_option("--target", flags->targets,
                  "An actor the event was carried out against, e.g. niger-government "
                  "(repeatable)");
}

// The sides given by --initiator and --target, if either was given.
void ApplySideFlags(const CLI::App& cmd, const EventFlags& flags, v1::Event* event,
                    google::protobuf::FieldMask* mask) {
  if (cmd.count("--initiator") == 0 && cmd.count("--target") == 0) return;
  for (const auto& [role, actors] :
       {std::make_pair(v1::SIDE_ROLE_INITIATOR, &flags.initiators),
        std::make_pair(v1::SIDE_ROLE_TARGET, &flags.targets)}) {
    for (const std::string& actor : *actors) {
      v1::EventSide* side = event->add_sides();
      side->set_role(role);
      side->set_actor(ActorName(actor));
    }
  }
  mask->add_paths("sides");
}

// Parses a time flag the user gave; nullopt when the flag was not given.
absl::StatusOr<std::optional<google::protobuf::Timestamp>> TimeFlag(
    const CLI::App& cmd, const char* flag, const std::string& text) {
  if (cmd.count(flag) == 0) return std::nullopt;
  absl::StatusOr<TimeValue> time = ParseTime(flag, text);
  if (!time.ok()) return time.status();
  return time->timestamp;
}

// Copies the field flags the user gave into `event` and names them in
// `mask`.
absl::Status ApplyEventFlags(const CLI::App& cmd, const EventFlags& flags,
                             v1::Event* event, google::protobuf::FieldMask* mask) {
  if (cmd.count("--title") > 0) {
    event->set_title(flags.title);
    mask->add_paths("title");
  }
  if (cmd.count("--summary") > 0) {
    event->set_summary(flags.summary);
    mask->add_paths("summary");
  }
  if (cmd.count("--country") > 0) {
    event->set_country_code(flags.country_code);
    mask->add_paths("country_code");
  }
  auto start = TimeFlag(cmd, "--start", flags.start);
  if (!start.ok()) return start.status();
  if (start->has_value()) {
    *event->mutable_start_time() = **start;
    mask->add_paths("start_time");
  }
  auto end = TimeFlag(cmd, "--end", flags.end);
  if (!end.ok()) return end.status();
  if (end->has_value()) {
    *event->mutable_end_time() = **end;
    mask->add_paths("end_time");
  }
  if (cmd.count("--label") > 0) {
    for (const auto& text : flags.labels) {
      auto label = ParseLabel("--label", text);
      if (!label.ok()) return label.status();
      (*event->mutable_labels())[label->first] = label->second;
    }
    mask->add_paths("labels");
  }
  ApplySideFlags(cmd, flags, event, mask);
  return absl::OkStatus();
}

absl::Status RunAdd(Session& session, const CLI::App& cmd, const EventFlags& flags) {
  v1::CreateEventRequest request;
  request.set_event_id(ResourceId(EventName(flags.id)));
  google::protobuf::FieldMask unused;
  absl::Status applied = ApplyEventFlags(cmd, flags, request.mutable_event(), &unused);
  if (!applied.ok()) return AsUsageError(applied);
  RollcallClient client(session);
  absl::StatusOr<v1::Event> event = client.CreateEvent(request);
  if (!event.ok()) return event.status();
  PrintEvent(*event, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunGet(Session& session, const EventFlags& flags) {
  RollcallClient client(session);
  absl::StatusOr<v1::Event> event = client.GetEvent(EventName(flags.id));
  if (!event.ok()) return event.status();
  PrintEvent(*event, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunList(Session& session, const CLI::App& cmd, const EventFlags& flags) {
  std::vector<std::string> parts;
  if (cmd.count("--country") > 0) {
    parts.push_back("country_code = " + QuoteFilterValue(flags.country_code));
  }
  for (const auto& text : flags.labels) {
    auto label = ParseLabel("--label", text);
    if (!label.ok()) return AsUsageError(label.status());
    parts.push_back("labels." + label->first + " = " + QuoteFilterValue(label->second));
  }
  RollcallClient client(session);
  auto events = client.ListEvents(AllOf(parts, flags.filter));
  if (!events.ok()) return events.status();
  PrintEventList(*events, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunUpdate(Session& session, const CLI::App& cmd, const EventFlags& flags) {
  v1::UpdateEventRequest request;
  v1::Event* event = request.mutable_event();
  event->set_name(EventName(flags.id));
  event->set_etag(flags.etag);
  absl::Status applied =
      ApplyEventFlags(cmd, flags, event, request.mutable_update_mask());
  if (!applied.ok()) return AsUsageError(applied);
  if (request.update_mask().paths_size() == 0) {
    return UsageError("nothing to update: give at least one field flag");
  }
  RollcallClient client(session);
  absl::StatusOr<v1::Event> updated = client.UpdateEvent(request);
  if (!updated.ok()) return updated.status();
  PrintEvent(*updated, session.json_output(), std::cout);
  return absl::OkStatus();
}

}  // namespace

void AddEventsCommands(CLI::App& app, Session& session, Command* selected) {
  CLI::App* events = app.add_subcommand("events", "Manage events");
  events->require_subcommand(1);
  auto flags = std::make_shared<EventFlags>();

  CLI::App* add = events->add_subcommand("add", "Create an event");
  add->add_option("id", flags->id, "Event id, e.g. niger-coup-2023")->required();
  AddEventFieldFlags(add, flags.get());
  add->callback([=, &session] {
    *selected = [=, &session] { return RunAdd(session, *add, *flags); };
  });

  CLI::App* get = events->add_subcommand("get", "Show one event");
  get->add_option("id", flags->id, "Event id or name")->required();
  get->callback(
      [=, &session] { *selected = [=, &session] { return RunGet(session, *flags); }; });

  CLI::App* list = events->add_subcommand("list", "List events, most recent first");
  list->add_option("--country", flags->country_code, "Only events in this country");
  list->add_option("--label", flags->labels,
                   "Only events with this key=value label (repeatable)");
  list->add_option("--filter", flags->filter, "A raw filter, ANDed");
  list->callback([=, &session] {
    *selected = [=, &session] { return RunList(session, *list, *flags); };
  });

  CLI::App* update = events->add_subcommand("update", "Change the fields given as flags");
  update->add_option("id", flags->id, "Event id or name")->required();
  AddEventFieldFlags(update, flags.get());
  update->add_option("--etag", flags->etag,
                     "Update only if the event still has this etag");
  update->callback([=, &session] {
    *selected = [=, &session] { return RunUpdate(session, *update, *flags); };
  });
}

}  // namespace rollcall::cli
