#include "server/store/applied_file.h"

#include <sqlite3.h>

#include <ctime>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/status_macros.h"
#include "server/store/sqlite_rows.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

constexpr int kBusyTimeoutMillis = 10000;
constexpr int kCacheKib = 64 * 1024;
// A build's page cache (its indexes are sorted in runs of a smaller one:
// CreateIndexesInRuns).
constexpr int kBuildCacheKib = 512 * 1024;

// The statements table as the log's schema v10 had it, but for its key:
// since format 2 a row's rowid is the sequence of the statement's first
// revision (StatementRowid), and its name is not indexed. Then
// applied_position.
constexpr char kTablesSql[] = R"sql(
CREATE TABLE statements (
  name TEXT NOT NULL,
  event TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_kind INTEGER NOT NULL,
  stance INTEGER NOT NULL,
  modality INTEGER NOT NULL,
  state INTEGER NOT NULL,
  issue_time_micros INTEGER NOT NULL,
  action_mask INTEGER NOT NULL,
  labels_json TEXT NOT NULL,
  revision INTEGER NOT NULL,
  sequence INTEGER NOT NULL,
  data BLOB NOT NULL,
  quote TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '');
CREATE TABLE applied_position (
  sequence INTEGER NOT NULL,
  commit_time_micros INTEGER NOT NULL,
  actor_kinds_through INTEGER NOT NULL);
)sql";

// Built after the rows: each sorts once. Format 2 dropped the indexes by
// (event, issue time) and by (stance, issue time): a list by event merges
// ordered ranges of the last one (sqlite_list.h), a list by stance walks
// the one by time, and each index keyed by a random issue time cost the
// applier about a tenth of its work.
constexpr const char* kIndexSql[] = {
    "CREATE INDEX statements_by_actor_time ON statements (actor, issue_time_micros, name)",
    "CREATE INDEX statements_by_time ON statements (issue_time_micros, name)",
    "CREATE INDEX statements_by_event_stance_time "
    "ON statements (event, stance, state, issue_time_micros, name)",
};

// The full-text index over the table's quote and summary. Format 2 keeps
// no column sizes (columnsize = 0: a row fewer per statement), which only
// ranking (bm25) reads; lists order by issue time.
constexpr char kTextSql[] = R"sql(
CREATE VIRTUAL TABLE statement_text USING fts5(
  quote, summary, content = 'statements', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2', columnsize = 0)
)sql";

absl::StatusOr<int64_t> QueryInt(Connection& connection, absl::string_view sql) {
  ASSIGN_OR_RETURN(Statement select, connection.Prepare(sql));
  ASSIGN_OR_RETURN(bool row, select.Step());
  return row ? select.ColumnInt(0) : 0;
}

// The commit time of the log's change `sequence`, or -1 if it has none.
absl::StatusOr<int64_t> LogCommitTime(Connection& connection, int64_t sequence) {
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT commit_time_micros FROM changes "
                                      "WHERE sequence = ?"));
  select.BindInt(sequence);
  ASSIGN_OR_RETURN(bool row, select.Step());
  return row ? select.ColumnInt(0) : -1;
}

absl::Status Configure(Connection& connection, int cache_kib, const char* synchronous) {
  RETURN_IF_ERROR(
      connection.Execute(absl::StrCat("PRAGMA busy_timeout = ", kBusyTimeoutMillis)));
  RETURN_IF_ERROR(connection.Execute(absl::StrCat("PRAGMA cache_size = -", cache_kib)));
  return connection.Execute(absl::StrCat("PRAGMA synchronous = ", synchronous));
}

absl::Status SetJournalMode(Connection& connection, absl::string_view mode) {
  ASSIGN_OR_RETURN(Statement pragma,
                   connection.Prepare(absl::StrCat("PRAGMA journal_mode = ", mode)));
  ASSIGN_OR_RETURN(bool row, pragma.Step());
  if (!row || pragma.ColumnText(0) != mode) {
    return absl::UnavailableError(absl::StrCat("cannot switch database file ",
                                               connection.path(), " to ", mode, " mode"));
  }
  return absl::OkStatus();
}

