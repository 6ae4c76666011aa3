#ifndef ROLLCALL_SERVER_STORE_INTEGRITY_H_
#define ROLLCALL_SERVER_STORE_INTEGRITY_H_

// Start-up checks of the database file: refuse to serve a damaged store.

#include "absl/status/status.h"
#include "server/store/sqlite_db.h"

namespace rollcall {

enum class StartupCheck {
  // Cheap, whatever the file's size (milliseconds): the file is a database
  // whose tables can be read at both ends of every b-tree, and, once the
  // WAL is checkpointed, it is as long as its header says (a truncated
  // file is caught). Damage in the middle of a large table shows up when
  // it is read, as DATA_LOSS for that call.
  kQuick,
  // SQLite's PRAGMA quick_check over every page: reads the whole file
  // (about 2 s for 150,000 statements, 300 MiB, on two cores).
  kFull,
};

// Runs `check` on the writer connection. DATA_LOSS naming the file if the
// file is damaged.
absl::Status VerifyDatabase(Connection& connection, StartupCheck check);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_INTEGRITY_H_
