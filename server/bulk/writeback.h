#ifndef ROLLCALL_SERVER_BULK_WRITEBACK_H_
#define ROLLCALL_SERVER_BULK_WRITEBACK_H_

// Writeback: keeps the disk writing a file while it is being built, so that
// the fsync that makes it durable at the end waits for little. A bulk load
// writes a store of gigabytes without fsync (server/bulk/bulk_load.h); left
// to the kernel, most of it would still be in memory at the end (Linux
// starts writing dirty pages back at 10% of memory, or after 30 s), and the
// final fsync would wait for all of it while the cores idle. Every quarter
// second this asks the kernel to start writing the file's dirty pages
// (sync_file_range with SYNC_FILE_RANGE_WRITE: it does not wait for them,
// and it promises nothing: durability stays the fsync's).

#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace rollcall {

class Writeback {
 public:
  // Starts writing `path` back; a file that cannot be opened is skipped.
  explicit Writeback(const std::string& path);
  ~Writeback();  // stops
  Writeback(const Writeback&) = delete;
  Writeback& operator=(const Writeback&) = delete;

 private:
  void Run(int fd) ABSL_LOCKS_EXCLUDED(mu_);

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_BULK_WRITEBACK_H_
