#ifndef ROLLCALL_SERVER_COMMON_WORKER_POOL_H_
#define ROLLCALL_SERVER_COMMON_WORKER_POOL_H_

// WorkerPool: a fixed set of threads that run queued tasks, for work that
// blocks (a durable store write waits for its group's fsync). gRPC's
// callback threads must not block; a write RPC hands its store call to the
// pool, and as many writes as there are workers can wait on one group
// commit together.

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace rollcall {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  // Runs the tasks already queued, then joins the threads.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` to run on one of the threads.
  void Schedule(std::function<void()> task) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Work() ABSL_LOCKS_EXCLUDED(mu_);

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_COMMON_WORKER_POOL_H_
