#ifndef ROLLCALL_SERVER_STORE_STORE_H_
#define ROLLCALL_SERVER_STORE_STORE_H_

// The Store interface: durable storage of actors, events, statements, their
// revisions and the commit log. SqliteStore is the embedded default;
// PostgresStore (scale-out) implements the same contract, and one
// conformance suite runs against both.
//
// Contract shared by every method:
//  - A write returns only after its transaction is durable (fsync'd).
//  - Every committed change to a statement gets the next log sequence:
//    strictly increasing, gap-free, in commit order, starting at 1.
//  - Errors are absl::Status values: NOT_FOUND, ALREADY_EXISTS,
//    FAILED_PRECONDITION (a referenced actor or event is missing, or a
//    retracted statement is changed), ABORTED (etag mismatch, from a
//    mutation), INVALID_ARGUMENT (request_id reused for other content),
//    UNAVAILABLE or RESOURCE_EXHAUSTED (storage failure, disk full),
//    DATA_LOSS (a damaged file).
//  - Every method is thread-safe.
//
// The store sets output-only fields: create_time, update_time, etag,
// revision, sequence, state and, for statements, the name.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/event.pb.h"
#include "rollcall/v1/statement.pb.h"
#include "server/filter/actor_filter.h"
#include "server/filter/event_filter.h"
#include "server/filter/statement_filter.h"

namespace rollcall {

// Applied by an update inside the write transaction to the current stored
// value. It may check the etag (returning ABORTED) and must leave
// output-only fields for the store to set. A non-OK result aborts the write
// and is returned to the caller.
template <typename T>
using Mutation = std::function<absl::Status(T& current)>;

// Page position for actors (by name) and events (by start_time desc, name).
struct ActorQuery {
  ActorFilter filter;
  int page_size = 50;
  std::optional<std::string> after_name;  // exclusive
};

struct ActorPage {
  std::vector<v1::Actor> actors;
  std::optional<std::string> next_after_name;  // set if more may follow
};

struct EventCursor {
  int64_t start_time_micros = 0;
  std::string name;
};

struct EventQuery {
  EventFilter filter;
  int page_size = 50;
  std::optional<EventCursor> after;
};

struct EventPage {
  std::vector<v1::Event> events;
  std::optional<EventCursor> next;
};

// Keyset position for statements, ordered by (issue_time, name).
struct StatementCursor {
  int64_t issue_time_micros = 0;
  std::string name;
};

struct StatementQuery {
  StatementFilter filter;
  // Without it, only active statements are listed unless filter.states says
  // otherwise.
  bool include_retracted = false;
  bool descending = false;  // newest issue_time first
  int page_size = 50;
  std::optional<StatementCursor> after;  // exclusive, in the query's order
};

struct StatementPage {
  std::vector<v1::Statement> statements;
  std::optional<StatementCursor> next;  // set if more may follow
};

// A statement to create. `request_id` (may be empty) makes the create
// idempotent: if a statement was already created with it, that statement is
// returned (as it is now) instead of a new one, provided `fingerprint`
// matches the one recorded; otherwise INVALID_ARGUMENT naming request_id.
//
// Unless `allow_duplicate` is set, a statement that duplicates an active one
// is refused (see duplicate_statement.h for the rule), in the same
// transaction as the insert: ALREADY_EXISTS naming the existing statement,
// with it recorded as the conflicting resource (ConflictingResourceOf). The
// request_id is looked up first, so a retry still returns the first
// statement.
struct NewStatement {
  v1::Statement statement;
  std::string request_id;
  std::string fingerprint;  // a digest of the request content
  bool allow_duplicate = false;
};

// One entry of the commit log as stored. The statement stays serialized
// (its deterministic serialization): a reader that only forwards it, as a
// subscription that matches everything does, need not parse it.
struct LoggedChange {
  int64_t sequence = 0;
  v1::ChangeKind kind = v1::CHANGE_KIND_UNSPECIFIED;
  int64_t commit_time_micros = 0;
  std::string statement;  // a serialized v1::Statement
};

struct RevisionPage {
  std::vector<v1::Statement> revisions;  // oldest first
  std::optional<int64_t> next_after_revision;
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- Actors -----------------------------------------------------------
  // `actor.name` must be set by the caller. ALREADY_EXISTS if taken;
  // FAILED_PRECONDITION if a member_of organisation does not exist.
  virtual absl::StatusOr<v1::Actor> CreateActor(const v1::Actor& actor) = 0;
  virtual absl::StatusOr<v1::Actor> GetActor(absl::string_view name) = 0;
  virtual absl::StatusOr<ActorPage> ListActors(const ActorQuery& query) = 0;
  // NOT_FOUND if absent; FAILED_PRECONDITION if the mutated member_of names
  // a missing actor or the actor itself.
  virtual absl::StatusOr<v1::Actor> UpdateActor(absl::string_view name,
                                                const Mutation<v1::Actor>& mutate) = 0;

