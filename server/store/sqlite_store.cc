// SqliteStore: opening and checking the file, the write path, the reader
// pool and the commit log. Resources are in sqlite_statements.cc and
// sqlite_actors_events.cc.

#include "server/store/sqlite_store.h"

#include <pthread.h>
#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/store/integrity.h"
#include "server/store/sqlite_rows.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

constexpr int kBusyTimeoutMillis = 10000;
// WAL pages after which the checkpoint thread copies the WAL back into the
// database file (SQLite's own default threshold), and after which the
// writer checkpoints itself. The thread never finishes a checkpoint while
// writes keep coming (new frames arrive as it copies), so the WAL cannot
// restart from its beginning until the writer, between two transactions,
// copies the last frames; by then the thread has copied nearly all of them,
// and the WAL stays under about 40 MiB.
constexpr int kCheckpointPages = 1000;
constexpr int kWriterCheckpointPages = 10000;
// The writer's page cache, in KiB. A group commit writes thousands of index
// pages; with SQLite's default 2 MiB the cache spilled them to the WAL in
// the middle of the transaction (13% of a batch write's time).
constexpr int kWriterCacheKib = 64 * 1024;
// From this version on the store maintains the full-text index (schema.cc).
constexpr int kStoreIndexesTextSinceVersion = 8;
// From this version on the statements table is in the applied file,
// applied behind the change log (schema.cc, sqlite_store.h).
constexpr int kDeferredApplySinceVersion = 11;

absl::Status Configure(Connection& connection) {
  RETURN_IF_ERROR(
      connection.Execute(absl::StrCat("PRAGMA busy_timeout = ", kBusyTimeoutMillis)));
  RETURN_IF_ERROR(connection.Execute("PRAGMA foreign_keys = OFF"));
  RETURN_IF_ERROR(
      connection.Execute(absl::StrCat("PRAGMA cache_size = -", kWriterCacheKib)));
  return connection.Execute("PRAGMA synchronous = FULL");
}

absl::Status EnableWal(Connection& connection) {
  ASSIGN_OR_RETURN(Statement pragma, connection.Prepare("PRAGMA journal_mode = WAL"));
  ASSIGN_OR_RETURN(bool row, pragma.Step());
  if (!row || pragma.ColumnText(0) != "wal") {
    return absl::UnavailableError(
        absl::StrCat("cannot switch database file ", connection.path(), " to WAL mode"));
  }
  return absl::OkStatus();
}

