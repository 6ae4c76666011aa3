#ifndef ROLLCALL_SERVER_FEED_CHANGE_FEED_H_
#define ROLLCALL_SERVER_FEED_CHANGE_FEED_H_

// ChangeFeed follows the store's commit log and fans each change out to the
// subscriptions whose filter it matches.
//
// How it works. A tail thread, woken by the store's commit notification
// (never by a timer), reads new changes in sequence order and appends them
// to a bounded in-memory window of recent changes, each parsed once (for
// matching) and serialized once (the wire message every subscriber shares).
// Each Subscription has a cursor: every matching change with a sequence up
// to the cursor has been queued for it. A subscription whose cursor is
// inside the window takes changes from the window; one behind the window (a
// resume from long ago, or a reader slower than the writers) is served from
// the store by a replay thread, a batch at a time, until it reaches the
// window again. At start the window is filled with the last stored changes
// (before the server accepts connections: AwaitWindowFilled), so that the
// subscriptions a restart sends back are served from memory. Because both
// paths advance the same cursor and the window is contiguous, nothing is
// skipped or repeated at either seam.
//
// Delivery runs on several threads: after a commit the tail thread deals
// the subscriptions it must wake out to `delivery_threads` shards, hands
// each shard to its thread, and starts the writes of the first shard
// itself. Starting a write is a gRPC batch (often a sendmsg, and a wake-up
// of the thread that runs its completion); done in series by one thread
// that the woken threads preempt, a change reached the last of 1,000
// subscribers tens of milliseconds after the first.
//
// Each subscription has at most one write in flight and a small bounded
// queue, so a stalled client holds a few messages, never the stream of
// changes: writers and other subscribers never wait for it.

#include <cstdint>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "rollcall/v1/statement.pb.h"
#include "server/feed/subscription.h"
#include "server/feed/wire_message.h"
#include "server/filter/statement_filter.h"
#include "server/store/store.h"

namespace rollcall {

struct FeedOptions {
  // Changes kept in memory for live delivery.
  size_t window_size = 8192;
  // Changes queued per subscription beyond the message being written; also
  // the most changes merged into one message, and the most read from the
  // store per replay step. Replay throughput depends on it (per message,
  // not per change, gRPC costs several thread wake-ups); memory held for a
  // stalled subscriber grows with it.
  size_t max_queued = 512;
  // The most bytes merged into one message (a single change may exceed
  // it), well under gRPC's default 4 MiB limit on received messages.
  size_t max_message_bytes = 1 << 20;
  // Threads that start subscriptions' writes after a commit, the tail
  // thread included (so 1 means the tail alone).
  int delivery_threads = 2;
  // How often the heartbeat thread looks for idle streams (and moves the
  // cursors of subscriptions no recent commit matched).
  absl::Duration heartbeat_tick = absl::Milliseconds(50);
};

class ChangeFeed {
 public:
  // `store` must outlive the feed. Call Start() before subscribing and wire
  // store->SetCommitListener to OnCommit.
  ChangeFeed(Store* store, FeedOptions options);
  ~ChangeFeed();  // Stops.

  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // Starts the tail, replay and heartbeat threads.
  void Start();

  // Waits until the tail thread has filled the window at start (or found
  // nothing to fill it with), or until Stop(). The server calls it before it
  // accepts connections: the subscriptions a restart sends back are then
  // served from memory from the first, and the first commit is read at
  // once, not behind the fill.
  void AwaitWindowFilled();

  // Called by the store after each durable commit. Cheap; never blocks on I/O.
  void OnCommit(int64_t head);

  // Registers a subscription that will deliver, to `sink`, every change
  // after `after_sequence` matching `filter`, then a CaughtUp, then live
  // changes, and heartbeats while idle. Nothing is written until Kick() is
  // called, so the caller can keep the handle first. The caller has checked
  // that after_sequence is not beyond the store's head. Returns nullptr after
  // Stop().
  std::shared_ptr<Subscription> Subscribe(StatementFilter filter, ActorFacts facts,
                                          int64_t after_sequence,
                                          absl::Duration heartbeat_interval,
                                          SubscriptionSink* sink);

  // Writes the subscription's next message if none is in flight.
  void Kick(const std::shared_ptr<Subscription>& subscription);

  // The sink reports that its write finished (ok=false: the stream broke).
  void OnWriteDone(const std::shared_ptr<Subscription>& subscription, bool ok);

