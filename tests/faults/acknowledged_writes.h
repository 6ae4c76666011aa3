#ifndef ROLLCALL_TESTS_FAULTS_ACKNOWLEDGED_WRITES_H_
#define ROLLCALL_TESTS_FAULTS_ACKNOWLEDGED_WRITES_H_

// What the server acknowledged, and the checks that it kept it: the
// durability oracle of the crash tests.

#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall::faults {

// Checks that `log` (every change from the first) is a well-formed commit
// log: sequences 1..n without a gap, each change's statement carrying its
// sequence, and each statement's revisions 1, 2, 3… in log order, created
// first, never changed after a retraction. Returns the first violation.
absl::Status CheckLogIsWellFormed(const std::vector<v1::StatementChange>& log);

// Checks that `current` (every statement, as ListStatements returns them)
// is exactly the last revision of each statement in `log`: no statement
// row without its change, no change without its row.
absl::Status CheckStatementsMatchLog(const std::vector<v1::StatementChange>& log,
                                     const std::vector<v1::Statement>& current);

// Statements as the server returned them on successful writes. Thread-safe.
class AcknowledgedWrites {
 public:
  void Record(const v1::Statement& statement) ABSL_LOCKS_EXCLUDED(mu_);
  int64_t count() const ABSL_LOCKS_EXCLUDED(mu_);

  // Checks that every acknowledged statement (or only the first `first_n`
  // recorded, if not negative) is in `log` at its sequence, field for field
  // as acknowledged.
  absl::Status CheckPresentIn(const std::vector<v1::StatementChange>& log,
                              int64_t first_n = -1) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  std::vector<v1::Statement> acknowledged_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rollcall::faults

#endif  // ROLLCALL_TESTS_FAULTS_ACKNOWLEDGED_WRITES_H_
