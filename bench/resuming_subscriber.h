#ifndef ROLLCALL_BENCH_RESUMING_SUBSCRIBER_H_
#define ROLLCALL_BENCH_RESUMING_SUBSCRIBER_H_

// A subscription that survives server restarts the way Rollcall's clients
// do (client/cli/watch_command.cc): when its stream ends it resubscribes
// after its resume point (the last change delivered, or the head of the
// last caught_up), at once (after a jitter below the first backoff) if the
// stream had delivered something or the server said "reconnect now" (a
// zero google.rpc.RetryInfo), else with exponential backoff; each
// resubscription is wait-for-ready, so the channel's reconnect backoff
// paces attempts while the server is down.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bench/subscriber.h"
#include "grpcpp/generic/generic_stub.h"

namespace rollcall::bench {

// Runs functions at given times on one thread of its own.
class Scheduler {
 public:
  Scheduler();
  ~Scheduler();  // drops what has not run yet
  void At(absl::Time when, std::function<void()> task);

 private:
  void Loop();
  absl::Mutex mu_;
  std::multimap<absl::Time, std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: starts once the rest is built
};

// The resubscription pacing (the clients' defaults).
struct ResumePolicy {
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Milliseconds(750);
};

class ResumingSubscriber {
 public:
  // Subscribes to `filter` from now on. `stub` and `scheduler` must outlive
  // the subscriber.
  ResumingSubscriber(grpc::GenericStub* stub, Scheduler* scheduler, std::string filter,
                     ResumePolicy policy = {});
  ~ResumingSubscriber();  // Stop()s

  void Start();
  // Cancels the stream and resubscribes no more; waits until it has ended.
  void Stop();

  // May be read at any time.
  int64_t last_sequence() const { return last_sequence_.load(); }
  // When the last caught_up arrived (Unix micros), 0 before the first.
  int64_t last_caught_up_micros() const { return last_caught_up_micros_.load(); }
  int64_t streams() const { return streams_.load(); }
  // When the latest stream's first response arrived (Unix micros; 0: none
  // yet).
  int64_t stream_answered_micros() const { return stream_answered_micros_.load(); }
  // Only after Stop().
  const std::vector<Delivery>& deliveries() const { return deliveries_; }
  int64_t duplicates() const { return duplicates_; }
  int64_t refused() const { return refused_total_; }
  // The head_sequence of the first caught_up: deliveries start after it.
  int64_t first_head() const { return first_head_; }

 private:
  class Call;
  void StartCall(bool wait_for_ready);
  // From the call's last reaction: what happened, and what comes next.
  void Ended(const grpc::Status& status, bool received);
  void Record(const ResponseSummary& summary, int64_t now_micros);
  absl::Duration NextDelay(const grpc::Status& status, bool received);

  grpc::GenericStub* const stub_;
  Scheduler* const scheduler_;
  const std::string filter_;
  const ResumePolicy policy_;
  absl::BitGen random_;
  // Touched only by the reactions of the current call (one call at a time,
  // each started after the previous one ended).
  std::vector<Delivery> deliveries_;
  int64_t duplicates_ = 0;
  int64_t resume_after_ = -1;  // -1: from now on
  int64_t first_head_ = -1;
  int refused_ = 0;            // streams in a row that ended before a response
  int64_t refused_total_ = 0;
  std::atomic<int64_t> last_sequence_{0};
  std::atomic<int64_t> last_caught_up_micros_{0};
  std::atomic<int64_t> streams_{0};
  std::atomic<int64_t> stream_answered_micros_{0};
  absl::Mutex mu_;
  Call* call_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  bool idle_ ABSL_GUARDED_BY(mu_) = true;  // no call running or scheduled
};

// True if `status` carries a google.rpc.RetryInfo with a zero retry_delay.
bool AsksToReconnectNow(const grpc::Status& status);

}  // namespace rollcall::bench

#endif  // ROLLCALL_BENCH_RESUMING_SUBSCRIBER_H_
