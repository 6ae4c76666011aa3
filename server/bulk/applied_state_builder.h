#ifndef ROLLCALL_SERVER_BULK_APPLIED_STATE_BUILDER_H_
#define ROLLCALL_SERVER_BULK_APPLIED_STATE_BUILDER_H_

// AppliedStateBuilder: a bulk load's applied file (server/store/
// applied_file.h: the statements table, its indexes and its full-text
// index), built on a thread of its own in a side database file while the
// store's writer logs the changes (server/bulk/bulk_load.h), so that the
// two cores share the work; SqliteStore::FinishBulkLoad then checks it,
// binds it to the log and renames it into place (AdoptAppliedFile).
//
// The side file holds the applied file's own definitions
// (AppliedFileSchema): the statements table, written row by row with the
// write path's own WriteStatementRow, in the change log's order, all in one
// transaction; the full-text index (statement_text, external content over
// that table), fed each batch's text in one INSERT ... SELECT; the table's
// secondary indexes, built once after the last row (CREATE INDEX sorts).
// Until adopted the file is private scratch: no journal, no fsync; a failed
// load removes it.

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall {

class Connection;

// A statement the store created (its name, revision and sequence set), and
// its actor's kind (the statements table's actor_kind column).
struct CreatedStatement {
  v1::Statement statement;
  v1::ActorKind actor_kind = v1::ACTOR_KIND_UNSPECIFIED;
};

class AppliedStateBuilder {
 public:
  // Creates `path` afresh with `schema` (CREATE statements: tables and
  // virtual tables first, then indexes) and starts the thread.
  static absl::StatusOr<std::unique_ptr<AppliedStateBuilder>> Start(
      const std::string& path, const std::vector<std::string>& schema);
  ~AppliedStateBuilder();  // stops the thread; the file stays
  AppliedStateBuilder(const AppliedStateBuilder&) = delete;
  AppliedStateBuilder& operator=(const AppliedStateBuilder&) = delete;

  // Queues `batch` (in sequence order, after every earlier batch); waits
  // while the thread is a few batches behind. After an error, drops it
  // (Finish returns the error).
  void Add(std::vector<CreatedStatement> batch) ABSL_LOCKS_EXCLUDED(mu_);
  // No batch follows: the thread commits the rows and builds the indexes
  // as soon as it has written what is queued, while the caller goes on
  // (the store's own last steps) until it calls Finish.
  void NoMoreBatches() ABSL_LOCKS_EXCLUDED(mu_);
  // Writes what is queued, builds the indexes and closes the file (or
  // waits until the thread has, after NoMoreBatches); returns the first
  // error. Call once, after the last Add.
  absl::Status Finish() ABSL_LOCKS_EXCLUDED(mu_);

  const std::string& path() const { return path_; }

 private:
  AppliedStateBuilder(std::string path, std::unique_ptr<Connection> connection,
                      std::vector<std::string> indexes);
  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Write(const std::vector<CreatedStatement>& batch);
  absl::Status BuildIndexes();

  const std::string path_;
  std::unique_ptr<Connection> connection_;  // the thread's only
  const std::vector<std::string> indexes_;  // built after the last row
  absl::Mutex mu_;
  std::deque<std::vector<CreatedStatement>> queue_ ABSL_GUARDED_BY(mu_);
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_BULK_APPLIED_STATE_BUILDER_H_