absl::Status DeleteThroughVfs(const std::string& path, const std::string& vfs_name) {
  sqlite3_vfs* vfs = sqlite3_vfs_find(vfs_name.empty() ? nullptr : vfs_name.c_str());
  if (vfs == nullptr) return absl::InternalError(absl::StrCat("no SQLite VFS ", vfs_name));
  // The database first: a WAL left beside an empty database is discarded,
  // while a database left without its WAL could be a checkpoint cut short.
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
    const std::string file = path + suffix;
    int exists = 0;
    if (vfs->xAccess(vfs, file.c_str(), SQLITE_ACCESS_EXISTS, &exists) != SQLITE_OK ||
        !exists) {
      continue;
    }
    const int code = vfs->xDelete(vfs, file.c_str(), 0);
    if (code != SQLITE_OK && code != SQLITE_IOERR_DELETE_NOENT) {
      return SqliteError(code, file, "cannot delete", sqlite3_errstr(code));
    }
  }
  return absl::OkStatus();
}

// Why the applied file open on `connection` (the log attached) cannot be
// used as it is, or OK.
absl::Status Usable(Connection& connection, int64_t max_behind) {
  ASSIGN_OR_RETURN(const int64_t format, QueryInt(connection, "PRAGMA main.user_version"));
  if (format != kAppliedFileFormat) {
    return absl::NotFoundError(absl::StrCat("it is not a complete applied file (format ",
                                            format, ", expected ", kAppliedFileFormat, ")"));
  }
  ASSIGN_OR_RETURN(const AppliedPosition position, ReadAppliedPosition(connection));
  ASSIGN_OR_RETURN(const int64_t head,
                   QueryInt(connection, "SELECT coalesce(max(sequence), 0) FROM changes"));
  if (position.sequence > head) {
    return absl::OutOfRangeError(absl::StrCat("it has applied change ", position.sequence,
                                              ", ahead of the log's last, ", head));
  }
  if (position.sequence > 0) {
    ASSIGN_OR_RETURN(const int64_t commit_time, LogCommitTime(connection, position.sequence));
    if (commit_time != position.commit_time_micros) {
      return absl::FailedPreconditionError(
          absl::StrCat("it was applied from another log (change ", position.sequence,
                       " committed at ", position.commit_time_micros, " there, at ",
                       commit_time, " in this one)"));
    }
  }
  ASSIGN_OR_RETURN(const int64_t kinds, ActorKindChangesHead(connection));
  if (position.actor_kinds_through > kinds) {
    return absl::OutOfRangeError("it has applied actor-kind changes the log does not have");
  }
  if (head - position.sequence > max_behind) {
    return absl::OutOfRangeError(absl::StrCat("it is ", head - position.sequence,
                                              " changes behind the log; a build is faster"));
  }
  return absl::OkStatus();
}

absl::Status Check(const std::string& applied_path, const std::string& log_path,
                   const std::string& vfs, StartupCheck check, int64_t max_behind) {
  sqlite3_vfs* files = sqlite3_vfs_find(vfs.empty() ? nullptr : vfs.c_str());
  int exists = 0;
  if (files != nullptr &&
      files->xAccess(files, applied_path.c_str(), SQLITE_ACCESS_EXISTS, &exists) == SQLITE_OK &&
      !exists) {
    return absl::NotFoundError("it does not exist");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                   Connection::Open(applied_path, /*read_only=*/false, vfs));
  RETURN_IF_ERROR(Configure(*connection, kCacheKib, "NORMAL"));
  RETURN_IF_ERROR(VerifyDatabase(*connection, check));
  RETURN_IF_ERROR(AttachFile(*connection, log_path, kLogSchema));
  return Usable(*connection, max_behind);
}

// Writes applied_position: the log's change `head` (with its commit time)
// and actor-kind change `kinds` are the last applied.
absl::Status BindToLog(Connection& connection, int64_t head, int64_t kinds) {
  ASSIGN_OR_RETURN(const int64_t commit_time,
                   head > 0 ? LogCommitTime(connection, head) : absl::StatusOr<int64_t>(0));
  ASSIGN_OR_RETURN(Statement insert,
                   connection.Prepare("INSERT INTO applied_position (sequence, "
                                      "commit_time_micros, actor_kinds_through) "
                                      "VALUES (?, ?, ?)"));
  return insert.BindInt(head).BindInt(commit_time).BindInt(kinds).Run();
}

