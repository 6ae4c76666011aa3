// rollcall watch against a real rollcalld: live printing, filters, start
// positions, and exact resumption across a server restart.

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"
#include "tests/support/test_postgres.h"

namespace rollcall::testing {
namespace {

class WatchTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // A server that logs when a subscription opens, so the test can wait
    // for the watch to be connected instead of guessing with a sleep.
    server_.reset();
    server_ = std::make_unique<ServerProcess>(
        RollcalldPath(), dir_.File("watched"), dir_.File("watched.log"),
        std::vector<std::string>{"--log_level=debug"});
    ASSERT_TRUE(server_->Start().ok());
    CreateNigerFixture();
  }

  // Waits until the server log mentions `count` opened subscriptions.
  void AwaitSubscriptions(int count) {
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline) {
      const std::string log = server_->Log();
      int seen = 0;
      for (size_t at = log.find("subscription opened"); at != std::string::npos;
           at = log.find("subscription opened", at + 1)) {
        ++seen;
      }
      if (seen >= count) return;
      absl::SleepFor(absl::Milliseconds(20));
    }
    FAIL() << "no subscription opened; server log:\n" << server_->Log();
  }

  // Starts `rollcall watch ARGS` on another thread.
  std::thread Watch(std::vector<std::string> args, CommandResult* result) {
    std::vector<std::string> argv = {RollcallPath(), "--server", server_->address(),
                                     "--output",     "json",     "watch"};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::thread(
        [argv, result] { *result = RunCommand(argv, "", {}, std::chrono::seconds(60)); });
  }

  // The server is down for `outage`; the first change written once it serves
  // again is printed within about a second of its return (the channel's
  // reconnect backoff is capped at 0.75 s, +-20%; the bound allows as much
  // again for a loaded machine), and every change is printed exactly once.
  void ExpectPromptExactResumeAfter(absl::Duration outage) {
    CommandResult result;
    absl::Time exited;
    std::vector<std::string> argv = {RollcallPath(), "--server", server_->address(),
                                     "--output", "json", "watch", "--from-start",
                                     "--count", "4"};
    std::thread watch([&] {
      result = RunCommand(argv, "", {}, std::chrono::seconds(120));
      exited = absl::Now();
    });
    AwaitSubscriptions(1);
    // No ASSERT before the join: the watch thread must be joined.
    EXPECT_EQ(server_->Stop(), 0);
    absl::SleepFor(outage);
    EXPECT_TRUE(server_->Start().ok());
    const absl::Time serving = absl::Now();
    AddStatement("niger", "supports", "The first statement after the restart.");
    const absl::Duration written = absl::Now() - serving;
    watch.join();
    EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
    EXPECT_EQ(Sequences(result.stdout_text), (std::vector<int64_t>{1, 2, 3, 4}));
    const absl::Duration delay = exited - serving;
    EXPECT_LE(delay, std::max(absl::Seconds(1), written) + absl::Milliseconds(500))
        << "printed " << delay << " after SERVING (its write took " << written << ")\n"
        << result.stderr_text;
  }

  static std::vector<int64_t> Sequences(const std::string& out) {
    std::vector<int64_t> sequences;
    for (const std::string& line : Lines(out)) {
      v1::StatementChange change;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &change).ok())
          << line;
      sequences.push_back(change.sequence());
    }
    return sequences;
  }
};

