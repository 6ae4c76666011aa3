#ifndef ROLLCALL_SERVER_STORE_POSTGRES_STORE_H_
#define ROLLCALL_SERVER_STORE_POSTGRES_STORE_H_

// PostgresStore: the Store on a PostgreSQL database, shared by any number
// of rollcalld instances (docs/DEPLOY.md).
//
// Sequences. Every write transaction first locks the single row of
// `log_head` (SELECT ... FOR UPDATE), takes its sequences from it and
// writes the new head back before it commits. The row lock serialises the
// writers of every instance, so a transaction holding sequences 5..7 has
// committed, and is visible, before any transaction can take 8: the order
// of sequences is the order in which changes become visible, and a reader
// that has seen sequence n has seen everything before it. A `bigserial`
// would not do: two transactions could take 5 and 6 and commit 6 first.
// Commit times come from the same row (never smaller than the last one), so
// they never go backwards across instances whose clocks differ.
//
// Group commit as in SqliteStore: writes that queue behind a commit share
// the next transaction (one round of the row lock, one WAL flush), each in
// a savepoint of its own. Statement creates are not run one by one: every
// create of a group (single creates, batches, ingest streams) is resolved
// together (postgres_creates.cc), in a fixed number of round trips
// whatever the group's size: one query reads what they all depend on
// (earlier requests of their request ids, their events and actors, their
// duplicate candidates), the rules are applied in C++ in the group's order
// (so a create sees the creates before it in the group, as if each had
// its own savepoint), and one statement inserts every row, change and
// request through arrays (unnest). Should that statement fail (a value
// PostgreSQL refuses), the group's creates are run again one by one, each
// in its own savepoint, so that only the offending write fails. A small
// group of creates only is decided before its transaction, on the facts
// the rules most often find, and written in one round trip if a guard in
// the insert finds the store as assumed (postgres_creates_ahead.cc).
//
// Other instances' commits. A transaction that assigned sequences sends
// NOTIFY on the store's channel with the new head; PostgreSQL delivers it
// at commit. A thread of the store LISTENs on a connection of its own and
// passes each new head to the commit listener, so the change feed of every
// instance tails the one shared log. If that connection breaks, the thread
// reconnects (with back-off), reads the head and reports it: the feed reads
// the log from where it stopped, and its subscribers see no gap. The
// thread also reads the head every few seconds, so a lost notification
// delays a change but never loses it.
//
// Durability is PostgreSQL's: a write returns after COMMIT, which with the
// default synchronous_commit = on has flushed the WAL (and waited for
// synchronous standbys, if configured). Open therefore checks the writer
// connection's settings: fsync = off or synchronous_commit = off (a commit
// acknowledged before its WAL is flushed) is refused with
// FAILED_PRECONDITION naming the setting, unless
// accept_unsafe_durability, which logs a warning instead; full_page_writes
// = off (safe only where the file system writes a page atomically) is
// logged as a warning.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/store/commit_observer.h"
#include "server/store/draft_store.h"
#include "server/store/group_commit.h"
#include "server/store/pg_db.h"
#include "server/store/postgres_rows.h"
#include "server/store/store.h"

namespace rollcall {
namespace pg_group {
class GroupCreates;
}  // namespace pg_group

struct PostgresStoreOptions {
  // libpq connection string: postgres://user@host:port/database?... or
  // "host=... dbname=...".
  std::string conninfo;
  // The schema holding the tables (created if missing). Instances sharing a
  // log use the same schema; separate schemas are separate stores.
  std::string schema = "public";
  // Connections in the reader pool.
  int read_connections = 4;
  // Start even if PostgreSQL runs with fsync or synchronous_commit off
  // (warning in the log); see the file comment.
  bool accept_unsafe_durability = false;
};

class PostgresStore : public Store, public DraftStore {
 public:
  // Connects, creates or upgrades the schema (FAILED_PRECONDITION if it is
  // newer than this rollcalld) and starts listening for other instances'
  // commits. UNAVAILABLE if the database cannot be reached.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      const PostgresStoreOptions& options);
  ~PostgresStore() override;

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

