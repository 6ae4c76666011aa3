#ifndef ROLLCALL_TESTS_CLI_CLI_FIXTURE_H_
#define ROLLCALL_TESTS_CLI_CLI_FIXTURE_H_

// A real rollcalld on a temporary data directory, and helpers that run the
// real rollcall binary against it.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rollcall/v1/statement.pb.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace rollcall::testing {

// Path of the rollcalld binary (ROLLCALLD_PATH, or $ROLLCALLD); "" if unknown.
std::string RollcalldPath();
// Path of the rollcall binary.
std::string RollcallPath();

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Starts one more server on its own data directory (for export/import).
  std::unique_ptr<ServerProcess> StartExtraServer(const TempDir& dir);

  // Runs `rollcall --server ADDRESS args...` against `server` (default:
  // the fixture's server).
  CommandResult Rollcall(const std::vector<std::string>& args,
                         const std::string& stdin_text = "",
                         const ServerProcess* server = nullptr);

  // Like Rollcall but expects exit 0 and returns stdout.
  std::string RollcallOk(const std::vector<std::string>& args,
                         const ServerProcess* server = nullptr);

  // Creates actors ecowas (bloc), niger (state, member of ecowas),
  // african-union (bloc), united-nations and russia, and the event
  // niger-coup-2023.
  void CreateNigerFixture();

  // Adds a statement with `--output json` and returns its resource name.
  // It passes --allow-duplicate: tests add the same statement many times.
  std::string AddStatement(const std::string& actor, const std::string& stance,
                           const std::string& quote,
                           const std::string& issue_time = "2023-07-26");

  // Runs `statements list ARGS --output json --limit 0` and parses each line.
  std::vector<v1::Statement> ListStatements(const std::vector<std::string>& args,
                                            const ServerProcess* server = nullptr);

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

// Parses one line of protobuf JSON into a Statement; fails the test if it
// does not parse.
v1::Statement ParseStatement(const std::string& json);

// The lines of `text`, without empty ones.
std::vector<std::string> Lines(const std::string& text);

// True if `text` is well-formed UTF-8.
bool IsValidUtf8(const std::string& text);

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_CLI_CLI_FIXTURE_H_
