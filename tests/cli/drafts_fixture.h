#ifndef ROLLCALL_TESTS_CLI_DRAFTS_FIXTURE_H_
#define ROLLCALL_TESTS_CLI_DRAFTS_FIXTURE_H_

// For the tests of `extract` and `drafts`: actors and an event to extract
// against, news articles that report reactions, a program run in the
// background (the follower), and a local HTTP server for feeds.

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rollcall/v1/draft.pb.h"
#include "tests/cli/cli_fixture.h"

namespace rollcall::testing {

// Wire reports of reactions to the Niger coup, in plain text, each over
// the length at which a feed item's content counts as the full article.
extern const char kEcowasAuArticle[];  // ECOWAS, the African Union, the UN
extern const char kRussiaUnArticle[];  // Russia, the UN
// An HTML page: a script, then the African Union's reaction.
extern const char kAuPage[];

class DraftsCliTest : public CliTest {
 protected:
  // Starts the server and creates ecowas (alias ECOWAS, CEDEAO), niger,
  // african-union (AU), united-nations (UN), russia and the event
  // niger-coup-2023.
  void SetUp() override;

  // Parses each line of `json_lines` as a Draft; fails the test if one
  // does not parse.
  static std::vector<v1::Draft> ParseDrafts(const std::string& json_lines);

  // `drafts list ARGS --output json`, parsed.
  std::vector<v1::Draft> ListDrafts(const std::vector<std::string>& args = {});
};

// A program run in the background with stdout and stderr sent to files.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::string& stdout_path,
                    const std::string& stderr_path,
                    const std::map<std::string, std::string>& env = {});
  // Kills (SIGKILL) and reaps it if it still runs.
  ~BackgroundProcess();

  // Sends `signal` and waits up to `seconds` for the exit. Returns the exit
  // status, 128 + signal if a signal ended it, or -1 on timeout (it is then
  // killed).
  int SignalAndWait(int signal, int seconds = 10);
  bool running() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

// tests/cli/feed_server.py serving the files of a directory.
class FeedServer {
 public:
  // Starts the server on `root`; check ok().
  explicit FeedServer(const std::string& root);
  ~FeedServer();
  bool ok() const { return port_ > 0; }
  // "http://127.0.0.1:PORT/NAME".
  std::string Url(const std::string& name) const;
  // The requests served so far, one "PATH STATUS" per line.
  std::string RequestLog() const;

 private:
  std::string root_;
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Writes `contents` to `path` atomically (write, then rename), so that a
// server never serves half a file.
void ReplaceFile(const std::string& path, const std::string& contents);

// An RSS 2.0 feed of `items`, each {guid, link, title, text}; the text is
// sent as content:encoded.
struct TestItem {
  std::string guid;
  std::string link;
  std::string title;
  std::string text;
};
std::string RssFeed(const std::vector<TestItem>& items);

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_CLI_DRAFTS_FIXTURE_H_
