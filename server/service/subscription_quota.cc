#include "server/service/subscription_quota.h"

#include "absl/strings/str_cat.h"

namespace rollcall {

absl::StatusOr<std::unique_ptr<SubscriptionQuota::Slot>> SubscriptionQuota::Acquire(
    const std::string& peer) {
  absl::MutexLock lock(&mu_);
  if (limits_.max_total > 0 && total_ >= limits_.max_total) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the server has its maximum of ", limits_.max_total,
                     " open subscriptions; retry later or connect to another instance"));
  }
  int& mine = per_peer_[peer];
  if (limits_.max_per_connection > 0 && mine >= limits_.max_per_connection) {
    if (mine == 0) per_peer_.erase(peer);
    return absl::ResourceExhaustedError(absl::StrCat(
        "this connection has its maximum of ", limits_.max_per_connection,
        " open subscriptions; close one, or merge filters into one subscription"));
  }
  ++mine;
  ++total_;
  return std::make_unique<Slot>(this, peer);
}

void SubscriptionQuota::Release(const std::string& peer) {
  absl::MutexLock lock(&mu_);
  --total_;
  auto it = per_peer_.find(peer);
  if (it != per_peer_.end() && --it->second <= 0) per_peer_.erase(it);
}

}  // namespace rollcall
