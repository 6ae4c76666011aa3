#include "server/filter/statement_filter.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/field_error.h"
#include "server/common/time_util.h"

namespace rollcall {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

StatementFilter MustParse(absl::string_view text) {
  absl::StatusOr<StatementFilter> filter = ParseStatementFilter(text, "filter");
  EXPECT_TRUE(filter.ok()) << text << ": " << filter.status();
  return filter.ok() ? *filter : StatementFilter{};
}

// The message of the error that `text` must produce.
std::string ParseError(absl::string_view text) {
  absl::StatusOr<StatementFilter> filter = ParseStatementFilter(text, "filter");
  if (filter.ok()) {
    ADD_FAILURE() << "parsed: " << text;
    return "";
  }
  EXPECT_EQ(filter.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(filter.status()), "filter");
  EXPECT_THAT(filter.status().message(), HasSubstr("filter: "));
  return std::string(filter.status().message());
}

int64_t Micros(absl::string_view time) {
  return absl::ToUnixMicros(*ParseTime(time, "time"));
}

TEST(StatementFilterTest, EmptyOrBlankTextIsTheEmptyFilter) {
  for (absl::string_view text : {"", "   ", "\t\n"}) {
    StatementFilter filter = MustParse(text);
    EXPECT_TRUE(filter.Empty()) << text;
    EXPECT_EQ(filter.Canonical(), "");
  }
}

TEST(StatementFilterTest, NameFieldsAcceptFullNamesAndBareIds) {
  StatementFilter filter = MustParse(
      "event = \"events/niger-coup-2023\" AND actor = ecowas AND "
      "bloc = \"actors/african-union\"");
  EXPECT_THAT(filter.events, ElementsAre("events/niger-coup-2023"));
  EXPECT_THAT(filter.actors, ElementsAre("actors/ecowas"));
  EXPECT_THAT(filter.blocs, ElementsAre("actors/african-union"));
  EXPECT_FALSE(filter.Empty());
  EXPECT_THAT(MustParse("event = niger-coup-2023").events,
              ElementsAre("events/niger-coup-2023"));
}

TEST(StatementFilterTest, NameOfAnotherCollectionIsRejected) {
  std::string message = ParseError("actor = \"events/niger-coup-2023\"");
  EXPECT_THAT(message, HasSubstr("invalid actor \"events/niger-coup-2023\" "
                                 "at position 9"));
  EXPECT_THAT(message, HasSubstr("actors/{id}"));
}

TEST(StatementFilterTest, InvalidIdIsRejected) {
  EXPECT_THAT(ParseError("bloc = \"Not An Id\""),
              HasSubstr("invalid bloc \"Not An Id\" at position 8"));
  EXPECT_THAT(ParseError("event = \"events/\""), HasSubstr("position 9"));
}

TEST(StatementFilterTest, EnumValuesAreCaseInsensitiveWithOrWithoutPrefix) {
  for (absl::string_view text :
       {"stance = CONDEMNS", "stance = condemns", "stance = STANCE_CONDEMNS",
        "stance = stance_condemns", "stance = \"Condemns\""}) {
    EXPECT_THAT(MustParse(text).stances, ElementsAre(v1::STANCE_CONDEMNS)) << text;
  }
}

TEST(StatementFilterTest, EveryEnumFieldParses) {
  StatementFilter filter = MustParse(
      "actor_kind = regional_bloc AND action = DEMAND_RELEASE AND "
      "modality = future AND state = STATEMENT_STATE_RETRACTED AND "
      "stance = supports");
  EXPECT_THAT(filter.actor_kinds, ElementsAre(v1::ACTOR_KIND_REGIONAL_BLOC));
  EXPECT_THAT(filter.actions, ElementsAre(v1::ACTION_KIND_DEMAND_RELEASE));
  EXPECT_THAT(filter.modalities, ElementsAre(v1::MODALITY_FUTURE));
  EXPECT_THAT(filter.states, ElementsAre(v1::STATEMENT_STATE_RETRACTED));
  EXPECT_THAT(filter.stances, ElementsAre(v1::STANCE_SUPPORTS));
}

TEST(StatementFilterTest, UnspecifiedEnumValueIsRejected) {
  EXPECT_THAT(ParseError("stance = STANCE_UNSPECIFIED"),
              HasSubstr("unknown stance \"STANCE_UNSPECIFIED\" at position 10"));
  EXPECT_THAT(ParseError("modality = unspecified"),
              HasSubstr("unknown modality \"unspecified\" at position 12"));
}

TEST(StatementFilterTest, UnknownEnumValueIsRejectedListingTheValidOnes) {
  std::string message = ParseError("action = DANCE");
  EXPECT_THAT(message, HasSubstr("unknown action \"DANCE\" at position 10"));
  EXPECT_THAT(message, HasSubstr("DEMAND_RELEASE"));
  EXPECT_THAT(message, Not(HasSubstr("UNSPECIFIED")));
}

TEST(StatementFilterTest, NotEqualsIsRejectedWithAClearMessage) {
  std::string message = ParseError("stance != CONDEMNS");
  EXPECT_THAT(message, HasSubstr("unsupported operator \"!=\" at position 8"));
  EXPECT_THAT(message, HasSubstr("negation is not supported"));
  EXPECT_THAT(ParseError("actor < ecowas"),
              HasSubstr("unsupported operator \"<\" at position 7"));
}

TEST(StatementFilterTest, OrJoinsValuesOfOneFieldIntoAList) {
  StatementFilter filter =
      MustParse("stance = CONDEMNS OR stance = CRITICISES OR stance = neutral");
  EXPECT_THAT(filter.stances, ElementsAre(v1::STANCE_CONDEMNS, v1::STANCE_CRITICISES,
                                          v1::STANCE_NEUTRAL));
}

TEST(StatementFilterTest, ParenthesesGroupAlternatives) {
  StatementFilter filter = MustParse(
      "event = \"events/niger-coup-2023\" AND (stance = CONDEMNS OR "
      "stance = CRITICISES) AND issue_time < \"2023-08-01T00:00:00Z\"");
  EXPECT_THAT(filter.events, ElementsAre("events/niger-coup-2023"));
  EXPECT_THAT(filter.stances, ElementsAre(v1::STANCE_CONDEMNS, v1::STANCE_CRITICISES));
  EXPECT_EQ(filter.issue_time_max_micros, Micros("2023-08-01"));
  EXPECT_THAT(MustParse("((actor = a OR (actor = b)) OR actor = c)").actors,
              ElementsAre("actors/a", "actors/b", "actors/c"));
}

TEST(StatementFilterTest, KeywordsAreCaseInsensitive) {
  StatementFilter filter =
      MustParse("stance = condemns or stance = supports and actor = ecowas");
  EXPECT_THAT(filter.stances, ElementsAre(v1::STANCE_CONDEMNS, v1::STANCE_SUPPORTS));
  EXPECT_THAT(filter.actors, ElementsAre("actors/ecowas"));
  EXPECT_EQ(MustParse("actor = a Or actor = b AnD stance = neutral").Canonical(),
            MustParse("actor = a OR actor = b AND stance = neutral").Canonical());
}

TEST(StatementFilterTest, OrBetweenDifferentFieldsIsRejected) {
  std::string message = ParseError("stance = CONDEMNS OR actor = ecowas");
  EXPECT_THAT(message, HasSubstr("restrictions on stance and actor are joined "
                                 "by \"OR\" at position 19"));
  EXPECT_THAT(message, HasSubstr("OR is only allowed between values of one field"));
  EXPECT_THAT(ParseError("(stance = CONDEMNS OR (actor = ecowas))"),
              HasSubstr("at position 20"));
}

TEST(StatementFilterTest, OrOnFieldsWithoutAlternativesIsRejected) {
  EXPECT_THAT(ParseError("\"a\" OR \"b\""),
              HasSubstr("restrictions on text cannot be joined by \"OR\" at "
                        "position 5"));
  EXPECT_THAT(ParseError("issue_time < \"2023-01-01\" OR "
                         "issue_time > \"2024-01-01\""),
              HasSubstr("issue_time cannot be joined by \"OR\" at position 27"));
  EXPECT_THAT(ParseError("labels.a = \"x\" OR labels.a = \"y\""),
              HasSubstr("position 16"));
}

TEST(StatementFilterTest, AndInsideParenthesesIsRejected) {
  EXPECT_THAT(ParseError("(stance = CONDEMNS AND actor = ecowas)"),
              HasSubstr("unexpected \"AND\" at position 20"));
}

TEST(StatementFilterTest, SecondRestrictionOfAnAlternativeFieldIsRejected) {
  std::string message =
      ParseError("stance = CONDEMNS AND actor = a AND stance = SUPPORTS");
  EXPECT_THAT(message, HasSubstr("second restriction on \"stance\" at position 37"));
  EXPECT_THAT(message, HasSubstr("already restricted at position 1"));
}

TEST(StatementFilterTest, SyntaxErrorsNameTheTokenAndPosition) {
  EXPECT_THAT(ParseError("stance ="),
              HasSubstr("expected a value after stance =, got end of filter "
                        "at position 9"));
  EXPECT_THAT(ParseError("stance CONDEMNS"),
              HasSubstr("expected an operator after stance, got \"CONDEMNS\" "
                        "at position 8"));
  EXPECT_THAT(ParseError("stance = CONDEMNS AND"),
              HasSubstr("expected a restriction, got end of filter at "
                        "position 22"));
  EXPECT_THAT(ParseError("stance = CONDEMNS actor = a"),
              HasSubstr("expected AND or end of filter, got \"actor\" at "
                        "position 19"));
  EXPECT_THAT(ParseError("stance = CONDEMNS)"),
              HasSubstr("unmatched \")\" at position 18"));
  EXPECT_THAT(ParseError("(stance = CONDEMNS"),
              HasSubstr("expected \")\", got end of filter at position 19 (to "
                        "close the \"(\" at position 1)"));
  EXPECT_THAT(ParseError("()"), HasSubstr("got \")\" at position 2"));
  EXPECT_THAT(ParseError("stance , CONDEMNS"), HasSubstr("position 8"));
  EXPECT_THAT(ParseError("stance = (CONDEMNS)"), HasSubstr("got \"(\" at position 10"));
}

TEST(StatementFilterTest, UnknownFieldIsRejectedListingTheFields) {
  EXPECT_THAT(ParseError("stanse = CONDEMNS"),
              HasSubstr("filter: unknown field \"stanse\" at position 1 "
                        "(expected one of event, actor, bloc, actor_kind, "));
  EXPECT_THAT(ParseError("actor = a AND NOT stance = neutral"),
              HasSubstr("unknown field \"NOT\" at position 15"));
}

TEST(StatementFilterTest, LexerErrorsNameTheTokenAndPosition) {
  EXPECT_THAT(ParseError("text : \"release"),
              HasSubstr("unterminated string \"\\\"release\" at position 8"));
  EXPECT_THAT(ParseError("text : \"a\\nb\""),
              HasSubstr("invalid escape \"\\\\n\" at position 10"));
  EXPECT_THAT(ParseError("stance = CONDEMNS # comment"),
              HasSubstr("unexpected character \"#\" at position 19"));
  EXPECT_THAT(ParseError("stance ! CONDEMNS"),
              HasSubstr("unexpected character \"!\" at position 8"));
}

TEST(StatementFilterTest, StringEscapesAreDecodedThenTheTermTokenised) {
  // The escaped quotes and backslash are punctuation, not words.
  EXPECT_THAT(MustParse(R"(text : "say \"No\" \\ now")").texts,
              ElementsAre("say no now"));
  EXPECT_THAT(ParseError(R"(text : "\"\\")"), HasSubstr("text without words"));
}

TEST(StatementFilterTest, TextTermsAreTokenisedAsTheIndexDoes) {
  EXPECT_THAT(MustParse("\"Coup d'État\"").texts, ElementsAre("coup d etat"));
  EXPECT_THAT(MustParse("\"condamn*\"").texts, ElementsAre("condamn*"));
  EXPECT_THAT(MustParse("\"  Bazoum's   release \"").texts,
              ElementsAre("bazoum s release"));
  EXPECT_THAT(MustParse("\"الانقلاب\"").texts, ElementsAre("الانقلاب"));
}

TEST(StatementFilterTest, TextFormsAreEquivalentAndLowerCased) {
  for (absl::string_view text :
       {"text : \"Release\"", "text = \"RELEASE\"", "\"release\""}) {
    EXPECT_THAT(MustParse(text).texts, ElementsAre("release")) << text;
  }
  EXPECT_THAT(MustParse("\"junta\" AND text : \"Release\"").texts,
              ElementsAre("junta", "release"));
}

TEST(StatementFilterTest, EmptyTextIsRejected) {
  EXPECT_THAT(ParseError("text : \"\""),
              HasSubstr("text without words \"\" at position 8"));
  EXPECT_THAT(ParseError("actor = a AND \"  \""),
              HasSubstr("text without words \"  \" at position 15"));
  EXPECT_THAT(ParseError("text : \"!?*\""), HasSubstr("needs at least one word"));
  EXPECT_THAT(ParseError("text < \"x\""), HasSubstr("text takes : or ="));
}

TEST(StatementFilterTest, LabelsAreKeyValuePairs) {
  StatementFilter filter =
      MustParse("labels.source_batch = \"afp\" AND labels.region-2 = sahel");
  EXPECT_THAT(filter.labels,
              ElementsAre(Pair("region-2", "sahel"), Pair("source_batch", "afp")));
}

TEST(StatementFilterTest, InvalidLabelKeyIsRejected) {
  EXPECT_THAT(ParseError("labels.Region = \"x\""),
              HasSubstr("invalid label key in \"labels.Region\" at position 1"));
  EXPECT_THAT(ParseError("labels. = \"x\""), HasSubstr("position 1"));
  EXPECT_THAT(ParseError(absl::StrCat("labels.", std::string(64, 'k'), " = \"x\"")),
              HasSubstr("1-63 characters"));
  EXPECT_TRUE(ParseStatementFilter(
                  absl::StrCat("labels.", std::string(63, 'k'), " = \"x\""), "filter")
                  .ok());
}

TEST(StatementFilterTest, LengthLimitIsEnforced) {
  const std::string at_limit =
      absl::StrCat("\"", std::string(kMaxFilterLength - 2, 'a'), "\"");
  EXPECT_TRUE(ParseStatementFilter(at_limit, "filter").ok());
  std::string message = ParseError(absl::StrCat(at_limit, " "));
  EXPECT_THAT(message, HasSubstr("at position 4097"));
  EXPECT_THAT(message, HasSubstr("at most 4096 characters"));
}

TEST(StatementFilterTest, RestrictionLimitIsEnforced) {
  std::vector<std::string> terms;
  for (int i = 0; i < kMaxFilterRestrictions; ++i) {
    terms.push_back(absl::StrCat("labels.k", i, " = v"));
  }
  std::string at_limit = absl::StrJoin(terms, " AND ");
  EXPECT_EQ(MustParse(at_limit).labels.size(), kMaxFilterRestrictions);
  std::string message = ParseError(absl::StrCat(at_limit, " AND \"extra\""));
  EXPECT_THAT(message, HasSubstr("too many restrictions"));
  EXPECT_THAT(message,
              HasSubstr(absl::StrCat("\"extra\" at position ", at_limit.size() + 6)));
  EXPECT_THAT(message, HasSubstr("at most 64 restrictions"));
}

TEST(StatementFilterTest, DuplicateValuesAreRemoved) {
  StatementFilter filter = MustParse(
      "(stance = CONDEMNS OR stance = condemns) AND \"x\" AND \"X\" AND "
      "labels.a = b AND labels.a = b AND (actor = a OR actor = \"actors/a\")");
  EXPECT_THAT(filter.stances, ElementsAre(v1::STANCE_CONDEMNS));
  EXPECT_THAT(filter.texts, ElementsAre("x"));
  EXPECT_THAT(filter.labels, ElementsAre(Pair("a", "b")));
  EXPECT_THAT(filter.actors, ElementsAre("actors/a"));
}

TEST(StatementFilterTest, TimeBoundsFollowTheirOperators) {
  const int64_t t = Micros("2023-07-26T14:00:00Z");
  const std::string quoted = "\"2023-07-26T14:00:00Z\"";
  StatementFilter at_least = MustParse(absl::StrCat("issue_time >= ", quoted));
  EXPECT_EQ(at_least.issue_time_min_micros, t);
  EXPECT_FALSE(at_least.issue_time_max_micros.has_value());
  EXPECT_EQ(MustParse(absl::StrCat("issue_time > ", quoted)).issue_time_min_micros,
            t + 1);
  StatementFilter before = MustParse(absl::StrCat("issue_time < ", quoted));
  EXPECT_EQ(before.issue_time_max_micros, t);
  EXPECT_FALSE(before.issue_time_min_micros.has_value());
  EXPECT_EQ(MustParse(absl::StrCat("issue_time <= ", quoted)).issue_time_max_micros,
            t + 1);
  StatementFilter equal = MustParse(absl::StrCat("issue_time = ", quoted));
  EXPECT_EQ(equal.issue_time_min_micros, t);
  EXPECT_EQ(equal.issue_time_max_micros, t + 1);
}

TEST(StatementFilterTest, SeveralTimeBoundsIntersect) {
  StatementFilter filter = MustParse(
      "issue_time >= \"2023-07-01\" AND issue_time < \"2023-09-01\" AND "
      "issue_time > \"2023-07-26T00:00:00+01:00\" AND "
      "issue_time <= \"2023-12-31\"");
  EXPECT_EQ(filter.issue_time_min_micros, Micros("2023-07-25T23:00:00Z") + 1);
  EXPECT_EQ(filter.issue_time_max_micros, Micros("2023-09-01"));
}

TEST(StatementFilterTest, DatesAreMidnightUtc) {
  EXPECT_EQ(MustParse("issue_time >= \"2023-07-26\"").issue_time_min_micros,
            absl::ToUnixMicros(
                absl::FromCivil(absl::CivilDay(2023, 7, 26), absl::UTCTimeZone())));
}

TEST(StatementFilterTest, SubMicrosecondTimesRoundToKeepTheBoundsMeaning) {
  const int64_t t = Micros("2023-07-26T14:00:00Z");
  const std::string quoted = "\"2023-07-26T14:00:00.0000005Z\"";
  EXPECT_EQ(MustParse(absl::StrCat("issue_time >= ", quoted)).issue_time_min_micros,
            t + 1);
  EXPECT_EQ(MustParse(absl::StrCat("issue_time < ", quoted)).issue_time_max_micros,
            t + 1);
  EXPECT_EQ(MustParse(absl::StrCat("issue_time <= ", quoted)).issue_time_max_micros,
            t + 1);
}

TEST(StatementFilterTest, InvalidTimeIsRejected) {
  std::string message = ParseError("issue_time >= \"last tuesday\"");
  EXPECT_THAT(message, HasSubstr("invalid issue_time \"last tuesday\" at position 15"));
  EXPECT_THAT(message, HasSubstr("RFC 3339"));
  EXPECT_THAT(ParseError("issue_time : \"2023-07-26\""),
              HasSubstr("unsupported operator \":\" at position 12"));
}

// Found by filter_parser_fuzz: a far-off year parsed, and the bound's
// microsecond arithmetic overflowed.
TEST(StatementFilterTest, TimeBeyondWhatATimestampHoldsIsRejected) {
  EXPECT_THAT(ParseError("issue_time < \"2023023-08-01\""),
              HasSubstr("invalid issue_time \"2023023-08-01\" at position 14"));
  EXPECT_THAT(ParseError("issue_time <= \"99999-01-01T00:00:00Z\""),
              HasSubstr("invalid issue_time"));
  EXPECT_EQ(MustParse("issue_time < \"9999-12-31T23:59:59Z\"").issue_time_max_micros,
            Micros("9999-12-31T23:59:59Z"));
}

TEST(StatementFilterTest, CanonicalIgnoresTheOrderOfTermsAndValues) {
  StatementFilter a = MustParse(
      "event = e AND (stance = CONDEMNS OR stance = SUPPORTS) AND \"x\" AND "
      "labels.k = v AND labels.a = b AND issue_time < \"2023-08-01\"");
  StatementFilter b = MustParse(
      "issue_time < \"2023-08-01\" AND labels.a = b AND \"X\" AND "
      "stance = supports OR stance = condemns AND labels.k = v AND "
      "event = \"events/e\"");
  EXPECT_EQ(a.Canonical(), b.Canonical());
  EXPECT_NE(a.Canonical(), MustParse("event = e").Canonical());
}

TEST(StatementFilterTest, CanonicalSortsHandBuiltFilters) {
  StatementFilter a;
  a.actors = {"actors/b", "actors/a"};
  a.stances = {v1::STANCE_SUPPORTS, v1::STANCE_CONDEMNS};
  StatementFilter b;
  b.actors = {"actors/a", "actors/b"};
  b.stances = {v1::STANCE_CONDEMNS, v1::STANCE_SUPPORTS};
  EXPECT_EQ(a.Canonical(), b.Canonical());
}

TEST(StatementFilterTest, CanonicalDistinguishesFieldsAndBounds) {
  std::vector<std::string> texts = {"actor = a",
                                    "bloc = a",
                                    "issue_time >= \"2023-01-01\"",
                                    "issue_time < \"2023-01-01\"",
                                    "\"a,b\"",
                                    "\"a\" AND \"b\"",
                                    "labels.a = \"b=c\"",
                                    "labels.a = b AND labels.c = \"\"",
                                    "stance = neutral",
                                    "modality = asserted"};
  absl::flat_hash_set<std::string> canonicals;
  for (const std::string& text : texts) {
    EXPECT_TRUE(canonicals.insert(MustParse(text).Canonical()).second) << text;
  }
}

}  // namespace
}  // namespace rollcall
