#ifndef ROLLCALL_SERVER_STORE_GROUP_COMMIT_H_
#define ROLLCALL_SERVER_STORE_GROUP_COMMIT_H_

// Group commit, shared by the stores. A writer that finds the store idle
// commits at once; writers that arrive while a commit is being made durable
// queue, and the next of them to run commits the whole queue as one group
// (one transaction, one fsync). Every caller returns only after its group
// is durable. No write ever waits for a timer.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"

namespace rollcall {

template <typename Txn>
class GroupCommit {
 public:
  using Body = std::function<absl::Status(Txn& txn)>;

  // A write waiting in the queue; it lives on its caller's stack until
  // `done`. The committer sets `status`.
  struct Pending {
    const Body* body;
    absl::Status status;
    bool done = false;
  };
  using CommitFn = absl::FunctionRef<std::optional<int64_t>(absl::Span<Pending* const>)>;

  // Runs `body` in the next group. `commit` writes a group, sets each
  // write's status and returns the new head sequence if the group assigned
  // sequences; `on_head` is then called with it before any of the group's
  // callers is answered, so subscribers hear of a commit no later than its
  // writers.
  absl::Status Run(const Body& body, CommitFn commit,
                   absl::FunctionRef<void(int64_t)> on_head) ABSL_LOCKS_EXCLUDED(mu_) {
    Pending self{&body, absl::OkStatus(), false};
    std::vector<Pending*> group;
    {
      absl::MutexLock lock(&mu_);
      queue_.push_back(&self);
      // Either a committing caller takes this write into its group, or this
      // caller commits the queue as it stands when the previous group is
      // durable.
      mu_.Await(absl::Condition(
          +[](GroupCommit* commit) ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit->mu_) {
            return !commit->committing_;
          },
          this));
      if (self.done) return self.status;
      committing_ = true;
      group.swap(queue_);
    }
    const std::optional<int64_t> head = commit(group);
    if (head.has_value()) on_head(*head);
    {
      absl::MutexLock lock(&mu_);
      for (Pending* write : group) write->done = true;
      committing_ = false;
    }
    return self.status;
  }

  // Writes waiting for the commit in progress to finish.
  int Queued() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return static_cast<int>(queue_.size());
  }

 private:
  absl::Mutex mu_;
  std::vector<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  bool committing_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_GROUP_COMMIT_H_