  // Ends a subscription with `status` (the client cancelled, or the stream
  // broke). The sink is finished once, after any write in flight completes.
  void Close(const std::shared_ptr<Subscription>& subscription, absl::Status status);

  // Forgets a subscription whose stream is done (after the sink's Finish).
  void Remove(const std::shared_ptr<Subscription>& subscription);

  // Joins the threads and ends every subscription with UNAVAILABLE carrying
  // a zero google.rpc.RetryInfo (ReconnectNowError): clients resubscribe at
  // once, elsewhere or here once the server is back. Idempotent.
  void Stop();

  // The last sequence in the window: every change up to it is visible to
  // subscriptions.
  int64_t head() const;
  size_t subscription_count() const;
  // Changes held in the window (at most FeedOptions::window_size).
  size_t window_changes() const;
  // Subscriptions currently served from the store rather than the window.
  size_t replaying_count() const;

 private:
  // A change in the window: parsed for matching, serialized for the wire.
  struct WindowEntry {
    int64_t sequence;
    v1::Statement statement;
    WireMessage message;
  };

  // The subscriptions one delivery thread wakes after commits.
  struct DeliveryShard {
    absl::Mutex mu;
    std::vector<std::shared_ptr<Subscription>> pending ABSL_GUARDED_BY(mu);
    bool stopping ABSL_GUARDED_BY(mu) = false;
    std::thread thread;  // None for shard 0: the tail thread serves it.
  };

  // Fills the empty window with the stored changes up to `head` (at most
  // window_size), so that subscriptions resuming shortly before the head —
  // every client after a restart — are served from memory, not each by a
  // replay from the store. Run by the tail thread before it reads on.
  void Prefill(int64_t head);
  void TailLoop();
  // Kicks `woken` (subscriptions a commit may concern), each on its
  // shard's thread.
  void Deliver(std::vector<std::shared_ptr<Subscription>> woken);
  void DeliveryLoop(DeliveryShard& shard);
  void KickAll(const std::vector<std::shared_ptr<Subscription>>& batch);
  void ReplayLoop();
  void HeartbeatLoop();

  // Queues messages for `s` from the window. Returns true if `s` is behind
  // the window and needs a replay from the store.
  bool Refill(Subscription& s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu_);
  void ScheduleReplay(const std::shared_ptr<Subscription>& s);
  void ReplayStep(const std::shared_ptr<Subscription>& s);
  std::vector<std::shared_ptr<Subscription>> Snapshot() const;
  // The subscriptions that may match a change to one of `events`, then
  // those still awaiting caught_up (the head moved, so it may now be due).
  std::vector<std::shared_ptr<Subscription>> Interested(
      const absl::flat_hash_set<std::string>& events) const;
  // Queues a heartbeat for `s` if it is idle and one is due; advances its
  // cursor through the window first, so the heartbeat carries the head.
  void MaybeHeartbeat(const std::shared_ptr<Subscription>& s, int64_t now_micros);

  Store* const store_;
  const FeedOptions options_;

  mutable absl::Mutex window_mu_;
  std::deque<WindowEntry> window_ ABSL_GUARDED_BY(window_mu_);
  int64_t head_ ABSL_GUARDED_BY(window_mu_) = 0;

  mutable absl::Mutex mu_;
  int64_t committed_head_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool window_filled_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_set<std::shared_ptr<Subscription>> subscriptions_ ABSL_GUARDED_BY(mu_);
  // Subscriptions indexed by the events their filter restricts to, and
  // those that follow every event: after a commit only the subscriptions
  // that may match it are woken, not all of them. The others catch up
  // lazily (heartbeat scan, or their next matching commit).
  absl::flat_hash_map<std::string, absl::flat_hash_set<std::shared_ptr<Subscription>>>
      by_event_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::shared_ptr<Subscription>> any_event_ ABSL_GUARDED_BY(mu_);
  // Subscriptions that have not sent caught_up yet; woken on every commit.
  absl::flat_hash_map<Subscription*, std::shared_ptr<Subscription>> awaiting_caught_up_
      ABSL_GUARDED_BY(mu_);
  std::deque<std::shared_ptr<Subscription>> replay_queue_ ABSL_GUARDED_BY(mu_);

  // Fixed at construction; shards_[0] is served by the tail thread.
  std::vector<std::unique_ptr<DeliveryShard>> shards_;

  std::thread tail_thread_;
  std::thread replay_thread_;
  std::thread heartbeat_thread_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_FEED_CHANGE_FEED_H_
