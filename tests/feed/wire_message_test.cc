#include "server/feed/wire_message.h"

#include <string>

#include "gtest/gtest.h"
#include "rollcall/v1/statement_service.pb.h"

namespace rollcall {
namespace {

LoggedChange Change(int64_t sequence, const std::string& quote) {
  v1::Statement statement;
  statement.set_name("statements/s" + std::to_string(sequence));
  statement.set_quote(quote);
  (*statement.mutable_labels())["region"] = "sahel";
  LoggedChange change;
  change.sequence = sequence;
  change.kind = v1::CHANGE_KIND_UPDATED;
  change.commit_time_micros = 1690400000123456;
  change.statement = statement.SerializeAsString();
  return change;
}

TEST(WireMessageTest, ChangeMessageIsTheSerializedResponseWithThatChange) {
  const LoggedChange change = Change(7, std::string(400, 'q'));
  v1::SubscribeStatementsResponse expected;
  v1::StatementChange* wrapped = expected.add_changes();
  wrapped->set_kind(v1::CHANGE_KIND_UPDATED);
  wrapped->set_sequence(7);
  wrapped->mutable_commit_time()->set_seconds(1690400000);
  wrapped->mutable_commit_time()->set_nanos(123456000);
  ASSERT_TRUE(wrapped->mutable_statement()->ParseFromString(change.statement));

  v1::SubscribeStatementsResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(*ChangeMessage(change)));
  EXPECT_EQ(parsed.SerializeAsString(), expected.SerializeAsString());
}

TEST(WireMessageTest, ConcatenatedMessagesParseAsOneBatchEndingWithCaughtUp) {
  const std::string batch = *ChangeMessage(Change(1, "a")) +
                            *ChangeMessage(Change(2, "b")) + *CaughtUpMessage(2);
  v1::SubscribeStatementsResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(batch));
  ASSERT_EQ(parsed.changes_size(), 2);
  EXPECT_EQ(parsed.changes(0).sequence(), 1);
  EXPECT_EQ(parsed.changes(0).statement().quote(), "a");
  EXPECT_EQ(parsed.changes(1).sequence(), 2);
  EXPECT_EQ(parsed.changes(1).statement().quote(), "b");
  EXPECT_EQ(parsed.caught_up().head_sequence(), 2);
  EXPECT_FALSE(parsed.has_heartbeat());
}

TEST(WireMessageTest, HeartbeatCarriesTheHeadAndTime) {
  v1::SubscribeStatementsResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(*HeartbeatMessage(42, absl::FromUnixSeconds(5))));
  EXPECT_EQ(parsed.changes_size(), 0);
  EXPECT_EQ(parsed.heartbeat().head_sequence(), 42);
  EXPECT_EQ(parsed.heartbeat().time().seconds(), 5);
}

}  // namespace
}  // namespace rollcall
