#include "tests/faults/power_cut_checks.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/faults/fault_client.h"

namespace rollcall::faults {

using testing::PowerCutVfs;

absl::Status PowerCutServer::Start() {
  ServerOptions options;
  options.listen_address = absl::StrCat("localhost:", port_);
  options.data_dir = data_dir_;
  options.sqlite_vfs = testing::kPowerCutVfsName;
  PowerCutVfs::Get();  // registers the VFS
  absl::StatusOr<std::unique_ptr<RollcallServer>> started;
  // The port may take a moment to be free again after a stop.
  for (int attempt = 0; attempt < 50; ++attempt) {
    started = RollcallServer::Start(options);
    if (started.ok() || started.status().code() != absl::StatusCode::kUnavailable) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  if (!started.ok()) return started.status();
  server_ = *std::move(started);
  port_ = server_->port();
  address_ = server_->address();
  return absl::OkStatus();
}

absl::StatusOr<PowerCutVfs::CutReport> PowerCutServer::CutPower(absl::BitGen& random,
                                                                bool torn) {
  PowerCutVfs& vfs = PowerCutVfs::Get();
  vfs.Freeze();
  server_->Shutdown(absl::Seconds(5));
  server_.reset();
  const PowerCutVfs::CutReport report = vfs.CutPower(random, torn);
  if (absl::Status status = CheckIntegrity(database_path()); !status.ok()) return status;
  if (absl::Status status = Start(); !status.ok()) return status;
  return report;
}

absl::Status CheckIntegrity(const std::string& path) {
  sqlite3* db = nullptr;
  int code = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE,
                             testing::kPowerCutVfsName);
  std::string result;
  if (code == SQLITE_OK) {
    code = sqlite3_exec(
        db, "PRAGMA integrity_check",
        +[](void* out, int columns, char** values, char**) {
          for (int i = 0; i < columns; ++i) {
            absl::StrAppend(static_cast<std::string*>(out), values[i] ? values[i] : "",
                            ";");
          }
          return 0;
        },
        &result, nullptr);
  }
  const std::string error = code == SQLITE_OK ? "" : sqlite3_errmsg(db);
  sqlite3_close(db);
  if (code != SQLITE_OK) return absl::DataLossError(absl::StrCat(path, ": ", error));
  if (result != "ok;") {
    return absl::DataLossError(absl::StrCat(path, ": integrity_check: ", result));
  }
  return absl::OkStatus();
}

}  // namespace rollcall::faults
