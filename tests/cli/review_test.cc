// Black-box tests of the interactive review (`rollcall drafts review`, and
// the review `extract` offers), driven through a pseudo-terminal.

#include <set>

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

constexpr char kPrompt[] = "[a]ccept [e]dit [r]eject [s]kip [q]uit";

class ReviewTest : public DraftsCliTest {};

TEST_F(ReviewTest, AcceptEditRejectThroughATerminal) {
  const std::string path = dir_.File("ecowas.txt");
  ASSERT_TRUE(WriteFile(path, kEcowasAuArticle));
  RollcallOk({"extract", path, "--event", "niger-coup-2023", "--published", "2023-07-27",
              "--url", "https://news.example/ecowas"});
  const std::vector<v1::Draft> pending = ListDrafts({"--state", "pending"});
  ASSERT_THAT(pending, SizeIs(::testing::Ge(3u)));

  // First accept (naming the actor if the extractor could not), then edit
  // the stance and accept, then reject, then skip the rest.
  std::vector<PtyStep> steps = {{kPrompt, "a"}};
  if (pending[0].statement().actor().empty()) steps.push_back({"Actor:", "ecowas"});
  steps.push_back({kPrompt, "e"});
  steps.push_back(
      {"Actor [", pending[1].statement().actor().empty() ? "african-union" : ""});
  steps.push_back({"Stance [", "criticises"});
  steps.push_back({"Stance toward", ""});
  steps.push_back({"Actions", "nonsense"});  // not an action: asked again
  steps.push_back({"invalid value", ""});
  steps.push_back({"Speaker", ""});
  steps.push_back({"Quote", ""});
  steps.push_back({kPrompt, "x"});  // not a choice: asked again
  steps.push_back({"Answer a, e, r, s or q.", "r"});
  steps.push_back({"Reason", "misattributed"});
  for (size_t i = 3; i < pending.size(); ++i) steps.push_back({kPrompt, "s"});

  PtyResult result = RunInPty({RollcallPath(), "--server", server_->address(), "drafts",
                               "review", "--event", "niger-coup-2023"},
                              steps, {{"NO_COLOR", ""}});
  ASSERT_EQ(result.error, "") << result.transcript;
  EXPECT_EQ(result.exit_code, 0) << result.transcript;
  // On a terminal, the evidence is highlighted: the actor mention in bold
  // cyan, and shown with its sentence.
  EXPECT_THAT(result.transcript, HasSubstr("\x1b[1;36m"));
  EXPECT_THAT(result.transcript, HasSubstr("> "));
  EXPECT_THAT(result.transcript,
              HasSubstr("Reviewed: 2 accepted, 1 rejected, " +
                        std::to_string(pending.size() - 3) + " skipped."));

  auto state_of = [&](const v1::Draft& draft) {
    return ParseDrafts(
        RollcallOk({"drafts", "get", draft.name(), "--output", "json"}))[0];
  };
  const v1::Draft first = state_of(pending[0]);
  const v1::Draft second = state_of(pending[1]);
  const v1::Draft third = state_of(pending[2]);
  EXPECT_EQ(first.state(), v1::DRAFT_STATE_ACCEPTED);
  EXPECT_EQ(second.state(), v1::DRAFT_STATE_ACCEPTED);
  EXPECT_EQ(third.state(), v1::DRAFT_STATE_REJECTED);
  EXPECT_EQ(third.reject_reason(), "misattributed");
  const std::vector<v1::Statement> statements = ListStatements({});
  ASSERT_THAT(statements, SizeIs(2));
  std::set<std::string> names = {statements[0].name(), statements[1].name()};
  EXPECT_EQ(names,
            (std::set<std::string>{first.statement_name(), second.statement_name()}));
  for (const v1::Statement& statement : statements) {
    if (statement.name() == second.statement_name()) {
      EXPECT_EQ(statement.stance(), v1::STANCE_CRITICISES);
    }
  }
  for (size_t i = 3; i < pending.size(); ++i) {
    EXPECT_EQ(state_of(pending[i]).state(), v1::DRAFT_STATE_PENDING);
  }
}

TEST_F(ReviewTest, NoColourWhenAskedAndRefusedWithoutATerminal) {
  const std::string path = dir_.File("ecowas.txt");
  ASSERT_TRUE(WriteFile(path, kEcowasAuArticle));
  RollcallOk(
      {"extract", path, "--event", "niger-coup-2023", "--published", "2023-07-27"});
  PtyResult result =
      RunInPty({RollcallPath(), "--server", server_->address(), "drafts", "review"},
               {{kPrompt, "q"}}, {{"NO_COLOR", "1"}});
  ASSERT_EQ(result.error, "") << result.transcript;
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.transcript, Not(HasSubstr("\x1b[")));
  EXPECT_THAT(result.transcript, HasSubstr("actor mention:"));

  CommandResult piped = Rollcall({"drafts", "review"}, "a\n");
  EXPECT_EQ(piped.exit_code, 2);
  EXPECT_THAT(piped.stderr_text, HasSubstr("interactive"));
  EXPECT_THAT(ListStatements({}), IsEmpty());
}

TEST_F(ReviewTest, ExtractOnATerminalOffersTheReview) {
  const std::string path = dir_.File("ecowas.txt");
  ASSERT_TRUE(WriteFile(path, kEcowasAuArticle));
  PtyResult result =
      RunInPty({RollcallPath(), "--server", server_->address(), "extract", path,
                "--event", "niger-coup-2023", "--published", "2023-07-27"},
               {{"Review them now? [y/N]", "y"}, {kPrompt, "q"}});
  ASSERT_EQ(result.error, "") << result.transcript;
  EXPECT_EQ(result.exit_code, 0) << result.transcript;
  EXPECT_THAT(result.transcript, HasSubstr("Reviewed: 0 accepted"));
}

}  // namespace
}  // namespace rollcall::testing
