#include "server/feed/change_feed.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "server/common/field_error.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

constexpr int kTailBatch = 1024;

absl::StatusOr<v1::Statement> ParseStatement(const LoggedChange& change) {
  v1::Statement statement;
  if (!statement.ParseFromString(change.statement)) {
    return absl::DataLossError(absl::StrCat(
        "the log holds an unreadable statement at sequence ", change.sequence));
  }
  return statement;
}

// The next message for a subscription: the front of its queue as it is when
// it stands alone (no copy: a change's message is shared by all
// subscribers), otherwise the queued changes concatenated into one message,
// up to `max_changes` and `max_bytes`, ending at a caught_up marker.
WireMessage NextMessage(std::deque<QueuedMessage>& queued, size_t max_changes,
                        size_t max_bytes) {
  using Kind = QueuedMessage::Kind;
  if (queued.size() == 1 || queued.front().kind != Kind::kChange) {
    WireMessage message = std::move(queued.front().message);
    queued.pop_front();
    return message;
  }
  // The messages merged: changes up to the cap, and a caught_up after them.
  size_t count = 0;
  size_t changes = 0;
  size_t bytes = 0;
  for (const QueuedMessage& next : queued) {
    if (next.kind == Kind::kHeartbeat || changes == max_changes) break;
    if (count > 0 && bytes + next.message->size() > max_bytes) break;
    ++count;
    bytes += next.message->size();
    if (next.kind == Kind::kCaughtUp) break;
    ++changes;
  }
  auto batch = std::make_shared<std::string>();
  batch->reserve(bytes);
  for (size_t i = 0; i < count; ++i) {
    batch->append(*queued.front().message);
    queued.pop_front();
  }
  return batch;
}

}  // namespace

ChangeFeed::ChangeFeed(Store* store, FeedOptions options)
    : store_(store), options_(options) {
  for (int i = 0; i < std::max(1, options_.delivery_threads); ++i)
    shards_.push_back(std::make_unique<DeliveryShard>());
  const int64_t head = store_->HeadSequence();
  absl::MutexLock window_lock(&window_mu_);
  head_ = head;
  absl::MutexLock lock(&mu_);
  committed_head_ = head;
}

ChangeFeed::~ChangeFeed() { Stop(); }

void ChangeFeed::Start() {
  absl::MutexLock lock(&mu_);
  if (started_ || stopping_) return;
  started_ = true;
  tail_thread_ = std::thread([this] { TailLoop(); });
  replay_thread_ = std::thread([this] { ReplayLoop(); });
  heartbeat_thread_ = std::thread([this] { HeartbeatLoop(); });
  for (size_t i = 1; i < shards_.size(); ++i) {
    DeliveryShard& shard = *shards_[i];
    shard.thread = std::thread([this, &shard] { DeliveryLoop(shard); });
  }
}

void ChangeFeed::AwaitWindowFilled() {
  absl::MutexLock lock(&mu_);
  auto done = [&] { return window_filled_ || stopping_ || !started_; };
  mu_.Await(absl::Condition(&done));
}

void ChangeFeed::OnCommit(int64_t head) {
  absl::MutexLock lock(&mu_);
  committed_head_ = std::max(committed_head_, head);
}

int64_t ChangeFeed::head() const {
  absl::ReaderMutexLock lock(&window_mu_);
  return head_;
}

size_t ChangeFeed::window_changes() const {
  absl::ReaderMutexLock lock(&window_mu_);
  return window_.size();
}

size_t ChangeFeed::subscription_count() const {
  absl::MutexLock lock(&mu_);
  return subscriptions_.size();
}

size_t ChangeFeed::replaying_count() const {
  size_t count = 0;
  for (const auto& s : Snapshot()) {
    absl::MutexLock lock(&s->mu_);
    count += s->replay_scheduled_ ? 1 : 0;
  }
  return count;
}

std::vector<std::shared_ptr<Subscription>> ChangeFeed::Snapshot() const {
  absl::MutexLock lock(&mu_);
  return {subscriptions_.begin(), subscriptions_.end()};
}