// A bulk load's file: no fsync, the rollback journal in memory (a failed
// actor or event create still rolls back), a page cache of `cache_kib`.
absl::Status ConfigureBulkLoad(Connection& connection, int cache_kib) {
  RETURN_IF_ERROR(connection.Execute(absl::StrCat("PRAGMA cache_size = -", cache_kib)));
  RETURN_IF_ERROR(connection.Execute("PRAGMA synchronous = OFF"));
  // CREATE INDEX sorts on a helper thread as well (FinishBulkLoad).
  RETURN_IF_ERROR(connection.Execute("PRAGMA threads = 2"));
  ASSIGN_OR_RETURN(Statement pragma, connection.Prepare("PRAGMA journal_mode = MEMORY"));
  ASSIGN_OR_RETURN(bool row, pragma.Step());
  if (!row || pragma.ColumnText(0) != "memory") {
    return absl::UnavailableError(absl::StrCat("cannot switch database file ",
                                               connection.path(), " to a memory journal"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ReadHead(Connection& connection) {
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT coalesce(max(sequence), 0) FROM changes"));
  ASSIGN_OR_RETURN(bool row, select.Step());
  return row ? select.ColumnInt(0) : 0;
}

// Microseconds, rounded up: a time t is after every commit time < t.
int64_t CeilMicros(absl::Time t) {
  int64_t micros = absl::ToUnixMicros(t);
  if (absl::FromUnixMicros(micros) < t) ++micros;
  return micros;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const SqliteStoreOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                   Connection::Open(options.path, /*read_only=*/false, options.vfs_name));
  RETURN_IF_ERROR(Configure(*writer));
  RETURN_IF_ERROR(VerifyDatabase(*writer, options.startup_check));
  if (options.bulk_load) {
    if (options.schema_version != kLatestSchemaVersion) {
      return absl::InvalidArgumentError("a bulk load builds a store of the latest schema");
    }
    RETURN_IF_ERROR(ConfigureBulkLoad(*writer, kBulkLoadCacheKib));
  } else {
    RETURN_IF_ERROR(EnableWal(*writer));
  }
  RETURN_IF_ERROR(Migrate(*writer, options.schema_version));
  int64_t head = 0;
  if (options.schema_version >= 1) {
    ASSIGN_OR_RETURN(head, ReadHead(*writer));
  }
  // Full-text index changes wait here until their group commits; a temp
  // table is private to the writer connection and rolls back with it.
  RETURN_IF_ERROR(writer->Execute(
      "PRAGMA temp_store = MEMORY; "
      "CREATE TEMP TABLE pending_text (op TEXT, row INTEGER NOT NULL, "
      "quote TEXT NOT NULL, summary TEXT NOT NULL)"));
  std::unique_ptr<SqliteStore> store(
      new SqliteStore(options, std::move(writer), head,
                      options.schema_version >= kStoreIndexesTextSinceVersion,
                      options.schema_version >= kDeferredApplySinceVersion));
  // A bulk load has neither applier nor applied file until FinishBulkLoad
  // builds it, nor WAL.
  const bool applied_file = store->deferred_apply_ && !options.bulk_load;
  if (applied_file) {
    store->apply_after_ = options.apply_after;
    RETURN_IF_ERROR(store->OpenApplied(options.startup_check));
  }
  // Every connection that reads statements attaches the applied file.
  auto open_with_applied = [&](bool read_only) -> absl::StatusOr<std::unique_ptr<Connection>> {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                     Connection::Open(options.path, read_only, options.vfs_name));
    RETURN_IF_ERROR(
        connection->Execute(absl::StrCat("PRAGMA busy_timeout = ", kBusyTimeoutMillis)));
    if (applied_file) {
      RETURN_IF_ERROR(AttachFile(*connection, store->applied_path_, kAppliedSchema));
    }
    return connection;
  };
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader, open_with_applied(true));
    absl::MutexLock lock(&store->pool_mu_);
    store->idle_readers_.push_back(std::move(reader));
  }
  if (options.bulk_load) {
    RETURN_IF_ERROR(store->DeferChangeLogIndexes());
    return store;
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> checkpoint_connection, open_with_applied(false));
  store->StartCheckpointer(std::move(checkpoint_connection));
  return store;
}

SqliteStore::SqliteStore(const SqliteStoreOptions& options, std::unique_ptr<Connection> writer,
                         int64_t head, bool index_text, bool deferred_apply)
    : path_(options.path),
      applied_path_(options.applied_path.empty() ? AppliedFilePath(options.path)
                                                 : options.applied_path),
      vfs_name_(options.vfs_name),
      index_text_(index_text),
      deferred_apply_(deferred_apply),
      bulk_load_(options.bulk_load),
      writer_(std::move(writer)),
      head_(head) {}

SqliteStore::~SqliteStore() {
  // The applier applies what is left before it stops, so that the next
  // start finds nothing pending.
  if (applier_.joinable()) {
    {
      absl::MutexLock lock(&apply_mu_);
      applier_stopping_ = true;
    }
    applier_.join();
  }
  if (checkpointer_.joinable()) {
    {
      absl::MutexLock lock(&checkpoint_mu_);
      checkpointer_stopping_ = true;
    }
    checkpointer_.join();
  }
}

void SqliteStore::StartCheckpointer(std::unique_ptr<Connection> connection) {
  checkpoint_connection_ = std::move(connection);
  absl::MutexLock lock(&write_mu_);
  sqlite3_wal_hook(writer_->handle(), &SqliteStore::OnWalCommit, this);
  checkpointer_ = std::thread([this] { RunCheckpoints(); });
}

int SqliteStore::OnWalCommit(void* store, sqlite3* db, const char* name, int pages) {
  auto* self = static_cast<SqliteStore*>(store);
  if (pages >= kWriterCheckpointPages) {
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= kCheckpointPages) {
    absl::MutexLock lock(&self->checkpoint_mu_);
    self->checkpoint_wanted_ = true;
  }
  return SQLITE_OK;
}

