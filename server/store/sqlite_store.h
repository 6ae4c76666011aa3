#ifndef ROLLCALL_SERVER_STORE_SQLITE_STORE_H_
#define ROLLCALL_SERVER_STORE_SQLITE_STORE_H_

// SqliteStore: the embedded Store, one SQLite file in WAL mode.
//
// Writes go through one writer connection and are group-committed: a
// writer that finds the store idle commits at once; writers that arrive
// while a commit is being made durable queue, and the next of them to run
// writes the whole queue in one transaction (each write inside its own
// savepoint, so one failing write does not undo the others) and makes it
// durable (synchronous=FULL) with one fsync. Every caller returns only
// after that fsync. No write ever waits for a timer. Reads use a small pool
// of read-only connections and never wait for the writer (WAL readers see
// the last committed state). All methods are thread-safe.
//
// A failed write or fsync (IsFailedWriteOrSync) stops the store taking
// writes until it is opened again: every later write gets UNAVAILABLE
// ("writes stopped: ..."), an error is logged and the commit observer's
// on_writes_stopped is called. After a failed fsync the kernel may have
// dropped the pages it could not write while the page cache still shows
// them, so neither retrying the sync nor reopening the file in this process
// can tell what reached the disk; going on could acknowledge commits that
// build on lost ones. Reads and subscriptions go on: they see only commits
// whose fsync succeeded. A full disk (RESOURCE_EXHAUSTED) does not stop
// writes: SQLite rolls the transaction back before anything is claimed
// durable, and writes succeed again once there is space.
//
// Deferred apply (schema version 11 on): the durable, acknowledged part of
// a statement write is small: its change-log row (the statement's full
// serialization, which is the truth) and its request id. The statements
// table, its indexes and the full-text index live in the applied file
// (applied_file.h) and are brought up to date behind the log by an applier
// thread, in large transactions on a connection of its own, so that it and
// the group commits never wait for each other's write lock
// (applied_position records how far; after a crash the applier resumes
// from there). What must see every committed write does: GetStatement,
// retries and updates read the change log; the duplicate check adds the
// not-yet-applied statements kept in memory (PendingStatements), which only
// the writer prunes, up to the applied_position its transaction reads
// first (so the table and the pending statements it sees are one
// snapshot); ListStatements first waits until the table holds every write
// acknowledged before it started (read-your-writes), actor-kind changes
// included. Writers wait for the applier only when it is kMaxUnapplied
// changes behind. No transaction on a connection with the other file
// attached begins IMMEDIATE (that takes the write lock of every attached
// file): each takes the lock of the one file it writes.
//
// Open refuses a file that is not a SQLite database or fails the start-up
// check (integrity.h; DATA_LOSS naming the file), and a file written by a
// newer rollcalld (FAILED_PRECONDITION naming both schema versions). An
// older file is upgraded in place.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/store/commit_observer.h"
#include "server/store/draft_store.h"
#include "server/store/group_commit.h"
#include "server/store/integrity.h"
#include "server/store/applied_file.h"
#include "server/store/bulk_lookups.h"
#include "server/store/pending_statements.h"
#include "server/store/schema.h"
#include "server/store/sqlite_db.h"
#include "server/store/store.h"

namespace rollcall {

struct SqliteStoreOptions {
  // The database file. Its directory must exist; the file is created if
  // absent.
  std::string path;
  // The applied file (applied_file.h); empty: AppliedFilePath(path).
  std::string applied_path;
  // The schema version to migrate to. Tests only: leave the default.
  int schema_version = kLatestSchemaVersion;
  // Read-only connections in the reader pool.
  int read_connections = 4;
  // How thoroughly Open checks the file (integrity.h).
  StartupCheck startup_check = StartupCheck::kQuick;
  // The SQLite VFS to open the file through; empty: the default. Tests
  // only (the power-cut simulator); no command-line flag sets it.
  std::string vfs_name;

  // Deferred apply: while fewer than a batch of statements are pending and
  // no reader waits for them, the applier applies them once writes have
  // paused this long. Tests lengthen it to keep writes pending.
  absl::Duration apply_after = absl::Milliseconds(20);

