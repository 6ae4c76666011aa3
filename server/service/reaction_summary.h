#ifndef ROLLCALL_SERVER_SERVICE_REACTION_SUMMARY_H_
#define ROLLCALL_SERVER_SERVICE_REACTION_SUMMARY_H_

// The roll call of one event: who reacted and how, per actor, in totals and
// per bloc, and optionally as a timeline. A pure function of the record as
// it stood at a time (the store supplies it), so it is tested without a
// server.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/event.pb.h"
#include "rollcall/v1/statement.pb.h"
#include "rollcall/v1/statement_service.pb.h"

namespace rollcall {

struct SummaryInput {
  std::string event;
  absl::Time as_of;
  // The event's sides, from which positions are derived (none: every
  // stance toward an actor is POSITION_UNCLEAR).
  google::protobuf::RepeatedPtrField<v1::EventSide> sides;
  // The event's active statements at `as_of` that the request's filter
  // selects, in any order.
  std::vector<v1::Statement> statements;
  // The actor directory (for kinds and memberships).
  std::vector<v1::Actor> actors;
  // Bloc roll-ups count the members whose membership held at this time:
  // the event's start, so that a bloc's members are those it had when the
  // event happened (ECOWAS's fifteen for the 2023 coup in Niger).
  absl::Time membership_time;
  // One timeline point per interval, if set.
  absl::optional<absl::Duration> timeline_interval;
};

// At most this many timeline points per summary.
inline constexpr int kMaxTimelinePoints = 10000;

// INVALID_ARGUMENT naming timeline_interval if the timeline would have more
// than kMaxTimelinePoints points.
absl::StatusOr<v1::SummarizeReactionsResponse> SummarizeReactions(
    const SummaryInput& input);

// The first words of a statement's quote (or summary), at most about
// `max_chars` characters, cut at a word and marked with "…" if shortened.
std::string Excerpt(const v1::Statement& statement, size_t max_chars = 160);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_REACTION_SUMMARY_H_
