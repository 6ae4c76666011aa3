#include "client/cli/statement_filter.h"

#include "client/cli/filters.h"
#include "gtest/gtest.h"

namespace rollcall::cli {
namespace {

TEST(QuoteFilterValueTest, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(QuoteFilterValue(R"(say "no" \ now)"), R"("say \"no\" \\ now")");
}

TEST(BuildStatementFilterTest, JoinsFlagsByAndAndRepeatsByOr) {
  StatementListFlags flags;
  flags.event = "niger-coup-2023";
  flags.stances = {"condemns", "CRITICISES"};
  flags.text = "release \"now\"";
  flags.filter = "actor_kind = STATE OR actor_kind = REGIONAL_BLOC";
  EXPECT_EQ(*BuildStatementFilter(flags),
            "event = \"events/niger-coup-2023\" AND (stance = CONDEMNS OR "
            "stance = CRITICISES) AND text : \"release \\\"now\\\"\" AND "
            "(actor_kind = STATE OR actor_kind = REGIONAL_BLOC)");
}

TEST(BuildStatementFilterTest, UntilADateIncludesThatDay) {
  StatementListFlags flags;
  flags.since = "2023-07-28";
  flags.until = "2023-07-29";
  EXPECT_EQ(*BuildStatementFilter(flags),
            "issue_time >= \"2023-07-28T00:00:00Z\" AND "
            "issue_time < \"2023-07-30T00:00:00Z\"");
}

TEST(BuildStatementFilterTest, RawFilterAloneIsSentAsIs) {
  StatementListFlags flags;
  flags.filter = "\"release\"";
  EXPECT_EQ(*BuildStatementFilter(flags), "\"release\"");
}

TEST(BuildStatementFilterTest, BadEnumValueNamesTheFlag) {
  StatementListFlags flags;
  flags.actor_kinds = {"country"};
  auto filter = BuildStatementFilter(flags);
  ASSERT_FALSE(filter.ok());
  EXPECT_NE(filter.status().message().find("--actor-kind"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::cli
