// actors add|get|list|update.

#include <iostream>
#include <memory>
#include <string>
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

struct ActorFlags {
  std::string id;
  std::string display_name;
  std::string kind;
  std::string country_code;
  std::vector<std::string> member_of;
  std::vector<std::string> aliases;
  std::vector<std::string> identifiers;
  std::string etag;
  std::string filter;
};

void AddActorFieldFlags(CLI::App* cmd, ActorFlags* flags) {
  cmd->add_option("--name", flags->display_name,
                  "Display name, e.g. \"Economic Community of West African "
                  "States\"");
  cmd->add_option("--kind", flags->kind,
                  "state, regional-bloc, international-organisation, "
                  "government-body, armed-forces, political-party, "
                  "non-state-group or person");
  cmd->add_option("--country", flags->country_code, "ISO 3166-1 alpha-3 code, e.g. NER");
  cmd->add_option("--member-of", flags->member_of,
                  "An actor this one is a member of (repeatable)");
  cmd->add_option("--alias", flags->aliases, "Another name (repeatable)");
  cmd->add_option("--identifier", flags->identifiers,
                  "scheme=value, e.g. cameo=IGOWAFWAS (repeatable)");
}

// Copies the field flags the user gave into `actor` and names them in
// `mask`.
absl::Status ApplyActorFlags(const CLI::App& cmd, const ActorFlags& flags,
                             v1::Actor* actor, google::protobuf::FieldMask* mask) {
  if (cmd.count("--name") > 0) {
    actor->set_display_name(flags.display_name);
    mask->add_paths("display_name");
  }
  if (cmd.count("--kind") > 0) {
    auto kind = ParseEnum<v1::ActorKind>("--kind", flags.kind);
    if (!kind.ok()) return kind.status();
    actor->set_kind(*kind);
    mask->add_paths("kind");
  }
  if (cmd.count("--country") > 0) {
    actor->set_country_code(flags.country_code);
    mask->add_paths("country_code");
  }
  if (cmd.count("--member-of") > 0) {
    for (const auto& member_of : flags.member_of) {
      actor->add_member_of()->set_organisation(ActorName(member_of));
    }
    mask->add_paths("member_of");
  }
  if (cmd.count("--alias") > 0) {
    for (const auto& alias : flags.aliases) actor->add_aliases(alias);
    mask->add_paths("aliases");
  }
  if (cmd.count("--identifier") > 0) {
    for (const auto& text : flags.identifiers) {
      auto pair = ParseLabel("--identifier", text);
      if (!pair.ok()) return pair.status();
      v1::ActorIdentifier* identifier = actor->add_identifiers();
      identifier->set_scheme(pair->first);
      identifier->set_value(pair->second);
    }
    mask->add_paths("identifiers");
  }
  return absl::OkStatus();
}

absl::Status RunAdd(Session& session, const CLI::App& cmd, const ActorFlags& flags) {
  v1::CreateActorRequest request;
  request.set_actor_id(ResourceId(ActorName(flags.id)));
  google::protobuf::FieldMask unused;
  absl::Status applied = ApplyActorFlags(cmd, flags, request.mutable_actor(), &unused);
  if (!applied.ok()) return AsUsageError(applied);
  RollcallClient client(session);
  absl::StatusOr<v1::Actor> actor = client.CreateActor(request);
  if (!actor.ok()) return actor.status();
  PrintActor(*actor, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunGet(Session& session, const ActorFlags& flags) {
  RollcallClient client(session);
  absl::StatusOr<v1::Actor> actor = client.GetActor(ActorName(flags.id));
  if (!actor.ok()) return actor.status();
  PrintActor(*actor, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunList(Session& session, const CLI::App& cmd, const ActorFlags& flags) {
  std::vector<std::string> parts;
  if (cmd.count("--kind") > 0) {
    auto kind = ParseEnum<v1::ActorKind>("--kind", flags.kind);
    if (!kind.ok()) return AsUsageError(kind.status());
    parts.push_back("kind = " +
                    EnumFilterName(*v1::ActorKind_descriptor(), static_cast<int>(*kind)));
  }
  if (cmd.count("--member-of") > 0) {
    std::vector<std::string> values;
    for (const auto& value : flags.member_of) {
      values.push_back(QuoteFilterValue(ActorName(value)));
    }
    parts.push_back(AnyOf("member_of", values));
  }
  if (cmd.count("--country") > 0) {
    parts.push_back("country_code = " + QuoteFilterValue(flags.country_code));
  }
  RollcallClient client(session);
  auto actors = client.ListActors(AllOf(parts, flags.filter));
  if (!actors.ok()) return actors.status();
  PrintActorList(*actors, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunUpdate(Session& session, const CLI::App& cmd, const ActorFlags& flags) {
  v1::UpdateActorRequest request;
  v1::Actor* actor = request.mutable_actor();
  actor->set_name(ActorName(flags.id));
  actor->set_etag(flags.etag);
  absl::Status applied =
      ApplyActorFlags(cmd, flags, actor, request.mutable_update_mask());
  if (!applied.ok()) return AsUsageError(applied);
  if (request.update_mask().paths_size() == 0) {
    return UsageError("nothing to update: give at least one field flag");
  }
  RollcallClient client(session);
  absl::StatusOr<v1::Actor> updated = client.UpdateActor(request);
  if (!updated.ok()) return updated.status();
  PrintActor(*updated, session.json_output(), std::cout);
  return absl::OkStatus();
}

}  // namespace

void AddActorsCommands(CLI::App& app, Session& session, Command* selected) {
  CLI::App* actors = app.add_subcommand("actors", "Manage actors");
  actors->require_subcommand(1);
  auto flags = std::make_shared<ActorFlags>();

  CLI::App* add = actors->add_subcommand("add", "Create an actor");
  add->add_option("id", flags->id, "Actor id, e.g. ecowas")->required();
  AddActorFieldFlags(add, flags.get());
  add->callback([=, &session] {
    *selected = [=, &session] { return RunAdd(session, *add, *flags); };
  });

  CLI::App* get = actors->add_subcommand("get", "Show one actor");
  get->add_option("id", flags->id, "Actor id or name")->required();
  get->callback(
      [=, &session] { *selected = [=, &session] { return RunGet(session, *flags); }; });

  CLI::App* list = actors->add_subcommand("list", "List actors");
  list->add_option("--kind", flags->kind, "Only actors of this kind");
  list->add_option("--member-of", flags->member_of, "Only direct members of this actor");
  list->add_option("--country", flags->country_code,
                   "Only actors with this country code");
  list->add_option("--filter", flags->filter, "A raw filter, ANDed");
  list->callback([=, &session] {
    *selected = [=, &session] { return RunList(session, *list, *flags); };
  });

  CLI::App* update = actors->add_subcommand("update", "Change the fields given as flags");
  update->add_option("id", flags->id, "Actor id or name")->required();
  AddActorFieldFlags(update, flags.get());
  update->add_option("--etag", flags->etag,
                     "Update only if the actor still has this etag");
  update->callback([=, &session] {
    *selected = [=, &session] { return RunUpdate(session, *update, *flags); };
  });
}

}  // namespace rollcall::cli