  // Documents and drafts (postgres_drafts.cc).
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
  // Read from the database (and passed to the commit listener if new), so
  // that it includes other instances' latest commits; the last head known
  // if the database cannot be reached.
  int64_t HeadSequence() override;
  absl::StatusOr<int64_t> SequenceBefore(absl::Time t) override;
  // Called on the committing thread for this instance's commits and on the
  // listening thread for other instances'.
  void SetCommitListener(std::function<void(int64_t head)> listener) override;
  void SetCommitObserver(CommitObserver observer);

  // The NOTIFY channel of `schema`.
  static std::string ChannelOf(absl::string_view schema);

 private:
  // One write transaction on the writer connection, holding the log_head
  // row lock from its first statement to its commit.
  struct CreateBatch;
  struct WriteTxn {
    PgConnection& connection;
    absl::Time commit_time;  // microsecond precision, never decreasing
    int64_t head;            // the last sequence assigned so far
    int64_t start_head;      // the head when the transaction began
    // While CommitGroup collects the group's creates: create writes add
    // their batch to `creates` (and set `registered`); other writes do
    // nothing and run after the creates are flushed.
    bool collecting = false;
    bool registered = false;
    std::vector<CreateBatch*> creates;

    // Gives `statement` the next sequence and returns its stored
    // serialization; the caller writes the change (with the row, in one
    // statement: postgres_statements.cc).
    std::string NextChange(v1::Statement& statement);
    // Runs `step` inside a savepoint; see SqliteStore::WriteTxn.
    absl::Status InSavepoint(const std::function<absl::Status()>& step,
                             absl::Status* outcome);
  };
  // Statements to create in the next group, and their outcome.
  struct CreateBatch {
    enum class Mode {
      kOne,   // CreateStatement: results[0], errors as they are
      kAll,   // CreateStatements: all or none; `status` names the failing item
      kEach,  // CreateEachStatement: one result per request
    };
    absl::Span<const NewStatement> requests;
    Mode mode;
    std::vector<DerivedColumns> derived;  // one per request, by the caller
    std::vector<absl::StatusOr<v1::Statement>> results;
    absl::Status status;
  };
  using Commits = GroupCommit<WriteTxn>;
  using WriteBody = Commits::Body;
  using ReadBody = std::function<absl::Status(PgConnection& connection)>;

  PostgresStore(PostgresStoreOptions options, std::unique_ptr<PgConnection> writer,
                int64_t head);

