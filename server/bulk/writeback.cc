#include "server/bulk/writeback.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "absl/time/time.h"

namespace rollcall {

Writeback::Writeback(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  thread_ = std::thread([this, fd] { Run(fd); });
}

Writeback::~Writeback() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Writeback::Run(int fd) {
  // Named for per-thread profiles (top -H, /proc/PID/task).
  pthread_setname_np(pthread_self(), "bulk-writeback");
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), absl::Milliseconds(250))) break;
    }
    // The whole file: pages already written or under way cost nothing.
    sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  }
  close(fd);
}

}  // namespace rollcall
