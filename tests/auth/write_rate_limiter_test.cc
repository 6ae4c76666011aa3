#include "server/auth/write_rate_limiter.h"

#include "gtest/gtest.h"

namespace rollcall {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1690351200);

TEST(WriteRateLimiterTest, AllowsTheBurstThenRefusesWithWhenToRetry) {
  WriteRateLimiter limiter(/*per_second=*/2, /*burst=*/3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.TakeWrite("newsroom", kStart).ok());
  absl::Status refused = limiter.TakeWrite("newsroom", kStart);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.message().find("2 per second (burst 3)"), std::string::npos)
      << refused.message();
  EXPECT_NE(refused.message().find("retry after 500ms"), std::string::npos)
      << refused.message();
}

TEST(WriteRateLimiterTest, RefillsAtTheRate) {
  WriteRateLimiter limiter(/*per_second=*/2, /*burst=*/1);
  EXPECT_TRUE(limiter.TakeWrite("newsroom", kStart).ok());
  EXPECT_FALSE(limiter.TakeWrite("newsroom", kStart + absl::Milliseconds(400)).ok());
  EXPECT_TRUE(limiter.TakeWrite("newsroom", kStart + absl::Milliseconds(500)).ok());
  // Idle time refills no more than the burst.
  EXPECT_TRUE(limiter.TakeWrite("newsroom", kStart + absl::Hours(1)).ok());
  EXPECT_FALSE(limiter.TakeWrite("newsroom", kStart + absl::Hours(1)).ok());
}

TEST(WriteRateLimiterTest, EachPrincipalHasItsOwnBucket) {
  WriteRateLimiter limiter(/*per_second=*/1, /*burst=*/1);
  EXPECT_TRUE(limiter.TakeWrite("newsroom", kStart).ok());
  EXPECT_FALSE(limiter.TakeWrite("newsroom", kStart).ok());
  EXPECT_TRUE(limiter.TakeWrite("analyst", kStart).ok());
}

}  // namespace
}  // namespace rollcall
