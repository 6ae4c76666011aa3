#include "tests/support/power_cut_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/match.h"

namespace rollcall::testing {
namespace {

using FileState = PowerCutVfs::FileState;
constexpr int64_t kSector = PowerCutVfs::kSectorBytes;

// An open file: our header, then the default VFS's file.
struct CutFile {
  sqlite3_file base;
  std::string* path;  // tracked files only (database, WAL, journal)
  sqlite3_file* real;
};

PowerCutVfs& Vfs() { return PowerCutVfs::Get(); }
sqlite3_file* Real(sqlite3_file* file) { return reinterpret_cast<CutFile*>(file)->real; }
const std::string* PathOf(sqlite3_file* file) {
  return reinterpret_cast<CutFile*>(file)->path;
}

int64_t RealSize(sqlite3_file* real) {
  sqlite3_int64 size = 0;
  if (real->pMethods->xFileSize(real, &size) != SQLITE_OK) return 0;
  return size;
}

// Records the synced content of the sectors [first, last] before they
// change (once per sector per sync). Requires the VFS's lock.
void RememberSectors(FileState& state, sqlite3_file* real, int64_t first, int64_t last) {
  for (int64_t sector = first; sector <= last; ++sector) {
    if (state.unsynced.count(sector) != 0) continue;
    if (auto lost = state.lost.find(sector); lost != state.lost.end()) {
      state.unsynced.emplace(sector, std::move(lost->second));
      state.lost.erase(lost);
      continue;
    }
    std::string old;
    if (sector * kSector < state.durable_size) {
      old.assign(kSector, '\0');
      // A short read fills the rest with zeros, as the disk would read.
      real->pMethods->xRead(real, old.data(), static_cast<int>(kSector),
                            sector * kSector);
    }
    state.unsynced.emplace(sector, std::move(old));
  }
}

int Close(sqlite3_file* file) {
  CutFile* cut = reinterpret_cast<CutFile*>(file);
  const int code = cut->real->pMethods->xClose(cut->real);
  delete cut->path;
  cut->path = nullptr;
  return code;
}

int Read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  return Real(file)->pMethods->xRead(Real(file), buffer, amount, offset);
}

int Write(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
  PowerCutVfs& vfs = Vfs();
  sqlite3_file* real = Real(file);
  absl::MutexLock lock(&vfs.mu_);
  if (vfs.frozen_) return SQLITE_IOERR_WRITE;
  const std::string* path = PathOf(file);
  if (path == nullptr) return real->pMethods->xWrite(real, buffer, amount, offset);
  if (vfs.write_faults_.Take(*path)) return SQLITE_IOERR_WRITE;
  int code = SQLITE_OK;
  const int64_t growth = std::max<int64_t>(0, offset + amount - RealSize(real));
  if (vfs.space_left_ >= 0 && growth > vfs.space_left_) {
    // A short write: as much as fits, then "disk full".
    amount = static_cast<int>(std::max<int64_t>(0, amount - (growth - vfs.space_left_)));
    code = SQLITE_FULL;
  }
  if (amount > 0) {
    RememberSectors(vfs.files_[*path], real, offset / kSector,
                    (offset + amount - 1) / kSector);
    const int written = real->pMethods->xWrite(real, buffer, amount, offset);
    if (written != SQLITE_OK) return written;
  }
  if (vfs.writes_before_freeze_ > 0 && --vfs.writes_before_freeze_ == 0) {
    vfs.frozen_ = true;
  }
  if (vfs.space_left_ >= 0)
    vfs.space_left_ = std::max<int64_t>(0, vfs.space_left_ - growth);
  return code;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  PowerCutVfs& vfs = Vfs();
  sqlite3_file* real = Real(file);
  absl::MutexLock lock(&vfs.mu_);
  if (vfs.frozen_) return SQLITE_IOERR_TRUNCATE;
  if (const std::string* path = PathOf(file); path != nullptr) {
    const int64_t current = RealSize(real);
    if (size < current) {
      RememberSectors(vfs.files_[*path], real, size / kSector, (current - 1) / kSector);
    }
  }
  return real->pMethods->xTruncate(real, size);
}

int Sync(sqlite3_file* file, int flags) {
  PowerCutVfs& vfs = Vfs();
  sqlite3_file* real = Real(file);
  absl::MutexLock lock(&vfs.mu_);
  if (vfs.frozen_) return SQLITE_IOERR_FSYNC;
  const std::string* path = PathOf(file);
  if (path == nullptr) return real->pMethods->xSync(real, flags);
  FileState& state = vfs.files_[*path];
  if (vfs.sync_faults_.Take(*path)) {
    // The kernel gave up on these pages: they are clean in the page cache
    // but never reached the disk.
    for (auto& [sector, old] : state.unsynced) state.lost.emplace(sector, std::move(old));
    state.unsynced.clear();
    ++vfs.failed_syncs_;
    return SQLITE_IOERR_FSYNC;
  }
  const int code = real->pMethods->xSync(real, flags);
  if (code != SQLITE_OK) return code;
  state.unsynced.clear();
  state.durable_size = RealSize(real);
  ++vfs.syncs_;
  return SQLITE_OK;
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  return Real(file)->pMethods->xFileSize(Real(file), size);
}
int Lock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xLock(Real(file), level);
}
int Unlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}
int CheckReservedLock(sqlite3_file* file, int* reserved) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), reserved);
}
int FileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}
int SectorSize(sqlite3_file* file) {
  return Real(file)->pMethods->xSectorSize(Real(file));
}
int DeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}
int ShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** memory) {
  return Real(file)->pMethods->xShmMap(Real(file), region, size, extend, memory);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Real(file)->pMethods->xShmLock(Real(file), offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) { Real(file)->pMethods->xShmBarrier(Real(file)); }
int ShmUnmap(sqlite3_file* file, int delete_flag) {
  return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
}

const sqlite3_io_methods kMethods = {2,
                                     Close,
                                     Read,
                                     Write,
                                     Truncate,
                                     Sync,
                                     FileSize,
                                     Lock,
                                     Unlock,
                                     CheckReservedLock,
                                     FileControl,
                                     SectorSize,
                                     DeviceCharacteristics,
                                     ShmMap,
                                     ShmLock,
                                     ShmBarrier,
                                     ShmUnmap,
                                     nullptr,
                                     nullptr};

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags,
         int* out_flags) {
  PowerCutVfs& self = *static_cast<PowerCutVfs*>(vfs->pAppData);
  CutFile* cut = reinterpret_cast<CutFile*>(file);
  cut->base.pMethods = nullptr;
  cut->path = nullptr;
  cut->real = reinterpret_cast<sqlite3_file*>(cut + 1);
  const int code = self.root_->xOpen(self.root_, name, cut->real, flags, out_flags);
  if (code != SQLITE_OK) return code;
  cut->base.pMethods = &kMethods;
  const int tracked = SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL;
  if (name != nullptr && (flags & tracked) != 0) {
    cut->path = new std::string(name);
    absl::MutexLock lock(&self.mu_);
    auto [state, inserted] = self.files_.try_emplace(name);
    // A file met for the first time is on the disk as it is.
    if (inserted) state->second.durable_size = RealSize(cut->real);
  }
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  PowerCutVfs& self = *static_cast<PowerCutVfs*>(vfs->pAppData);
  absl::MutexLock lock(&self.mu_);
  if (self.frozen_) return SQLITE_IOERR_DELETE;
  self.files_.erase(name);
  return self.root_->xDelete(self.root_, name, sync_dir);
}

