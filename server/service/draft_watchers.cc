// DraftService.WatchDrafts: one thread lists the drafts when they may have
// changed, once for every stream, and writes each stream the differences
// (see draft_watchers.h).

#include "server/service/draft_watchers.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
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

// Whether every draft matching `narrow` meets `wide`'s conditions.
bool Covers(const DraftQuery& wide, const DraftQuery& narrow) {
  return (wide.event.empty() || wide.event == narrow.event) &&
         (wide.state == v1::DRAFT_STATE_UNSPECIFIED || wide.state == narrow.state) &&
         (wide.actor.empty() || wide.actor == narrow.actor) &&
         (wide.document.empty() || wide.document == narrow.document);
}

// Narrows `common` to the conditions it shares with `query`.
void KeepShared(const DraftQuery& query, DraftQuery& common) {
  if (common.event != query.event) common.event.clear();
  if (common.state != query.state) common.state = v1::DRAFT_STATE_UNSPECIFIED;
  if (common.actor != query.actor) common.actor.clear();
  if (common.document != query.document) common.document.clear();
}

// Every draft matching `query`, a page at a time, into `listing`.
absl::Status ListAll(DraftStore& drafts, DraftQuery query, DraftWatchers::Listing& listing) {
  query.page_size = kListPageSize;
  query.after.reset();
  while (true) {
    ASSIGN_OR_RETURN(DraftPage page, drafts.ListDrafts(query));
    for (v1::Draft& draft : page.drafts) {
      listing.index[draft.name()] = listing.drafts.size();
      listing.drafts.push_back(std::move(draft));
    }
    if (!page.next_after.has_value()) return absl::OkStatus();
    query.after = page.next_after;
  }
}

}  // namespace

bool DraftMatches(const DraftQuery& query, const v1::Draft& draft) {
  if (!query.event.empty() && draft.statement().event() != query.event) return false;
  if (query.state != v1::DRAFT_STATE_UNSPECIFIED && draft.state() != query.state) return false;
  if (!query.actor.empty() && draft.statement().actor() != query.actor) return false;
  if (query.document.empty()) return true;
  return std::any_of(draft.evidence().begin(), draft.evidence().end(),
                     [&](const v1::DraftEvidence& e) { return e.document() == query.document; });
}

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

  const DraftQuery& query() const { return query_; }

  // Queues the drafts of `listing` (which Covers this stream's filter)
  // that match the filter and changed since the last listing (every one,
  // the first time), then those that stopped matching. Called on the
  // hub's thread only.
  absl::Status Take(const Listing& listing, DraftStore& drafts) {
    std::vector<v1::Draft> changed;
    std::set<std::string> matching;
    for (const v1::Draft& draft : listing.drafts) {
      if (!DraftMatches(query_, draft)) continue;
      matching.insert(draft.name());
      std::string& etag = known_[draft.name()];
      if (etag == draft.etag()) continue;
      etag = draft.etag();
      changed.push_back(draft);
    }
    for (auto it = known_.begin(); it != known_.end();) {
      if (matching.count(it->first) > 0) {
        ++it;
        continue;
      }
      // Listed without matching, or outside the listing's conditions.
      const auto listed = listing.index.find(it->first);
      if (listed != listing.index.end()) {
        changed.push_back(listing.drafts[listed->second]);
      } else {
        absl::StatusOr<v1::Draft> left = drafts.GetDraft(it->first);
        if (left.ok()) {
          changed.push_back(*std::move(left));
        } else if (!absl::IsNotFound(left.status())) {
          return left.status();
        }
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
  // The least number of a listing the stream still has to take, -1 if
  // none: drafts may have changed since the last it took.
  int64_t wanted_listing_ = 0;

  // The hub's thread only.
  std::deque<v1::WatchDraftsResponse> outbox_;
  v1::WatchDraftsResponse writing_message_;

 private:
  DraftWatchers& hub_;
  const DraftQuery query_;
  std::map<std::string, std::string> known_;  // name -> etag last sent
  bool caught_up_ = false;
};

DraftWatchers::DraftWatchers(DraftStore* drafts, absl::Duration relist_interval)
    : drafts_(drafts), relist_interval_(relist_interval), thread_([this] { Run(); }) {}

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
      stream->wanted_listing_ = next_listing_;
      streams_.push_back(stream);
      Wake();
    }
  }
  if (refused) stream->Finish(ToGrpcStatus(ReconnectNowError("the server is shutting down; reconnect now")));
  return stream;
}