  // Opens a new store for a bulk load (server/bulk/bulk_load.h) only: no
  // fsync (synchronous=OFF), the rollback journal in memory instead of the
  // WAL, no applier and no checkpoint thread, and writers never wait for
  // the applier, and a statement's create needs no SQL savepoint
  // (WriteTxn::InBulkStep). Statements stay in the change log until
  // FinishBulkLoad makes the applied file, from the statements table, its
  // indexes and the full-text index built beside the store. The file is not
  // durable, nor in the store's journal mode, until FinishBulkLoad
  // returns: the caller loads into a private file and renames it into
  // place after.
  bool bulk_load = false;
};

class SqliteStore : public Store, public DraftStore {
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
  absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>> CreateEachStatement(
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

  // Documents and drafts (sqlite_drafts.cc).
  absl::StatusOr<RecordedExtraction> RecordExtraction(
      const NewExtraction& extraction) override;
  absl::StatusOr<std::optional<RecordedExtraction>> FindExtraction(
      absl::string_view event, absl::string_view key) override;
  absl::StatusOr<v1::Document> GetDocument(absl::string_view name) override;
  absl::StatusOr<v1::Draft> GetDraft(absl::string_view name) override;
  absl::StatusOr<DraftPage> ListDrafts(const DraftQuery& query) override;
  absl::StatusOr<v1::Draft> UpdateDraft(absl::string_view name,
                                        const Mutation<v1::Draft>& mutate) override;

  absl::StatusOr<std::vector<LoggedChange>> ReadChanges(int64_t after_sequence,
                                                        int limit) override;
  int64_t HeadSequence() override;
  absl::StatusOr<int64_t> SequenceBefore(absl::Time t) override;
  void SetCommitListener(std::function<void(int64_t head)> listener) override;
  // Reports every commit to `observer` (metrics). Call before the store is
  // shared.
  void SetCommitObserver(CommitObserver observer);

  // Bulk load only (SqliteStoreOptions::bulk_load): writes the request ids
  // and builds the change log's indexes, switches the file to WAL mode,
  // then makes the applied file (options.applied_path). With
  // `applied_state`, that is the closed database file it returns, built
  // beside the store (server/bulk/applied_state_builder.h, with
  // AppliedFileSchema's tables and every logged statement's row in
  // sequence order), checked and bound to the log (AdoptAppliedFile);
  // without, it is built from the log (BuildAppliedFile). Making both files
  // durable is the caller's. The store must not be written again
  // afterwards; close it.
  absl::Status FinishBulkLoad(
      const std::function<absl::StatusOr<std::string>()>& applied_state = nullptr)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // Writes waiting for the commit in progress to finish; the next group
  // commits them together.
  int QueuedWrites() { return commits_.Queued(); }

 private:
  // One write transaction on the writer connection. Statement changes get
  // their sequences from AppendChange, so sequences are assigned in commit
  // order and a rolled-back transaction consumes none.
  struct WriteTxn {
    Connection& connection;
    absl::Time commit_time;  // microsecond precision, never decreasing
    int64_t head;            // the last sequence assigned so far
    bool index_text;         // the schema leaves the full-text index to us
    // The deferred apply's statements not yet applied, or nullptr: rows
    // are written in the transaction (schema versions before 11).
    PendingStatements* pending;
    int text_changes = 0;    // queued by IndexText, applied by FlushText
    // A bulk load's in-memory lookups, or nullptr (any other store).
    BulkLookups* bulk = nullptr;
    // An actor's kind changed (actor_kind_changes was written).
    bool actor_kinds_changed = false;

    // Records `statement`'s new row (`previous` is the revision it
    // replaces, if any): in the table now, or in `pending` for the
    // applier.
    absl::Status WriteRow(const v1::Statement& statement, const v1::Statement* previous,
                          v1::ActorKind actor_kind, absl::string_view data);

    // Gives `statement` the next sequence and records the change. Returns
    // the statement's stored serialization, which its row stores too.
    absl::StatusOr<std::string> AppendChange(v1::Statement& statement,
                                             v1::ChangeKind kind);
    // Queues the full-text index's change for the statement stored in row
    // `row`: `previous`'s text (if any) out, `current`'s in. Nothing if the
    // text did not change.
    absl::Status IndexText(int64_t row, const v1::Statement* previous,
                           const v1::Statement& current);
    // Applies the queued changes to the index in one statement, so that
    // FTS5 writes one segment for the whole group.
    absl::Status FlushText();
    // Runs `step` inside a savepoint: if it fails, what it wrote is undone
    // (sequences and queued text changes included) and its error is stored
    // in `*outcome`. The returned status is the savepoint's own: an error
    // there (SQLite gave up the whole transaction) fails the transaction.
    absl::Status InSavepoint(const std::function<absl::Status()>& step,
                             absl::Status* outcome);
    // InSavepoint for a bulk load (`bulk`): no SQL savepoint, whose page
    // copies cost a bulk load's writer about a fifth of its time. A step
    // that fails must fail before it writes to SQLite (a create does);
    // one that logged a change fails the transaction.
    absl::Status InBulkStep(const std::function<absl::Status()>& step,
                            absl::Status* outcome);
  };
  using Commits = GroupCommit<WriteTxn>;
  using WriteBody = Commits::Body;
  using ReadBody = std::function<absl::Status(Connection& connection)>;

  SqliteStore(const SqliteStoreOptions& options, std::unique_ptr<Connection> writer,
              int64_t head, bool index_text, bool deferred_apply);
  // Opens the applied file (checked, or rebuilt) and attaches it to the
  // writer; loads what is pending and starts the applier.
  absl::Status OpenApplied(StartupCheck check) ABSL_LOCKS_EXCLUDED(write_mu_);

  // Runs `body` in a write transaction and commits it durably, possibly
  // together with other callers' bodies (group commit); on an error from
  // `body` undoes what it wrote and returns the error. The only place that
  // writes. Notifies the commit listener if sequences were assigned.
  absl::Status Write(const WriteBody& body) ABSL_LOCKS_EXCLUDED(write_mu_);
  // Writes `group` in one transaction, each body in a savepoint of its own,
  // and sets each one's status. Returns the new head if sequences were
  // assigned.
  std::optional<int64_t> CommitGroup(absl::Span<Commits::Pending* const> group)
      ABSL_LOCKS_EXCLUDED(write_mu_);
  std::optional<int64_t> CommitGroupLocked(absl::Span<Commits::Pending* const> group)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Refuses every later write with an error naming `failure`.
  void StopWrites(const absl::Status& failure) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Runs `body` on a pooled read-only connection inside one read
  // transaction (a consistent snapshot).
  absl::Status Read(const ReadBody& body) ABSL_LOCKS_EXCLUDED(pool_mu_);

  // Statement helpers, inside a write transaction (sqlite_statements.cc).
  absl::StatusOr<v1::Statement> CreateInTxn(WriteTxn& txn, const NewStatement& request);

  const std::string path_;
  const std::string applied_path_;  // SqliteStoreOptions::applied_path
  const std::string vfs_name_;  const bool index_text_;  // see WriteTxn::index_text
  const bool deferred_apply_;
  const bool bulk_load_;  // SqliteStoreOptions::bulk_load
  absl::Duration apply_after_;  // SqliteStoreOptions::apply_after

  // The deferred apply (sqlite_apply.cc). The applier applies at least
  // kApplyBatch changes at a time unless a reader waits or writes pause for
  // apply_after; writers wait while it is kMaxUnapplied behind.
  static constexpr int64_t kApplyBatch = 2000;
  static constexpr int64_t kMaxApplyPerTransaction = 5000;
  static constexpr int64_t kMaxUnapplied = 100000;
  // A bulk load's page cache, in KiB (its transactions are large).
  static constexpr int kBulkLoadCacheKib = 1024 * 1024;
  // A file more changes behind its log than this is rebuilt at open.
  static constexpr int64_t kRebuildBehind = kMaxUnapplied;
  // Loads applied_position and the pending statements after it.
  absl::Status LoadPending() ABSL_LOCKS_EXCLUDED(write_mu_, applier_mu_);
  void StartApplier();
  void RunApplier() ABSL_LOCKS_EXCLUDED(apply_mu_);
  // Applies every change committed so far (in transactions of at most
  // kMaxApplyPerTransaction).
  absl::Status ApplyCommitted() ABSL_LOCKS_EXCLUDED(applier_mu_, apply_mu_);
  // Applies the changes in (from, to] and every actor-kind change after
  // the applied one, in one transaction of the applier connection; returns
  // the new position.
  absl::StatusOr<AppliedPosition> ApplyUpTo(int64_t from, int64_t to)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(applier_mu_);
  // Bulk load: drops the change log's secondary indexes (no read during the
  // load uses them) for FinishBulkLoad to build once.
  absl::Status DeferChangeLogIndexes() ABSL_LOCKS_EXCLUDED(write_mu_);
  // (name, CREATE statement) of the indexes DeferChangeLogIndexes dropped.
  std::vector<std::pair<std::string, std::string>> bulk_deferred_indexes_
      ABSL_GUARDED_BY(write_mu_);
  // Returns once the statements table reflects every sequence <= `head`
  // and every actor-kind change <= `actor_kinds`; UNAVAILABLE if the
  // applier fails meanwhile.
  absl::Status AwaitApplied(int64_t head, int64_t actor_kinds = 0)
      ABSL_LOCKS_EXCLUDED(apply_mu_);
  PendingStatements pending_ ABSL_GUARDED_BY(write_mu_);
  // A bulk load's lookups (WriteTxn::bulk).
  BulkLookups bulk_lookups_ ABSL_GUARDED_BY(write_mu_);
  // The applier's connection: the applied file, the log attached. Held by
  // the applier for each transaction.
  absl::Mutex applier_mu_;
  std::unique_ptr<Connection> applier_connection_ ABSL_GUARDED_BY(applier_mu_);
  // The last actor_kind_changes row committed; written only under write_mu_.
  std::atomic<int64_t> actor_kinds_head_{0};
  absl::Mutex apply_mu_;
  int64_t applied_ ABSL_GUARDED_BY(apply_mu_) = 0;
  int64_t actor_kinds_applied_ ABSL_GUARDED_BY(apply_mu_) = 0;
  int64_t apply_wanted_ ABSL_GUARDED_BY(apply_mu_) = 0;  // a reader's head
  bool applier_stopping_ ABSL_GUARDED_BY(apply_mu_) = false;
  absl::Status apply_error_ ABSL_GUARDED_BY(apply_mu_);  // of the last attempt
  // Attempts to apply, started and finished: a reader that finds the last
  // attempt failed waits for one that started after it did (the disk may
  // have room again), rather than reporting a stale error.
  int64_t apply_attempts_started_ ABSL_GUARDED_BY(apply_mu_) = 0;
  int64_t apply_attempts_finished_ ABSL_GUARDED_BY(apply_mu_) = 0;
  std::thread applier_;

  Commits commits_;

  absl::Mutex write_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(write_mu_);
  absl::Time last_commit_time_ ABSL_GUARDED_BY(write_mu_) = absl::InfinitePast();
  // Not OK once a write or sync failed: the answer to every later write.
  absl::Status writes_stopped_ ABSL_GUARDED_BY(write_mu_);

  absl::Mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_ ABSL_GUARDED_BY(pool_mu_);

  // The last committed sequence; written only under write_mu_.
  std::atomic<int64_t> head_;
  // Set before the store is shared; read without a lock afterwards.
  std::function<void(int64_t)> commit_listener_;

  // Checkpoints: copying the WAL back into the database file cost writers a
  // sixth of their time when the writer did it after its commit (SQLite's
  // default). A thread of its own does it with a connection of its own,
  // woken when the WAL has grown by kCheckpointPages; a passive checkpoint
  // never blocks the writer. If it falls far behind, the writer checkpoints
  // as before.
  void StartCheckpointer(std::unique_ptr<Connection> connection);
  void RunCheckpoints() ABSL_LOCKS_EXCLUDED(checkpoint_mu_);
  // sqlite3_wal_hook's callback on the writer connection.
  static int OnWalCommit(void* store, struct sqlite3* db, const char* name, int pages);
  absl::Mutex checkpoint_mu_;
  bool checkpoint_wanted_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  bool checkpointer_stopping_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  std::unique_ptr<Connection> checkpoint_connection_;
  std::thread checkpointer_;
  CommitObserver commit_observer_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_SQLITE_STORE_H_
