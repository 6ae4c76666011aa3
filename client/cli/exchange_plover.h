#ifndef ROLLCALL_CLIENT_CLI_EXCHANGE_PLOVER_H_
#define ROLLCALL_CLIENT_CLI_EXCHANGE_PLOVER_H_

// Statements as PLOVER/POLECAT-style event records (plover_event.proto):
// `rollcall export --format plover` writes one record per action that has a
// "plover" or "cameo" coding; `rollcall import --format plover` groups the
// records by the statement they come from and rebuilds it. What a record
// carries and what it drops is listed in docs/DATA.md.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/cli/plover_event.pb.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall::cli {

// The records of `statement`, in action order; none if no action has a
// PLOVER or CAMEO coding. Of several codings with one scheme, the first is
// used. `actors` maps actor names ("actors/ecowas") to actors, for display
// names, CAMEO codes and countries; an actor missing from it gets its id
// only. `position` is the statement's position on its event (as the
// server derives it), for rollcall.position.
std::vector<PloverEvent> PloverEvents(const v1::Statement& statement,
                                      const std::map<std::string, v1::Actor>& actors,
                                      v1::Position position = v1::POSITION_UNSPECIFIED);

// What groups the records of one statement: rollcall.statement, else the id
// without its "-N" suffix, else "" (the record stands alone).
std::string PloverStatementKey(const PloverEvent& event);

// Rebuilds the statement that `events` (its records, in any order) come
// from: the statement fields from the first record, one action per record
// in action_index order, with a "plover" and a "cameo" coding when the
// record has them. The name is set from rollcall.statement (for the
// request id; the server ignores it). Returns INVALID_ARGUMENT naming the
// field when a record lacks the actor, rollcall.event, rollcall.stance or
// rollcall.action, or holds a bad value.
absl::StatusOr<v1::Statement> StatementFromPlover(std::vector<PloverEvent> events);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_EXCHANGE_PLOVER_H_
