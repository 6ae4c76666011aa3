#include "server/auth/token_table.h"

#include "gtest/gtest.h"

namespace rollcall {
namespace {

TEST(TokenTableTest, FindsEachTokensNameAndRole) {
  absl::StatusOr<TokenTable> table = TokenTable::Parse(
      "# analysts\n"
      "analyst reader aaaaaaaaaaaaaaaa1\n"
      "\n"
      "newsroom\twriter  bbbbbbbbbbbbbbbb2\n"
      "operator admin cccccccccccccccc3\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 3u);
  std::optional<Principal> newsroom = table->Find("bbbbbbbbbbbbbbbb2");
  ASSERT_TRUE(newsroom.has_value());
  EXPECT_EQ(newsroom->name, "newsroom");
  EXPECT_EQ(newsroom->role, Role::kWriter);
  EXPECT_EQ(table->Find("cccccccccccccccc3")->role, Role::kAdmin);
}

TEST(TokenTableTest, UnknownOrPrefixOfATokenIsNotFound) {
  absl::StatusOr<TokenTable> table =
      TokenTable::Parse("analyst reader aaaaaaaaaaaaaaaa1\n");
  ASSERT_TRUE(table.ok());
  EXPECT_FALSE(table->Find("aaaaaaaaaaaaaaaa").has_value());
  EXPECT_FALSE(table->Find("aaaaaaaaaaaaaaaa12").has_value());
  EXPECT_FALSE(table->Find("").has_value());
}

TEST(TokenTableTest, RejectsBadLinesNamingTheLineAndNeverTheToken) {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& c : {
           Case{"analyst reader\n", "line 1: expected NAME ROLE TOKEN"},
           Case{"a reader aaaaaaaaaaaaaaaa1\nb owner bbbbbbbbbbbbbbbb2\n",
                "line 2: unknown role \"owner\""},
           Case{"a reader short\n", "line 1: token is shorter than 16"},
           Case{"a reader aaaaaaaaaaaaaaaa1\na writer bbbbbbbbbbbbbbbb2\n",
                "line 2: name \"a\" is repeated"},
           Case{"a reader aaaaaaaaaaaaaaaa1\nb writer aaaaaaaaaaaaaaaa1\n",
                "line 2: token is repeated"},
           Case{"# nothing\n", "no tokens"},
       }) {
    absl::StatusOr<TokenTable> table = TokenTable::Parse(c.text);
    ASSERT_FALSE(table.ok()) << c.text;
    EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(table.status().message().find(c.says), std::string::npos)
        << table.status().message();
    EXPECT_EQ(table.status().message().find("aaaaaaaaaaaaaaaa1"), std::string::npos);
  }
}

TEST(TokenTableTest, MissingFileIsNotFound) {
  EXPECT_EQ(TokenTable::Load("/nonexistent/tokens").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace rollcall