sqlite3_vfs* Root(sqlite3_vfs* vfs) {
  return static_cast<PowerCutVfs*>(vfs->pAppData)->root_;
}

int Access(sqlite3_vfs* vfs, const char* name, int flags, int* result) {
  return Root(vfs)->xAccess(Root(vfs), name, flags, result);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return Root(vfs)->xFullPathname(Root(vfs), name, size, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  return Root(vfs)->xDlOpen(Root(vfs), name);
}
void DlError(sqlite3_vfs* vfs, int size, char* out) {
  Root(vfs)->xDlError(Root(vfs), size, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return Root(vfs)->xDlSym(Root(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) { Root(vfs)->xDlClose(Root(vfs), handle); }
int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  return Root(vfs)->xRandomness(Root(vfs), size, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) { return Root(vfs)->xSleep(Root(vfs), micros); }
int CurrentTime(sqlite3_vfs* vfs, double* now) {
  return Root(vfs)->xCurrentTime(Root(vfs), now);
}
int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
  return Root(vfs)->xGetLastError(Root(vfs), size, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* now) {
  return Root(vfs)->xCurrentTimeInt64(Root(vfs), now);
}

// Writes `old` (or zeros, for a sector that lay beyond the synced length)
// back into sector `sector` of the open file `fd`.
void RevertSector(int fd, int64_t sector, const std::string& old) {
  const std::string bytes = old.empty() ? std::string(kSector, '\0') : old;
  if (pwrite(fd, bytes.data(), bytes.size(), sector * kSector) !=
      static_cast<ssize_t>(bytes.size())) {
    std::perror("power cut: pwrite");
    std::abort();
  }
}

}  // namespace

bool PowerCutVfs::Fault::Take(absl::string_view path) {
  if (count == 0 || !absl::EndsWith(path, suffix)) return false;
  --count;
  return true;
}

PowerCutVfs::PowerCutVfs() {
  root_ = sqlite3_vfs_find(nullptr);
  static sqlite3_vfs vfs;
  std::memset(&vfs, 0, sizeof(vfs));
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(CutFile)) + root_->szOsFile;
  vfs.mxPathname = root_->mxPathname;
  vfs.zName = kPowerCutVfsName;
  vfs.pAppData = this;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  sqlite3_vfs_register(&vfs, /*makeDflt=*/0);
}

PowerCutVfs& PowerCutVfs::Get() {
  static PowerCutVfs* vfs = new PowerCutVfs();
  return *vfs;
}

void PowerCutVfs::Freeze() {
  absl::MutexLock lock(&mu_);
  frozen_ = true;
}

void PowerCutVfs::FreezeAfterWrites(int writes) {
  absl::MutexLock lock(&mu_);
  writes_before_freeze_ = writes;
}

bool PowerCutVfs::frozen() const {
  absl::MutexLock lock(&mu_);
  return frozen_;
}

PowerCutVfs::CutReport PowerCutVfs::CutPower(absl::BitGen& random, bool torn) {
  absl::MutexLock lock(&mu_);
  CutReport report;
  for (auto& [path, state] : files_) {
    const int fd = open(path.c_str(), O_WRONLY);
    if (fd < 0) continue;  // never created on the disk
    struct stat info;
    const int64_t cached_size = fstat(fd, &info) == 0 ? info.st_size : 0;
    // The synced length, or longer up to a kept sector written beyond it
    // (no further than the page cache had the file).
    int64_t length = state.durable_size;
    auto revert = [&](std::map<int64_t, std::string>& sectors) {
      for (const auto& [sector, old] : sectors) {
        if (torn && absl::Bernoulli(random, 0.5)) {
          ++report.sectors_kept;
          length = std::max(length, std::min(cached_size, (sector + 1) * kSector));
        } else {
          RevertSector(fd, sector, old);
          ++report.sectors_reverted;
        }
      }
      sectors.clear();
    };
    revert(state.unsynced);
    revert(state.lost);
    if (ftruncate(fd, length) != 0 || fsync(fd) != 0) {
      std::perror("power cut: ftruncate");
      std::abort();
    }
    close(fd);
    state.durable_size = length;
    std::remove(
        (path.substr(0, path.size() - (absl::EndsWith(path, "-wal") ? 4 : 0)) + "-shm")
            .c_str());
  }
  sync_faults_ = Fault();
  write_faults_ = Fault();
  space_left_ = -1;
  writes_before_freeze_ = -1;
  frozen_ = false;
  return report;
}

void PowerCutVfs::FailSyncs(absl::string_view suffix, int count) {
  absl::MutexLock lock(&mu_);
  sync_faults_ = Fault{std::string(suffix), count};
}

void PowerCutVfs::FailWrites(absl::string_view suffix, int count) {
  absl::MutexLock lock(&mu_);
  write_faults_ = Fault{std::string(suffix), count};
}

void PowerCutVfs::SetSpaceLeft(int64_t bytes) {
  absl::MutexLock lock(&mu_);
  space_left_ = bytes;
}

int64_t PowerCutVfs::syncs() const {
  absl::MutexLock lock(&mu_);
  return syncs_;
}

int64_t PowerCutVfs::failed_syncs() const {
  absl::MutexLock lock(&mu_);
  return failed_syncs_;
}

}  // namespace rollcall::testing
