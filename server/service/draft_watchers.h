#ifndef ROLLCALL_SERVER_SERVICE_DRAFT_WATCHERS_H_
#define ROLLCALL_SERVER_SERVICE_DRAFT_WATCHERS_H_

// DraftService.WatchDrafts' streams (see draft_service.proto).
//
// A stream is a view of state, not a log: each one remembers the etag of
// every draft it has sent and, when drafts may have changed, lists the
// drafts matching its filter again and sends those whose etag differs (and,
// once more, those that stopped matching). So a stream never misses a
// change, whatever the order of commits, and a reconnecting client is
// brought up to date by the first listing.
//
// Drafts may have changed when this server wrote one (Notify(), called by
// DraftService after each durable draft write: the stream follows at once)
// and, for writes through another server sharing a PostgreSQL store, every
// `poll_interval`.
//
// One thread serves every stream: it alone lists, writes and finishes them;
// the reactors only report back (write done, cancelled). A review desk has
// tens of streams, each listing one event's drafts.

#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_callback.h"
#include "rollcall/v1/draft_service.pb.h"
#include "server/store/draft_store.h"

namespace rollcall {

class DraftWatchers {
 public:
  // `drafts` must outlive this.
  explicit DraftWatchers(DraftStore* drafts, absl::Duration poll_interval = absl::Seconds(2));
  ~DraftWatchers();  // Stop(), then waits for every stream to finish.

  // Begins a stream; an invalid filter finishes it at once with
  // INVALID_ARGUMENT naming `filter`, a stopped server with UNAVAILABLE.
  grpc::ServerWriteReactor<v1::WatchDraftsResponse>* Watch(const v1::WatchDraftsRequest& request);

  // Drafts changed through this server: every stream looks again.
  void Notify();

  // Finishes every stream with UNAVAILABLE ("reconnect now") and refuses
  // new ones. Returns at once; the streams finish on the thread.
  void Stop();

  // The number of open streams, for tests.
  int stream_count();

  class Stream;  // draft_watchers.cc

 private:
  void Run();
  // Wakes the thread; each stream's state is guarded by mu_.
  void Wake() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { ++wakes_; }

  DraftStore* const drafts_;
  const absl::Duration poll_interval_;
  absl::Mutex mu_;
  std::vector<Stream*> streams_ ABSL_GUARDED_BY(mu_);
  int64_t wakes_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;

  friend class Stream;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_DRAFT_WATCHERS_H_
