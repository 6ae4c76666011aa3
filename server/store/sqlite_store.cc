// SqliteStore: opening and checking the file, the write path, the reader
// pool and the commit log. Resources are in sqlite_statements.cc and
// sqlite_actors_events.cc.

#include "server/store/sqlite_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/store/integrity.h"
#include "server/store/sqlite_rows.h"

namespace rollcall {
namespace {

constexpr int kBusyTimeoutMillis = 10000;
absl::Status Configure(Connection& connection) {
  RETURN_IF_ERROR(
      connection.Execute(absl::StrCat("PRAGMA busy_timeout = ", kBusyTimeoutMillis)));
  RETURN_IF_ERROR(connection.Execute("PRAGMA foreign_keys = OFF"));
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
                   Connection::Open(options.path, /*read_only=*/false));
  RETURN_IF_ERROR(Configure(*writer));
  RETURN_IF_ERROR(VerifyDatabase(*writer, options.startup_check));
  RETURN_IF_ERROR(EnableWal(*writer));
  RETURN_IF_ERROR(Migrate(*writer, options.schema_version));
  int64_t head = 0;
  if (options.schema_version >= 1) {
    ASSIGN_OR_RETURN(head, ReadHead(*writer));
  }
  std::unique_ptr<SqliteStore> store(
      new SqliteStore(options.path, std::move(writer), head));
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                     Connection::Open(options.path, /*read_only=*/true));
    RETURN_IF_ERROR(
        reader->Execute(absl::StrCat("PRAGMA busy_timeout = ", kBusyTimeoutMillis)));
    absl::MutexLock lock(&store->pool_mu_);
    store->idle_readers_.push_back(std::move(reader));
  }
  return store;
}

SqliteStore::SqliteStore(std::string path, std::unique_ptr<Connection> writer,
                         int64_t head)
    : path_(std::move(path)), writer_(std::move(writer)), head_(head) {}

SqliteStore::~SqliteStore() = default;

absl::Status SqliteStore::WriteTxn::AppendChange(v1::Statement& statement,
                                                 v1::ChangeKind kind) {
  statement.set_sequence(head + 1);
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
      .BindBlob(SerializeStored(statement))
      .BindText(statement.event());
  RETURN_IF_ERROR(insert.Run());
  ++head;
  return absl::OkStatus();
}

absl::Status SqliteStore::Write(const WriteBody& body) {
  int64_t committed_head = 0;
  bool advanced = false;
  {
    absl::MutexLock lock(&write_mu_);
    // Commit times are whole microseconds (the column's unit) and never go
    // backwards, so SequenceBefore can rely on their order.
    const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
    WriteTxn txn{*writer_, std::max(now, last_commit_time_), head_.load()};
    const int64_t start_head = txn.head;
    ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*writer_, true));
    RETURN_IF_ERROR(body(txn));
    const absl::Time commit_start = absl::Now();
    RETURN_IF_ERROR(transaction.Commit());
    if (commit_observer_.on_commit) {
      commit_observer_.on_commit(/*writes=*/1, absl::Now() - commit_start);
    }
    last_commit_time_ = txn.commit_time;
    if (txn.head != start_head) {
      head_.store(txn.head);
      committed_head = txn.head;
      advanced = true;
    }
  }
  if (advanced && commit_listener_) commit_listener_(committed_head);
  return absl::OkStatus();
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
