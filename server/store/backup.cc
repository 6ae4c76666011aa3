#include "server/store/backup.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "server/common/status_macros.h"
#include "server/store/sqlite_db.h"

namespace rollcall {
namespace {

absl::Status FsyncPath(const std::string& path, int flags) {
  const int fd = open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0) {
    const std::string error = std::strerror(errno);
    if (fd >= 0) close(fd);
    return absl::UnavailableError(absl::StrCat("cannot fsync ", path, ": ", error));
  }
  close(fd);
  return absl::OkStatus();
}

}  // namespace

absl::Status MoveIntoPlaceDurably(const std::string& from, const std::string& to) {
  RETURN_IF_ERROR(FsyncPath(from, O_RDONLY));
  std::error_code error;
  std::filesystem::rename(from, to, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot rename ", from, " to ", to, ": ", error.message()));
  }
  const std::filesystem::path directory = std::filesystem::absolute(to).parent_path();
  return FsyncPath(directory.string(), O_RDONLY | O_DIRECTORY);
}

absl::StatusOr<int64_t> BackupDatabase(const std::string& database_path,
                                       const std::string& backup_path) {
  std::error_code error;
  if (std::filesystem::exists(backup_path, error)) {
    return absl::AlreadyExistsError(absl::StrCat("backup file ", backup_path,
                                                 " already exists"));
  }
  if (!std::filesystem::exists(database_path, error)) {
    return absl::NotFoundError(absl::StrCat("no database file ", database_path));
  }
  const std::string partial = backup_path + ".partial";
  std::filesystem::remove(partial, error);
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> source,
                   Connection::Open(database_path, /*read_only=*/true));
  RETURN_IF_ERROR(source->Execute("PRAGMA busy_timeout = 10000"));
  RETURN_IF_ERROR(source->Execute(
      absl::StrCat("VACUUM INTO '", absl::StrReplaceAll(partial, {{"'", "''"}}), "'")));
  RETURN_IF_ERROR(MoveIntoPlaceDurably(partial, backup_path));
  return static_cast<int64_t>(std::filesystem::file_size(backup_path, error));
}

}  // namespace rollcall
