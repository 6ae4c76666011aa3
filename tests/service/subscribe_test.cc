// SubscribeStatements over a real server and channel: start positions,
// the replay/live seam, filters, heartbeats, resumption, shutdown, and a
// randomised property test against the full log.

#include <atomic>
#include <cstdlib>
#include <map>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/common/time_util.h"
#include "server/feed/change_feed.h"
#include "tests/service/server_fixture.h"

namespace rollcall::testing {
namespace {

int TestScale() {
  const char* scale = std::getenv("ROLLCALL_TEST_SCALE");
  return scale == nullptr ? 1 : std::max(1, std::atoi(scale));
}

// A subscription stream read on the test thread.
struct Stream {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientReader<v1::SubscribeStatementsResponse>> reader;

  // Reads until `count` changes arrived (heartbeats and caught_up are
  // recorded too). Returns false if the stream ended first.
  bool ReadChanges(size_t count, std::vector<v1::StatementChange>* changes,
                   int* caught_up = nullptr, std::vector<int64_t>* heartbeats = nullptr) {
    v1::SubscribeStatementsResponse response;
    while (changes->size() < count) {
      if (!reader->Read(&response)) return false;
      if (response.has_change()) changes->push_back(response.change());
      if (response.has_caught_up() && caught_up != nullptr) ++*caught_up;
      if (response.has_heartbeat() && heartbeats != nullptr) {
        heartbeats->push_back(response.heartbeat().head_sequence());
      }
    }
    return true;
  }

  // Reads the next message that is not a heartbeat.
  v1::SubscribeStatementsResponse Next() {
    v1::SubscribeStatementsResponse response;
    while (reader->Read(&response)) {
      if (!response.has_heartbeat()) return response;
    }
    ADD_FAILURE() << "stream ended: " << reader->Finish().error_message();
    return response;
  }
};

class SubscribeTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateNigerFixture();
  }

  Stream Subscribe(v1::SubscribeStatementsRequest request,
                   std::chrono::seconds deadline = std::chrono::seconds(60)) {
    Stream stream;
    stream.context = std::make_unique<grpc::ClientContext>();
    stream.context->set_deadline(std::chrono::system_clock::now() + deadline);
    stream.reader = statements_->SubscribeStatements(stream.context.get(), request);
    return stream;
  }

  static v1::SubscribeStatementsRequest After(int64_t sequence, std::string filter = "") {
    v1::SubscribeStatementsRequest request;
    request.set_after_sequence(sequence);
    request.set_filter(std::move(filter));
    return request;
  }

  std::vector<int64_t> Sequences(const std::vector<v1::StatementChange>& changes) {
    std::vector<int64_t> out;
    for (const auto& c : changes) out.push_back(c.sequence());
    return out;
  }
};

TEST_F(SubscribeTest, FromBeginningReplaysThenMarksCaughtUpThenDeliversLive) {
  for (int i = 0; i < 3; ++i) CreateStatementOrDie(MakeStatement("actors/ecowas"));
  v1::SubscribeStatementsRequest request;
  request.set_from_beginning(true);
  Stream stream = Subscribe(request);
  for (int64_t expected = 1; expected <= 3; ++expected) {
    v1::SubscribeStatementsResponse message = stream.Next();
    ASSERT_TRUE(message.has_change());
    EXPECT_EQ(message.change().sequence(), expected);
    EXPECT_EQ(message.change().kind(), v1::CHANGE_KIND_CREATED);
  }
  v1::SubscribeStatementsResponse marker = stream.Next();
  ASSERT_TRUE(marker.has_caught_up());
  EXPECT_EQ(marker.caught_up().head_sequence(), 3);

  v1::Statement live = CreateStatementOrDie(MakeStatement("actors/niger"));
  v1::SubscribeStatementsResponse message = stream.Next();
  ASSERT_TRUE(message.has_change());
  EXPECT_EQ(message.change().sequence(), 4);
  EXPECT_EQ(message.change().statement().name(), live.name());
  EXPECT_TRUE(message.change().has_commit_time());
}

