#ifndef ROLLCALL_SERVER_STORE_SCHEMA_H_
#define ROLLCALL_SERVER_STORE_SCHEMA_H_

// The SQLite schema as an ordered list of migrations. The version a file is
// at is recorded in its `schema_version` table; each migration runs in its
// own transaction and advances the version by one, so an interrupted upgrade
// resumes where it stopped.
//
//   v1  tables: actors, memberships, events, statements, changes, requests
//   v2  secondary indexes that keep ListStatements, bloc roll-ups, event
//       listing and SequenceBefore fast at millions of statements
//   v3  statements by event and stance
//   v4  quote and summary columns, filled from the stored statements
//   v5  full-text index (FTS5) over quote and summary
//   v6  each change's event, filled from the stored changes
//   v7  changes by event and commit time
//   v8  the full-text index maintained by the store (SqliteStore's
//       group commit), no longer by triggers
//   v9  documents, drafts and which drafts each document gave
//   v10 applied_position: the statements table follows the change log
//   v11 the statements table, its indexes and the full-text index move to
//       the applied file (applied_file.h); actor_kind_changes

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/store/sqlite_db.h"

namespace rollcall {

inline constexpr int kLatestSchemaVersion = 11;

// The version recorded in the file (0 for a new, empty file).
absl::StatusOr<int> SchemaVersion(Connection& connection);

// Applies the migrations after the file's version up to `target_version`.
// FAILED_PRECONDITION naming the file and both versions if the file is newer
// than this binary knows (kLatestSchemaVersion) or newer than
// `target_version`; INVALID_ARGUMENT if `target_version` is out of range.
// The caller must hold the only writer connection.
absl::Status Migrate(Connection& connection, int target_version);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_SCHEMA_H_
