#ifndef ROLLCALL_SERVER_FEED_SUBSCRIPTION_H_
#define ROLLCALL_SERVER_FEED_SUBSCRIPTION_H_

// One subscriber's state inside the ChangeFeed, and the sink it writes to.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "rollcall/v1/statement.pb.h"
#include "server/feed/wire_message.h"
#include "server/filter/statement_filter.h"

namespace rollcall {

// Where a subscription's messages go: the gRPC stream. The feed calls
// WriteMessage with at most one write outstanding (the sink reports
// completion through ChangeFeed::OnWriteDone) and FinishStream exactly once,
// never while a write is outstanding. The message's bytes may be shared with
// other subscriptions: the sink must not change them.
class SubscriptionSink {
 public:
  virtual ~SubscriptionSink() = default;
  virtual void WriteMessage(const WireMessage& message) = 0;
  virtual void FinishStream(const absl::Status& status) = 0;
};

// A message waiting in a subscription's queue. Queued changes are merged
// into one message; a caught_up ends the message it is merged into; a
// heartbeat goes alone.
struct QueuedMessage {
  enum class Kind { kChange, kCaughtUp, kHeartbeat };
  Kind kind;
  WireMessage message;
};

class Subscription {
 public:
  // `catch_up_to` is the log's head when the subscription starts: the
  // replay is over, and caught_up is sent, once the cursor reaches it.
  Subscription(StatementFilter filter, ActorFacts facts, int64_t cursor,
               int64_t catch_up_to, absl::Duration heartbeat_interval,
               SubscriptionSink* sink)
      : filter_(std::move(filter)),
        facts_(std::move(facts)),
        heartbeat_interval_(heartbeat_interval),
        sink_(sink),
        catch_up_to_(catch_up_to),
        cursor_(cursor) {}

  bool Matches(const v1::Statement& statement) const {
    return rollcall::Matches(filter_, statement, facts_);
  }
  // True if every change matches, so a stored statement can be forwarded
  // without being parsed.
  bool MatchesEverything() const { return filter_.Empty(); }

 private:
  friend class ChangeFeed;

  const StatementFilter filter_;
  const ActorFacts facts_;
  const absl::Duration heartbeat_interval_;
  SubscriptionSink* const sink_;
  const int64_t catch_up_to_;
  // Set while the subscription waits for a delivery thread to kick it, so
  // that commits arriving faster than the thread delivers add it once.
  std::atomic<bool> delivery_pending_{false};

  absl::Mutex mu_;
  // Every matching change with sequence <= cursor_ is queued or delivered.
  int64_t cursor_ ABSL_GUARDED_BY(mu_);
  std::deque<QueuedMessage> queued_ ABSL_GUARDED_BY(mu_);
  // The message being written; kept alive until its write completes.
  WireMessage in_flight_ ABSL_GUARDED_BY(mu_);
  bool caught_up_sent_ ABSL_GUARDED_BY(mu_) = false;
  bool replay_scheduled_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status close_status_ ABSL_GUARDED_BY(mu_);
  // When the last message was handed to the sink, in Unix microseconds.
  // Written under mu_; read without it by the heartbeat scan.
  std::atomic<int64_t> last_write_micros_{absl::ToUnixMicros(absl::Now())};
  // A copy of cursor_ for the heartbeat scan, which reads it without mu_.
  std::atomic<int64_t> published_cursor_{0};
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_FEED_SUBSCRIPTION_H_