TEST_F(SubscribeTest, DefaultStartIsNowAndResumeDeliversExactlyWhatWasMissed) {
  CreateStatementOrDie(MakeStatement("actors/ecowas"));
  Stream now = Subscribe(v1::SubscribeStatementsRequest());
  ASSERT_TRUE(now.Next().has_caught_up());
  v1::Statement created = CreateStatementOrDie(MakeStatement("actors/niger"));
  EXPECT_EQ(now.Next().change().sequence(), 2);

  v1::UpdateStatementRequest update;
  update.mutable_statement()->set_name(created.name());
  update.mutable_statement()->set_summary("Niger's government says the coup bid failed.");
  update.mutable_update_mask()->add_paths("summary");
  v1::Statement updated;
  ASSERT_TRUE(statements_->UpdateStatement(Context().get(), update, &updated).ok());
  v1::RetractStatementRequest retract;
  retract.set_name(created.name());
  retract.set_reason("duplicate");
  ASSERT_TRUE(statements_->RetractStatement(Context().get(), retract, &updated).ok());

  Stream resumed = Subscribe(After(2));
  v1::SubscribeStatementsResponse first = resumed.Next();
  v1::SubscribeStatementsResponse second = resumed.Next();
  EXPECT_EQ(first.change().sequence(), 3);
  EXPECT_EQ(first.change().kind(), v1::CHANGE_KIND_UPDATED);
  EXPECT_EQ(first.change().statement().revision(), 2);
  EXPECT_EQ(second.change().sequence(), 4);
  EXPECT_EQ(second.change().kind(), v1::CHANGE_KIND_RETRACTED);
  EXPECT_EQ(second.change().statement().retraction().reason(), "duplicate");
  EXPECT_TRUE(resumed.Next().has_caught_up());
}

TEST_F(SubscribeTest, ResumeBeyondHeadIsOutOfRangeAndBadFilterIsInvalidArgument) {
  CreateStatementOrDie(MakeStatement("actors/ecowas"));
  Stream beyond = Subscribe(After(5));
  v1::SubscribeStatementsResponse response;
  EXPECT_FALSE(beyond.reader->Read(&response));
  grpc::Status status = beyond.reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(status.error_message().rfind("after_sequence:", 0), 0u);

  Stream bad = Subscribe(After(0, "stance = FURIOUS"));
  EXPECT_FALSE(bad.reader->Read(&response));
  status = bad.reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("filter:", 0), 0u);

  v1::SubscribeStatementsRequest short_heartbeat;
  short_heartbeat.mutable_heartbeat_interval()->set_nanos(1000);
  Stream too_fast = Subscribe(short_heartbeat);
  EXPECT_FALSE(too_fast.reader->Read(&response));
  EXPECT_EQ(too_fast.reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SubscribeTest, StartTimeSkipsChangesCommittedBefore) {
  CreateStatementOrDie(MakeStatement("actors/ecowas"));
  absl::SleepFor(absl::Milliseconds(20));
  const absl::Time start = absl::Now();
  absl::SleepFor(absl::Milliseconds(20));
  CreateStatementOrDie(MakeStatement("actors/niger"));
  v1::SubscribeStatementsRequest request;
  *request.mutable_start_time() = ToTimestamp(start);
  Stream stream = Subscribe(request);
  EXPECT_EQ(stream.Next().change().sequence(), 2);
  EXPECT_TRUE(stream.Next().has_caught_up());
}

TEST_F(SubscribeTest, ServerSideFilterIncludingBlocMembersAndHeartbeatsAdvanceHead) {
  v1::SubscribeStatementsRequest request = After(0, "bloc = \"actors/ecowas\" AND stance = CONDEMNS");
  request.mutable_heartbeat_interval()->set_nanos(200 * 1000 * 1000);
  Stream stream = Subscribe(request);
  ASSERT_TRUE(stream.Next().has_caught_up());
  CreateStatementOrDie(MakeStatement("actors/united-nations"));                  // 1: not in bloc
  CreateStatementOrDie(MakeStatement("actors/niger", v1::STANCE_SUPPORTS));      // 2: stance
  v1::Statement benin = CreateStatementOrDie(MakeStatement("actors/benin"));    // 3: match
  CreateStatementOrDie(MakeStatement("actors/united-nations"));                  // 4: not in bloc
  v1::SubscribeStatementsResponse message = stream.Next();
  ASSERT_TRUE(message.has_change());
  EXPECT_EQ(message.change().statement().name(), benin.name());
  // Nothing else matches; the heartbeat tells the client it may resume after 4.
  v1::SubscribeStatementsResponse heartbeat;
  do {
    ASSERT_TRUE(stream.reader->Read(&heartbeat));
    ASSERT_FALSE(heartbeat.has_change()) << "only one change matches";
  } while (!heartbeat.has_heartbeat() || heartbeat.heartbeat().head_sequence() < 4);
  EXPECT_EQ(heartbeat.heartbeat().head_sequence(), 4);
}