// The build itself, on a new, empty file.
absl::Status Build(Connection& connection) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection, false));
  RETURN_IF_ERROR(connection.Execute(kTablesSql));
  ASSIGN_OR_RETURN(const int64_t head,
                   QueryInt(connection, "SELECT coalesce(max(sequence), 0) FROM changes"));
  ASSIGN_OR_RETURN(const int64_t kinds, ActorKindChangesHead(connection));
  absl::Time step = absl::Now();
  std::clock_t step_cpu = std::clock();
  auto log_step = [&](const char* what) {
    spdlog::info("building {}: {} in {} ({:.2f} s of CPU)", connection.path(), what,
                 absl::FormatDuration(absl::Now() - step),
                 static_cast<double>(std::clock() - step_cpu) / CLOCKS_PER_SEC);
    step = absl::Now();
    step_cpu = std::clock();
  };
  RETURN_IF_ERROR(WriteRowsBetween(connection, 0, head));
  log_step("statements table written");
  RETURN_IF_ERROR(CreateIndexesInRuns(
      connection, std::vector<std::string>(std::begin(kIndexSql), std::end(kIndexSql)),
      kBuildCacheKib));
  RETURN_IF_ERROR(connection.Execute(kTextSql));
  RETURN_IF_ERROR(
      connection.Execute("INSERT INTO statement_text (statement_text) VALUES ('rebuild')"));
  log_step("its indexes and the full-text index built");
  RETURN_IF_ERROR(BindToLog(connection, head, kinds));
  return transaction.Commit();
}

// Marks the file open on `connection` complete, synced, journal first: the
// mark reaches the disk only after every page written before it (the
// fsync of the file covers them all); then switches it to WAL.
absl::Status MarkComplete(Connection& connection) {
  RETURN_IF_ERROR(connection.Execute("PRAGMA synchronous = FULL"));
  RETURN_IF_ERROR(
      connection.Execute(absl::StrCat("PRAGMA user_version = ", kAppliedFileFormat)));
  return SetJournalMode(connection, "wal");
}

}  // namespace

std::string AppliedFilePath(const std::string& log_path) {
  if (absl::EndsWith(log_path, ".db")) {
    return absl::StrCat(log_path.substr(0, log_path.size() - 3), "-applied.db");
  }
  return absl::StrCat(log_path, "-applied.db");
}

absl::StatusOr<AppliedPosition> ReadAppliedPosition(Connection& connection) {
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT sequence, commit_time_micros, "
                                      "actor_kinds_through FROM applied_position"));
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return absl::DataLossError(absl::StrCat("database file ", connection.path(),
                                            " has an empty applied_position table"));
  }
  return AppliedPosition{select.ColumnInt(0), select.ColumnInt(1), select.ColumnInt(2)};
}

absl::StatusOr<int64_t> ActorKindChangesHead(Connection& connection) {
  return QueryInt(connection, "SELECT coalesce(max(id), 0) FROM actor_kind_changes");
}

absl::Status AttachFile(Connection& connection, const std::string& path,
                        absl::string_view schema) {
  ASSIGN_OR_RETURN(Statement attach,
                   connection.Prepare(absl::StrCat("ATTACH DATABASE ? AS ", schema)));
  return attach.BindText(path).Run();
}

absl::Status BuildAppliedFile(const std::string& applied_path, const std::string& log_path,
                              const std::string& vfs) {
  RETURN_IF_ERROR(DeleteThroughVfs(applied_path, vfs));
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                   Connection::Open(applied_path, /*read_only=*/false, vfs));
  // A new file in rollback-journal mode, unsynced while it is built: until
  // user_version says complete, nothing in it is trusted.
  RETURN_IF_ERROR(Configure(*connection, kBuildCacheKib, "OFF"));
  RETURN_IF_ERROR(connection->Execute("PRAGMA threads = 2"));
  RETURN_IF_ERROR(AttachFile(*connection, log_path, kLogSchema));
  RETURN_IF_ERROR(Build(*connection));
  return MarkComplete(*connection);
}

std::vector<std::string> AppliedFileSchema() {
  std::vector<std::string> schema = {kTablesSql, kTextSql};
  for (const char* index : kIndexSql) schema.emplace_back(index);
  return schema;
}

