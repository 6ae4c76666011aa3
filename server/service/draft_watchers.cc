// DraftService.WatchDrafts: one thread lists each stream's drafts when they
// may have changed and writes the differences (see draft_watchers.h).

#include "server/service/draft_watchers.h"

#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "server/common/field_error.h"
#include "server/common/status_macros.h"
#include "server/service/draft_filter.h"
#include "server/service/grpc_status.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

constexpr int kDraftsPerMessage = 100;
constexpr int kListPageSize = 1000;

}  // namespace

class DraftWatchers::Stream final : public grpc::ServerWriteReactor<v1::WatchDraftsResponse> {
 public:
  Stream(DraftWatchers& hub, DraftQuery query) : hub_(hub), query_(std::move(query)) {}

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&hub_.mu_);
    writing_ = false;
    if (!ok) gone_ = true;
    hub_.Wake();
  }
  void OnCancel() override {
    absl::MutexLock lock(&hub_.mu_);
    gone_ = true;
    hub_.Wake();
  }
  // Only after Finish, which the hub's thread calls once it has dropped
  // the stream.
  void OnDone() override { delete this; }

  // Lists the drafts and queues those that changed since the last listing
  // (every one, the first time), then those that stopped matching.
  // Called on the hub's thread only.
  absl::Status Scan(DraftStore& drafts) {
    DraftQuery query = query_;
    query.page_size = kListPageSize;
    query.after.reset();
    std::vector<v1::Draft> changed;
    std::set<std::string> listed;
    while (true) {
      ASSIGN_OR_RETURN(DraftPage page, drafts.ListDrafts(query));
      for (v1::Draft& draft : page.drafts) {
        listed.insert(draft.name());
        std::string& etag = known_[draft.name()];
        if (etag == draft.etag()) continue;
        etag = draft.etag();
        changed.push_back(std::move(draft));
      }
      if (!page.next_after.has_value()) break;
      query.after = page.next_after;
    }
    for (auto it = known_.begin(); it != known_.end();) {
      if (listed.count(it->first) > 0) {
        ++it;
        continue;
      }
      absl::StatusOr<v1::Draft> left = drafts.GetDraft(it->first);
      if (left.ok()) {
        changed.push_back(*std::move(left));
      } else if (!absl::IsNotFound(left.status())) {
        return left.status();
      }
      it = known_.erase(it);
    }
    for (size_t i = 0; i < changed.size(); ++i) {
      if (i % kDraftsPerMessage == 0) outbox_.emplace_back();
      *outbox_.back().add_drafts() = std::move(changed[i]);
    }
    if (!caught_up_) {
      if (outbox_.empty()) outbox_.emplace_back();
      outbox_.back().set_caught_up(true);
      caught_up_ = true;
    }
    return absl::OkStatus();
  }

  // Guarded by the hub's mu_.
  bool writing_ = false;  // a write is outstanding
  bool gone_ = false;     // cancelled, or a write failed
  bool dirty_ = true;     // drafts may have changed since the last Scan

  // The hub's thread only.
  std::deque<v1::WatchDraftsResponse> outbox_;
  v1::WatchDraftsResponse writing_message_;

 private:
  DraftWatchers& hub_;
  const DraftQuery query_;
  std::map<std::string, std::string> known_;  // name -> etag last sent
  bool caught_up_ = false;
};

DraftWatchers::DraftWatchers(DraftStore* drafts, absl::Duration poll_interval)
    : drafts_(drafts), poll_interval_(poll_interval), thread_([this] { Run(); }) {}

DraftWatchers::~DraftWatchers() {
  Stop();
  thread_.join();
}

grpc::ServerWriteReactor<v1::WatchDraftsResponse>* DraftWatchers::Watch(
    const v1::WatchDraftsRequest& request) {
  absl::StatusOr<DraftQuery> query = ParseDraftFilter(request.filter(), "filter");
  auto* stream = new Stream(*this, query.ok() ? *query : DraftQuery{});
  if (!query.ok()) {
    stream->Finish(ToGrpcStatus(query.status()));
    return stream;
  }
  bool refused = false;
  {
    absl::MutexLock lock(&mu_);
    refused = stopping_;
    if (!refused) {
      streams_.push_back(stream);
      Wake();
    }
  }
  if (refused) stream->Finish(ToGrpcStatus(ReconnectNowError("the server is shutting down; reconnect now")));
  return stream;
}

void DraftWatchers::Notify() {
  absl::MutexLock lock(&mu_);
  for (Stream* stream : streams_) stream->dirty_ = true;
  Wake();
}

void DraftWatchers::Stop() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
  Wake();
}

int DraftWatchers::stream_count() {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(streams_.size());
}

void DraftWatchers::Run() {
  mu_.Lock();
  int64_t seen = wakes_;
  absl::Time next_poll = absl::Now() + poll_interval_;
  while (!(stopping_ && streams_.empty())) {
    auto woken = [this, &seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return wakes_ != seen; };
    mu_.AwaitWithDeadline(absl::Condition(&woken), next_poll);
    seen = wakes_;
    if (absl::Now() >= next_poll) {
      for (Stream* stream : streams_) stream->dirty_ = true;
      next_poll = absl::Now() + poll_interval_;
    }
    // Streams are only removed here; Watch() may append meanwhile.
    for (size_t i = 0; i < streams_.size();) {
      Stream* stream = streams_[i];
      if (stream->writing_) {
        ++i;
        continue;
      }
      absl::Status end = absl::OkStatus();
      if (stream->gone_) {
        end = absl::CancelledError("the client went away");
      } else if (stopping_) {
        end = ReconnectNowError("the server is shutting down; reconnect now");
      } else if (stream->outbox_.empty() && stream->dirty_) {
        stream->dirty_ = false;
        mu_.Unlock();
        end = stream->Scan(*drafts_);
        mu_.Lock();
        if (!end.ok()) spdlog::warn("a drafts stream ends: {}", end.ToString());
      }
      if (!end.ok()) {
        streams_.erase(streams_.begin() + static_cast<std::ptrdiff_t>(i));
        mu_.Unlock();
        stream->Finish(ToGrpcStatus(end));
        mu_.Lock();
        continue;
      }
      if (!stream->outbox_.empty()) {
        stream->writing_message_ = std::move(stream->outbox_.front());
        stream->outbox_.pop_front();
        stream->writing_ = true;
        mu_.Unlock();
        stream->StartWrite(&stream->writing_message_);
        mu_.Lock();
      }
      ++i;
    }
  }
  mu_.Unlock();
}

}  // namespace rollcall