void ChangeFeed::Prefill(int64_t head) {
  const absl::Time start = absl::Now();
  const int64_t from = std::max<int64_t>(0, head - static_cast<int64_t>(options_.window_size));
  std::deque<WindowEntry> entries;
  for (int64_t after = from; after < head;) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    absl::StatusOr<std::vector<LoggedChange>> changes = store_->ReadChanges(after, kTailBatch);
    if (!changes.ok() || changes->empty()) return;  // the window fills as usual
    for (const LoggedChange& change : *changes) {
      if (change.sequence > head) break;
      absl::StatusOr<v1::Statement> statement = ParseStatement(change);
      if (!statement.ok()) return;
      entries.push_back({change.sequence, *std::move(statement), ChangeMessage(change)});
    }
    after = changes->back().sequence;
  }
  if (entries.empty() || entries.back().sequence != head) return;
  absl::MutexLock lock(&window_mu_);
  // Only the tail thread (this one) appends, and it has not yet: the window
  // is still empty at `head`, and the entries end there, contiguous.
  if (window_.empty() && head_ == head) window_ = std::move(entries);
  spdlog::info("feed: window filled with the {} changes up to {} in {}", window_.size(),
               head, absl::FormatDuration(absl::Now() - start));
}

void ChangeFeed::TailLoop() {
  int64_t read_up_to = head();
  Prefill(read_up_to);
  {
    absl::MutexLock lock(&mu_);
    window_filled_ = true;
  }
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [&] { return stopping_ || committed_head_ > read_up_to; };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
    }
    absl::StatusOr<std::vector<LoggedChange>> changes =
        store_->ReadChanges(read_up_to, kTailBatch);
    // Parsed and serialized here, once for every subscriber.
    std::vector<WindowEntry> entries;
    if (changes.ok()) {
      entries.reserve(changes->size());
      for (const LoggedChange& change : *changes) {
        absl::StatusOr<v1::Statement> statement = ParseStatement(change);
        if (!statement.ok()) {
          changes = statement.status();
          break;
        }
        entries.push_back(
            {change.sequence, *std::move(statement), ChangeMessage(change)});
      }
    }
    if (!changes.ok() || entries.empty()) {
      if (!changes.ok())
        spdlog::error("feed: reading the log failed: {}", changes.status().ToString());
      absl::MutexLock lock(&mu_);
      auto stopping = [&] { return stopping_; };
      mu_.AwaitWithTimeout(absl::Condition(&stopping), absl::Milliseconds(100));
      continue;
    }
    absl::flat_hash_set<std::string> events;
    {
      absl::MutexLock lock(&window_mu_);
      for (WindowEntry& entry : entries) {
        read_up_to = entry.sequence;
        events.insert(entry.statement.event());
        window_.push_back(std::move(entry));
      }
      while (window_.size() > options_.window_size) window_.pop_front();
      head_ = read_up_to;
    }
    Deliver(Interested(events));
  }
}

void ChangeFeed::Deliver(std::vector<std::shared_ptr<Subscription>> woken) {
  // Dealt out in turn rather than by a fixed assignment, so that the
  // subscriptions of one event (often opened together) spread evenly.
  std::vector<std::vector<std::shared_ptr<Subscription>>> parts(shards_.size());
  size_t next = 0;
  for (std::shared_ptr<Subscription>& s : woken) {
    if (s->delivery_pending_.exchange(true)) continue;  // a shard has it
    parts[next++ % parts.size()].push_back(std::move(s));
  }
  for (size_t i = 1; i < shards_.size(); ++i) {
    if (parts[i].empty()) continue;
    absl::MutexLock lock(&shards_[i]->mu);
    auto& pending = shards_[i]->pending;
    pending.insert(pending.end(), std::make_move_iterator(parts[i].begin()),
                   std::make_move_iterator(parts[i].end()));
  }
  KickAll(parts[0]);
}

