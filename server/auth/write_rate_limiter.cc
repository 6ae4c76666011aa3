#include "server/auth/write_rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rollcall {

absl::Status WriteRateLimiter::TakeWrite(absl::string_view principal, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = buckets_.try_emplace(principal, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted && now > bucket.updated) {
    bucket.tokens =
        std::min(burst_, bucket.tokens +
                             absl::ToDoubleSeconds(now - bucket.updated) * per_second_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return absl::OkStatus();
  }
  const double wait_seconds = (1 - bucket.tokens) / per_second_;
  const int64_t retry_ms = static_cast<int64_t>(std::ceil(wait_seconds * 1000));
  return absl::ResourceExhaustedError(absl::StrFormat(
      "write rate limit of %g per second (burst %g) reached for token \"%s\"; "
      "retry after %dms",
      per_second_, burst_, principal, retry_ms));
}

}  // namespace rollcall
