#ifndef ROLLCALL_SERVER_STORE_SQLITE_STORE_H_
#define ROLLCALL_SERVER_STORE_SQLITE_STORE_H_

// SqliteStore: the embedded Store, one SQLite file in WAL mode.
//
// Writes go through one writer connection, one transaction at a time, each
// made durable (synchronous=FULL) before the call returns. Reads use a small
// pool of read-only connections and never wait for the writer (WAL readers
// see the last committed state). All methods are thread-safe.
//
// Open refuses a file that is not a SQLite database or fails the start-up
// check (integrity.h; DATA_LOSS naming the file), and a file written by a
// newer rollcalld (FAILED_PRECONDITION naming both schema versions). An
// older file is upgraded in place.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/store/commit_observer.h"
#include "server/store/integrity.h"
#include "server/store/schema.h"
#include "server/store/sqlite_db.h"
#include "server/store/store.h"

namespace rollcall {

struct SqliteStoreOptions {
  // The database file. Its directory must exist; the file is created if
  // absent.
  std::string path;
  // The schema version to migrate to. Tests only: leave the default.
  int schema_version = kLatestSchemaVersion;
  // Read-only connections in the reader pool.
  int read_connections = 4;
  // How thoroughly Open checks the file (integrity.h).
  StartupCheck startup_check = StartupCheck::kQuick;
};

class SqliteStore : public Store {
 public:
  // Opens or creates the store at options.path; see the file comment for
  // the errors.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const SqliteStoreOptions& options);
  ~SqliteStore() override;

  absl::StatusOr<v1::Actor> CreateActor(const v1::Actor& actor) override;
  absl::StatusOr<v1::Actor> GetActor(absl::string_view name) override;
  absl::StatusOr<ActorPage> ListActors(const ActorQuery& query) override;
  absl::StatusOr<v1::Actor> UpdateActor(absl::string_view name,
                                        const Mutation<v1::Actor>& mutate) override;

  absl::StatusOr<v1::Event> CreateEvent(const v1::Event& event) override;
  absl::StatusOr<v1::Event> GetEvent(absl::string_view name) override;
  absl::StatusOr<EventPage> ListEvents(const EventQuery& query) override;
  absl::StatusOr<v1::Event> UpdateEvent(absl::string_view name,
                                        const Mutation<v1::Event>& mutate) override;

  absl::StatusOr<v1::Statement> CreateStatement(const NewStatement& request) override;
  absl::StatusOr<std::vector<v1::Statement>> CreateStatements(
      absl::Span<const NewStatement> requests) override;
  absl::StatusOr<v1::Statement> GetStatement(absl::string_view name) override;
  absl::StatusOr<StatementPage> ListStatements(const StatementQuery& query) override;
  absl::StatusOr<v1::Statement> UpdateStatement(
      absl::string_view name, const Mutation<v1::Statement>& mutate) override;
  absl::StatusOr<RevisionPage> ListStatementRevisions(absl::string_view name,
                                                      int64_t after_revision,
                                                      int page_size) override;
  absl::StatusOr<std::vector<v1::Statement>> StatementsAsOf(absl::string_view event,
                                                            absl::Time as_of) override;

  absl::StatusOr<std::vector<LoggedChange>> ReadChanges(int64_t after_sequence,
                                                        int limit) override;
  int64_t HeadSequence() override;
  absl::StatusOr<int64_t> SequenceBefore(absl::Time t) override;
  void SetCommitListener(std::function<void(int64_t head)> listener) override;
  // Reports every commit to `observer` (metrics). Call before the store is
  // shared.
  void SetCommitObserver(CommitObserver observer);

 private:
  // One write transaction on the writer connection. Statement changes get
  // their sequences from AppendChange, so sequences are assigned in commit
  // order and a rolled-back transaction consumes none.
  struct WriteTxn {
    Connection& connection;
    absl::Time commit_time;  // microsecond precision, never decreasing
    int64_t head;            // the last sequence assigned so far

    // Gives `statement` the next sequence and records the change.
    absl::Status AppendChange(v1::Statement& statement, v1::ChangeKind kind);
  };
  using WriteBody = std::function<absl::Status(WriteTxn& txn)>;
  using ReadBody = std::function<absl::Status(Connection& connection)>;

  SqliteStore(std::string path, std::unique_ptr<Connection> writer, int64_t head);

  // Runs `body` in one write transaction and commits it durably; on any
  // error rolls back and returns it. The only place that writes, so that
  // writes can later be group-committed. Notifies the commit listener if
  // sequences were assigned.
  absl::Status Write(const WriteBody& body) ABSL_LOCKS_EXCLUDED(write_mu_);
  // Runs `body` on a pooled read-only connection inside one read
  // transaction (a consistent snapshot).
  absl::Status Read(const ReadBody& body) ABSL_LOCKS_EXCLUDED(pool_mu_);

  // Statement helpers, inside a write transaction (sqlite_statements.cc).
  absl::StatusOr<v1::Statement> CreateInTxn(WriteTxn& txn, const NewStatement& request);

  const std::string path_;

  absl::Mutex write_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(write_mu_);
  absl::Time last_commit_time_ ABSL_GUARDED_BY(write_mu_) = absl::InfinitePast();

  absl::Mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_ ABSL_GUARDED_BY(pool_mu_);

  // The last committed sequence; written only under write_mu_.
  std::atomic<int64_t> head_;
  // Set before the store is shared; read without a lock afterwards.
  std::function<void(int64_t)> commit_listener_;
  CommitObserver commit_observer_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_SQLITE_STORE_H_
