#include "client/cli/values.h"

#include "gtest/gtest.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall::cli {
namespace {

TEST(ParseEnumTest, AcceptsLabelsShortAndFullNames) {
  EXPECT_EQ(*ParseEnum<v1::ActionKind>("--action", "demand-release"),
            v1::ACTION_KIND_DEMAND_RELEASE);
  EXPECT_EQ(*ParseEnum<v1::ActionKind>("--action", "DEMAND_RELEASE"),
            v1::ACTION_KIND_DEMAND_RELEASE);
  EXPECT_EQ(*ParseEnum<v1::Stance>("--stance", "STANCE_CONDEMNS"), v1::STANCE_CONDEMNS);
}

TEST(ParseEnumTest, RejectsUnspecifiedAndUnknownNamingTheFlag) {
  auto unspecified = ParseEnum<v1::Stance>("--stance", "unspecified");
  EXPECT_FALSE(unspecified.ok());
  auto unknown = ParseEnum<v1::Stance>("--stance", "furious");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(),
            "invalid value \"furious\" for --stance; expected one of: "
            "condemns, criticises, concerned, neutral, supports");
}

TEST(EnumLabelTest, IsLowerCaseWithHyphens) {
  EXPECT_EQ(Label(v1::SOURCE_MEDIUM_OFFICIAL_COMMUNIQUE), "official-communique");
  EXPECT_EQ(Label(v1::STANCE_UNSPECIFIED), "");
  EXPECT_EQ(EnumFilterName(*v1::Stance_descriptor(), v1::STANCE_CONDEMNS), "CONDEMNS");
}

TEST(ParseTimeTest, AcceptsDatesAndRfc3339) {
  auto date = ParseTime("--issue-time", "2023-07-26");
  ASSERT_TRUE(date.ok());
  EXPECT_TRUE(date->date_only);
  EXPECT_EQ(FormatTime(date->timestamp), "2023-07-26T00:00:00Z");
  auto time = ParseTime("--issue-time", "2023-07-26T15:30:00+01:00");
  ASSERT_TRUE(time.ok());
  EXPECT_FALSE(time->date_only);
  EXPECT_EQ(FormatTime(time->timestamp), "2023-07-26T14:30:00Z");
  EXPECT_FALSE(ParseTime("--issue-time", "26/07/2023").ok());
}

TEST(ParseLabelTest, SplitsAtTheFirstEquals) {
  auto label = ParseLabel("--label", "note=a=b");
  ASSERT_TRUE(label.ok());
  EXPECT_EQ(label->first, "note");
  EXPECT_EQ(label->second, "a=b");
  EXPECT_FALSE(ParseLabel("--label", "=x").ok());
  EXPECT_FALSE(ParseLabel("--label", "novalue").ok());
}

}  // namespace
}  // namespace rollcall::cli
