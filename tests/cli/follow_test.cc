// Black-box tests of `extract --follow` and of URL sources, against a
// local HTTP server (tests/cli/feed_server.py) whose feed grows between
// polls.

#include <signal.h>

#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/drafts_fixture.h"
#include "tests/support/temp_dir.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// Waits until `done` holds, checking every 100 ms, for at most `seconds`.
template <typename Predicate>
bool WaitUntil(Predicate done, int seconds = 30) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

class FollowTest : public DraftsCliTest {
 protected:
  // The documents of the drafts recorded so far.
  std::set<std::string> RecordedDocuments() {
    std::set<std::string> documents;
    for (const v1::Draft& draft : ListDrafts()) {
      for (const auto& evidence : draft.evidence()) documents.insert(evidence.document());
    }
    return documents;
  }

  // The URLs of the documents a follower's JSON output names.
  static std::set<std::string> PrintedUrls(const std::string& json_lines) {
    std::set<std::string> urls;
    for (const v1::Draft& draft : ParseDrafts(json_lines)) {
      for (const auto& source : draft.statement().sources()) urls.insert(source.url());
    }
    return urls;
  }

  std::unique_ptr<BackgroundProcess> StartFollower(const FeedServer& feeds,
                                                   const std::string& run) {
    return std::make_unique<BackgroundProcess>(
        std::vector<std::string>{RollcallPath(), "--server", server_->address(),
                                 "extract", "--follow", feeds.Url("wire.rss"), "--every",
                                 "1s", "--event", "niger-coup-2023", "--state",
                                 dir_.File("follow.json"), "--output", "json"},
        dir_.File(run + ".out"), dir_.File(run + ".err"));
  }
};

TEST_F(FollowTest, GrowingFeedIsExtractedOnceAcrossRestarts) {
  TempDir web;
  FeedServer feeds(web.path());
  ASSERT_TRUE(feeds.ok());
  ASSERT_TRUE(WriteFile(web.File("au.html"), kAuPage));
  const TestItem a = {"a", "https://news.example/a", "ECOWAS", kEcowasAuArticle};
  // A teaser: its article is read from its link.
  const TestItem b = {"b", feeds.Url("au.html"), "AU suspends Niger", ""};
  const TestItem c = {"", "https://news.example/c", "Russia", kRussiaUnArticle};

  // The feed does not exist yet: the follower logs the 404 and keeps polling.
  auto follower = StartFollower(feeds, "first");
  ASSERT_TRUE(WaitUntil([&] {
    return absl::StrContains(ReadFile(dir_.File("first.err")), "HTTP 404");
  })) << ReadFile(dir_.File("first.err"));
  ReplaceFile(web.File("wire.rss"), RssFeed({a}));
  ASSERT_TRUE(WaitUntil([&] { return RecordedDocuments().size() == 1; }))
      << ReadFile(dir_.File("first.err"));
  ReplaceFile(web.File("wire.rss"), RssFeed({a, b}));
  ASSERT_TRUE(WaitUntil([&] { return RecordedDocuments().size() == 2; }))
      << ReadFile(dir_.File("first.err"));
  // Unchanged feed: conditional GETs answered 304.
  ASSERT_TRUE(WaitUntil([&] {
    return absl::StrContains(feeds.RequestLog(), "wire.rss 304");
  })) << feeds.RequestLog();
  EXPECT_EQ(follower->SignalAndWait(SIGINT), 0) << ReadFile(dir_.File("first.err"));
  EXPECT_THAT(ReadFile(dir_.File("first.err")), HasSubstr("stopped"));
  EXPECT_EQ(PrintedUrls(ReadFile(dir_.File("first.out"))),
            (std::set<std::string>{a.link, b.link}));
  const std::string state = ReadFile(dir_.File("follow.json"));
  EXPECT_THAT(state, HasSubstr("\"a\""));
  EXPECT_THAT(state, HasSubstr("\"b\""));

  // Restarted, with a third item: only that one is extracted.
  ReplaceFile(web.File("wire.rss"), RssFeed({a, b, c}));
  follower = StartFollower(feeds, "second");
  ASSERT_TRUE(WaitUntil([&] { return RecordedDocuments().size() == 3; }))
      << ReadFile(dir_.File("second.err"));
  // Let it poll a few more times.
  const size_t requests = Lines(feeds.RequestLog()).size();
  ASSERT_TRUE(
      WaitUntil([&] { return Lines(feeds.RequestLog()).size() >= requests + 2; }));
  EXPECT_EQ(follower->SignalAndWait(SIGTERM), 0);
  EXPECT_EQ(PrintedUrls(ReadFile(dir_.File("second.out"))),
            (std::set<std::string>{c.link}));
  EXPECT_THAT(ReadFile(dir_.File("second.err")), HasSubstr("2 items read before"));
  // The teaser's page was fetched once, in the first run.
  size_t page_fetches = 0;
  for (const std::string& line : Lines(feeds.RequestLog())) {
    page_fetches += line == "/au.html 200";
  }
  EXPECT_EQ(page_fetches, 1u) << feeds.RequestLog();
}

TEST_F(FollowTest, FeedUrlThatIsNotXmlOrMissingIsAClearError) {
  TempDir web;
  FeedServer feeds(web.path());
  ASSERT_TRUE(feeds.ok());
  ASSERT_TRUE(WriteFile(web.File("broken.rss"), "Service temporarily unavailable"));
  CommandResult broken =
      Rollcall({"extract", feeds.Url("broken.rss"), "--event", "niger-coup-2023"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_THAT(broken.stderr_text, HasSubstr("the feed is not well-formed XML"));
  CommandResult missing =
      Rollcall({"extract", feeds.Url("gone.rss"), "--event", "niger-coup-2023"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.stderr_text, HasSubstr("HTTP 404 from " + feeds.Url("gone.rss")));
  CommandResult bad_every = Rollcall({"extract", "--follow", feeds.Url("broken.rss"),
                                      "--every", "soon", "--event", "niger-coup-2023"});
  EXPECT_EQ(bad_every.exit_code, 2);
  EXPECT_THAT(bad_every.stderr_text, HasSubstr("--every"));
}

TEST_F(FollowTest, UrlSourceIsFetchedThroughARedirectAndDetectedAsHtml) {
  TempDir web;
  FeedServer feeds(web.path());
  ASSERT_TRUE(feeds.ok());
  ASSERT_TRUE(WriteFile(web.File("au.html"), kAuPage));
  // The page has moved: the redirect is followed and the final URL kept.
  ASSERT_TRUE(WriteFile(web.File("old.html.redirect"), "/au.html"));
  const std::vector<v1::Draft> drafts =
      ParseDrafts(RollcallOk({"extract", feeds.Url("old.html"), "--event",
                              "niger-coup-2023", "--output", "json"}));
  ASSERT_THAT(drafts, Not(IsEmpty()));
  ASSERT_THAT(drafts[0].statement().sources(), SizeIs(1));
  EXPECT_EQ(drafts[0].statement().sources(0).url(), feeds.Url("au.html"));
}

}  // namespace
}  // namespace rollcall::testing
