#ifndef ROLLCALL_SERVER_STORE_BACKUP_H_
#define ROLLCALL_SERVER_STORE_BACKUP_H_

// Online backup of a SqliteStore's file.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rollcall {

// Writes a consistent copy of the database at `database_path` to
// `backup_path` and returns its size in bytes. Safe while a rollcalld
// serves the database (from this or another process): the copy is taken in
// one read transaction (SQLite's VACUUM INTO), so it holds exactly the
// changes committed when the backup began, and writers are never blocked.
// The copy is fsync'd and appears at `backup_path` only when complete (it
// is written beside it and renamed). Since schema v11 the copy is the
// change log's file alone: the applied file beside it (statements table,
// indexes, full-text index) is derived from the log, and a store restored
// from the copy builds it at its first open (a stale one left beside the
// restored file is bound to another log position and rebuilt too).
// Errors: ALREADY_EXISTS if
// `backup_path` exists; the store's errors (naming the file) otherwise.
absl::StatusOr<int64_t> BackupDatabase(const std::string& database_path,
                                       const std::string& backup_path);

// Makes the closed file `from` durable (fsync), renames it to `to` and
// makes the rename durable (fsync of `to`'s directory): after a crash
// `to` is either absent or complete. UNAVAILABLE naming the path if a step
// fails.
absl::Status MoveIntoPlaceDurably(const std::string& from, const std::string& to);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_BACKUP_H_
