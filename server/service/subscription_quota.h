#ifndef ROLLCALL_SERVER_SERVICE_SUBSCRIPTION_QUOTA_H_
#define ROLLCALL_SERVER_SERVICE_SUBSCRIPTION_QUOTA_H_

// Counts open subscriptions, in total and per connection, against their
// limits. A connection is identified by gRPC's peer string
// ("ipv4:10.0.0.7:53412"): one client transport, so one channel's
// subscriptions share a count while separate channels each have their own.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace rollcall {

struct SubscriptionLimits {
  // 0 means no limit.
  int max_total = 0;
  int max_per_connection = 0;
};

class SubscriptionQuota {
 public:
  explicit SubscriptionQuota(SubscriptionLimits limits) : limits_(limits) {}

  // Holds one subscription's place until destroyed.
  class Slot {
   public:
    Slot(SubscriptionQuota* quota, std::string peer)
        : quota_(quota), peer_(std::move(peer)) {}
    ~Slot() { quota_->Release(peer_); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    SubscriptionQuota* const quota_;
    const std::string peer_;
  };

  // A slot for one more subscription from `peer`, or RESOURCE_EXHAUSTED
  // saying which limit is reached. Thread-safe; the quota must outlive the
  // slots.
  absl::StatusOr<std::unique_ptr<Slot>> Acquire(const std::string& peer);

 private:
  void Release(const std::string& peer);

  const SubscriptionLimits limits_;
  absl::Mutex mu_;
  int total_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, int> per_peer_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_SUBSCRIPTION_QUOTA_H_
