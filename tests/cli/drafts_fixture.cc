#include "tests/cli/drafts_fixture.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "tests/support/temp_dir.h"

namespace rollcall::testing {

const char kEcowasAuArticle[] =
    "NIAMEY, July 27 (AFP) - The Economic Community of West African States on "
    "Wednesday condemned the military coup in Niger and demanded the immediate "
    "release of President Mohamed Bazoum, who has been held by his own guard since "
    "the early hours of the morning.\n\n"
    "\"We condemn in the strongest terms the attempt to seize power by force,\" "
    "ECOWAS said in a statement issued in Abuja.\n\n"
    "The African Union said it was deeply concerned by the events in Niamey and "
    "called on the soldiers to return to their barracks without delay.\n\n"
    "United Nations Secretary-General Antonio Guterres strongly condemned the "
    "unconstitutional change of government, his spokesman told reporters in New "
    "York.\n";

const char kRussiaUnArticle[] =
    "MOSCOW, July 27 (Reuters) - Russia on Thursday called on all sides in Niger to "
    "show restraint and avoid bloodshed, the Kremlin spokesman Dmitry Peskov told "
    "reporters.\n\n"
    "\"We call on all parties to exercise restraint,\" Peskov said, adding that "
    "Moscow was following the situation closely.\n\n"
    "The United Nations said it was alarmed by the detention of the president and "
    "urged the military to release him unconditionally. Diplomats in Abuja said the "
    "regional bloc was preparing a summit on the crisis for Sunday, when leaders are "
    "expected to decide on sanctions against the new military authorities in "
    "Niamey.\n";

const char kAuPage[] =
    "<!DOCTYPE html><html><head><title>AU suspends Niger</title>"
    "<script>var headline = 'nothing to read here';</script></head><body>"
    "<h1>African Union suspends Niger</h1>"
    "<p>The African Union on Friday condemned the coup in Niger and suspended the "
    "country from all its activities, its Peace and Security Council said in a "
    "communiqu&eacute;.</p></body></html>";

void DraftsCliTest::SetUp() {
  CliTest::SetUp();
  if (IsSkipped()) return;
  RollcallOk({"actors", "add", "ecowas", "--name",
              "Economic Community of West African States", "--kind", "regional-bloc",
              "--alias", "ECOWAS", "--alias", "CEDEAO"});
  RollcallOk({"actors", "add", "niger", "--name", "Niger", "--kind", "state", "--country",
              "NER", "--member-of", "ecowas"});
  RollcallOk({"actors", "add", "african-union", "--name", "African Union", "--kind",
              "regional-bloc", "--alias", "AU"});
  RollcallOk({"actors", "add", "united-nations", "--name", "United Nations", "--kind",
              "international-organisation", "--alias", "UN"});
  RollcallOk({"actors", "add", "russia", "--name", "Russia", "--kind", "state",
              "--country", "RUS"});
  RollcallOk({"events", "add", "niger-coup-2023", "--title", "Military coup in Niger",
              "--start", "2023-07-26", "--country", "NER"});
}

std::vector<v1::Draft> DraftsCliTest::ParseDrafts(const std::string& json_lines) {
  std::vector<v1::Draft> drafts;
  for (const std::string& line : Lines(json_lines)) {
    v1::Draft draft;
    auto status = google::protobuf::util::JsonStringToMessage(line, &draft);
    EXPECT_TRUE(status.ok()) << status << " in: " << line;
    drafts.push_back(std::move(draft));
  }
  return drafts;
}

std::vector<v1::Draft> DraftsCliTest::ListDrafts(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"drafts", "list"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--output", "json"});
  return ParseDrafts(RollcallOk(argv));
}

namespace {

[[noreturn]] void ExecWith(const std::vector<std::string>& argv,
                           const std::map<std::string, std::string>& env) {
  for (const auto& [key, value] : env) {
    if (value.empty()) {
      unsetenv(key.c_str());
    } else {
      setenv(key.c_str(), value.c_str(), 1);
    }
  }
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

// Waits up to `seconds` for `pid`; its status as BackgroundProcess says.
int WaitFor(pid_t pid, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

}  // namespace

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::string& stdout_path,
                                     const std::string& stderr_path,
                                     const std::map<std::string, std::string>& env) {
  pid_ = fork();
  if (pid_ != 0) return;
  if (!freopen(stdout_path.c_str(), "w", stdout) ||
      !freopen(stderr_path.c_str(), "w", stderr) || !freopen("/dev/null", "r", stdin)) {
    _exit(126);
  }
  ExecWith(argv, env);
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

int BackgroundProcess::SignalAndWait(int signal, int seconds) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  const int status = WaitFor(pid_, seconds);
  pid_ = -1;
  return status;
}

FeedServer::FeedServer(const std::string& root)
    : root_(root), log_(root + "/requests.log") {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    ExecWith(
        {"/usr/bin/python3",
         std::string(ROLLCALL_SOURCE_DIR) + "/tests/cli/feed_server.py", root_, log_},
        {});
  }
  close(pipe_fds[1]);
  std::string line;
  char c;
  while (read(pipe_fds[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  close(pipe_fds[0]);
  if (!absl::SimpleAtoi(line, &port_)) port_ = 0;
}

FeedServer::~FeedServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    WaitFor(pid_, 5);
  }
}

std::string FeedServer::Url(const std::string& name) const {
  return absl::StrCat("http://127.0.0.1:", port_, "/", name);
}

std::string FeedServer::RequestLog() const { return ReadFile(log_); }

void ReplaceFile(const std::string& path, const std::string& contents) {
  const std::string temporary = path + ".partial";
  ASSERT_TRUE(WriteFile(temporary, contents)) << temporary;
  ASSERT_EQ(std::rename(temporary.c_str(), path.c_str()), 0) << path;
}

std::string RssFeed(const std::vector<TestItem>& items) {
  std::string feed =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
      "<channel><title>Sahel Wire</title><language>en</language>\n";
  // Newest first, as feeds list them.
  for (auto item = items.rbegin(); item != items.rend(); ++item) {
    absl::StrAppend(&feed, "<item><title>", item->title, "</title>");
    if (!item->guid.empty()) absl::StrAppend(&feed, "<guid>", item->guid, "</guid>");
    if (!item->link.empty()) absl::StrAppend(&feed, "<link>", item->link, "</link>");
    absl::StrAppend(&feed, "<pubDate>Thu, 27 Jul 2023 10:00:00 GMT</pubDate>");
    if (!item->text.empty()) {
      absl::StrAppend(&feed, "<content:encoded><![CDATA[", item->text,
                      "]]></content:encoded>");
    }
    absl::StrAppend(&feed, "</item>\n");
  }
  absl::StrAppend(&feed, "</channel></rss>\n");
  return feed;
}

}  // namespace rollcall::testing