void ChangeFeed::KickAll(const std::vector<std::shared_ptr<Subscription>>& batch) {
  for (const auto& s : batch) {
    // Cleared before the kick: a commit after this point deals it again.
    s->delivery_pending_.store(false);
    Kick(s);
  }
}

void ChangeFeed::DeliveryLoop(DeliveryShard& shard) {
  std::vector<std::shared_ptr<Subscription>> batch;
  while (true) {
    {
      absl::MutexLock lock(&shard.mu);
      auto ready = [&shard]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu) {
        return shard.stopping || !shard.pending.empty();
      };
      shard.mu.Await(absl::Condition(&ready));
      if (shard.stopping) return;
      batch.swap(shard.pending);
    }
    KickAll(batch);
    batch.clear();
  }
}

std::shared_ptr<Subscription> ChangeFeed::Subscribe(StatementFilter filter,
                                                    ActorFacts facts,
                                                    int64_t after_sequence,
                                                    absl::Duration heartbeat_interval,
                                                    SubscriptionSink* sink) {
  // The store's head, not the window's: the tail may not have read the
  // latest commits yet, and the replay is not over before they are sent.
  const int64_t catch_up_to = std::max(after_sequence, store_->HeadSequence());
  auto s =
      std::make_shared<Subscription>(std::move(filter), std::move(facts), after_sequence,
                                     catch_up_to, heartbeat_interval, sink);
  absl::MutexLock lock(&mu_);
  if (stopping_) return nullptr;
  subscriptions_.insert(s);
  awaiting_caught_up_.emplace(s.get(), s);
  if (s->filter_.events.empty()) {
    any_event_.insert(s);
  } else {
    for (const std::string& event : s->filter_.events) by_event_[event].insert(s);
  }
  return s;
}

void ChangeFeed::Kick(const std::shared_ptr<Subscription>& s) {
  WireMessage message;
  bool needs_replay = false;
  {
    absl::MutexLock lock(&s->mu_);
    if (s->closed_ || s->in_flight_ != nullptr) return;
    if (s->queued_.empty()) needs_replay = Refill(*s);
    if (!s->queued_.empty()) {
      s->in_flight_ =
          NextMessage(s->queued_, options_.max_queued, options_.max_message_bytes);
      s->last_write_micros_.store(absl::ToUnixMicros(absl::Now()),
                                  std::memory_order_relaxed);
      message = s->in_flight_;
    }
  }
  if (needs_replay) ScheduleReplay(s);
  // Outside the lock: the sink may complete the write on another thread.
  if (message != nullptr) s->sink_->WriteMessage(message);
}

bool ChangeFeed::Refill(Subscription& s) {
  if (s.replay_scheduled_) return false;
  absl::ReaderMutexLock lock(&window_mu_);
  if (s.cursor_ < head_) {
    const int64_t window_start = window_.empty() ? head_ + 1 : window_.front().sequence;
    if (s.cursor_ + 1 < window_start) {
      s.replay_scheduled_ = true;
      return true;
    }
    size_t index = static_cast<size_t>(s.cursor_ + 1 - window_start);
    while (index < window_.size() && s.queued_.size() < options_.max_queued) {
      const WindowEntry& entry = window_[index++];
      s.cursor_ = entry.sequence;
      if (s.Matches(entry.statement)) {
        s.queued_.push_back({QueuedMessage::Kind::kChange, entry.message});
      }
    }
  }
  s.published_cursor_.store(s.cursor_, std::memory_order_relaxed);
  if (s.cursor_ >= head_ && s.cursor_ >= s.catch_up_to_ && !s.caught_up_sent_) {
    s.queued_.push_back({QueuedMessage::Kind::kCaughtUp, CaughtUpMessage(s.cursor_)});
    s.caught_up_sent_ = true;
    absl::MutexLock lock(&mu_);
    awaiting_caught_up_.erase(&s);
  }
  return false;
}

void ChangeFeed::ScheduleReplay(const std::shared_ptr<Subscription>& s) {
  absl::MutexLock lock(&mu_);
  replay_queue_.push_back(s);
}

