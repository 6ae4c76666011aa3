#ifndef ROLLCALL_CLIENT_CLI_VIEWS_H_
#define ROLLCALL_CLIENT_CLI_VIEWS_H_

// How actors, events and statements are shown: one table row per resource
// for lists, a "key: value" view for one resource, or one protobuf JSON
// object per line when `json` is true.

#include <ostream>
#include <vector>

#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/event.pb.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall::cli {

// The longest quote shown in a statements table, in code points.
inline constexpr size_t kQuoteWidth = 60;

void PrintActorList(const std::vector<v1::Actor>& actors, bool json, std::ostream& out);
void PrintActor(const v1::Actor& actor, bool json, std::ostream& out);

void PrintEventList(const std::vector<v1::Event>& events, bool json, std::ostream& out);
void PrintEvent(const v1::Event& event, bool json, std::ostream& out);

// Columns NAME, ISSUED, ACTOR, POSITION (positions[i] for statements[i],
// blank where missing), STANCE with its target, “QUOTE” OR SUMMARY, plus
// STATE when `show_state`.
void PrintStatementList(const std::vector<v1::Statement>& statements,
                        const std::vector<v1::Position>& positions, bool show_state,
                        bool json, std::ostream& out);
inline void PrintStatementList(const std::vector<v1::Statement>& statements,
                               bool show_state, bool json, std::ostream& out) {
  PrintStatementList(statements, {}, show_state, json, out);
}
void PrintStatement(const v1::Statement& statement, bool json, std::ostream& out);

// Revisions of one statement, oldest first: REVISION, UPDATED, STATE,
// STANCE, QUOTE (for a retraction, its reason).
void PrintRevisionList(const std::vector<v1::Statement>& revisions, bool json,
                       std::ostream& out);

// One change of a subscription: the change as one protobuf JSON line, or
// "SEQUENCE  KIND  ISSUED  ACTOR  STANCE  QUOTE" (a retraction shows its
// reason instead of the quote).
void PrintChange(const v1::StatementChange& change, bool json, std::ostream& out);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_VIEWS_H_
