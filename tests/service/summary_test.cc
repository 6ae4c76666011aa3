// SummarizeReactions over a real channel: per actor, totals, bloc roll-ups,
// as-of queries across corrections and retractions, the timeline, errors.

#include <chrono>
#include <thread>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/time_util.h"
#include "tests/service/server_fixture.h"

namespace rollcall::testing {
namespace {

using ::testing::ElementsAre;

class SummaryTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateNigerFixture();  // ecowas (bloc) with members niger and benin; united-nations
    CreateActorOrDie("ghana", v1::ACTOR_KIND_STATE, "actors/ecowas");
  }

  v1::Statement Say(const std::string& actor, v1::Stance stance, int day,
                    const std::string& quote) {
    v1::Statement statement = MakeStatement(actor, stance);
    *statement.mutable_issue_time() = ToTimestamp(
        absl::FromCivil(absl::CivilDay(2023, 7, 25 + day), absl::UTCTimeZone()));
    statement.set_quote(quote);
    return CreateStatementOrDie(statement);
  }

  grpc::Status Summarize(const v1::SummarizeReactionsRequest& request,
                         v1::SummarizeReactionsResponse* response) {
    return statements_->SummarizeReactions(Context().get(), request, response);
  }

  v1::SummarizeReactionsResponse SummarizeOrDie(absl::optional<absl::Time> as_of = {},
                                                const std::string& filter = "") {
    v1::SummarizeReactionsRequest request;
    request.set_event("events/niger-coup-2023");
    request.set_filter(filter);
    if (as_of.has_value()) *request.mutable_as_of_time() = ToTimestamp(*as_of);
    v1::SummarizeReactionsResponse response;
    grpc::Status status = Summarize(request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // The moment between two writes, for as-of queries (commit times are
  // microseconds; wait so that "before" and "after" are distinct).
  static absl::Time Between() {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const absl::Time t = absl::Now();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return t;
  }
};

TEST_F(SummaryTest, EachActorWithLatestStanceActionsFirstAndLatestAndCount) {
  Say("actors/ecowas", v1::STANCE_CONCERNED, 1, "ECOWAS is deeply concerned");
  Say("actors/niger", v1::STANCE_SUPPORTS, 2, "The new authorities are in control");
  Say("actors/ecowas", v1::STANCE_CONDEMNS, 3,
      "ECOWAS condemns the coup and imposes sanctions");

  const v1::SummarizeReactionsResponse summary = SummarizeOrDie();
  ASSERT_EQ(summary.reactions_size(), 2);
  const v1::ActorReaction& ecowas = summary.reactions(0);  // first to speak
  EXPECT_EQ(ecowas.actor(), "actors/ecowas");
  EXPECT_EQ(ecowas.actor_kind(), v1::ACTOR_KIND_REGIONAL_BLOC);
  EXPECT_EQ(ecowas.latest_stance(), v1::STANCE_CONDEMNS);
  EXPECT_EQ(ecowas.statement_count(), 2);
  EXPECT_EQ(ecowas.first_statement().excerpt(), "ECOWAS is deeply concerned");
  EXPECT_EQ(ecowas.latest_statement().excerpt(),
            "ECOWAS condemns the coup and imposes sanctions");
  EXPECT_THAT(ecowas.stance_history(),
              ElementsAre(v1::STANCE_CONCERNED, v1::STANCE_CONDEMNS));
  EXPECT_EQ(summary.reactions(1).actor(), "actors/niger");
  EXPECT_EQ(summary.reactions(1).latest_stance(), v1::STANCE_SUPPORTS);

  // Totals count actors by their latest stance.
  ASSERT_EQ(summary.stance_totals_size(), 2);
  EXPECT_EQ(summary.stance_totals(0).stance(), v1::STANCE_CONDEMNS);
  EXPECT_EQ(summary.stance_totals(0).actor_count(), 1);
  EXPECT_EQ(summary.stance_totals(1).stance(), v1::STANCE_SUPPORTS);
  EXPECT_EQ(summary.stance_totals(1).actor_count(), 1);
  ASSERT_EQ(summary.actor_kind_totals_size(), 2);
}

TEST_F(SummaryTest, BlocRollupGivesTheBlocsStanceAndItsMembersIncludingTheSilent) {
  Say("actors/ecowas", v1::STANCE_CONDEMNS, 1, "ECOWAS condemns the coup");
  Say("actors/benin", v1::STANCE_CONDEMNS, 2, "Benin condemns the coup");
  Say("actors/niger", v1::STANCE_SUPPORTS, 3, "We are in control");

  const v1::SummarizeReactionsResponse summary = SummarizeOrDie();
  ASSERT_EQ(summary.blocs_size(), 1) << "the UN has no members here";
  const v1::BlocRollup& ecowas = summary.blocs(0);
  EXPECT_EQ(ecowas.bloc(), "actors/ecowas");
  EXPECT_EQ(ecowas.bloc_stance(), v1::STANCE_CONDEMNS);
  EXPECT_EQ(ecowas.member_count(), 3);
  EXPECT_THAT(ecowas.silent_members(), ElementsAre("actors/ghana"));
  EXPECT_THAT(ecowas.reacting_members(), ElementsAre("actors/benin", "actors/niger"));
  ASSERT_EQ(ecowas.member_stances_size(), 3);
  EXPECT_EQ(ecowas.member_stances(0).stance(), v1::STANCE_UNSPECIFIED);  // said nothing
  EXPECT_EQ(ecowas.member_stances(0).actor_count(), 1);
  EXPECT_EQ(ecowas.member_stances(1).stance(), v1::STANCE_CONDEMNS);
  EXPECT_EQ(ecowas.member_stances(2).stance(), v1::STANCE_SUPPORTS);
}

TEST_F(SummaryTest, BlocMembersAreThoseItHadWhenTheEventStarted) {
  // Joined ECOWAS in 2025, after the event (26 July 2023).
  v1::CreateActorRequest late_member;
  late_member.set_actor_id("latecomer");
  late_member.mutable_actor()->set_display_name("Latecomer");
  late_member.mutable_actor()->set_kind(v1::ACTOR_KIND_STATE);
  v1::Membership* membership = late_member.mutable_actor()->add_member_of();
  membership->set_organisation("actors/ecowas");
  *membership->mutable_start_time() =
      ToTimestamp(absl::FromCivil(absl::CivilDay(2025, 1, 1), absl::UTCTimeZone()));
  v1::Actor created;
  ASSERT_TRUE(actors_->CreateActor(Context().get(), late_member, &created).ok());
  Say("actors/ecowas", v1::STANCE_CONDEMNS, 1, "ECOWAS condemns the coup");

  const v1::SummarizeReactionsResponse summary = SummarizeOrDie();
  ASSERT_EQ(summary.blocs_size(), 1);
  EXPECT_EQ(summary.blocs(0).member_count(), 3);  // niger, benin, ghana
  EXPECT_THAT(summary.blocs(0).silent_members(),
              ElementsAre("actors/benin", "actors/ghana", "actors/niger"));
}

TEST_F(SummaryTest, AsOfShowsTheRecordBeforeACorrectionAndARetraction) {
  const v1::Statement ecowas = Say("actors/ecowas", v1::STANCE_CONCERNED, 1, "Concerned");
  const v1::Statement benin =
      Say("actors/benin", v1::STANCE_CONDEMNS, 2, "Benin condemns");
  const absl::Time before_changes = Between();

  v1::UpdateStatementRequest update;
  *update.mutable_statement() = ecowas;
  update.mutable_statement()->set_stance(v1::STANCE_CONDEMNS);
  update.mutable_update_mask()->add_paths("stance");
  v1::Statement updated;
  ASSERT_TRUE(statements_->UpdateStatement(Context().get(), update, &updated).ok());
  const absl::Time after_correction = Between();
  v1::RetractStatementRequest retract;
  retract.set_name(benin.name());
  retract.set_reason("misattributed");
  v1::Statement retracted;
  ASSERT_TRUE(statements_->RetractStatement(Context().get(), retract, &retracted).ok());
  const absl::Time after_retraction = Between();
  const v1::Statement late =
      Say("actors/ghana", v1::STANCE_NEUTRAL, 5, "Ghana calls for calm");

  v1::SummarizeReactionsResponse then = SummarizeOrDie(before_changes);
  ASSERT_EQ(then.reactions_size(), 2);
  EXPECT_EQ(then.reactions(0).latest_stance(), v1::STANCE_CONCERNED)
      << "not yet corrected";
  EXPECT_EQ(then.reactions(1).actor(), "actors/benin") << "not yet retracted";
  EXPECT_LT(absl::AbsDuration(ToAbslTime(then.as_of_time()) - before_changes),
            absl::Microseconds(1));

  then = SummarizeOrDie(after_correction);
  ASSERT_EQ(then.reactions_size(), 2);
  EXPECT_EQ(then.reactions(0).latest_stance(), v1::STANCE_CONDEMNS);

  then = SummarizeOrDie(after_retraction);
  ASSERT_EQ(then.reactions_size(), 1) << "a retracted statement drops out";
  EXPECT_EQ(then.reactions(0).actor(), "actors/ecowas");

  const v1::SummarizeReactionsResponse now = SummarizeOrDie();
  ASSERT_EQ(now.reactions_size(), 2);
  EXPECT_EQ(now.reactions(1).actor(), "actors/ghana")
      << "committed after every as_of above";
}

TEST_F(SummaryTest, AStatementMovedToAnotherEventCountsWhereItWasAtTheTime) {
  v1::CreateEventRequest create_event;
  create_event.set_event_id("gabon-coup-2023");
  create_event.mutable_event()->set_title("Coup in Gabon");
  *create_event.mutable_event()->mutable_start_time() =
      ToTimestamp(absl::FromUnixSeconds(1693267200));
  v1::Event gabon;
  ASSERT_TRUE(events_->CreateEvent(Context().get(), create_event, &gabon).ok());
  const v1::Statement misfiled =
      Say("actors/benin", v1::STANCE_CONDEMNS, 1, "Benin condemns");
  const absl::Time before_move = Between();
  v1::UpdateStatementRequest move;
  *move.mutable_statement() = misfiled;
  move.mutable_statement()->set_event("events/gabon-coup-2023");
  move.mutable_update_mask()->add_paths("event");
  v1::Statement moved;
  ASSERT_TRUE(statements_->UpdateStatement(Context().get(), move, &moved).ok());

  EXPECT_EQ(SummarizeOrDie(before_move).reactions_size(), 1);
  EXPECT_EQ(SummarizeOrDie().reactions_size(), 0);
}

TEST_F(SummaryTest, FilterRestrictsTheStatementsSummarised) {
  Say("actors/ecowas", v1::STANCE_CONDEMNS, 1, "ECOWAS condemns the coup");
  Say("actors/benin", v1::STANCE_CONCERNED, 2, "Benin is concerned");
  const v1::SummarizeReactionsResponse summary =
      SummarizeOrDie(absl::nullopt, "actor_kind = STATE");
  ASSERT_EQ(summary.reactions_size(), 1);
  EXPECT_EQ(summary.reactions(0).actor(), "actors/benin");
  EXPECT_EQ(SummarizeOrDie(absl::nullopt, "\"condemns\"").reactions_size(), 1);
}

TEST_F(SummaryTest, DailyTimelineShowsHowReactionsAccumulated) {
  Say("actors/ecowas", v1::STANCE_CONCERNED, 1, "Concerned");       // 26 July
  Say("actors/benin", v1::STANCE_CONDEMNS, 1, "Benin condemns");    // 26 July
  Say("actors/ecowas", v1::STANCE_CONDEMNS, 3, "ECOWAS condemns");  // 28 July
  // as_of is now (the record was entered today); points run from the
  // first statement's day to now.
  v1::SummarizeReactionsRequest request;
  request.set_event("events/niger-coup-2023");
  request.mutable_timeline_interval()->set_seconds(86400);
  v1::SummarizeReactionsResponse summary;
  ASSERT_TRUE(Summarize(request, &summary).ok());
  const absl::Time first_day =
      absl::FromCivil(absl::CivilDay(2023, 7, 26), absl::UTCTimeZone());
  ASSERT_GT(summary.timeline_size(), 3);
  EXPECT_EQ(summary.timeline_size(),
            (ToAbslTime(summary.as_of_time()) - first_day) / absl::Hours(24) + 1);
  EXPECT_EQ(ToAbslTime(summary.timeline(0).time()), first_day + absl::Hours(24));
  EXPECT_EQ(summary.timeline(0).statement_count(), 2);  // end of 26 July
  EXPECT_EQ(summary.timeline(1).statement_count(), 2);  // 27 July: nothing new
  EXPECT_EQ(summary.timeline(2).statement_count(), 3);  // 28 July
  // On 26 July ECOWAS was concerned and Benin condemned; by the 28th both
  // condemned.
  ASSERT_EQ(summary.timeline(0).stance_totals_size(), 2);
  EXPECT_EQ(summary.timeline(0).stance_totals(0).stance(), v1::STANCE_CONDEMNS);
  EXPECT_EQ(summary.timeline(0).stance_totals(1).stance(), v1::STANCE_CONCERNED);
  ASSERT_EQ(summary.timeline(2).stance_totals_size(), 1);
  EXPECT_EQ(summary.timeline(2).stance_totals(0).actor_count(), 2);
  const v1::TimelinePoint& last = summary.timeline(summary.timeline_size() - 1);
  EXPECT_EQ(last.time().seconds(), summary.as_of_time().seconds());
  EXPECT_EQ(last.statement_count(), 3);
}

TEST_F(SummaryTest, BadRequestsNameTheField) {
  v1::SummarizeReactionsRequest request;
  v1::SummarizeReactionsResponse response;
  grpc::Status status = Summarize(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("event"));

  request.set_event("events/no-such-event");
  EXPECT_EQ(Summarize(request, &response).error_code(), grpc::StatusCode::NOT_FOUND);

  request.set_event("events/niger-coup-2023");
  request.set_filter("stanse = CONDEMNS");
  status = Summarize(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("filter"));

  request.clear_filter();
  request.mutable_timeline_interval()->set_seconds(60);
  status = Summarize(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::StartsWith("timeline_interval"));

  Say("actors/ecowas", v1::STANCE_CONDEMNS, 1, "ECOWAS condemns");
  request.mutable_timeline_interval()->set_seconds(3600);
  *request.mutable_as_of_time() = ToTimestamp(absl::FromUnixSeconds(2000000000));  // 2033
  status = Summarize(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << "too many points";
}

}  // namespace
}  // namespace rollcall::testing