void ChangeFeed::ReplayLoop() {
  while (true) {
    std::shared_ptr<Subscription> s;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [&] { return stopping_ || !replay_queue_.empty(); };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
      s = std::move(replay_queue_.front());
      replay_queue_.pop_front();
    }
    ReplayStep(s);
    Kick(s);
    // Read the next batch while this one is on the wire. Only while a write
    // is in flight: its completion sends what this queues.
    bool needs_replay = false;
    {
      absl::MutexLock lock(&s->mu_);
      if (!s->closed_ && !s->replay_scheduled_ && s->in_flight_ != nullptr &&
          s->queued_.empty()) {
        needs_replay = Refill(*s);
      }
    }
    if (needs_replay) ScheduleReplay(s);
  }
}

void ChangeFeed::ReplayStep(const std::shared_ptr<Subscription>& s) {
  int64_t cursor;
  size_t limit;
  {
    absl::MutexLock lock(&s->mu_);
    if (s->closed_) return;
    cursor = s->cursor_;
    // Read no more than the queue can take: rows read but not queued would
    // be read again by the next step.
    limit = options_.max_queued - std::min(options_.max_queued, s->queued_.size());
    if (limit == 0) {
      s->replay_scheduled_ = false;
      return;
    }
  }
  // While the replay is scheduled this thread alone moves the cursor and
  // only Kick takes from the queue, so rows are matched and encoded without
  // the subscription's lock.
  absl::StatusOr<std::vector<LoggedChange>> changes =
      store_->ReadChanges(cursor, static_cast<int>(limit));
  std::vector<QueuedMessage> matched;
  absl::Status status = changes.status();
  if (status.ok()) {
    matched.reserve(changes->size());
    for (const LoggedChange& change : *changes) {
      if (!s->MatchesEverything()) {
        absl::StatusOr<v1::Statement> statement = ParseStatement(change);
        if (!statement.ok()) {
          status = statement.status();
          break;
        }
        if (!s->Matches(*statement)) {
          cursor = change.sequence;
          continue;
        }
      }
      matched.push_back({QueuedMessage::Kind::kChange, ChangeMessage(change)});
      cursor = change.sequence;
    }
  }
  if (!status.ok()) {
    spdlog::error("feed: replay read failed: {}", status.ToString());
    {
      absl::MutexLock lock(&s->mu_);
      s->replay_scheduled_ = false;
    }
    Close(s, absl::UnavailableError(absl::StrCat("reading the log failed (",
                                                 status.message(),
                                                 "); resume after the last sequence")));
    return;
  }
  absl::MutexLock lock(&s->mu_);
  s->replay_scheduled_ = false;
  if (s->closed_) return;
  for (QueuedMessage& message : matched) s->queued_.push_back(std::move(message));
  s->cursor_ = cursor;
  s->published_cursor_.store(cursor, std::memory_order_relaxed);
}

void ChangeFeed::HeartbeatLoop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto stopping = [&] { return stopping_; };
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping), options_.heartbeat_tick))
        return;
    }
    const int64_t now = absl::ToUnixMicros(absl::Now());
    const int64_t head = this->head();
    // Far enough behind that the window might drop changes it has not
    // scanned: move it along now rather than replay them from the store.
    const int64_t lag_limit = static_cast<int64_t>(options_.window_size / 2);
    for (const auto& s : Snapshot()) {
      const bool due = now - s->last_write_micros_.load(std::memory_order_relaxed) >=
                       absl::ToInt64Microseconds(s->heartbeat_interval_);
      const bool lagging =
          head - s->published_cursor_.load(std::memory_order_relaxed) > lag_limit;
      if (due) {
        MaybeHeartbeat(s, now);
      } else if (lagging) {
        Kick(s);
      }
    }
  }
}

