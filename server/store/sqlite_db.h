#ifndef ROLLCALL_SERVER_STORE_SQLITE_DB_H_
#define ROLLCALL_SERVER_STORE_SQLITE_DB_H_

// Thin RAII wrappers over the sqlite3 C API that report errors as
// absl::Status values. SQLite result codes map to canonical codes:
//   SQLITE_FULL                      -> RESOURCE_EXHAUSTED
//   SQLITE_CORRUPT, SQLITE_NOTADB    -> DATA_LOSS (the message names the file)
//   SQLITE_BUSY, LOCKED, IOERR,
//   CANTOPEN, PROTOCOL               -> UNAVAILABLE
//   SQLITE_CONSTRAINT (unique, PK)   -> ALREADY_EXISTS
//   SQLITE_CONSTRAINT (others)       -> FAILED_PRECONDITION
//   SQLITE_READONLY                  -> FAILED_PRECONDITION
//   anything else                    -> INTERNAL
//
// A Connection and the Statements prepared on it are used by one thread at
// a time; the caller provides the locking.
//
// Prepared statements are cached per connection, keyed by their SQL text:
// Prepare hands out an idle cached statement when there is one, and a
// Statement going out of scope is reset and returned to the cache. SQL
// parsing and planning is then paid once per connection rather than once
// per call (it was about half the cost of a write).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct sqlite3;
struct sqlite3_stmt;

namespace rollcall {

// Maps the SQLite result code `code` (primary or extended) to a Status whose
// message names `path` and `context` and carries SQLite's `detail`.
absl::Status SqliteError(int code, absl::string_view path, absl::string_view context,
                         absl::string_view detail);

// True if `status` is SQLite's report of a write or an fsync the disk
// failed (SQLITE_IOERR_WRITE, _FSYNC, _DIR_FSYNC, _TRUNCATE): the page cache
// may then hold data the disk does not, and retrying the sync can report
// success for data that is gone ("fsyncgate"). Such a status is UNAVAILABLE.
bool IsFailedWriteOrSync(const absl::Status& status);

class Statement;

class Connection {
 public:
  // Opens (creating it if `read_only` is false) the database file at `path`.
  // SQLite opens lazily: a file that is not a database is detected by the
  // first statement, not here. `vfs` names the SQLite VFS to use (empty:
  // the default one).
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path,
                                                          bool read_only,
                                                          const std::string& vfs = "");
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more SQL statements that return no rows of interest.
  absl::Status Execute(absl::string_view sql);
  // Prepares one SQL statement, or takes the idle cached one for `sql`.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);
  // The status for the last error on this connection, with `context`.
  absl::Status LastError(int code, absl::string_view context) const;

  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

 private:
  friend class Statement;
  // Statements cached at most; more distinct SQL texts (filters built per
  // query) are prepared and finalized as before.
  static constexpr size_t kMaxCachedStatements = 128;

  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // Takes back a statement that is done with: resets it and keeps it if
  // there is room and no idle one for the same SQL, else finalizes it.
  void Release(std::string sql, sqlite3_stmt* stmt);

  sqlite3* db_;
  const std::string path_;
  absl::flat_hash_map<std::string, sqlite3_stmt*> idle_statements_;
};

// A prepared statement. Bind* append parameters in order (the first Bind is
// parameter 1); a bind error is reported by the next Step.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  Statement& BindInt(int64_t value);
  Statement& BindText(absl::string_view value);
  Statement& BindBlob(absl::string_view value);
  Statement& BindNull();

  // Advances: true if a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps until done (for statements that return no rows).
  absl::Status Run();
  // Makes the statement ready to run again with new parameters.
  void Reset();

  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  // Valid until the next Step.
  absl::string_view ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class Connection;
  Statement(Connection* connection, sqlite3_stmt* stmt, std::string sql)
      : connection_(connection), stmt_(stmt), sql_(std::move(sql)) {}
  void CheckBind(int code);

  Connection* connection_;
  sqlite3_stmt* stmt_;
  std::string sql_;
  int next_parameter_ = 1;
  absl::Status bind_status_;
};

// A transaction that rolls back unless committed. BEGIN IMMEDIATE takes the
// write lock up front (writers); BEGIN DEFERRED gives readers a snapshot.
class Transaction {
 public:
  static absl::StatusOr<Transaction> Begin(Connection& connection, bool immediate);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  absl::Status Commit();

 private:
  explicit Transaction(Connection* connection) : connection_(connection) {}
  Connection* connection_;  // null once committed or rolled back
};

// Runs `create_index` (CREATE INDEX statements over filled tables) with a
// page cache of kIndexRunCacheKib, then sets the cache to `cache_kib`.
// SQLite's sorter sorts what the page cache holds, then merges the sorted
// runs: on a table of 1,000,000 statements, runs of 4 MiB built the three
// indexes in two thirds of the time one sort in a 512 MiB cache took, with
// less CPU (docs/BENCHMARKS.md, "Bulk load: index builds in runs").
inline constexpr int kIndexRunCacheKib = 4 * 1024;
absl::Status CreateIndexesInRuns(Connection& connection,
                                 const std::vector<std::string>& create_index, int cache_kib);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_SQLITE_DB_H_
