// The C++ example of docs/API.md (examples/cpp/quickstart.cc) does what the
// guide says, against a real rollcalld loaded with the Niger data set.

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class CppExampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(
        ROLLCALLD_PATH, dir_.File("data"), dir_.File("rollcalld.log"),
        std::vector<std::string>{"--heartbeat_interval=200ms"});
    absl::Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started;
    CommandResult imported =
        RunCommand({ROLLCALL_CLI_PATH, "--server", server_->address(), "import",
                    ROLLCALL_SOURCE_DIR "/data/niger-coup-2023.jsonl"});
    ASSERT_EQ(imported.exit_code, 0) << imported.stderr_text;
  }

  CommandResult Quickstart(const std::string& command,
                           std::chrono::milliseconds timeout = std::chrono::seconds(30),
                           const std::string& extra_flag = "--count=0") {
    return RunCommand(
        {QUICKSTART_PATH, "--server=" + server_->address(), extra_flag, command}, "", {},
        timeout);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(CppExampleTest, AddsAStatementAndListsTheRollCallPageByPage) {
  CommandResult added = Quickstart("add");
  ASSERT_EQ(added.exit_code, 0) << added.stderr_text;
  EXPECT_THAT(added.stdout_text,
              MatchesRegex("created statements/[a-z0-9]+ \\(sequence [0-9]+, "
                           "etag r[0-9]+\\)\n"));

  CommandResult listed = Quickstart("list");
  ASSERT_EQ(listed.exit_code, 0) << listed.stderr_text;
  // 21 statements in the data set plus the one added, over three pages of 10.
  EXPECT_THAT(listed.stdout_text, HasSubstr("\n22 statements\n"));
  EXPECT_THAT(listed.stdout_text, HasSubstr("actors/african-union  STANCE_CONDEMNS"));
}

TEST_F(CppExampleTest, WatchPrintsNewStatementsAndResumesAcrossARestart) {
  std::future<CommandResult> watch = std::async(std::launch::async, [this] {
    return Quickstart("watch", std::chrono::seconds(60), "--count=2");
  });
  // Let the subscription start (it begins "from now"), then add, restart, add.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(Quickstart("add").exit_code, 0);
  absl::Status restarted = server_->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  // Another quote: the same one within a day would be refused as a duplicate.
  ASSERT_EQ(
      Quickstart("add", std::chrono::seconds(30),
                 "--quote=The African Union suspends Niger from all its activities.")
          .exit_code,
      0);

  CommandResult watched = watch.get();
  ASSERT_EQ(watched.exit_code, 0) << watched.stderr_text << server_->Log();
  std::vector<std::string> lines =
      absl::StrSplit(watched.stdout_text, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << watched.stdout_text;
  for (const std::string& line : lines) {
    EXPECT_THAT(line, HasSubstr("CHANGE_KIND_CREATED  actors/african-union"));
  }
  EXPECT_THAT(watched.stderr_text, HasSubstr("resuming after sequence"));
}

}  // namespace
}  // namespace rollcall::testing
