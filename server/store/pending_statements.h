#ifndef ROLLCALL_SERVER_STORE_PENDING_STATEMENTS_H_
#define ROLLCALL_SERVER_STORE_PENDING_STATEMENTS_H_

// PendingStatements: what the duplicate check needs of the statements that
// are committed (in the change log) but not yet applied to the statements
// table and its indexes (SqliteStore's deferred apply, see sqlite_store.h).
// It holds the latest pending revision of each such statement, indexed by
// actor, event and issue time, so that a create finds its candidates among them as
// the table's index finds them among the applied ones.
//
// Additions made inside a write transaction can be undone (RollBackTo a
// Mark) when their savepoint or transaction rolls back; Commit forgets the
// undo log once the transaction is durable. Not thread-safe: the store
// guards it with its writer mutex.

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "rollcall/v1/statement.pb.h"
#include "server/store/duplicate_statement.h"

namespace rollcall {

class PendingStatements {
 public:
  // Records `statement` (with its sequence) as its latest pending revision.
  void Add(const v1::Statement& statement);
  // The undo position now; RollBackTo(mark) undoes every Add since.
  size_t Mark() const { return undo_.size(); }
  void RollBackTo(size_t mark);
  // The additions so far are durable: they can no longer be undone.
  void Commit() { undo_.clear(); }
  // The statements table holds every revision up to `sequence`: forgets the
  // entries it covers.
  void ForgetThrough(int64_t sequence);
  // The statements table holds every revision: forgets everything at once
  // (ForgetThrough the head, without finding each entry's keys: a bulk load
  // ends with every statement it logged pending).
  void Clear();

  // Whether `name` has a pending revision (the table's row, if any, is then
  // older than it).
  bool Contains(absl::string_view name) const { return by_name_.contains(name); }
  // Pending active statements by `actor` on `event` with a quote, issued in
  // [from, to] (microseconds), as (issue time, candidate).
  std::vector<std::pair<int64_t, DuplicateCandidate>> Candidates(absl::string_view actor,
                                                                 absl::string_view event,
                                                                 int64_t from,
                                                                 int64_t to) const;
  size_t size() const { return by_name_.size(); }

 private:
  struct Entry {
    int64_t sequence = 0;
    std::string actor;
    std::string event;
    int64_t issue_time = 0;
    bool active = false;
    std::string quote;
  };
  using TimeIndex = std::set<std::pair<int64_t, std::string>>;  // (issue time, name)

  void Put(const std::string& name, Entry entry);
  void Erase(const std::string& name);

  absl::flat_hash_map<std::string, Entry> by_name_;
  // By actor and event (IndexKey): a create's candidates share both, so
  // the actor's statements on other events in the window (most of them,
  // in a large load) are not visited.
  absl::flat_hash_map<std::string, TimeIndex> by_actor_event_;
  // (sequence, name) in the order added: what ForgetThrough walks.
  std::deque<std::pair<int64_t, std::string>> order_;
  // Per Add: the name and the entry it replaced.
  std::vector<std::pair<std::string, std::optional<Entry>>> undo_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_PENDING_STATEMENTS_H_
