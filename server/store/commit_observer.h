#ifndef ROLLCALL_SERVER_STORE_COMMIT_OBSERVER_H_
#define ROLLCALL_SERVER_STORE_COMMIT_OBSERVER_H_

// What a store reports about its commits, for metrics.

#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace rollcall {

struct CommitObserver {
  // Called after each durable commit of the store's writer, on the writing
  // thread, with how many writes (calls that each had their own
  // transaction body) the commit made durable together and how long the
  // commit took (the WAL fsync included). Must be cheap and thread-safe.
  std::function<void(int writes, absl::Duration commit_duration)> on_commit;
  // Called once, on the writing thread, when the store stops taking writes
  // because the disk failed a write or a sync (`why`; see SqliteStore).
  std::function<void(const absl::Status& why)> on_writes_stopped;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_COMMIT_OBSERVER_H_
