#include "client/cli/exchange_jsonl.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rollcall::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ExchangeJsonlTest, ActorLineCreatesTheActorUnderTheIdOfItsName) {
  auto request = ParseJsonlLine(
      R"({"actor": {"name": "actors/ecowas", "displayName": "ECOWAS"}})");
  ASSERT_TRUE(request.ok()) << request.status();
  const auto* create = std::get_if<v1::CreateActorRequest>(&*request);
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->actor_id(), "ecowas");
  EXPECT_EQ(create->actor().display_name(), "ECOWAS");
}

TEST(ExchangeJsonlTest, EventLineCreatesTheEventUnderTheIdOfItsName) {
  auto request = ParseJsonlLine(R"({"event": {"name": "events/niger-coup-2023"}})");
  ASSERT_TRUE(request.ok()) << request.status();
  const auto* create = std::get_if<v1::CreateEventRequest>(&*request);
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->event_id(), "niger-coup-2023");
}

TEST(ExchangeJsonlTest, StatementKeepsTheRecordsRequestId) {
  auto request = ParseJsonlLine(
      R"({"statement": {"name": "statements/s1"}, "requestId": "batch-7"})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(std::get<v1::CreateStatementRequest>(*request).request_id(), "batch-7");
}

TEST(ExchangeJsonlTest, StatementWithoutRequestIdGetsOneFromItsName) {
  auto request = ParseJsonlLine(R"({"statement": {"name": "statements/s1"}})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(std::get<v1::CreateStatementRequest>(*request).request_id(),
            "import:statements/s1");
}

TEST(ExchangeJsonlTest, UnnamedStatementGetsTheSameRequestIdFromTheSameLine) {
  const std::string line = R"({"statement": {"quote": "We condemn the coup."}})";
  auto first = ParseJsonlLine(line);
  auto second = ParseJsonlLine(line);
  auto other = ParseJsonlLine(R"({"statement": {"quote": "We welcome the talks."}})");
  ASSERT_TRUE(first.ok() && second.ok() && other.ok());
  const std::string id = std::get<v1::CreateStatementRequest>(*first).request_id();
  EXPECT_THAT(id, StartsWith("import:line:"));
  EXPECT_EQ(std::get<v1::CreateStatementRequest>(*second).request_id(), id);
  EXPECT_NE(std::get<v1::CreateStatementRequest>(*other).request_id(), id);
}

TEST(ExchangeJsonlTest, LineThatIsNotJsonIsInvalidArgument) {
  auto request = ParseJsonlLine(R"({"statement": )");
  EXPECT_TRUE(absl::IsInvalidArgument(request.status()));
  EXPECT_THAT(request.status().message(), HasSubstr("not an ExchangeRecord"));
}

TEST(ExchangeJsonlTest, UnknownFieldIsInvalidArgument) {
  auto request = ParseJsonlLine(R"({"statment": {}})");
  EXPECT_TRUE(absl::IsInvalidArgument(request.status()));
}

TEST(ExchangeJsonlTest, RecordWithNoneOfActorEventStatementIsInvalidArgument) {
  auto request = ParseJsonlLine(R"({"requestId": "x"})");
  EXPECT_TRUE(absl::IsInvalidArgument(request.status()));
  EXPECT_THAT(request.status().message(), HasSubstr("none of actor, event, statement"));
}

}  // namespace
}  // namespace rollcall::cli
