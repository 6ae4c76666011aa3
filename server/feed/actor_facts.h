#ifndef ROLLCALL_SERVER_FEED_ACTOR_FACTS_H_
#define ROLLCALL_SERVER_FEED_ACTOR_FACTS_H_

#include "absl/status/statusor.h"
#include "server/filter/statement_filter.h"
#include "server/store/store.h"

namespace rollcall {

// Reads from `store` what Matches() needs to evaluate `filter` in memory:
// the current members of each bloc the filter names and the kinds of the
// actors of the kinds it names. A subscription resolves them once, when it
// starts: membership or kind changes made later apply to new subscriptions.
absl::StatusOr<ActorFacts> ResolveActorFacts(Store& store, const StatementFilter& filter);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_FEED_ACTOR_FACTS_H_
