#include "server/store/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace rollcall {
namespace {

// Marks the statuses IsFailedWriteOrSync recognises.
constexpr char kFailedWriteOrSync[] = "type.rollcall.dev/sqlite.FailedWriteOrSync";

}  // namespace

bool IsFailedWriteOrSync(const absl::Status& status) {
  return status.GetPayload(kFailedWriteOrSync).has_value();
}

absl::Status SqliteError(int code, absl::string_view path, absl::string_view context,
                         absl::string_view detail) {
  const std::string where = absl::StrCat(context, " (", path, "): ", detail);
  switch (code & 0xff) {
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(absl::StrCat("storage is full: ", where));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(
          absl::StrCat("database file ", path, " is damaged: ", context, ": ", detail));
    case SQLITE_IOERR:
      if (code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC ||
          code == SQLITE_IOERR_DIR_FSYNC || code == SQLITE_IOERR_TRUNCATE) {
        absl::Status status = absl::UnavailableError(
            absl::StrCat("storage failed to write or sync: ", where));
        status.SetPayload(kFailedWriteOrSync, absl::Cord(absl::StrCat(code)));
        return status;
      }
      return absl::UnavailableError(absl::StrCat("storage unavailable: ", where));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      return absl::UnavailableError(absl::StrCat("storage unavailable: ", where));
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE) {
        return absl::AlreadyExistsError(where);
      }
      return absl::FailedPreconditionError(where);
    case SQLITE_READONLY:
      return absl::FailedPreconditionError(absl::StrCat("storage is read-only: ", where));
    default:
      return absl::InternalError(where);
  }
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                             bool read_only,
                                                             const std::string& vfs) {
  sqlite3* db = nullptr;
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  const int code = sqlite3_open_v2(path.c_str(), &db, flags, vfs.empty() ? nullptr : vfs.c_str());
  if (code != SQLITE_OK) {
    std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    sqlite3_close(db);
    return SqliteError(code, path, "cannot open database", detail);
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<Connection>(new Connection(db, path));
}

Connection::~Connection() {
  for (auto& [sql, stmt] : idle_statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

void Connection::Release(std::string sql, sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (idle_statements_.size() >= kMaxCachedStatements) {
    sqlite3_finalize(stmt);
    return;
  }
  auto [it, inserted] = idle_statements_.try_emplace(std::move(sql), stmt);
  if (!inserted) sqlite3_finalize(stmt);
}

absl::Status Connection::Execute(absl::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  const int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (code == SQLITE_OK) return absl::OkStatus();
  std::string detail = error != nullptr ? error : sqlite3_errstr(code);
  sqlite3_free(error);
  return SqliteError(sqlite3_extended_errcode(db_), path_, text.substr(0, 60), detail);
}

absl::StatusOr<Statement> Connection::Prepare(absl::string_view sql) {
  if (auto idle = idle_statements_.find(sql); idle != idle_statements_.end()) {
    sqlite3_stmt* stmt = idle->second;
    idle_statements_.erase(idle);
    return Statement(this, stmt, std::string(sql));
  }
  sqlite3_stmt* stmt = nullptr;
  const int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (code != SQLITE_OK) return LastError(code, "prepare");
  return Statement(this, stmt, std::string(sql));
}

absl::Status Connection::LastError(int code, absl::string_view context) const {
  const int extended = sqlite3_extended_errcode(db_);
  return SqliteError((extended & 0xff) == (code & 0xff) ? extended : code, path_, context,
                     sqlite3_errmsg(db_));
}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      sql_(std::move(other.sql_)),
      next_parameter_(other.next_parameter_),
      bind_status_(std::move(other.bind_status_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) connection_->Release(std::move(sql_), stmt_);
    connection_ = other.connection_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    sql_ = std::move(other.sql_);
    next_parameter_ = other.next_parameter_;
    bind_status_ = std::move(other.bind_status_);
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_ != nullptr) connection_->Release(std::move(sql_), stmt_);
}

void Statement::CheckBind(int code) {
  ++next_parameter_;
  if (code != SQLITE_OK && bind_status_.ok()) {
    bind_status_ = connection_->LastError(code, absl::StrCat("bind in ", sql_));
  }
}

Statement& Statement::BindInt(int64_t value) {
  CheckBind(sqlite3_bind_int64(stmt_, next_parameter_, value));
  return *this;
}

Statement& Statement::BindText(absl::string_view value) {
  CheckBind(sqlite3_bind_text(stmt_, next_parameter_, value.data(),
                              static_cast<int>(value.size()), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindBlob(absl::string_view value) {
  CheckBind(sqlite3_bind_blob(stmt_, next_parameter_, value.data(),
                              static_cast<int>(value.size()), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindNull() {
  CheckBind(sqlite3_bind_null(stmt_, next_parameter_));
  return *this;
}

absl::StatusOr<bool> Statement::Step() {
  if (!bind_status_.ok()) return bind_status_;
  const int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return connection_->LastError(code, sql_.substr(0, 80));
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  next_parameter_ = 1;
  bind_status_ = absl::OkStatus();
}

int64_t Statement::ColumnInt(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

absl::string_view Statement::ColumnBlob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  if (blob == nullptr) return absl::string_view();
  return absl::string_view(static_cast<const char*>(blob),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

absl::StatusOr<Transaction> Transaction::Begin(Connection& connection, bool immediate) {
  absl::Status status =
      connection.Execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!status.ok()) return status;
  return Transaction(&connection);
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

Transaction::~Transaction() {
  // A failed ROLLBACK leaves nothing to do: SQLite has already rolled back.
  if (connection_ != nullptr) connection_->Execute("ROLLBACK").IgnoreError();
}

absl::Status Transaction::Commit() {
  Connection* connection = std::exchange(connection_, nullptr);
  absl::Status status = connection->Execute("COMMIT");
  if (!status.ok()) connection->Execute("ROLLBACK").IgnoreError();
  return status;
}

absl::Status CreateIndexesInRuns(Connection& connection,
                                 const std::vector<std::string>& create_index, int cache_kib) {
  RETURN_IF_ERROR(
      connection.Execute(absl::StrCat("PRAGMA cache_size = -", kIndexRunCacheKib)));
  for (const std::string& sql : create_index) RETURN_IF_ERROR(connection.Execute(sql));
  return connection.Execute(absl::StrCat("PRAGMA cache_size = -", cache_kib));
}

}  // namespace rollcall
