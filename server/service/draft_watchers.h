#ifndef ROLLCALL_SERVER_SERVICE_DRAFT_WATCHERS_H_
#define ROLLCALL_SERVER_SERVICE_DRAFT_WATCHERS_H_

// DraftService.WatchDrafts' streams (see draft_service.proto).
//
// A stream is a view of state, not a log: each one remembers the etag of
// every draft it has sent and, when drafts may have changed, compares a
// fresh listing of the drafts with it and sends those whose etag differs
// (and, once more, those that stopped matching its filter). So a stream
// never misses a change, whatever the order of commits, and a reconnecting
// client is brought up to date by the first listing.
//
// Drafts may have changed when this server wrote one (Notify(), called by
// DraftService after each durable draft write: the streams follow at once)
// and, for writes through another server sharing a PostgreSQL store, every
// `relist_interval`.
//
// The listing is shared: one ListDrafts (a page at a time) serves every
// stream that wants one, whatever their number, restricted to the
// conditions all their filters share (the same event, say); each stream
// picks the drafts matching its own filter from it. A stream that is still
// writing when a listing arrives takes it once its writes are done, unless
// it has wanted a newer one since. So a review desk of tens of streams
// costs one listing per change through this server and one per interval,
// not one per stream.
//
// One thread serves every stream: it alone lists, writes and finishes them;
// the reactors only report back (write done, cancelled).

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_callback.h"
#include "rollcall/v1/draft_service.pb.h"
#include "server/store/draft_store.h"

namespace rollcall {

// Whether `draft` meets every condition of `query` (as ListDrafts would
// answer; page_size and after are ignored).
bool DraftMatches(const DraftQuery& query, const v1::Draft& draft);

class DraftWatchers {
 public:
  // `drafts` must outlive this. `relist_interval` must be positive.
  explicit DraftWatchers(DraftStore* drafts, absl::Duration relist_interval = absl::Seconds(2));
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

  // The drafts of one listing, in create order, and where each is.
  struct Listing {
    int64_t number = -1;  // -1: none yet
    DraftQuery query;     // the conditions it was made with
    std::vector<v1::Draft> drafts;
    std::unordered_map<std::string, size_t> index;  // name -> position
  };

 private:
  void Run();
  // Wakes the thread; each stream's state is guarded by mu_.
  void Wake() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { ++wakes_; }
  // Marks every stream as wanting a listing made from now on.
  void WantListing() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether `stream` may take something now, and whether it waits for a
  // listing that listing_ does not give it.
  bool Ready(const Stream& stream) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool NeedsNewListing(const Stream& stream) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Lists the drafts for the streams that wait for a listing (mu_ is
  // released meanwhile). An error ends those streams.
  void List() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends `streams_[i]` with `status` and removes it.
  void End(size_t i, const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  DraftStore* const drafts_;
  const absl::Duration relist_interval_;
  absl::Mutex mu_;
  std::vector<Stream*> streams_ ABSL_GUARDED_BY(mu_);
  int64_t wakes_ ABSL_GUARDED_BY(mu_) = 0;
  // The number the next listing gets; a stream that wants a listing
  // numbered at least this takes none made before.
  int64_t next_listing_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The last listing. The thread's only.
  Listing listing_;
  std::thread thread_;

  friend class Stream;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_DRAFT_WATCHERS_H_
