// `rollcall statements add` when the server refuses a near-duplicate: the
// three ways out (add the sources to the existing statement, record anyway,
// cancel), by flag and at the terminal prompt.

#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace rollcall::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kQuote[] =
    "ECOWAS condemns in the strongest terms the attempted seizure of power in Niger.";
// The same words, other case and punctuation, as another outlet printed them.
constexpr char kReported[] =
    "Ecowas condemns -- in the strongest terms -- the attempted seizure of power in "
    "NIGER!";

class DuplicateCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    CreateNigerFixture();
    existing_ = ParseStatement(RollcallOk(
        AddArgs(kQuote, "https://ecowas.int/communique", "2023-07-26T10:00:00Z")));
  }

  // `statements add` of an ECOWAS statement on the coup, in JSON.
  static std::vector<std::string> AddArgs(const std::string& quote,
                                          const std::string& source_url,
                                          const std::string& issue_time) {
    return {"statements",   "add",      "--event",      "niger-coup-2023",
            "--actor",      "ecowas",   "--stance",     "condemns",
            "--quote",      quote,      "--issue-time", issue_time,
            "--source-url", source_url, "--output",     "json"};
  }
  static std::vector<std::string> ReportedArgs() {
    return AddArgs(kReported, "https://example.org/wire/ecowas", "2023-07-26T15:00:00Z");
  }
  static std::vector<std::string> With(std::vector<std::string> args,
                                       const std::string& flag) {
    args.push_back(flag);
    return args;
  }

  v1::Statement existing_;
};

TEST_F(DuplicateCliTest, WithoutAFlagItFailsNamingTheExistingStatementAndItsQuote) {
  CommandResult result = Rollcall(ReportedArgs());
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_THAT(
      result.stderr_text,
      AllOf(HasSubstr("ALREADY_EXISTS: statement.quote: near-identical to " +
                      existing_.name() + " by actors/ecowas on events/niger-coup-2023"),
            HasSubstr(existing_.name() + " says: \"" + kQuote + "\""),
            HasSubstr("--add-source-to-existing"), HasSubstr("--allow-duplicate")));
  EXPECT_EQ(result.stdout_text, "");
  EXPECT_THAT(ListStatements({}), SizeIs(1));
}

TEST_F(DuplicateCliTest, AllowDuplicateRecordsItAnyway) {
  const v1::Statement second =
      ParseStatement(RollcallOk(With(ReportedArgs(), "--allow-duplicate")));
  EXPECT_NE(second.name(), existing_.name());
  EXPECT_EQ(second.quote(), kReported);
  EXPECT_THAT(ListStatements({}), SizeIs(2));
}

TEST_F(DuplicateCliTest, AddSourceToExistingAppendsTheSourcesToTheExistingStatement) {
  const v1::Statement updated =
      ParseStatement(RollcallOk(With(ReportedArgs(), "--add-source-to-existing")));
  EXPECT_EQ(updated.name(), existing_.name());
  EXPECT_EQ(updated.revision(), 2);
  EXPECT_EQ(updated.quote(), kQuote) << "only the sources change";
  ASSERT_EQ(updated.sources_size(), 2);
  EXPECT_EQ(updated.sources(0).url(), "https://ecowas.int/communique");
  EXPECT_EQ(updated.sources(1).url(), "https://example.org/wire/ecowas");
  EXPECT_THAT(ListStatements({}), SizeIs(1));

  // Adding the same source again changes nothing.
  const v1::Statement again =
      ParseStatement(RollcallOk(With(ReportedArgs(), "--add-source-to-existing")));
  EXPECT_EQ(again.revision(), 2);
}

TEST_F(DuplicateCliTest, TheTwoFlagsExcludeEachOther) {
  CommandResult result = Rollcall(
      With(With(ReportedArgs(), "--allow-duplicate"), "--add-source-to-existing"));
  EXPECT_EQ(result.exit_code, 2) << result.stderr_text;
}

TEST_F(DuplicateCliTest, OnATerminalItAsksAndAddsTheSourcesWhenTold) {
  std::vector<std::string> argv = {RollcallPath(), "--server", server_->address()};
  for (const std::string& arg : ReportedArgs()) argv.push_back(arg);
  PtyResult result =
      RunInPty(argv, {{"[c] cancel (a, r, c):", "x"}, {"Answer a, r or c.", "a"}});
  ASSERT_EQ(result.error, "") << result.transcript;
  EXPECT_EQ(result.exit_code, 0) << result.transcript;
  EXPECT_THAT(
      result.transcript,
      AllOf(HasSubstr("near-identical to " + existing_.name()),
            HasSubstr(existing_.name() + " says: \"" + kQuote + "\""),
            HasSubstr("[a] add this statement's sources to " + existing_.name())));
  const std::vector<v1::Statement> statements = ListStatements({});
  ASSERT_THAT(statements, SizeIs(1));
  EXPECT_EQ(statements[0].sources_size(), 2);
}

TEST_F(DuplicateCliTest, OnATerminalCancelRecordsNothing) {
  std::vector<std::string> argv = {RollcallPath(), "--server", server_->address()};
  for (const std::string& arg : ReportedArgs()) argv.push_back(arg);
  PtyResult result = RunInPty(argv, {{"[c] cancel (a, r, c):", "c"}});
  ASSERT_EQ(result.error, "") << result.transcript;
  EXPECT_EQ(result.exit_code, 1) << result.transcript;
  EXPECT_THAT(result.transcript, HasSubstr("Cancelled: nothing recorded."));
  const std::vector<v1::Statement> statements = ListStatements({});
  ASSERT_THAT(statements, SizeIs(1));
  EXPECT_EQ(statements[0].revision(), 1);
}

TEST_F(DuplicateCliTest, ImportReportsADuplicateLineLikeAnyBadLine) {
  const std::string file = dir_.File("reported.jsonl");
  {
    std::ofstream out(file);
    out << R"({"statement":{"event":"events/niger-coup-2023","actor":"actors/ecowas",)"
        << R"("stance":"STANCE_CONDEMNS","quote":")" << kReported
        << R"(","issueTime":"2023-07-26T15:00:00Z"}})"
        << "\n";
  }
  CommandResult result = Rollcall({"import", file});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_THAT(result.stderr_text,
              HasSubstr(file + ":1: ALREADY_EXISTS: statement.quote: near-identical to " +
                        existing_.name()));
  EXPECT_THAT(result.stdout_text, HasSubstr("1 error"));
}

}  // namespace
}  // namespace rollcall::testing
