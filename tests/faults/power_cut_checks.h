#ifndef ROLLCALL_TESTS_FAULTS_POWER_CUT_CHECKS_H_
#define ROLLCALL_TESTS_FAULTS_POWER_CUT_CHECKS_H_

// A RollcallServer in this process whose SQLite store is opened through the
// power-cut VFS, and the checks every power cut and disk fault is followed
// by.

#include <memory>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rollcall/v1/statement_service.grpc.pb.h"
#include "server/server.h"
#include "tests/faults/acknowledged_writes.h"
#include "tests/support/power_cut_vfs.h"

namespace rollcall::faults {

class PowerCutServer {
 public:
  // The store is `data_dir`/rollcall.db.
  explicit PowerCutServer(std::string data_dir) : data_dir_(std::move(data_dir)) {}

  // Starts the server: on a free port the first time, then on the same
  // port (so clients reconnect to it).
  absl::Status Start();
  // The power goes: the VFS freezes, the server stops (calls in flight fail
  // on the frozen disk), the files are put back to what reached the disk
  // (testing::PowerCutVfs::CutPower), PRAGMA integrity_check must pass, and
  // the server starts again.
  absl::StatusOr<testing::PowerCutVfs::CutReport> CutPower(absl::BitGen& random,
                                                           bool torn);

  const std::string& address() const { return address_; }
  RollcallServer& server() { return *server_; }
  std::string database_path() const { return data_dir_ + "/rollcall.db"; }

 private:
  const std::string data_dir_;
  std::unique_ptr<RollcallServer> server_;
  int port_ = 0;
  std::string address_;
};

// PRAGMA integrity_check of the database at `path`, through the VFS.
absl::Status CheckIntegrity(const std::string& path);

}  // namespace rollcall::faults

#endif  // ROLLCALL_TESTS_FAULTS_POWER_CUT_CHECKS_H_
