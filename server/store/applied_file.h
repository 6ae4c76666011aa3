#ifndef ROLLCALL_SERVER_STORE_APPLIED_FILE_H_
#define ROLLCALL_SERVER_STORE_APPLIED_FILE_H_

// The applied file (schema v11 on): the statements table, its secondary
// indexes, the full-text index and applied_position, in a SQLite file of
// its own beside the change log's (rollcall.db → rollcall-applied.db).
// Everything in it is derived from the log, so it needs no durability of
// its own, only consistency: it is written with synchronous=NORMAL (WAL),
// by one connection only (SqliteStore's applier), and rebuilt from the log
// whenever it cannot be trusted.
//
// applied_position binds the file to the log: the sequence and commit time
// of the last change applied (and the last actor-kind change, see
// sqlite_store.h). A file is usable only if that change is in the log with
// that commit time, so a file ahead of its log, or beside a log restored
// from a backup and written since, is caught.
//
// Connections: the applier opens the applied file as `main` and attaches
// the log as `log`; the writer, the readers and the checkpointer open the
// log as `main` and attach the applied file as `applied`. Table names are
// unique across the two files, so SQL names them unqualified.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/statement.pb.h"
#include "server/store/integrity.h"
#include "server/store/sqlite_db.h"

namespace rollcall {

// The applied file's layout; a file of another format is rebuilt. Format
// 2: three secondary indexes instead of five, no index of the names (a
// row's rowid is its statement's creation sequence), no FTS5 column sizes.
inline constexpr int kAppliedFileFormat = 2;
inline constexpr char kAppliedSchema[] = "applied";
inline constexpr char kLogSchema[] = "log";

// The applied file of the log at `log_path`: "dir/x.db" → "dir/x-applied.db",
// any other name gains "-applied.db".
std::string AppliedFilePath(const std::string& log_path);

struct AppliedPosition {
  int64_t sequence = 0;            // the last change applied
  int64_t commit_time_micros = 0;  // its commit time
  int64_t actor_kinds_through = 0;  // the last actor_kind_changes row applied
};
// Reads applied_position (unqualified: the connection's applied file).
absl::StatusOr<AppliedPosition> ReadAppliedPosition(Connection& connection);

// The last row of the log's actor_kind_changes (0 if none).
absl::StatusOr<int64_t> ActorKindChangesHead(Connection& connection);

// Attaches the database file at `path` to `connection` as `schema`,
// through the connection's VFS and with its open flags.
absl::Status AttachFile(Connection& connection, const std::string& path,
                        absl::string_view schema);

// Deletes the applied file at `applied_path` (its WAL and shared memory
// after it) through the VFS `vfs`, and builds it anew from the log at
// `log_path`: rows, then each index sorted once, then the full-text index
// (FTS5 rebuild), bound to the log's last change. The file is marked
// complete (its format in user_version) only once everything else is on
// disk, so a build cut short is rebuilt at the next open. No connection
// may have the file open.
absl::Status BuildAppliedFile(const std::string& applied_path, const std::string& log_path,
                              const std::string& vfs);

// The CREATE statements of an applied file's tables (statements,
// applied_position), then its full-text index, then each of the statements
// table's secondary indexes, for a file built elsewhere (a bulk load's,
// server/bulk/applied_state_builder.h) and adopted by AdoptAppliedFile.
std::vector<std::string> AppliedFileSchema();

// Makes the database file at `built` (AppliedFileSchema's tables, a row
// for every change of the log at `log_path`, all of them creations, and an
// empty applied_position; closed) the applied file at `applied_path`:
// checks it has one row per change, binds it to the log's last change,
// marks it complete as BuildAppliedFile does, and renames it over
// `applied_path` (deleting what was there through the VFS `vfs`).
// Making the rename durable is the caller's.
absl::Status AdoptAppliedFile(const std::string& built, const std::string& applied_path,
                              const std::string& log_path, const std::string& vfs);

// Opens the applied file for the applier, with the log attached. The file
// is rebuilt first (BuildAppliedFile, logging why) if it is missing,
// damaged (`check`, integrity.h), of another format, ahead of the log,
// bound to another log, or more than `max_behind` changes behind it; a
// file behind by less is caught up by the applier.
absl::StatusOr<std::unique_ptr<Connection>> OpenAppliedFile(const std::string& applied_path,
                                                            const std::string& log_path,
                                                            const std::string& vfs,
                                                            StartupCheck check,
                                                            int64_t max_behind);

// The kind of each actor (the log's actors table), looked up once;
// ACTOR_KIND_UNSPECIFIED for an actor the table lacks.
class ActorKinds {
 public:
  explicit ActorKinds(Connection& connection) : connection_(connection) {}
  absl::StatusOr<v1::ActorKind> Of(const std::string& actor);

 private:
  Connection& connection_;
  absl::flat_hash_map<std::string, v1::ActorKind> kinds_;
};

// Writes the statements table's row of every change in (from, through],
// in `connection`'s open transaction, without the full-text index.
absl::Status WriteRowsBetween(Connection& connection, int64_t from, int64_t through);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_APPLIED_FILE_H_