  absl::Status Write(const WriteBody& body) ABSL_LOCKS_EXCLUDED(write_mu_);
  // Creates `batch`'s statements in the next group; its outcome is in
  // `batch` if the group committed (the returned status).
  absl::Status WriteCreates(CreateBatch& batch) ABSL_LOCKS_EXCLUDED(write_mu_);
  // BEGIN and the log_head row lock, in one round trip.
  absl::StatusOr<WriteTxn> BeginWrite() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Begins a group's transaction with its creates resolved
  // (postgres_creates.cc): BEGIN, the log_head lock and the facts of every
  // create in one round trip, then the rules, in the group's order. Sets
  // each batch's outcome, the transaction's head past their sequences, and
  // `insert` to the statement that writes their rows (empty if none).
  absl::StatusOr<WriteTxn> BeginWithCreates(const std::vector<CreateBatch*>& creates,
                                            PgStatement& insert)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The most requests a group may hold to be decided ahead (CreateAhead):
  // the more it holds, the likelier one meets a duplicate candidate or a
  // retried request id, and a failed guard costs a commit of its own.
  static constexpr size_t kMaxRequestsAhead = 4;
  // A group of creates only, decided before its transaction reads anything
  // (postgres_creates_ahead.cc): on OptimisticFacts, as of the head and last
  // commit time this instance knows, and written in one round trip if the
  // store is as assumed; else decided again on the facts that round trip
  // read and written in a second one, unless another instance committed in
  // between. True if the group is settled (its outcome in its batches,
  // `committed` the new head if it wrote any), false if it must take the
  // usual path (BeginWithCreates): too large, the group before it found
  // the store otherwise than assumed, nothing to write on the assumed
  // facts, an insert PostgreSQL refused, or another instance's commit.
  absl::StatusOr<bool> CreateAhead(const std::vector<CreateBatch*>& creates,
                                   std::optional<int64_t>& committed)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Every request of `creates`, in the group's order.
  static std::vector<const NewStatement*> RequestsOf(
      const std::vector<CreateBatch*>& creates);
  // Decides `creates` on `group`'s facts, in the group's order, as
  // SqliteStore::CreateInTxn would one by one: sets each batch's outcome
  // and keeps the rows to write in `group`.
  static void Decide(const std::vector<CreateBatch*>& creates,
                     pg_group::GroupCreates& group);
  // Now, to the microsecond, or `last_commit_micros` if that is later.
  static absl::Time CommitTimeAfter(int64_t last_commit_micros);
  // The new head (if sequences were taken), its notification and COMMIT,
  // in one round trip.
  absl::Status CommitTxn(const WriteTxn& txn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // `insert`, the new head, its notification and COMMIT in one round trip.
  absl::Status CommitWithInsert(const WriteTxn& txn, PgStatement insert)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The one-by-one path, for a group whose insert failed: each batch's
  // creates as SqliteStore makes them, in savepoints, so that only the
  // writes at fault fail.
  absl::Status CreateSlowly(WriteTxn& txn, CreateBatch& batch);
  // After the group's insert failed with `failure`: unless the connection
  // was lost (then `failure` itself), rolls back, begins again and makes
  // txn.creates one by one.
  absl::Status CreateOneByOne(WriteTxn& txn, const absl::Status& failure)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Runs `writes` in txn, each in a savepoint; an error is one the
  // transaction cannot go on from.
  absl::Status RunInSavepoints(WriteTxn& txn, absl::Span<Commits::Pending* const> writes)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  std::optional<int64_t> CommitGroup(absl::Span<Commits::Pending* const> group)
      ABSL_LOCKS_EXCLUDED(write_mu_);
  // Runs `body` on a pooled connection; with `snapshot`, inside one
  // REPEATABLE READ transaction. A read that fails because the connection
  // broke is retried once on a new connection.
  absl::Status Read(const ReadBody& body, bool snapshot = false)
      ABSL_LOCKS_EXCLUDED(pool_mu_);

  // Raises the known head to `head` and tells the commit listener.
  void Advance(int64_t head);
  // The listening thread's loop, on its own connection.
  void Listen(PgConnection& connection);

  absl::StatusOr<v1::Statement> CreateInTxn(WriteTxn& txn, const NewStatement& request);

  const PostgresStoreOptions options_;
  const std::string channel_;

  Commits commits_;
  absl::Mutex write_mu_;
  std::unique_ptr<PgConnection> writer_ ABSL_GUARDED_BY(write_mu_);
  // The last commit time this instance wrote or read in log_head.
  int64_t last_commit_micros_ ABSL_GUARDED_BY(write_mu_) = 0;
  // False after a group decided ahead found the store otherwise than
  // assumed: the next group then takes the usual path (a guard that fails
  // costs a commit, hence a WAL flush, of its own).
  bool last_as_assumed_ ABSL_GUARDED_BY(write_mu_) = true;

  absl::Mutex pool_mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_readers_ ABSL_GUARDED_BY(pool_mu_);

  // The last committed sequence this instance knows of.
  std::atomic<int64_t> head_;
  absl::Mutex listener_mu_;  // orders Advance's calls to the listener
  std::function<void(int64_t)> commit_listener_;
  CommitObserver commit_observer_;

  std::atomic<bool> stopping_{false};
  std::unique_ptr<PgConnection> listening_;  // the listening thread's
  std::thread listener_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_POSTGRES_STORE_H_
