#ifndef ROLLCALL_TESTS_SUPPORT_POWER_CUT_VFS_H_
#define ROLLCALL_TESTS_SUPPORT_POWER_CUT_VFS_H_

// A SQLite VFS for tests that simulates what a disk keeps when the power
// goes, and disks that fail. Modelled on SQLite's own crash-test VFS
// (src/test6.c): it wraps the default VFS, lets every write through to the
// real file (the operating system's page cache, which readers see), and
// remembers, sector by sector, what each database and WAL file held at its
// last successful sync. A simulated power cut puts every sector written
// since then back as it was — or, for a torn cut, keeps a random part of
// them, as a disk may have written some before it lost power — and the
// file's length back to its last synced length (longer if a kept sector
// lies beyond it).
//
// It is registered under kPowerCutVfsName, never as the default VFS, by
// tests only; a store opened through it (SqliteStoreOptions::vfs_name,
// ServerOptions::sqlite_vfs, neither a command-line flag) behaves exactly
// as through the default VFS until a fault is injected.
//
// Faults, for the failing-disk tests:
//   - a failed fsync (EIO): the sync reports SQLITE_IOERR_FSYNC and the
//     sectors it should have made durable are lost for good, as Linux does
//     after a failed writeback ("fsyncgate"): a later successful sync does
//     not save them; only rewriting a sector does;
//   - a failed write (EIO): SQLITE_IOERR_WRITE, nothing written;
//   - a full disk: writes that grow files may use only a budget of bytes;
//     the write that runs out is short (written up to the budget) and
//     reports SQLITE_FULL, as SQLite's unix VFS does for a short write.
//
// Thread-safe. One instance per process (Get()).

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

struct sqlite3_vfs;

namespace rollcall::testing {

inline constexpr char kPowerCutVfsName[] = "rollcall-power-cut";

class PowerCutVfs {
 public:
  // Sectors are torn and restored in units of this many bytes.
  static constexpr int64_t kSectorBytes = 512;

  // The process's instance, registered with SQLite on first use.
  static PowerCutVfs& Get();

  // The power goes: from now on every write, truncation, sync and deletion
  // through this VFS fails (SQLITE_IOERR_*) and changes nothing. Reads go
  // on from the page cache.
  void Freeze() ABSL_LOCKS_EXCLUDED(mu_);
  // Freezes right after the `writes`-th next write to a tracked file, so the
  // power goes between writes and the sync that would make them durable
  // (the moment SQLite's crash tests aim at).
  void FreezeAfterWrites(int writes) ABSL_LOCKS_EXCLUDED(mu_);
  bool frozen() const ABSL_LOCKS_EXCLUDED(mu_);

  struct CutReport {
    int64_t sectors_reverted = 0;  // put back as they were at the last sync
    int64_t sectors_kept = 0;      // unsynced, kept by a torn cut
  };
  // Puts every file back to what reached the disk (keeping each unsynced
  // sector with probability 1/2 if `torn`), deletes the shared-memory
  // files, forgets the unsynced writes and injected faults, and thaws.
  // Every connection through this VFS must be closed.
  CutReport CutPower(absl::BitGen& random, bool torn) ABSL_LOCKS_EXCLUDED(mu_);

  // The next `count` syncs of files whose name ends with `suffix` ("-wal",
  // ".db") fail with EIO.
  void FailSyncs(absl::string_view suffix, int count) ABSL_LOCKS_EXCLUDED(mu_);
  // The next `count` writes to such files fail with EIO.
  void FailWrites(absl::string_view suffix, int count) ABSL_LOCKS_EXCLUDED(mu_);
  // Writes may grow files by `bytes` more in all (negative: no limit).
  void SetSpaceLeft(int64_t bytes) ABSL_LOCKS_EXCLUDED(mu_);

  // Syncs that succeeded / failed by injection so far.
  int64_t syncs() const ABSL_LOCKS_EXCLUDED(mu_);
  int64_t failed_syncs() const ABSL_LOCKS_EXCLUDED(mu_);

  // What each tracked file held at its last sync: original bytes of the
  // sectors written since (empty: the sector lay beyond the synced length).
  struct FileState {
    int64_t durable_size = 0;
    std::map<int64_t, std::string> unsynced;
    // Sectors whose sync failed: never durable until rewritten and synced.
    std::map<int64_t, std::string> lost;
  };

  // The VFS's internals, for its C callbacks (power_cut_vfs.cc).
  struct Fault {
    std::string suffix;
    int count = 0;
    bool Take(absl::string_view path);
  };
  mutable absl::Mutex mu_;
  bool frozen_ ABSL_GUARDED_BY(mu_) = false;
  int writes_before_freeze_ ABSL_GUARDED_BY(mu_) = -1;
  std::map<std::string, FileState> files_ ABSL_GUARDED_BY(mu_);
  Fault sync_faults_ ABSL_GUARDED_BY(mu_);
  Fault write_faults_ ABSL_GUARDED_BY(mu_);
  int64_t space_left_ ABSL_GUARDED_BY(mu_) = -1;
  int64_t syncs_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t failed_syncs_ ABSL_GUARDED_BY(mu_) = 0;
  sqlite3_vfs* root_ = nullptr;

 private:
  PowerCutVfs();
};

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_SUPPORT_POWER_CUT_VFS_H_
