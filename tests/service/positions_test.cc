// Positions on the event over a real channel: event sides are validated and
// stored, and SummarizeReactions derives each actor's position from them
// (per actor, in totals, per bloc, in the timeline), or reports UNCLEAR
// when the event records no sides.

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/time_util.h"
#include "tests/service/server_fixture.h"

namespace rollcall::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kEvent[] = "events/niger-coup-2023";

class PositionsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateNigerFixture();  // ecowas (bloc) with members niger and benin; united-nations
    CreateActorOrDie("niger-coup-leaders", v1::ACTOR_KIND_NON_STATE_GROUP);
    CreateActorOrDie("niger-government", v1::ACTOR_KIND_GOVERNMENT_BODY);
    CreateActorOrDie("france", v1::ACTOR_KIND_STATE);
  }

  static v1::EventSide Side(v1::SideRole role, const std::string& actor) {
    v1::EventSide side;
    side.set_role(role);
    side.set_actor(actor);
    return side;
  }

  grpc::Status SetSides(const std::vector<v1::EventSide>& sides) {
    v1::UpdateEventRequest request;
    request.mutable_event()->set_name(kEvent);
    for (const v1::EventSide& side : sides) *request.mutable_event()->add_sides() = side;
    request.mutable_update_mask()->add_paths("sides");
    v1::Event updated;
    return events_->UpdateEvent(Context().get(), request, &updated);
  }

  void SetCoupSides() {
    grpc::Status status =
        SetSides({Side(v1::SIDE_ROLE_INITIATOR, "actors/niger-coup-leaders"),
                  Side(v1::SIDE_ROLE_TARGET, "actors/niger-government")});
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // A statement on day `day` of the coup (1 = 26 July 2023), summary only.
  void Say(const std::string& actor, v1::Stance stance, const std::string& toward,
           int day) {
    v1::Statement statement = MakeStatement(actor, stance);
    statement.set_stance_toward(toward);
    statement.clear_quote();
    statement.set_summary(actor + " reacted on day " + std::to_string(day));
    *statement.mutable_issue_time() = ToTimestamp(
        absl::FromCivil(absl::CivilDay(2023, 7, 25 + day), absl::UTCTimeZone()));
    CreateStatementOrDie(statement);
  }

  v1::SummarizeReactionsResponse Summarize(int timeline_seconds = 0) {
    v1::SummarizeReactionsRequest request;
    request.set_event(kEvent);
    if (timeline_seconds > 0) {
      request.mutable_timeline_interval()->set_seconds(timeline_seconds);
    }
    v1::SummarizeReactionsResponse response;
    grpc::Status status =
        statements_->SummarizeReactions(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  static const v1::ActorReaction& ReactionOf(const v1::SummarizeReactionsResponse& summary,
                                             const std::string& actor) {
    for (const v1::ActorReaction& reaction : summary.reactions()) {
      if (reaction.actor() == actor) return reaction;
    }
    ADD_FAILURE() << "no reaction of " << actor;
    static const v1::ActorReaction* const none = new v1::ActorReaction;
    return *none;
  }
};

TEST_F(PositionsTest, SupportingTheDeposedGovernmentIsAgainstTheCoup) {
  SetCoupSides();
  Say("actors/france", v1::STANCE_SUPPORTS, "actors/niger-government", 1);
  Say("actors/france", v1::STANCE_CONDEMNS, "", 4);
  Say("actors/niger", v1::STANCE_SUPPORTS, "actors/niger-coup-leaders", 2);
  Say("actors/niger-coup-leaders", v1::STANCE_SUPPORTS, "", 1);

  const v1::SummarizeReactionsResponse summary = Summarize();
  ASSERT_EQ(summary.event_sides_size(), 2);
  EXPECT_EQ(summary.event_sides(1).actor(), "actors/niger-government");
  const v1::ActorReaction& france = ReactionOf(summary, "actors/france");
  EXPECT_EQ(france.position(), v1::POSITION_AGAINST);
  // Two stances, one side: no change of side.
  EXPECT_THAT(france.stance_history(),
              ElementsAre(v1::STANCE_SUPPORTS, v1::STANCE_CONDEMNS));
  EXPECT_THAT(france.position_history(), ElementsAre(v1::POSITION_AGAINST));
  EXPECT_EQ(france.first_statement().stance_toward(), "actors/niger-government");
  EXPECT_EQ(france.first_statement().position(), v1::POSITION_AGAINST);
  EXPECT_FALSE(france.first_statement().excerpt_is_quote()) << "summary only";
  EXPECT_EQ(ReactionOf(summary, "actors/niger").position(), v1::POSITION_FOR);
  EXPECT_EQ(ReactionOf(summary, "actors/niger").latest_stance_toward(),
            "actors/niger-coup-leaders");
  EXPECT_EQ(ReactionOf(summary, "actors/niger-coup-leaders").position(),
            v1::POSITION_FOR);

  ASSERT_EQ(summary.position_totals_size(), 2);
  EXPECT_EQ(summary.position_totals(0).position(), v1::POSITION_AGAINST);
  EXPECT_EQ(summary.position_totals(0).actor_count(), 1);
  EXPECT_EQ(summary.position_totals(1).position(), v1::POSITION_FOR);
  EXPECT_EQ(summary.position_totals(1).actor_count(), 2);
}

TEST_F(PositionsTest, AnEventWithoutSidesReportsUnclearRatherThanGuessing) {
  Say("actors/france", v1::STANCE_SUPPORTS, "actors/niger-government", 1);
  Say("actors/ecowas", v1::STANCE_CONDEMNS, "", 1);
  Say("actors/benin", v1::STANCE_CONCERNED, "", 1);

  v1::SummarizeReactionsResponse summary = Summarize();
  EXPECT_TRUE(summary.event_sides().empty());
  EXPECT_EQ(ReactionOf(summary, "actors/france").position(), v1::POSITION_UNCLEAR);
  EXPECT_EQ(ReactionOf(summary, "actors/ecowas").position(), v1::POSITION_AGAINST)
      << "condemning the event itself needs no sides";
  EXPECT_EQ(ReactionOf(summary, "actors/benin").position(), v1::POSITION_CONCERNED);

  // Once the sides are recorded, the same record reads differently.
  SetCoupSides();
  summary = Summarize();
  EXPECT_EQ(ReactionOf(summary, "actors/france").position(), v1::POSITION_AGAINST);
}

TEST_F(PositionsTest, ANeutralStatementLeavesASideStandingInBlocsAndTimeline) {
  SetCoupSides();
  Say("actors/ecowas", v1::STANCE_CONDEMNS, "", 1);
  Say("actors/ecowas", v1::STANCE_NEUTRAL, "", 2);  // announces a mediation
  Say("actors/niger", v1::STANCE_SUPPORTS, "actors/niger-coup-leaders", 2);
  Say("actors/niger", v1::STANCE_CONDEMNS, "actors/niger-coup-leaders", 3);

  const v1::SummarizeReactionsResponse summary = Summarize(86400);
  const v1::ActorReaction& ecowas = ReactionOf(summary, "actors/ecowas");
  EXPECT_EQ(ecowas.latest_stance(), v1::STANCE_NEUTRAL);
  EXPECT_EQ(ecowas.position(), v1::POSITION_AGAINST);
  EXPECT_THAT(ecowas.position_history(), ElementsAre(v1::POSITION_AGAINST));
  EXPECT_EQ(ecowas.latest_statement().position(), v1::POSITION_NEUTRAL);
  // Niger changed sides.
  EXPECT_THAT(ReactionOf(summary, "actors/niger").position_history(),
              ElementsAre(v1::POSITION_FOR, v1::POSITION_AGAINST));

  ASSERT_EQ(summary.blocs_size(), 1);
  const v1::BlocRollup& bloc = summary.blocs(0);
  EXPECT_EQ(bloc.bloc_position(), v1::POSITION_AGAINST);
  ASSERT_EQ(bloc.member_positions_size(), 2);
  EXPECT_EQ(bloc.member_positions(0).position(), v1::POSITION_UNSPECIFIED);  // benin
  EXPECT_EQ(bloc.member_positions(1).position(), v1::POSITION_AGAINST);     // niger

  // 26 July: ECOWAS against. 27 July: ECOWAS still against, Niger for.
  // From 28 July on (the timeline runs to now): both against.
  ASSERT_GE(summary.timeline_size(), 3);
  ASSERT_EQ(summary.timeline(0).position_totals_size(), 1);
  EXPECT_EQ(summary.timeline(0).position_totals(0).position(), v1::POSITION_AGAINST);
  ASSERT_EQ(summary.timeline(1).position_totals_size(), 2);
  EXPECT_EQ(summary.timeline(1).position_totals(1).position(), v1::POSITION_FOR);
  const v1::TimelinePoint& last = summary.timeline(summary.timeline_size() - 1);
  ASSERT_EQ(last.position_totals_size(), 1);
  EXPECT_EQ(last.position_totals(0).actor_count(), 2);
}

TEST_F(PositionsTest, SidesAreValidatedAndStored) {
  grpc::Status status =
      SetSides({Side(v1::SIDE_ROLE_INITIATOR, "actors/no-such-actor")});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("event.sides[0].actor"));

  status = SetSides({Side(v1::SIDE_ROLE_UNSPECIFIED, "actors/niger-coup-leaders")});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("event.sides[0].role"));

  status = SetSides({Side(v1::SIDE_ROLE_INITIATOR, "actors/niger-coup-leaders"),
                     Side(v1::SIDE_ROLE_TARGET, "actors/niger-coup-leaders")});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("event.sides[1].actor"));

  status = SetSides({Side(v1::SIDE_ROLE_TARGET, "niger-government")});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  SetCoupSides();
  v1::GetEventRequest get;
  get.set_name(kEvent);
  v1::Event event;
  ASSERT_TRUE(events_->GetEvent(Context().get(), get, &event).ok());
  ASSERT_EQ(event.sides_size(), 2);
  EXPECT_EQ(event.sides(0).role(), v1::SIDE_ROLE_INITIATOR);
  EXPECT_EQ(event.sides(0).actor(), "actors/niger-coup-leaders");
}

}  // namespace
}  // namespace rollcall::testing