TEST_F(SubscribeTest, ShutdownEndsStreamsWithUnavailableAndResumeAfterRestartIsExact) {
  for (int i = 0; i < 5; ++i) CreateStatementOrDie(MakeStatement("actors/ecowas"));
  Stream stream = Subscribe(After(0));
  std::vector<v1::StatementChange> seen;
  ASSERT_TRUE(stream.ReadChanges(5, &seen));
  server_->Shutdown(absl::Seconds(2));
  v1::SubscribeStatementsResponse response;
  while (stream.reader->Read(&response)) {
    if (response.has_change()) seen.push_back(response.change());
  }
  EXPECT_EQ(stream.reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);

  RestartServer();
  for (int i = 0; i < 3; ++i) CreateStatementOrDie(MakeStatement("actors/niger"));
  Stream resumed = Subscribe(After(seen.back().sequence()));
  ASSERT_TRUE(resumed.ReadChanges(8, &seen));
  EXPECT_EQ(Sequences(seen), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST_F(SubscribeTest, StalledSubscriberDoesNotHoldBackOthersAndLaterReceivesEverything) {
  // The stalled stream never reads while thousands of changes commit: more
  // than the flow-control window can hold and far more than the feed's
  // window, so it must later be replayed from the store.
  options_.feed_window = 64;
  RestartServer();
  Stream stalled = Subscribe(After(0));
  Stream live = Subscribe(After(0));
  const int kChanges = 3000 * TestScale();
  v1::BatchCreateStatementsRequest batch;
  for (int i = 0; i < 100; ++i) {
    v1::Statement s = MakeStatement("actors/ecowas");
    s.set_quote(std::string(900, 'q'));  // ~1 KiB per change
    *batch.add_requests()->mutable_statement() = s;
  }
  std::vector<v1::StatementChange> live_seen;
  for (int written = 0; written < kChanges; written += 100) {
    v1::BatchCreateStatementsResponse response;
    ASSERT_TRUE(statements_->BatchCreateStatements(Context().get(), batch, &response).ok());
    ASSERT_TRUE(live.ReadChanges(written + 100, &live_seen));
  }
  EXPECT_EQ(live_seen.size(), static_cast<size_t>(kChanges));
  EXPECT_LE(server_->feed().subscription_count(), 2u);

  std::vector<v1::StatementChange> stalled_seen;
  ASSERT_TRUE(stalled.ReadChanges(kChanges, &stalled_seen));
  for (int i = 0; i < kChanges; ++i) {
    ASSERT_EQ(stalled_seen[i].sequence(), i + 1) << "gap or duplicate at " << i;
  }
}

TEST_F(SubscribeTest, ThousandConcurrentSubscriptionsEachReceiveEveryChange) {
  const int kSubscribers = 1000 * TestScale();
  std::vector<Stream> streams;
  streams.reserve(kSubscribers);
  for (int i = 0; i < kSubscribers; ++i) streams.push_back(Subscribe(After(0)));
  for (Stream& s : streams) ASSERT_TRUE(s.Next().has_caught_up());
  for (int i = 0; i < 5; ++i) CreateStatementOrDie(MakeStatement("actors/ecowas"));
  for (Stream& s : streams) {
    std::vector<v1::StatementChange> seen;
    ASSERT_TRUE(s.ReadChanges(5, &seen));
    ASSERT_EQ(Sequences(seen), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  }
  for (Stream& s : streams) s.context->TryCancel();
  for (Stream& s : streams) s.reader->Finish();
  // Cancelled streams release their subscriptions.
  for (int i = 0; i < 100 && server_->feed().subscription_count() > 0; ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(server_->feed().subscription_count(), 0u);
}

}  // namespace
}  // namespace rollcall::testing
