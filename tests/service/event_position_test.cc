// The position rule (server/service/event_position.h): every row of the
// rule table in docs/API.md, and how an actor's position follows its
// statements.

#include "server/service/event_position.h"

#include "gtest/gtest.h"

namespace rollcall {
namespace {

constexpr char kLeaders[] = "actors/niger-coup-leaders";
constexpr char kGovernment[] = "actors/niger-government";

google::protobuf::RepeatedPtrField<v1::EventSide> CoupSides() {
  google::protobuf::RepeatedPtrField<v1::EventSide> sides;
  v1::EventSide* initiator = sides.Add();
  initiator->set_role(v1::SIDE_ROLE_INITIATOR);
  initiator->set_actor(kLeaders);
  v1::EventSide* target = sides.Add();
  target->set_role(v1::SIDE_ROLE_TARGET);
  target->set_actor(kGovernment);
  return sides;
}

TEST(EventPositionTest, TheRuleTable) {
  const EventSides sides(CoupSides());
  struct Row {
    v1::Stance stance;
    const char* toward;
    v1::Position position;
  };
  const Row rows[] = {
      {v1::STANCE_CONDEMNS, "", v1::POSITION_AGAINST},
      {v1::STANCE_CRITICISES, "", v1::POSITION_AGAINST},
      {v1::STANCE_CONDEMNS, kLeaders, v1::POSITION_AGAINST},
      {v1::STANCE_CRITICISES, kLeaders, v1::POSITION_AGAINST},
      {v1::STANCE_CONDEMNS, kGovernment, v1::POSITION_FOR},
      {v1::STANCE_CRITICISES, kGovernment, v1::POSITION_FOR},
      {v1::STANCE_SUPPORTS, "", v1::POSITION_FOR},
      {v1::STANCE_SUPPORTS, kLeaders, v1::POSITION_FOR},
      {v1::STANCE_SUPPORTS, kGovernment, v1::POSITION_AGAINST},
      {v1::STANCE_CONCERNED, "", v1::POSITION_CONCERNED},
      {v1::STANCE_CONCERNED, kGovernment, v1::POSITION_CONCERNED},
      {v1::STANCE_NEUTRAL, "", v1::POSITION_NEUTRAL},
      {v1::STANCE_NEUTRAL, kLeaders, v1::POSITION_NEUTRAL},
      {v1::STANCE_SUPPORTS, "actors/russia", v1::POSITION_UNCLEAR},
      {v1::STANCE_CONDEMNS, "actors/france", v1::POSITION_UNCLEAR},
      {v1::STANCE_UNSPECIFIED, "", v1::POSITION_UNSPECIFIED},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(PositionOf(row.stance, row.toward, sides), row.position)
        << v1::Stance_Name(row.stance) << " toward '" << row.toward << "'";
  }
}

TEST(EventPositionTest, WithoutSidesAStanceTowardAnActorIsUnclear) {
  const EventSides none({});
  EXPECT_EQ(PositionOf(v1::STANCE_SUPPORTS, kGovernment, none), v1::POSITION_UNCLEAR);
  EXPECT_EQ(PositionOf(v1::STANCE_CONDEMNS, kLeaders, none), v1::POSITION_UNCLEAR);
  // Toward the event itself the stance says it all.
  EXPECT_EQ(PositionOf(v1::STANCE_CONDEMNS, "", none), v1::POSITION_AGAINST);
  EXPECT_EQ(PositionOf(v1::STANCE_SUPPORTS, "", none), v1::POSITION_FOR);
}

TEST(EventPositionTest, ANeutralOrUnclearStatementLeavesASideStanding) {
  // Condemns, then announces a mediation: still against.
  EXPECT_EQ(NextPosition(v1::POSITION_AGAINST, v1::POSITION_NEUTRAL),
            v1::POSITION_AGAINST);
  EXPECT_EQ(NextPosition(v1::POSITION_FOR, v1::POSITION_UNCLEAR), v1::POSITION_FOR);
  EXPECT_EQ(NextPosition(v1::POSITION_CONCERNED, v1::POSITION_NEUTRAL),
            v1::POSITION_CONCERNED);
  // A side replaces any earlier position, a side included.
  EXPECT_EQ(NextPosition(v1::POSITION_CONCERNED, v1::POSITION_AGAINST),
            v1::POSITION_AGAINST);
  EXPECT_EQ(NextPosition(v1::POSITION_AGAINST, v1::POSITION_FOR), v1::POSITION_FOR);
  EXPECT_EQ(NextPosition(v1::POSITION_NEUTRAL, v1::POSITION_AGAINST),
            v1::POSITION_AGAINST);
  // Without a side, the latest statement's position.
  EXPECT_EQ(NextPosition(v1::POSITION_UNSPECIFIED, v1::POSITION_NEUTRAL),
            v1::POSITION_NEUTRAL);
  EXPECT_EQ(NextPosition(v1::POSITION_NEUTRAL, v1::POSITION_UNCLEAR),
            v1::POSITION_UNCLEAR);
}

}  // namespace
}  // namespace rollcall
