#ifndef ROLLCALL_SERVER_STORE_POSTGRES_GROUP_CREATES_H_
#define ROLLCALL_SERVER_STORE_POSTGRES_GROUP_CREATES_H_

// How PostgresStore resolves a group's statement creates together
// (docs/ARCHITECTURE.md, "Creates in groups"): one query reads what every
// create depends on (GroupFactsQuery), GroupCreates applies the rules of
// SqliteStore::CreateInTxn to them in the group's order, and one statement
// inserts every row, change and request (InsertStatement). Private to
// PostgresStore (postgres_creates.cc), hence a namespace of its own.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "rollcall/v1/statement.pb.h"
#include "server/store/duplicate_statement.h"
#include "server/store/pg_db.h"
#include "server/store/postgres_rows.h"
#include "server/store/store.h"

namespace rollcall::pg_group {

// Locks the one row of log_head, which orders every instance's commits
// (postgres_store.h), and reads the head and the last commit time.
inline constexpr char kLockHead[] =
    "SELECT head, last_commit_micros FROM log_head FOR UPDATE";

// An existing statement the new one may duplicate.
struct Candidate {
  std::string name;
  std::string quote;
  int64_t issue_time_micros = 0;
};

// What one create depends on, as the store holds it.
struct CreateFacts {
  // The fingerprint of the earlier request with its request_id, and the
  // stored current revision of the statement it created.
  std::optional<std::pair<std::string, std::string>> request;
  bool event_exists = false;
  std::optional<v1::ActorKind> actor_kind;
  std::vector<Candidate> candidates;
};

struct GroupFacts {
  std::vector<CreateFacts> creates;  // one per request, in order
  // Which of the actors the requests name besides their own actors exist.
  absl::flat_hash_set<std::string> other_actors;
};


// The facts of every request in one round trip. The duplicate candidates
// are found through statements_by_actor_time, bounded by the issue time
// window: `event || ''` and `state + 0` keep the planner off the event
// indexes, whose plan, made once for the writer's connection, could be
// statements_by_event_stance_time (its unconstrained stance column scans
// every statement of the event: milliseconds per create at a million
// statements) or statements_by_event_time (every actor's statements on the
// event in the window), where one actor's statements on all events in 48
// hours are few.
PgStatement GroupFactsQuery(absl::Span<const NewStatement* const> requests);

// The facts GroupFactsQuery read for `count` requests.
absl::StatusOr<GroupFacts> ParseGroupFacts(const PgResult& rows, size_t count);

// GroupFactsQuery's facts, read on `connection`.
absl::StatusOr<GroupFacts> LoadGroupFacts(PgConnection& connection,
                                          absl::Span<const NewStatement* const> requests);

// A statement to insert.
struct NewRow {
  v1::Statement statement;
  v1::ActorKind actor_kind;
  std::string data;  // its stored serialization
  const NewStatement* request;
  const DerivedColumns* derived;  // null on the one-by-one path
};


// The group's creates, decided one after another as SqliteStore::CreateInTxn
// decides them: each sees the rows the ones before it would write.
class GroupCreates {
 public:
  GroupCreates(GroupFacts facts, absl::Time commit_time, int64_t head)
      : facts_(std::move(facts)), commit_time_(commit_time), head_(head) {}

  // Creates request number `item` (of LoadGroupFacts's requests), or says
  // why not; on success its row is kept for the insert.
  // `derived` is the request's DerivedColumns, kept for the insert.
  absl::StatusOr<v1::Statement> Create(size_t item, const NewStatement& request,
                                       const DerivedColumns* derived);

  // Rows kept so far; Undo(mark) forgets the rows kept since.
  size_t Mark() const { return rows_.size(); }
  void Undo(size_t mark);

  int64_t head() const { return head_; }
  const std::vector<NewRow>& rows() const { return rows_; }

 private:
  static std::string ActorEventKey(const v1::Statement& statement) {
    return absl::StrCat(statement.actor(), "\n", statement.event());
  }
  absl::Status CheckOtherActors(const v1::Statement& statement) const;
  // The existing and new statements `request` may duplicate, by issue
  // time, then name.
  std::vector<DuplicateCandidate> Candidates(const NewStatement& request,
                                             const CreateFacts& facts) const;

  const GroupFacts facts_;
  const absl::Time commit_time_;
  int64_t head_;
  std::vector<NewRow> rows_;
  absl::flat_hash_map<std::string, size_t> row_of_request_;
  absl::flat_hash_map<std::string, std::vector<size_t>> rows_of_actor_event_;
};


// The facts GroupCreates assumes for a group decided before its
// transaction has read anything: no earlier request of any request id, every
// event and actor named exists, no duplicate candidate in the store. Only
// rows that InsertGuard::clean confirms are written (ActorKind unspecified:
// the insert takes it from the actors table).
GroupFacts OptimisticFacts(absl::Span<const NewStatement* const> requests);

// Whether `facts` (of `requests`) are the ones OptimisticFacts assumes.
bool AsAssumed(const GroupFacts& facts, absl::Span<const NewStatement* const> requests);

// What the store must still be, when the insert runs, for rows decided
// ahead of it to be written: its head and last commit time as the rows
// were decided (their sequences follow `head`, their commit time is not
// before `last_commit`) and, for rows decided on OptimisticFacts, those
// facts, for every request in `clean`.
struct InsertGuard {
  int64_t head = 0;
  absl::Time commit_time;  // the rows' commit time; the last one must not exceed it
  absl::Span<const NewStatement* const> clean;
};

// The statement that inserts every row, its change (created) and its
// request. With `guard`, it also sets the new head, and writes nothing at
// all unless the guard holds (its command tag then counts 0 rows).
PgStatement InsertStatement(const std::vector<NewRow>& rows, absl::Time commit_time,
                            const InsertGuard* guard = nullptr);

// The rows an INSERT's result says it wrote.
int64_t InsertedRows(const PgResult& result);

}  // namespace rollcall::pg_group

#endif  // ROLLCALL_SERVER_STORE_POSTGRES_GROUP_CREATES_H_