void SqliteStore::RunCheckpoints() {
  pthread_setname_np(pthread_self(), "store-checkpt");
  while (true) {
    {
      absl::MutexLock lock(&checkpoint_mu_);
      checkpoint_mu_.Await(absl::Condition(
          +[](SqliteStore* store) ABSL_EXCLUSIVE_LOCKS_REQUIRED(store->checkpoint_mu_) {
            return store->checkpoint_wanted_ || store->checkpointer_stopping_;
          },
          this));
      if (checkpointer_stopping_) return;
      checkpoint_wanted_ = false;
    }
    // Passive: copies what no reader still needs, and never waits for the
    // writer or blocks it. A failure is retried at the next wake-up.
    const int code = sqlite3_wal_checkpoint_v2(checkpoint_connection_->handle(), nullptr,
                                               SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (code != SQLITE_OK && code != SQLITE_BUSY) {
      spdlog::warn("checkpoint of {} failed: {}", path_, sqlite3_errstr(code));
    }
  }
}

absl::StatusOr<std::string> SqliteStore::WriteTxn::AppendChange(v1::Statement& statement,
                                                                v1::ChangeKind kind) {
  statement.set_sequence(head + 1);
  std::string data = SerializeStored(statement);
  ASSIGN_OR_RETURN(
      Statement insert,
      connection.Prepare("INSERT INTO changes (sequence, statement, revision, "
                         "kind, commit_time_micros, data, event) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  insert.BindInt(statement.sequence())
      .BindText(statement.name())
      .BindInt(statement.revision())
      .BindInt(kind)
      .BindInt(absl::ToUnixMicros(commit_time))
      .BindBlob(data)
      .BindText(statement.event());
  RETURN_IF_ERROR(insert.Run());
  ++head;
  return data;
}

absl::Status SqliteStore::WriteTxn::IndexText(int64_t row, const v1::Statement* previous,
                                              const v1::Statement& current) {
  if (!index_text) return absl::OkStatus();
  if (previous != nullptr && previous->quote() == current.quote() &&
      previous->summary() == current.summary()) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(Statement insert,
                   connection.Prepare("INSERT INTO temp.pending_text (op, row, quote, "
                                      "summary) VALUES (?, ?, ?, ?)"));
  if (previous != nullptr) {
    RETURN_IF_ERROR(insert.BindText("delete")
                        .BindInt(row)
                        .BindText(previous->quote())
                        .BindText(previous->summary())
                        .Run());
    insert.Reset();
    ++text_changes;
  }
  RETURN_IF_ERROR(
      insert.BindNull().BindInt(row).BindText(current.quote()).BindText(current.summary()).Run());
  ++text_changes;
  return absl::OkStatus();
}

absl::Status SqliteStore::WriteTxn::FlushText() {
  if (text_changes == 0) return absl::OkStatus();
  // In queue order: a statement created and corrected in one group is
  // added, removed and added again. FTS5 reads a non-null first column as
  // a command ('delete', with the text being removed).
  RETURN_IF_ERROR(connection.Execute(
      "INSERT INTO statement_text (statement_text, rowid, quote, summary) "
      "SELECT op, row, quote, summary FROM temp.pending_text ORDER BY rowid; "
      "DELETE FROM temp.pending_text"));
  text_changes = 0;
  return absl::OkStatus();
}

absl::Status SqliteStore::WriteTxn::WriteRow(const v1::Statement& statement,
                                             const v1::Statement* previous,
                                             v1::ActorKind actor_kind,
                                             absl::string_view data) {
  if (pending != nullptr) {
    pending->Add(statement);
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(const int64_t row,
                   WriteStatementRow(connection, statement, actor_kind, data));
  return IndexText(row, previous, statement);
}

absl::Status SqliteStore::WriteTxn::InSavepoint(const std::function<absl::Status()>& step,
                                                absl::Status* outcome) {
  if (bulk != nullptr) return InBulkStep(step, outcome);
  // Prepared (and so cached), not executed: this runs for every write.
  ASSIGN_OR_RETURN(Statement savepoint, connection.Prepare("SAVEPOINT step"));
  RETURN_IF_ERROR(savepoint.Run());
  const int64_t head_before = head;
  const int text_changes_before = text_changes;
  const size_t pending_before = pending != nullptr ? pending->Mark() : 0;
  *outcome = step();
  if (outcome->ok()) {
    ASSIGN_OR_RETURN(Statement release, connection.Prepare("RELEASE step"));
    return release.Run();
  }
  head = head_before;
  text_changes = text_changes_before;
  if (pending != nullptr) pending->RollBackTo(pending_before);
  // An I/O error or a full disk can make SQLite roll back the whole
  // transaction; the savepoint is then gone and this fails.
  return connection.Execute("ROLLBACK TO step; RELEASE step");
}

absl::Status SqliteStore::WriteTxn::InBulkStep(const std::function<absl::Status()>& step,
                                               absl::Status* outcome) {
  const int64_t head_before = head;
  const size_t pending_before = pending != nullptr ? pending->Mark() : 0;
  *outcome = step();
  if (outcome->ok()) return absl::OkStatus();
  // A refused create wrote nothing to SQLite: it is refused before it logs
  // its change (CreateInTxn), and all it did in memory is undone here. Had
  // it logged one, only a savepoint could undo it: the load fails instead.
  if (head != head_before) {
    return absl::InternalError(absl::StrCat("a refused statement of a bulk load logged a change: ",
                                            outcome->message()));
  }
  if (pending != nullptr) pending->RollBackTo(pending_before);
  return absl::OkStatus();
}

absl::Status SqliteStore::Write(const WriteBody& body) {
  // Backpressure: the applier must not fall too far behind.
  if (deferred_apply_ && !bulk_load_ && head_.load() > kMaxUnapplied) {
    RETURN_IF_ERROR(AwaitApplied(head_.load() - kMaxUnapplied));
  }
  return commits_.Run(
      body, [this](absl::Span<Commits::Pending* const> group) { return CommitGroup(group); },
      [this](int64_t head) {
        if (commit_listener_) commit_listener_(head);
      });
}

std::optional<int64_t> SqliteStore::CommitGroup(
    absl::Span<Commits::Pending* const> group) {
  absl::MutexLock lock(&write_mu_);
  if (!writes_stopped_.ok()) {
    for (Commits::Pending* write : group) write->status = writes_stopped_;
    return std::nullopt;
  }
  const std::optional<int64_t> head = CommitGroupLocked(group);
  for (Commits::Pending* write : group) {
    if (IsFailedWriteOrSync(write->status)) {
      StopWrites(write->status);
      break;
    }
  }
  return head;
}

void SqliteStore::StopWrites(const absl::Status& failure) {
  writes_stopped_ = absl::UnavailableError(absl::StrCat(
      "writes stopped: the disk failed a write or sync of ", path_,
      ", so what reached it is unknown; restart rollcalld once the disk is sound "
      "(acknowledged writes are safe): ",
      failure.message()));
  spdlog::error("{}", std::string(writes_stopped_.message()));
  if (commit_observer_.on_writes_stopped) commit_observer_.on_writes_stopped(failure);
}

std::optional<int64_t> SqliteStore::CommitGroupLocked(
    absl::Span<Commits::Pending* const> group) {
  auto fail_all = [&](const absl::Status& status) -> std::optional<int64_t> {
    pending_.RollBackTo(0);
    for (Commits::Pending* write : group) {
      if (write->status.ok()) write->status = status;
    }
    return std::nullopt;
  };
  // Commit times are whole microseconds (the column's unit) and never go
  // backwards, so SequenceBefore can rely on their order.
  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
  WriteTxn txn{*writer_, std::max(now, last_commit_time_), head_.load(), index_text_,
               deferred_apply_ ? &pending_ : nullptr};
  if (bulk_load_) txn.bulk = &bulk_lookups_;
  const int64_t start_head = txn.head;
  // With the applied file attached, IMMEDIATE would take its write lock
  // too, and wait for the applier: the first write to the log takes the
  // log's (no other connection writes the log, so the upgrade from a read
  // never meets another writer).
  const bool applied_attached = deferred_apply_ && !bulk_load_;
  absl::StatusOr<Transaction> transaction = Transaction::Begin(*writer_, !applied_attached);
  if (!transaction.ok()) return fail_all(transaction.status());
  if (applied_attached) {
    // The applied file's snapshot for this transaction starts here: the
    // duplicate check reads its table as of this position, and the pending
    // statements it covers are no longer needed.
    absl::StatusOr<AppliedPosition> applied = ReadAppliedPosition(*writer_);
    if (!applied.ok()) return fail_all(applied.status());
    pending_.ForgetThrough(applied->sequence);
  }
  // A lone write needs no savepoint: its error rolls the transaction back.
  if (group.size() == 1) {
    group[0]->status = (*group[0]->body)(txn);
    if (!group[0]->status.ok()) {
      pending_.RollBackTo(0);
      return std::nullopt;
    }
  } else {
    for (Commits::Pending* write : group) {
      absl::Status status =
          txn.InSavepoint([&] { return (*write->body)(txn); }, &write->status);
      if (!status.ok()) return fail_all(write->status.ok() ? status : write->status);
    }
  }
  if (absl::Status status = txn.FlushText(); !status.ok()) return fail_all(status);
  const absl::Time commit_start = absl::Now();
  if (absl::Status status = transaction->Commit(); !status.ok()) return fail_all(status);
  pending_.Commit();
  if (txn.actor_kinds_changed) {
    // Only this connection writes the log: its last row is this commit's.
    absl::StatusOr<int64_t> kinds = ActorKindChangesHead(*writer_);
    if (kinds.ok()) actor_kinds_head_.store(*kinds);
  }
  if (commit_observer_.on_commit) {
    commit_observer_.on_commit(static_cast<int>(group.size()), absl::Now() - commit_start);
  }
  last_commit_time_ = txn.commit_time;
  if (txn.head == start_head) return std::nullopt;
  head_.store(txn.head);
  return txn.head;
}

absl::Status SqliteStore::Read(const ReadBody& body) {
  std::unique_ptr<Connection> reader;
  {
    absl::MutexLock lock(&pool_mu_);
    pool_mu_.Await(absl::Condition(
        +[](std::vector<std::unique_ptr<Connection>>* idle) { return !idle->empty(); },
        &idle_readers_));
    reader = std::move(idle_readers_.back());
    idle_readers_.pop_back();
  }
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*reader, false));
    RETURN_IF_ERROR(body(*reader));
    return transaction.Commit();
  }();
  absl::MutexLock lock(&pool_mu_);
  idle_readers_.push_back(std::move(reader));
  return status;
}

absl::StatusOr<std::vector<LoggedChange>> SqliteStore::ReadChanges(int64_t after_sequence,
                                                                   int limit) {
  std::vector<LoggedChange> changes;
  changes.reserve(static_cast<size_t>(std::max(limit, 0)));
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(Statement select,
                     connection.Prepare("SELECT sequence, kind, commit_time_micros, data "
                                        "FROM changes WHERE sequence > ? "
                                        "ORDER BY sequence LIMIT ?"));
    select.BindInt(after_sequence).BindInt(std::max(limit, 0));
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return absl::OkStatus();
      LoggedChange& change = changes.emplace_back();
      change.sequence = select.ColumnInt(0);
      change.kind = static_cast<v1::ChangeKind>(select.ColumnInt(1));
      change.commit_time_micros = select.ColumnInt(2);
      change.statement = std::string(select.ColumnBlob(3));
    }
  }));
  return changes;
}

int64_t SqliteStore::HeadSequence() { return head_.load(); }

absl::StatusOr<int64_t> SqliteStore::SequenceBefore(absl::Time t) {
  int64_t sequence = 0;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(
        Statement select,
        connection.Prepare("SELECT sequence FROM changes "
                           "WHERE commit_time_micros < ? ORDER BY "
                           "commit_time_micros DESC, sequence DESC LIMIT 1"));
    select.BindInt(CeilMicros(t));
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (row) sequence = select.ColumnInt(0);
    return absl::OkStatus();
  }));
  return sequence;
}

void SqliteStore::SetCommitListener(std::function<void(int64_t head)> listener) {
  commit_listener_ = std::move(listener);
}

void SqliteStore::SetCommitObserver(CommitObserver observer) {
  commit_observer_ = std::move(observer);
}

}  // namespace rollcall