TEST_F(WatchTest, PrintsReplayAndLiveChangesAsJsonLines) {
  AddStatement("ecowas", "condemns", "We condemn the attempted coup.");
  CommandResult result;
  std::thread watch = Watch({"--from-start", "--count", "3"}, &result);
  AwaitSubscriptions(1);
  AddStatement("african-union", "condemns", "The AU condemns the attempted coup.");
  AddStatement("russia", "concerned", "We urge all parties to refrain from force.");
  watch.join();
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(Sequences(result.stdout_text), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_TRUE(absl::StrContains(result.stderr_text, "caught up at sequence 1"));
}

TEST_F(WatchTest, FilterFlagsSelectOnServerAndTableLinesShowTheChange) {
  CommandResult result;
  std::vector<std::string> argv = {RollcallPath(), "--server", server_->address(),
                                   "watch",        "--stance", "condemns",
                                   "--count",      "1"};
  std::thread watch([&] { result = RunCommand(argv, "", {}, std::chrono::seconds(60)); });
  AwaitSubscriptions(1);
  AddStatement("russia", "concerned", "We urge dialogue.");
  AddStatement("ecowas", "condemns", "We condemn the attempted coup d'etat.");
  watch.join();
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  ASSERT_EQ(Lines(result.stdout_text).size(), 1u) << result.stdout_text;
  EXPECT_TRUE(absl::StrContains(result.stdout_text, "#2")) << result.stdout_text;
  EXPECT_TRUE(absl::StrContains(result.stdout_text, "ecowas"));
  EXPECT_TRUE(absl::StrContains(result.stdout_text, "We condemn the attempted coup"));
}

TEST_F(WatchTest, ResumesAfterAServerRestartPrintingEachChangeExactlyOnce) {
  for (int i = 0; i < 3; ++i) AddStatement("ecowas", "condemns", "Before the restart.");
  CommandResult result;
  std::thread watch = Watch({"--from-start", "--count", "6"}, &result);
  AwaitSubscriptions(1);
  ASSERT_TRUE(server_->Restart().ok());
  for (int i = 0; i < 3; ++i) AddStatement("niger", "supports", "After the restart.");
  watch.join();
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(Sequences(result.stdout_text), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(absl::StrContains(result.stderr_text, "reconnecting"))
      << result.stderr_text;
}

TEST_F(WatchTest, ResumesWithinASecondOfTheServerAfterA2sOutage) {
  for (int i = 0; i < 3; ++i) AddStatement("ecowas", "condemns", "Before the outage.");
  ExpectPromptExactResumeAfter(absl::Seconds(2));
}

TEST_F(WatchTest, ResumesWithinASecondOfTheServerAfterA30sOutage) {
  for (int i = 0; i < 3; ++i) AddStatement("ecowas", "condemns", "Before the outage.");
  ExpectPromptExactResumeAfter(absl::Seconds(30));
}

TEST_F(WatchTest, AGracefulShutdownSaysReconnectNowAndTheWatchDoesNotBackOff) {
  CommandResult result;
  std::thread watch = Watch({"--count", "1"}, &result);
  AwaitSubscriptions(1);
  ASSERT_EQ(server_->Stop(), 0);
  ASSERT_TRUE(server_->Start().ok());
  AddStatement("niger", "supports", "After the restart.");
  watch.join();
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  // The shutdown's status says so, and the first resubscription waits only
  // a jitter below the first backoff (0.1 s).
  EXPECT_TRUE(absl::StrContains(result.stderr_text, "reconnect now")) << result.stderr_text;
  const size_t at = result.stderr_text.find("reconnecting in ");
  ASSERT_NE(at, std::string::npos) << result.stderr_text;
  EXPECT_LT(std::stoi(result.stderr_text.substr(at + 16)), 100) << result.stderr_text;
}

// Many watches told "reconnect now" by the same shutdown do not come back
// in the same millisecond: each waits its own random jitter below the first
// backoff (0.1 s) before resubscribing.
TEST_F(WatchTest, WatchesToldToReconnectNowWaitDifferentJittersBelowTheFirstBackoff) {
  constexpr int kWatches = 6;
  std::vector<CommandResult> results(kWatches);
  std::vector<std::thread> watches;
  for (CommandResult& result : results) watches.push_back(Watch({"--count", "1"}, &result));
  AwaitSubscriptions(kWatches);
  EXPECT_EQ(server_->Stop(), 0);
  EXPECT_TRUE(server_->Start().ok());
  AddStatement("niger", "supports", "After the restart.");
  for (std::thread& watch : watches) watch.join();
  std::set<int> delays;
  for (const CommandResult& result : results) {
    EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
    const size_t at = result.stderr_text.find("reconnecting in ");
    ASSERT_NE(at, std::string::npos) << result.stderr_text;
    const int delay_ms = std::stoi(result.stderr_text.substr(at + 16));
    EXPECT_GE(delay_ms, 0);
    EXPECT_LT(delay_ms, 100) << result.stderr_text;
    delays.insert(delay_ms);
  }
  // Six draws from 0-99 ms: all equal with probability 1e-10.
  EXPECT_GT(delays.size(), 1u);
}

// Two instances on one PostgreSQL store, and a watch whose target names
// both: when the one it follows stops, the watch moves to the other within
// about a second and prints every change exactly once.
TEST_F(WatchTest, FailsOverToTheOtherInstanceOfATargetNamingBothAndResumesExactly) {
  if (!TestPostgres().has_value()) GTEST_SKIP() << kNoTestPostgres;
  const std::vector<std::string> store = {"--store=" + *TestPostgres(),
                                          "--postgres_schema=" +
                                              PostgresSchemaFor(dir_.path()),
                                          "--log_level=debug"};
  server_ = std::make_unique<ServerProcess>(RollcalldPath(), dir_.File("first"),
                                            dir_.File("first.log"), store);
  auto other = std::make_unique<ServerProcess>(RollcalldPath(), dir_.File("second"),
                                               dir_.File("second.log"), store);
  ASSERT_TRUE(server_->Start().ok());
  ASSERT_TRUE(other->Start().ok());
  CreateNigerFixture();
  for (int i = 0; i < 2; ++i) AddStatement("ecowas", "condemns", "Before the failover.");

  CommandResult result;
  // gRPC's pick_first: the watch connects to the first address that answers.
  const std::vector<std::string> argv = {
      RollcallPath(), "--server",     absl::StrCat("ipv4:", server_->address(), ",",
                                                   other->address()),
      "--output",     "json",         "watch",
      "--from-start", "--count",      "4"};
  std::thread watch([&] { result = RunCommand(argv, "", {}, std::chrono::seconds(60)); });
  AwaitSubscriptions(1);  // on the first instance
  // SIGTERM on another thread (Stop waits for the exit); meanwhile the
  // watch must reopen its subscription on the second instance.
  const absl::Time stopping = absl::Now();
  int stop_status = -1;
  std::thread stop([&] { stop_status = server_->Stop(); });
  absl::Time moved = absl::InfiniteFuture();
  for (const absl::Time deadline = stopping + absl::Seconds(20); absl::Now() < deadline;
       absl::SleepFor(absl::Milliseconds(10))) {
    if (absl::StrContains(other->Log(), "subscription opened")) {
      moved = absl::Now();
      break;
    }
  }
  stop.join();
  EXPECT_EQ(stop_status, 0);
  EXPECT_LE(moved - stopping, absl::Seconds(1) + absl::Milliseconds(500))
      << "the watch reached the second instance " << moved - stopping
      << " after SIGTERM to the first";
  std::swap(server_, other);  // the CLI calls below go to the second instance
  for (int i = 0; i < 2; ++i) AddStatement("niger", "supports", "After the failover.");
  watch.join();
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(Sequences(result.stdout_text), (std::vector<int64_t>{1, 2, 3, 4}));
}

TEST_F(WatchTest, ResumeBeyondTheHeadFailsAtOnceWithOneLine) {
  CommandResult result = Rollcall({"watch", "--after", "99"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(result.stderr_text, "OUT_OF_RANGE"))
      << result.stderr_text;
  EXPECT_EQ(Lines(result.stderr_text).size(), 1u) << result.stderr_text;
}

}  // namespace
}  // namespace rollcall::testing
