#include "server/feed/actor_facts.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "server/common/status_macros.h"

namespace rollcall {
namespace {

// Calls `visit` for every actor matching `filter`, page by page.
template <typename Visit>
absl::Status ForEachActor(Store& store, const ActorFilter& filter, Visit visit) {
  ActorQuery query;
  query.filter = filter;
  query.page_size = 1000;
  while (true) {
    ASSIGN_OR_RETURN(ActorPage page, store.ListActors(query));
    for (const v1::Actor& actor : page.actors) visit(actor);
    if (!page.next_after_name.has_value()) return absl::OkStatus();
    query.after_name = page.next_after_name;
  }
}

}  // namespace

absl::StatusOr<ActorFacts> ResolveActorFacts(Store& store,
                                             const StatementFilter& filter) {
  auto memberships =
      std::make_shared<absl::flat_hash_set<std::pair<std::string, std::string>>>();
  for (const std::string& bloc : filter.blocs) {
    ActorFilter members;
    members.member_of = {bloc};
    RETURN_IF_ERROR(ForEachActor(store, members, [&](const v1::Actor& actor) {
      memberships->insert({actor.name(), bloc});
    }));
  }
  auto kinds = std::make_shared<absl::flat_hash_map<std::string, v1::ActorKind>>();
  if (!filter.actor_kinds.empty()) {
    ActorFilter of_kinds;
    of_kinds.kinds = filter.actor_kinds;
    RETURN_IF_ERROR(ForEachActor(store, of_kinds, [&](const v1::Actor& actor) {
      (*kinds)[actor.name()] = actor.kind();
    }));
  }
  ActorFacts facts;
  facts.is_member = [memberships](absl::string_view actor, absl::string_view bloc) {
    return memberships->contains({std::string(actor), std::string(bloc)});
  };
  facts.kind_of = [kinds](absl::string_view actor) {
    auto it = kinds->find(actor);
    return it == kinds->end() ? v1::ACTOR_KIND_UNSPECIFIED : it->second;
  };
  return facts;
}

}  // namespace rollcall