absl::Status AdoptAppliedFile(const std::string& built, const std::string& applied_path,
                              const std::string& log_path, const std::string& vfs) {
  {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                     Connection::Open(built, /*read_only=*/false, vfs));
    RETURN_IF_ERROR(Configure(*connection, kCacheKib, "OFF"));
    RETURN_IF_ERROR(SetJournalMode(*connection, "delete"));
    RETURN_IF_ERROR(AttachFile(*connection, log_path, kLogSchema));
    ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(*connection, false));
    ASSIGN_OR_RETURN(const int64_t head,
                     QueryInt(*connection, "SELECT coalesce(max(sequence), 0) FROM changes"));
    // A bulk load's changes are all creations: one row each, the last of
    // them the log's last.
    ASSIGN_OR_RETURN(const int64_t rows,
                     QueryInt(*connection, "SELECT count(*) FROM main.statements"));
    ASSIGN_OR_RETURN(const int64_t last,
                     QueryInt(*connection, "SELECT coalesce(max(sequence), 0) FROM main.statements"));
    ASSIGN_OR_RETURN(const int64_t positions,
                     QueryInt(*connection, "SELECT count(*) FROM main.applied_position"));
    if (rows != head || last != head || positions != 0) {
      return absl::InternalError(absl::StrCat("the statements table built beside ", log_path,
                                              " has ", rows, " rows up to change ", last,
                                              " for the log's ", head, " changes"));
    }
    ASSIGN_OR_RETURN(const int64_t kinds, ActorKindChangesHead(*connection));
    RETURN_IF_ERROR(BindToLog(*connection, head, kinds));
    RETURN_IF_ERROR(transaction.Commit());
    RETURN_IF_ERROR(connection->Execute(absl::StrCat("DETACH DATABASE ", kLogSchema)));
    RETURN_IF_ERROR(MarkComplete(*connection));
  }
  RETURN_IF_ERROR(DeleteThroughVfs(applied_path, vfs));
  std::error_code error;
  std::filesystem::rename(built, applied_path, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot rename ", built, " to ", applied_path,
                                               ": ", error.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Connection>> OpenAppliedFile(const std::string& applied_path,
                                                            const std::string& log_path,
                                                            const std::string& vfs,
                                                            StartupCheck check,
                                                            int64_t max_behind) {
  if (absl::Status why = Check(applied_path, log_path, vfs, check, max_behind); !why.ok()) {
    // Missing is expected (a new store, the first start on schema v11, a
    // restore); anything else is worth an operator's attention.
    spdlog::log(absl::IsNotFound(why) ? spdlog::level::info : spdlog::level::warn,
                "building {} from the change log: {}", applied_path,
                std::string(why.message()));
    RETURN_IF_ERROR(BuildAppliedFile(applied_path, log_path, vfs));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                   Connection::Open(applied_path, /*read_only=*/false, vfs));
  RETURN_IF_ERROR(Configure(*connection, kCacheKib, "NORMAL"));
  RETURN_IF_ERROR(SetJournalMode(*connection, "wal"));
  RETURN_IF_ERROR(AttachFile(*connection, log_path, kLogSchema));
  return connection;
}

absl::StatusOr<v1::ActorKind> ActorKinds::Of(const std::string& actor) {
  if (auto it = kinds_.find(actor); it != kinds_.end()) return it->second;
  ASSIGN_OR_RETURN(Statement select,
                   connection_.Prepare("SELECT kind FROM actors WHERE name = ?"));
  select.BindText(actor);
  ASSIGN_OR_RETURN(bool row, select.Step());
  // The store checks the reference before it logs a change, and actors are
  // never deleted; a statement written into an old file by other means is
  // still listed, without a kind, rather than keeping the store closed.
  const auto kind =
      row ? static_cast<v1::ActorKind>(select.ColumnInt(0)) : v1::ACTOR_KIND_UNSPECIFIED;
  kinds_.emplace(actor, kind);
  return kind;
}

absl::Status WriteRowsBetween(Connection& connection, int64_t from, int64_t through) {
  ActorKinds kinds(connection);
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT data FROM changes WHERE sequence > ? AND "
                                      "sequence <= ? ORDER BY sequence"));
  select.BindInt(from).BindInt(through);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return absl::OkStatus();
    const absl::string_view data = select.ColumnBlob(0);
    ASSIGN_OR_RETURN(v1::Statement statement,
                     ParseStored<v1::Statement>(data, connection, "a change"));
    ASSIGN_OR_RETURN(const v1::ActorKind kind, kinds.Of(statement.actor()));
    RETURN_IF_ERROR(WriteStatementRow(connection, statement, kind, data).status());
  }
}

}  // namespace rollcall
