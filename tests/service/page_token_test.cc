#include "server/service/page_token.h"

#include <string>

#include "gtest/gtest.h"

namespace rollcall {
namespace {

TEST(PageTokenTest, TokenForTheLongestNameDecodesToItsPosition) {
  const PagePosition position{-9223372036854775807 - 1,
                              std::string(kMaxPagePositionName, 'n')};
  auto decoded = DecodePageToken(EncodePageToken("statements||0|0", position),
                                 "statements||0|0");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->key, position.key);
  EXPECT_EQ(decoded->name, position.name);
}

TEST(PageTokenTest, TokenLongerThanAnyIssuedIsInvalidArgumentNamingPageToken) {
  auto decoded = DecodePageToken(std::string(4096, 'A'), "q");
  EXPECT_TRUE(absl::IsInvalidArgument(decoded.status()));
  EXPECT_EQ(decoded.status().message().rfind("page_token:", 0), 0u)
      << decoded.status();
}

}  // namespace
}  // namespace rollcall