  // ---- Events -----------------------------------------------------------
  virtual absl::StatusOr<v1::Event> CreateEvent(const v1::Event& event) = 0;
  virtual absl::StatusOr<v1::Event> GetEvent(absl::string_view name) = 0;
  virtual absl::StatusOr<EventPage> ListEvents(const EventQuery& query) = 0;
  virtual absl::StatusOr<v1::Event> UpdateEvent(absl::string_view name,
                                                const Mutation<v1::Event>& mutate) = 0;

  // ---- Statements -------------------------------------------------------
  // Creates a statement (revision 1, state ACTIVE, a new server-assigned
  // name). FAILED_PRECONDITION if its event, actor or any actor it refers to
  // (joint_with, stance_toward, action targets) does not exist;
  // ALREADY_EXISTS if it duplicates an active statement (see NewStatement).
  virtual absl::StatusOr<v1::Statement> CreateStatement(const NewStatement& request) = 0;
  // Creates all or none, in one transaction; results in request order. An
  // error names the failing index through its message ("requests[3]: ...").
  // Each item is checked for duplicates against the store and the items
  // before it.
  virtual absl::StatusOr<std::vector<v1::Statement>> CreateStatements(
      absl::Span<const NewStatement> requests) = 0;
  // Creates each statement on its own: one that fails (its error, as from
  // CreateStatement, in its place) does not stop the others, and those that
  // succeed are committed together, durable when this returns. Results in
  // request order; sequences follow that order. A storage failure that
  // prevents the commit is returned for the whole call.
  virtual absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>> CreateEachStatement(
      absl::Span<const NewStatement> requests) = 0;
  virtual absl::StatusOr<v1::Statement> GetStatement(absl::string_view name) = 0;
  virtual absl::StatusOr<StatementPage> ListStatements(const StatementQuery& query) = 0;
  // Applies `mutate` to the current revision and records the result as a new
  // revision with a new sequence. The change kind is RETRACTED if the
  // mutation moved the state from ACTIVE to RETRACTED (the store then sets
  // retraction.retract_time), otherwise UPDATED. FAILED_PRECONDITION if the
  // current revision is retracted or a referenced actor or event is missing.
  virtual absl::StatusOr<v1::Statement> UpdateStatement(
      absl::string_view name, const Mutation<v1::Statement>& mutate) = 0;
  // Revisions with revision > after_revision, oldest first. NOT_FOUND if the
  // statement does not exist.
  virtual absl::StatusOr<RevisionPage> ListStatementRevisions(absl::string_view name,
                                                              int64_t after_revision,
                                                              int page_size) = 0;

  // The statements of `event` as the record stood at `as_of`: for each
  // statement whose revision current at `as_of` names the event, that
  // revision (retracted ones included, with their state). Later
  // corrections and retractions are not applied; a statement moved to
  // another event by a later correction still counts here.
  virtual absl::StatusOr<std::vector<v1::Statement>> StatementsAsOf(
      absl::string_view event, absl::Time as_of) = 0;

  // ---- Commit log -------------------------------------------------------
  // Up to `limit` changes with sequence > after_sequence, in order. The
  // statements are not parsed, so a damaged one is reported (DATA_LOSS) by
  // whoever parses it.
  virtual absl::StatusOr<std::vector<LoggedChange>> ReadChanges(int64_t after_sequence,
                                                                int limit) = 0;
  // The sequence of the last committed change (0 for an empty log). A
  // shared store (PostgresStore) asks the database, and may then call the
  // commit listener with a head it had not heard of: do not call it while
  // holding a lock the listener takes.
  virtual int64_t HeadSequence() = 0;
  // The greatest sequence whose commit_time is before `t` (0 if none): a
  // subscription "from time t" starts after it.
  virtual absl::StatusOr<int64_t> SequenceBefore(absl::Time t) = 0;
  // Registers a function called after every durable commit of statement
  // changes with the new head sequence, on the committing thread, after all
  // store locks are released. It must be quick and must not call back into
  // the store's write methods. Call before the store is shared.
  virtual void SetCommitListener(std::function<void(int64_t head)> listener) = 0;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_STORE_H_
