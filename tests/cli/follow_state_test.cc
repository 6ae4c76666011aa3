// Unit tests of the follower's state file: what it remembers survives a
// restart, is written atomically, and belongs to one feed.

#include "client/cli/follow_state.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace rollcall::cli {
namespace {

constexpr char kUrl[] = "https://news.example/feed.xml";

TEST(ItemKeyTest, IdThenLinkThenDigest) {
  FeedItem item;
  item.title = "t";
  item.content = "c";
  const std::string digest = ItemKey(item);
  EXPECT_EQ(digest.rfind("sha256:", 0), 0u);
  EXPECT_EQ(digest.size(), 7u + 64u);
  item.content = "d";
  EXPECT_NE(ItemKey(item), digest);
  item.link = "https://news.example/a";
  EXPECT_EQ(ItemKey(item), "https://news.example/a");
  item.id = "guid-1";
  EXPECT_EQ(ItemKey(item), "guid-1");
}

TEST(DefaultStatePathTest, UnderXdgStateHomeElseHome) {
  const std::string digest = Sha256Hex(kUrl).substr(0, 16);
  const char* home = std::getenv("HOME");
  const std::string saved_home = home ? home : "";
  ASSERT_EQ(setenv("XDG_STATE_HOME", "/xdg", 1), 0);
  EXPECT_EQ(*DefaultStatePath(kUrl), "/xdg/rollcall/follow-" + digest + ".json");
  ASSERT_EQ(unsetenv("XDG_STATE_HOME"), 0);
  ASSERT_EQ(setenv("HOME", "/home/ana", 1), 0);
  EXPECT_EQ(*DefaultStatePath(kUrl),
            "/home/ana/.local/state/rollcall/follow-" + digest + ".json");
  EXPECT_NE(*DefaultStatePath("https://other.example/"), *DefaultStatePath(kUrl));
  if (!saved_home.empty()) setenv("HOME", saved_home.c_str(), 1);
}

TEST(FollowStateFileTest, RemembersAcrossReopen) {
  testing::TempDir dir;
  const std::string path = dir.File("state/nested/follow.json");
  {
    absl::StatusOr<FollowStateFile> state = FollowStateFile::Open(path, kUrl);
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_FALSE(state->Seen("a"));
    ASSERT_TRUE(state->MarkSeen("a").ok());
    ASSERT_TRUE(state->MarkSeen("b").ok());
    ASSERT_TRUE(state->MarkSeen("a").ok());
    ASSERT_TRUE(state->SetValidators("\"v1\"", "Wed, 26 Jul 2023 18:05:00 GMT").ok());
  }
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  absl::StatusOr<FollowStateFile> reopened = FollowStateFile::Open(path, kUrl);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_TRUE(reopened->Seen("a"));
  EXPECT_TRUE(reopened->Seen("b"));
  EXPECT_FALSE(reopened->Seen("c"));
  EXPECT_EQ(reopened->state().seen_size(), 2);
  EXPECT_EQ(reopened->state().etag(), "\"v1\"");
  EXPECT_EQ(reopened->state().last_modified(), "Wed, 26 Jul 2023 18:05:00 GMT");
}

TEST(FollowStateFileTest, AnotherFeedsStateIsRefused) {
  testing::TempDir dir;
  const std::string path = dir.File("follow.json");
  ASSERT_TRUE(FollowStateFile::Open(path, kUrl)->MarkSeen("a").ok());
  absl::StatusOr<FollowStateFile> other =
      FollowStateFile::Open(path, "https://other.example/");
  EXPECT_TRUE(absl::IsFailedPrecondition(other.status())) << other.status();
}

TEST(FollowStateFileTest, CorruptStateIsAnErrorNotAFreshStart) {
  testing::TempDir dir;
  const std::string path = dir.File("follow.json");
  std::ofstream(path) << "{\"url\": ";
  absl::StatusOr<FollowStateFile> state = FollowStateFile::Open(path, kUrl);
  EXPECT_TRUE(absl::IsDataLoss(state.status())) << state.status();
}

}  // namespace
}  // namespace rollcall::cli