void ChangeFeed::MaybeHeartbeat(const std::shared_ptr<Subscription>& s,
                                int64_t now_micros) {
  bool needs_replay = false;
  {
    absl::MutexLock lock(&s->mu_);
    if (s->closed_ || s->in_flight_ != nullptr || !s->queued_.empty() ||
        s->replay_scheduled_) {
      return;
    }
    needs_replay = Refill(*s);
    if (!needs_replay && s->queued_.empty() && s->caught_up_sent_) {
      s->queued_.push_back(
          {QueuedMessage::Kind::kHeartbeat,
           HeartbeatMessage(s->cursor_, absl::FromUnixMicros(now_micros))});
    }
  }
  if (needs_replay) ScheduleReplay(s);
  Kick(s);
}

void ChangeFeed::OnWriteDone(const std::shared_ptr<Subscription>& s, bool ok) {
  absl::Status finish_status;
  bool finish = false;
  {
    absl::MutexLock lock(&s->mu_);
    s->in_flight_.reset();
    if (!ok && !s->closed_) {
      s->closed_ = true;
      s->close_status_ = absl::CancelledError("the stream broke");
    }
    if (s->closed_ && !s->finished_) {
      s->finished_ = true;
      finish = true;
      finish_status = s->close_status_;
    }
  }
  if (finish) {
    s->sink_->FinishStream(finish_status);
  } else {
    Kick(s);
  }
}

void ChangeFeed::Close(const std::shared_ptr<Subscription>& s, absl::Status status) {
  {
    absl::MutexLock lock(&s->mu_);
    if (s->closed_) return;
    s->closed_ = true;
    s->close_status_ = status;
    s->queued_.clear();
    if (s->in_flight_ != nullptr) return;  // OnWriteDone finishes it.
    s->finished_ = true;
  }
  s->sink_->FinishStream(status);
}

void ChangeFeed::Remove(const std::shared_ptr<Subscription>& s) {
  absl::MutexLock lock(&mu_);
  subscriptions_.erase(s);
  awaiting_caught_up_.erase(s.get());
  any_event_.erase(s);
  for (const std::string& event : s->filter_.events) {
    auto bucket = by_event_.find(event);
    if (bucket == by_event_.end()) continue;
    bucket->second.erase(s);
    if (bucket->second.empty()) by_event_.erase(bucket);
  }
}

std::vector<std::shared_ptr<Subscription>> ChangeFeed::Interested(
    const absl::flat_hash_set<std::string>& events) const {
  absl::MutexLock lock(&mu_);
  // Those the change may concern first, then those still catching up: after
  // a restart thousands of resuming subscriptions can be awaiting caught_up
  // at once, and the change must not wait behind their kicks. (Each
  // delivery thread kicks its share in this order.)
  std::vector<std::shared_ptr<Subscription>> interested(any_event_.begin(),
                                                        any_event_.end());
  // Subscriptions in an event bucket are never in any_event_.
  absl::flat_hash_set<Subscription*> seen;
  for (const std::string& event : events) {
    auto bucket = by_event_.find(event);
    if (bucket == by_event_.end()) continue;
    for (const auto& s : bucket->second) {
      if (seen.insert(s.get()).second) interested.push_back(s);
    }
  }
  // Still replaying: the head moved, so caught_up may now be due.
  for (const auto& [raw, s] : awaiting_caught_up_) {
    if (!raw->filter_.events.empty() && seen.insert(raw).second) interested.push_back(s);
  }
  return interested;
}

void ChangeFeed::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  if (tail_thread_.joinable()) tail_thread_.join();
  if (replay_thread_.joinable()) replay_thread_.join();
  if (heartbeat_thread_.joinable()) heartbeat_thread_.join();
  for (const auto& shard : shards_) {
    {
      absl::MutexLock lock(&shard->mu);
      shard->stopping = true;
    }
    if (shard->thread.joinable()) shard->thread.join();
  }
  for (const auto& s : Snapshot()) {
    Close(s, ReconnectNowError("the server is shutting down; reconnect now and resume "
                               "after the last sequence received"));
  }
}

}  // namespace rollcall
