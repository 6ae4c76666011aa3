// Matches(): the in-memory evaluation of a statement filter, used to decide
// which changes a subscription delivers.

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "server/common/time_util.h"
#include "server/filter/statement_filter.h"

namespace rollcall {
namespace {

StatementFilter MustParse(absl::string_view text) {
  absl::StatusOr<StatementFilter> filter = ParseStatementFilter(text, "filter");
  EXPECT_TRUE(filter.ok()) << text << ": " << filter.status();
  return filter.ok() ? *filter : StatementFilter{};
}

// Niger is a state and a member of ECOWAS; ECOWAS is a regional bloc.
ActorFacts NigerFacts() {
  ActorFacts facts;
  facts.kind_of = [](absl::string_view actor) {
    if (actor == "actors/niger") return v1::ACTOR_KIND_STATE;
    if (actor == "actors/ecowas") return v1::ACTOR_KIND_REGIONAL_BLOC;
    return v1::ACTOR_KIND_UNSPECIFIED;
  };
  facts.is_member = [](absl::string_view actor, absl::string_view bloc) {
    return actor == "actors/niger" && bloc == "actors/ecowas";
  };
  return facts;
}

v1::Statement EcowasStatement() {
  v1::Statement statement;
  statement.set_event("events/niger-coup-2023");
  statement.set_actor("actors/ecowas");
  statement.set_stance(v1::STANCE_CONDEMNS);
  statement.set_modality(v1::MODALITY_ASSERTED);
  statement.set_state(v1::STATEMENT_STATE_ACTIVE);
  statement.add_actions()->set_kind(v1::ACTION_KIND_DEMAND_RELEASE);
  statement.add_actions()->set_kind(v1::ACTION_KIND_ULTIMATUM);
  statement.set_quote("We demand the immediate RELEASE of President Bazoum.");
  statement.set_summary("ECOWAS gives the junta seven days.");
  *statement.mutable_issue_time() =
      ToTimestamp(*ParseTime("2023-07-30T12:00:00Z", "issue_time"));
  (*statement.mutable_labels())["source_batch"] = "afp";
  return statement;
}

bool MatchesText(absl::string_view text, const v1::Statement& statement,
                 const ActorFacts& facts = NigerFacts()) {
  return Matches(MustParse(text), statement, facts);
}

TEST(StatementFilterMatchesTest, EmptyFilterMatchesEverything) {
  EXPECT_TRUE(MatchesText("", EcowasStatement()));
  EXPECT_TRUE(MatchesText("", v1::Statement()));
}

TEST(StatementFilterMatchesTest, EventAndActorMatchExactly) {
  const v1::Statement statement = EcowasStatement();
  EXPECT_TRUE(MatchesText("event = niger-coup-2023", statement));
  EXPECT_FALSE(MatchesText("event = gabon-coup-2023", statement));
  EXPECT_TRUE(MatchesText("actor = niger OR actor = ecowas", statement));
  EXPECT_FALSE(MatchesText("actor = niger", statement));
}

TEST(StatementFilterMatchesTest, BlocMatchesTheBlocItselfAndItsMembers) {
  v1::Statement niger = EcowasStatement();
  niger.set_actor("actors/niger");
  v1::Statement france = EcowasStatement();
  france.set_actor("actors/france");
  EXPECT_TRUE(MatchesText("bloc = ecowas", EcowasStatement()));
  EXPECT_TRUE(MatchesText("bloc = ecowas", niger));
  EXPECT_FALSE(MatchesText("bloc = ecowas", france));
  EXPECT_TRUE(MatchesText("bloc = african-union OR bloc = ecowas", niger));
  EXPECT_FALSE(MatchesText("bloc = african-union", niger));
}

TEST(StatementFilterMatchesTest, ActorKindComesFromActorFacts) {
  v1::Statement niger = EcowasStatement();
  niger.set_actor("actors/niger");
  EXPECT_TRUE(MatchesText("actor_kind = state", niger));
  EXPECT_FALSE(MatchesText("actor_kind = state", EcowasStatement()));
  EXPECT_TRUE(
      MatchesText("actor_kind = state OR actor_kind = regional_bloc", EcowasStatement()));
}

TEST(StatementFilterMatchesTest, MissingFactsMeanUnknownKindAndNoMembership) {
  v1::Statement niger = EcowasStatement();
  niger.set_actor("actors/niger");
  const ActorFacts none;
  EXPECT_FALSE(MatchesText("actor_kind = state", niger, none));
  EXPECT_FALSE(MatchesText("bloc = ecowas", niger, none));
  EXPECT_TRUE(MatchesText("bloc = ecowas", EcowasStatement(), none));
}

TEST(StatementFilterMatchesTest, StanceMatchesAnyListedValue) {
  EXPECT_TRUE(MatchesText("stance = condemns", EcowasStatement()));
  EXPECT_TRUE(MatchesText("stance = supports OR stance = condemns", EcowasStatement()));
  EXPECT_FALSE(MatchesText("stance = supports", EcowasStatement()));
}

TEST(StatementFilterMatchesTest, ActionMatchesAnyActionOfTheKind) {
  EXPECT_TRUE(MatchesText("action = ultimatum", EcowasStatement()));
  EXPECT_TRUE(MatchesText("action = impose_sanctions OR action = demand_release",
                          EcowasStatement()));
  EXPECT_FALSE(MatchesText("action = impose_sanctions", EcowasStatement()));
  EXPECT_FALSE(MatchesText("action = ultimatum", v1::Statement()));
}

TEST(StatementFilterMatchesTest, UnspecifiedModalityCountsAsAsserted) {
  v1::Statement statement = EcowasStatement();
  statement.set_modality(v1::MODALITY_UNSPECIFIED);
  EXPECT_TRUE(MatchesText("modality = asserted", statement));
  EXPECT_FALSE(MatchesText("modality = hypothetical", statement));
  statement.set_modality(v1::MODALITY_HYPOTHETICAL);
  EXPECT_TRUE(MatchesText("modality = hypothetical", statement));
  EXPECT_FALSE(MatchesText("modality = asserted", statement));
}

TEST(StatementFilterMatchesTest, StateRestrictsOnlyWhenGiven) {
  v1::Statement retracted = EcowasStatement();
  retracted.set_state(v1::STATEMENT_STATE_RETRACTED);
  EXPECT_TRUE(MatchesText("actor = ecowas", retracted));
  EXPECT_TRUE(MatchesText("state = retracted", retracted));
  EXPECT_FALSE(MatchesText("state = active", retracted));
  EXPECT_FALSE(MatchesText("state = retracted", EcowasStatement()));
}

TEST(StatementFilterMatchesTest, IssueTimeRangeIncludesMinAndExcludesMax) {
  const v1::Statement statement = EcowasStatement();  // 2023-07-30T12:00:00Z
  const std::string t = "\"2023-07-30T12:00:00Z\"";
  EXPECT_TRUE(MatchesText(absl::StrCat("issue_time >= ", t), statement));
  EXPECT_FALSE(MatchesText(absl::StrCat("issue_time > ", t), statement));
  EXPECT_FALSE(MatchesText(absl::StrCat("issue_time < ", t), statement));
  EXPECT_TRUE(MatchesText(absl::StrCat("issue_time <= ", t), statement));
  EXPECT_TRUE(MatchesText(absl::StrCat("issue_time = ", t), statement));
  EXPECT_FALSE(MatchesText("issue_time = \"2023-07-30T12:00:00.000001Z\"", statement));
  EXPECT_TRUE(MatchesText("issue_time >= \"2023-07-30\" AND issue_time < \"2023-07-31\"",
                          statement));
  EXPECT_FALSE(MatchesText("issue_time >= \"2023-07-31\" AND issue_time < \"2023-08-01\"",
                           statement));
}

TEST(StatementFilterMatchesTest, TextTermsMustEachOccurInQuoteOrSummary) {
  const v1::Statement statement = EcowasStatement();
  EXPECT_TRUE(MatchesText("\"release\"", statement));       // quote, any case
  EXPECT_TRUE(MatchesText("text : \"JUNTA\"", statement));  // summary
  EXPECT_TRUE(MatchesText("\"release\" AND \"seven days\"", statement));
  EXPECT_FALSE(MatchesText("\"release\" AND \"sanctions\"", statement));
  EXPECT_TRUE(MatchesText("\"the immediate release\"", statement));   // a phrase
  EXPECT_FALSE(MatchesText("\"immediate the release\"", statement));  // in order
  EXPECT_FALSE(
      MatchesText("\"bazoum ecowas\"", statement));   // not across quote and summary
  EXPECT_FALSE(MatchesText("\"relea\"", statement));  // words, not substrings
  EXPECT_TRUE(MatchesText("\"relea*\"", statement));  // unless a prefix
  EXPECT_TRUE(MatchesText("\"Président BAZOUM\"", statement));  // accents and case folded
}

TEST(StatementFilterMatchesTest, LabelsMustBePresentWithTheValue) {
  const v1::Statement statement = EcowasStatement();
  EXPECT_TRUE(MatchesText("labels.source_batch = afp", statement));
  EXPECT_FALSE(MatchesText("labels.source_batch = reuters", statement));
  EXPECT_FALSE(MatchesText("labels.region = afp", statement));
  EXPECT_FALSE(
      MatchesText("labels.source_batch = afp AND labels.region = sahel", statement));
}

TEST(StatementFilterMatchesTest, AllRestrictionsMustHold) {
  const std::string text =
      "event = niger-coup-2023 AND bloc = ecowas AND stance = condemns AND "
      "action = ultimatum AND \"release\" AND labels.source_batch = afp";
  EXPECT_TRUE(MatchesText(text, EcowasStatement()));
  v1::Statement other_stance = EcowasStatement();
  other_stance.set_stance(v1::STANCE_CONCERNED);
  EXPECT_FALSE(MatchesText(text, other_stance));
}

}  // namespace
}  // namespace rollcall