void DraftWatchers::Notify() {
  absl::MutexLock lock(&mu_);
  WantListing();
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

void DraftWatchers::WantListing() {
  for (Stream* stream : streams_) {
    if (stream->wanted_listing_ < 0) stream->wanted_listing_ = next_listing_;
  }
}

bool DraftWatchers::Ready(const Stream& stream) {
  return !stream.writing_ && !stream.gone_ && stream.outbox_.empty();
}

bool DraftWatchers::NeedsNewListing(const Stream& stream) {
  return stream.wanted_listing_ >= 0 &&
         (listing_.number < stream.wanted_listing_ || !Covers(listing_.query, stream.query()));
}

void DraftWatchers::List() {
  // The conditions every open stream's filter shares, so that the listing
  // serves the streams that are writing now, when they are done.
  DraftQuery common;
  bool first = true;
  for (const Stream* stream : streams_) {
    if (stream->gone_) continue;
    if (first) common = stream->query();
    KeepShared(stream->query(), common);
    first = false;
  }
  Listing listing;
  listing.number = next_listing_++;
  listing.query = common;
  mu_.Unlock();
  const absl::Status listed = ListAll(*drafts_, common, listing);
  mu_.Lock();
  if (listed.ok()) {
    listing_ = std::move(listing);
    return;
  }
  spdlog::warn("drafts streams end: listing the drafts failed: {}", listed.ToString());
  for (size_t i = 0; i < streams_.size();) {
    if (Ready(*streams_[i]) && NeedsNewListing(*streams_[i])) {
      End(i, listed);
    } else {
      ++i;
    }
  }
}

void DraftWatchers::End(size_t i, const absl::Status& status) {
  Stream* stream = streams_[i];
  streams_.erase(streams_.begin() + static_cast<std::ptrdiff_t>(i));
  mu_.Unlock();
  stream->Finish(ToGrpcStatus(status));
  mu_.Lock();
}

void DraftWatchers::Run() {
  mu_.Lock();
  int64_t seen = wakes_;
  absl::Time next_relist = absl::Now() + relist_interval_;
  while (!(stopping_ && streams_.empty())) {
    auto woken = [this, &seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return wakes_ != seen; };
    mu_.AwaitWithDeadline(absl::Condition(&woken), next_relist);
    seen = wakes_;
    if (absl::Now() >= next_relist) {
      WantListing();
      next_relist = absl::Now() + relist_interval_;
    }
    if (!stopping_ && std::any_of(streams_.begin(), streams_.end(), [this](Stream* stream) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return Ready(*stream) && NeedsNewListing(*stream);
        })) {
      List();
    }
    // Streams are only removed here; Watch() may append meanwhile.
    for (size_t i = 0; i < streams_.size();) {
      Stream* stream = streams_[i];
      if (stream->writing_) {
        ++i;
        continue;
      }
      if (stream->gone_ || stopping_) {
        End(i, stream->gone_ ? absl::CancelledError("the client went away")
                             : ReconnectNowError("the server is shutting down; reconnect now"));
        continue;
      }
      if (Ready(*stream) && stream->wanted_listing_ >= 0 && !NeedsNewListing(*stream)) {
        stream->wanted_listing_ = -1;
        mu_.Unlock();
        const absl::Status taken = stream->Take(listing_, *drafts_);
        mu_.Lock();
        if (!taken.ok()) {
          spdlog::warn("a drafts stream ends: {}", taken.ToString());
          End(i, taken);
          continue;
        }
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
