#include "server/common/exchange_requests.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rollcall {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ExchangeRequestsTest, ActorLineCreatesTheActorUnderTheIdOfItsName) {
  auto request = ParseExchangeLine(
      R"({"actor": {"name": "actors/ecowas", "displayName": "ECOWAS"}})");
  ASSERT_TRUE(request.ok()) << request.status();
  const auto* create = std::get_if<v1::CreateActorRequest>(&*request);
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->actor_id(), "ecowas");
  EXPECT_EQ(create->actor().display_name(), "ECOWAS");
}

TEST(ExchangeRequestsTest, EventLineCreatesTheEventUnderTheIdOfItsName) {
  auto request = ParseExchangeLine(R"({"event": {"name": "events/niger-coup-2023"}})");
  ASSERT_TRUE(request.ok()) << request.status();
  const auto* create = std::get_if<v1::CreateEventRequest>(&*request);
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->event_id(), "niger-coup-2023");
}

TEST(ExchangeRequestsTest, StatementKeepsTheRecordsRequestId) {
  auto request = ParseExchangeLine(
      R"({"statement": {"name": "statements/s1"}, "requestId": "batch-7"})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(std::get<v1::CreateStatementRequest>(*request).request_id(), "batch-7");
}

TEST(ExchangeRequestsTest, StatementWithoutRequestIdGetsOneFromItsName) {
  auto request = ParseExchangeLine(R"({"statement": {"name": "statements/s1"}})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(std::get<v1::CreateStatementRequest>(*request).request_id(),
            "import:statements/s1");
}

TEST(ExchangeRequestsTest, UnnamedStatementGetsTheSameRequestIdFromTheSameLine) {
  const std::string line = R"({"statement": {"quote": "We condemn the coup."}})";
  auto first = ParseExchangeLine(line);
  auto second = ParseExchangeLine(line);
  auto other = ParseExchangeLine(R"({"statement": {"quote": "We welcome the talks."}})");
  ASSERT_TRUE(first.ok() && second.ok() && other.ok());
  const std::string id = std::get<v1::CreateStatementRequest>(*first).request_id();
  EXPECT_THAT(id, StartsWith("import:line:"));
  EXPECT_EQ(std::get<v1::CreateStatementRequest>(*second).request_id(), id);
  EXPECT_NE(std::get<v1::CreateStatementRequest>(*other).request_id(), id);
}

TEST(ExchangeRequestsTest, LineThatIsNotJsonIsInvalidArgument) {
  auto request = ParseExchangeLine(R"({"statement": )");
  EXPECT_TRUE(absl::IsInvalidArgument(request.status()));
  EXPECT_THAT(request.status().message(), HasSubstr("not an ExchangeRecord"));
}

TEST(ExchangeRequestsTest, UnknownFieldIsInvalidArgument) {
  auto request = ParseExchangeLine(R"({"statment": {}})");
  EXPECT_TRUE(absl::IsInvalidArgument(request.status()));
}

TEST(ExchangeRequestsTest, RecordWithNoneOfActorEventStatementIsInvalidArgument) {
  auto request = ParseExchangeLine(R"({"requestId": "x"})");
  EXPECT_TRUE(absl::IsInvalidArgument(request.status()));
  EXPECT_THAT(request.status().message(), HasSubstr("none of actor, event, statement"));
}

}  // namespace
}  // namespace rollcall
