#ifndef ROLLCALL_SERVER_AUTH_WRITE_RATE_LIMITER_H_
#define ROLLCALL_SERVER_AUTH_WRITE_RATE_LIMITER_H_

// A token bucket per principal for write calls: each principal may make
// `burst` writes at once and `per_second` writes a second on average.

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace rollcall {

class WriteRateLimiter {
 public:
  // per_second > 0 and burst >= 1.
  WriteRateLimiter(double per_second, double burst)
      : per_second_(per_second), burst_(burst) {}

  // Takes one write from `principal`'s bucket at time `now`. OK if there was
  // one; otherwise RESOURCE_EXHAUSTED saying the limit and how long to wait
  // before retrying. Thread-safe.
  absl::Status TakeWrite(absl::string_view principal, absl::Time now);

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time updated;
  };

  const double per_second_;
  const double burst_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_AUTH_WRITE_RATE_LIMITER_H_
