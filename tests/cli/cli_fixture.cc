#include "tests/cli/cli_fixture.h"

#include <cstdlib>

#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"

namespace rollcall::testing {

std::string RollcalldPath() {
  if (const char* path = std::getenv("ROLLCALLD")) return path;
#ifdef ROLLCALLD_PATH
  return ROLLCALLD_PATH;
#else
  return "";
#endif
}

std::string RollcallPath() {
  if (const char* path = std::getenv("ROLLCALL_CLI")) return path;
#ifdef ROLLCALL_CLI_PATH
  return ROLLCALL_CLI_PATH;
#else
  return "";
#endif
}

void CliTest::SetUp() {
  if (RollcalldPath().empty() || RollcallPath().empty()) {
    GTEST_SKIP() << "rollcalld or rollcall is not built";
  }
  server_ = StartExtraServer(dir_);
}

std::unique_ptr<ServerProcess> CliTest::StartExtraServer(const TempDir& dir) {
  auto server = std::make_unique<ServerProcess>(RollcalldPath(), dir.File("data"),
                                                dir.File("rollcalld.log"));
  absl::Status started = server->Start();
  EXPECT_TRUE(started.ok()) << started;
  return server;
}

CommandResult CliTest::Rollcall(const std::vector<std::string>& args,
                                const std::string& stdin_text,
                                const ServerProcess* server) {
  if (server == nullptr) server = server_.get();
  std::vector<std::string> argv = {RollcallPath(), "--server", server->address()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, stdin_text);
}

std::string CliTest::RollcallOk(const std::vector<std::string>& args,
                                const ServerProcess* server) {
  CommandResult result = Rollcall(args, "", server);
  EXPECT_EQ(result.exit_code, 0)
      << "rollcall " << ::testing::PrintToString(args)
      << "\nstdout: " << result.stdout_text << "\nstderr: " << result.stderr_text;
  return result.stdout_text;
}

void CliTest::CreateNigerFixture() {
  RollcallOk({"actors", "add", "ecowas", "--name",
              "Economic Community of West African States", "--kind", "regional-bloc",
              "--alias", "CEDEAO", "--identifier", "cameo=IGOWAFWAS"});
  RollcallOk({"actors", "add", "niger", "--name", "Niger", "--kind", "state", "--country",
              "NER", "--member-of", "ecowas"});
  RollcallOk({"actors", "add", "african-union", "--name", "African Union", "--kind",
              "regional-bloc", "--alias", "UA"});
  RollcallOk({"actors", "add", "united-nations", "--name", "United Nations", "--kind",
              "international-organisation"});
  RollcallOk({"actors", "add", "russia", "--name", "Russia", "--kind", "STATE",
              "--country", "RUS"});
  RollcallOk({"events", "add", "niger-coup-2023", "--title", "Military coup in Niger",
              "--start", "2023-07-26", "--country", "NER", "--label", "region=sahel"});
}

std::string CliTest::AddStatement(const std::string& actor, const std::string& stance,
                                  const std::string& quote,
                                  const std::string& issue_time) {
  const std::string json =
      RollcallOk({"statements", "add", "--event", "niger-coup-2023", "--actor", actor,
                  "--stance", stance, "--quote", quote, "--issue-time", issue_time,
                  "--allow-duplicate", "--output", "json"});
  return ParseStatement(json).name();
}

std::vector<v1::Statement> CliTest::ListStatements(const std::vector<std::string>& args,
                                                   const ServerProcess* server) {
  std::vector<std::string> argv = {"statements", "list"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--output", "json", "--limit", "0"});
  std::vector<v1::Statement> statements;
  for (const auto& line : Lines(RollcallOk(argv, server))) {
    statements.push_back(ParseStatement(line));
  }
  return statements;
}

v1::Statement ParseStatement(const std::string& json) {
  v1::Statement statement;
  auto status = google::protobuf::util::JsonStringToMessage(json, &statement);
  EXPECT_TRUE(status.ok()) << status << " in: " << json;
  return statement;
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

bool IsValidUtf8(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80           ? 1
                    : (lead >> 5) == 0x6  ? 2
                    : (lead >> 4) == 0xE  ? 3
                    : (lead >> 3) == 0x1E ? 4
                                          : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t j = 1; j < length; ++j) {
      if ((static_cast<unsigned char>(text[i + j]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

}  // namespace rollcall::testing
