// SubscribeStatements over a real server and channel: start positions,
// the replay/live seam, filters, heartbeats, resumption, shutdown, and a
// randomised property test against the full log.

#include <atomic>
#include <cstdlib>
#include <deque>
#include <map>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
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

// One thing a stream delivered: a change, the caught_up marker, or a
// heartbeat. Messages that batch several changes are flattened, changes
// first, in order.
struct Item {
  enum Kind { kChange, kCaughtUp, kHeartbeat, kEnd } kind = kEnd;
  v1::StatementChange change;
  int64_t head = 0;  // caught_up or heartbeat head_sequence

  bool is_change() const { return kind == kChange; }
  bool is_caught_up() const { return kind == kCaughtUp; }
};

// A subscription stream read on the test thread.
struct Stream {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientReader<v1::SubscribeStatementsResponse>> reader;
  std::deque<Item> pending;

  // The next item; kEnd once the stream ended.
  Item NextItem() {
    v1::SubscribeStatementsResponse response;
    while (pending.empty()) {
      if (!reader->Read(&response)) return Item{};
      for (const auto& change : response.changes()) {
        pending.push_back(Item{Item::kChange, change, 0});
      }
      if (response.has_caught_up()) {
        pending.push_back(
            Item{Item::kCaughtUp, {}, response.caught_up().head_sequence()});
      }
      if (response.has_heartbeat()) {
        pending.push_back(
            Item{Item::kHeartbeat, {}, response.heartbeat().head_sequence()});
      }
    }
    Item item = std::move(pending.front());
    pending.pop_front();
    return item;
  }

  // Reads until `count` changes arrived (caught_up markers and heartbeats
  // are counted too). Returns false if the stream ended first.
  bool ReadChanges(size_t count, std::vector<v1::StatementChange>* changes,
                   int* caught_up = nullptr) {
    while (changes->size() < count) {
      Item item = NextItem();
      if (item.kind == Item::kEnd) return false;
      if (item.is_change()) changes->push_back(item.change);
      if (item.is_caught_up() && caught_up != nullptr) ++*caught_up;
    }
    return true;
  }

  // The next item that is not a heartbeat.
  Item Next() {
    while (true) {
      Item item = NextItem();
      if (item.kind == Item::kEnd) {
        ADD_FAILURE() << "stream ended: " << reader->Finish().error_message();
        return item;
      }
      if (item.kind != Item::kHeartbeat) return item;
    }
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
    Item item = stream.Next();
    ASSERT_TRUE(item.is_change());
    EXPECT_EQ(item.change.sequence(), expected);
    EXPECT_EQ(item.change.kind(), v1::CHANGE_KIND_CREATED);
  }
  Item marker = stream.Next();
  ASSERT_TRUE(marker.is_caught_up());
  EXPECT_EQ(marker.head, 3);

  v1::Statement live = CreateStatementOrDie(MakeStatement("actors/niger"));
  Item item = stream.Next();
  ASSERT_TRUE(item.is_change());
  EXPECT_EQ(item.change.sequence(), 4);
  EXPECT_EQ(item.change.statement().name(), live.name());
  EXPECT_TRUE(item.change.has_commit_time());
}

TEST_F(SubscribeTest, ReplayBatchesManyChangesPerMessage) {
  v1::BatchCreateStatementsRequest batch;
  for (int i = 0; i < 500; ++i) {
    v1::CreateStatementRequest* item = batch.add_requests();
    *item->mutable_statement() = MakeStatement("actors/ecowas");
    item->set_allow_duplicate(true);
  }
  v1::BatchCreateStatementsResponse created;
  ASSERT_TRUE(statements_->BatchCreateStatements(Context().get(), batch, &created).ok());
  v1::SubscribeStatementsRequest request;
  request.set_from_beginning(true);
  Stream stream = Subscribe(request);
  v1::SubscribeStatementsResponse message;
  int messages = 0;
  int64_t expected = 1;
  while (stream.reader->Read(&message)) {
    ++messages;
    for (const auto& change : message.changes()) ASSERT_EQ(change.sequence(), expected++);
    if (message.has_caught_up()) break;
  }
  EXPECT_EQ(expected, 501);
  EXPECT_LT(messages, 50) << "500 stored changes should not take one message each";
}

TEST_F(SubscribeTest, ReplayOfLargeStatementsStaysWithinTheClientsMessageLimit) {
  // 200 statements of ~32 KiB: one message for all of them would exceed the
  // 4 MiB a client accepts by default.
  for (int created = 0; created < 200; created += 20) {
    v1::BatchCreateStatementsRequest batch;
    for (int i = 0; i < 20; ++i) {
      v1::Statement statement = MakeStatement("actors/ecowas");
      statement.set_quote(std::string(32 * 1024 - 1, 'q'));
      v1::CreateStatementRequest* request = batch.add_requests();
      *request->mutable_statement() = statement;
      request->set_allow_duplicate(true);  // the same quote, on purpose
    }
    v1::BatchCreateStatementsResponse response;
    ASSERT_TRUE(
        statements_->BatchCreateStatements(Context().get(), batch, &response).ok());
  }
  v1::SubscribeStatementsRequest request;
  request.set_from_beginning(true);
  Stream stream = Subscribe(request);
  v1::SubscribeStatementsResponse message;
  int64_t expected = 1;
  while (stream.reader->Read(&message)) {
    for (const auto& change : message.changes()) ASSERT_EQ(change.sequence(), expected++);
    if (message.has_caught_up()) break;
  }
  EXPECT_EQ(expected, 201) << stream.reader->Finish().error_message();
}

TEST_F(SubscribeTest, DefaultStartIsNowAndResumeDeliversExactlyWhatWasMissed) {
  CreateStatementOrDie(MakeStatement("actors/ecowas"));
  Stream now = Subscribe(v1::SubscribeStatementsRequest());
  ASSERT_TRUE(now.Next().is_caught_up());
  v1::Statement created = CreateStatementOrDie(MakeStatement("actors/niger"));
  EXPECT_EQ(now.Next().change.sequence(), 2);

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
  Item first = resumed.Next();
  Item second = resumed.Next();
  EXPECT_EQ(first.change.sequence(), 3);
  EXPECT_EQ(first.change.kind(), v1::CHANGE_KIND_UPDATED);
  EXPECT_EQ(first.change.statement().revision(), 2);
  EXPECT_EQ(second.change.sequence(), 4);
  EXPECT_EQ(second.change.kind(), v1::CHANGE_KIND_RETRACTED);
  EXPECT_EQ(second.change.statement().retraction().reason(), "duplicate");
  EXPECT_TRUE(resumed.Next().is_caught_up());
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
  EXPECT_EQ(stream.Next().change.sequence(), 2);
  EXPECT_TRUE(stream.Next().is_caught_up());
}

TEST_F(SubscribeTest, ServerSideFilterIncludingBlocMembersAndHeartbeatsAdvanceHead) {
  v1::SubscribeStatementsRequest request =
      After(0, "bloc = \"actors/ecowas\" AND stance = CONDEMNS");
  request.mutable_heartbeat_interval()->set_nanos(200 * 1000 * 1000);
  Stream stream = Subscribe(request);
  ASSERT_TRUE(stream.Next().is_caught_up());
  CreateStatementOrDie(MakeStatement("actors/united-nations"));  // 1: not in bloc
  CreateStatementOrDie(MakeStatement("actors/niger", v1::STANCE_SUPPORTS));   // 2: stance
  v1::Statement benin = CreateStatementOrDie(MakeStatement("actors/benin"));  // 3: match
  CreateStatementOrDie(MakeStatement("actors/united-nations"));  // 4: not in bloc
  Item item = stream.Next();
  ASSERT_TRUE(item.is_change());
  EXPECT_EQ(item.change.statement().name(), benin.name());
  // Nothing else matches; the heartbeat tells the client it may resume after 4.
  Item heartbeat;
  do {
    heartbeat = stream.NextItem();
    ASSERT_NE(heartbeat.kind, Item::kEnd);
    ASSERT_FALSE(heartbeat.is_change()) << "only one change matches";
  } while (heartbeat.kind != Item::kHeartbeat || heartbeat.head < 4);
  EXPECT_EQ(heartbeat.head, 4);
}

TEST_F(SubscribeTest, ShutdownEndsStreamsWithUnavailableAndResumeAfterRestartIsExact) {
  for (int i = 0; i < 5; ++i) CreateStatementOrDie(MakeStatement("actors/ecowas"));
  Stream stream = Subscribe(After(0));
  std::vector<v1::StatementChange> seen;
  ASSERT_TRUE(stream.ReadChanges(5, &seen));
  server_->Shutdown(absl::Seconds(2));
  for (Item item = stream.NextItem(); item.kind != Item::kEnd; item = stream.NextItem()) {
    if (item.is_change()) seen.push_back(item.change);
  }
  const grpc::Status ended = stream.reader->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE);
  // "Reconnect now": a google.rpc.RetryInfo with a zero retry_delay.
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(ended.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(details.details(0).UnpackTo(&retry));
  EXPECT_TRUE(retry.has_retry_delay());
  EXPECT_EQ(retry.retry_delay().seconds(), 0);
  EXPECT_EQ(retry.retry_delay().nanos(), 0);

  RestartServer();
  for (int i = 0; i < 3; ++i) CreateStatementOrDie(MakeStatement("actors/niger"));
  Stream resumed = Subscribe(After(seen.back().sequence()));
  ASSERT_TRUE(resumed.ReadChanges(8, &seen));
  EXPECT_EQ(Sequences(seen), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

// A restarted server fills its window with the last stored changes: resumes
// from before it (replayed from the store), inside it and at its ends are
// all exact, and go on live.
TEST_F(SubscribeTest, ResumesBeforeInsideAndAtTheEndsOfTheWindowFilledAtStartAreExact) {
  options_.feed_window = 16;
  RestartServer();
  constexpr int kStored = 40;
  for (int i = 0; i < kStored; ++i) CreateStatementOrDie(MakeStatement("actors/ecowas"));
  RestartServer();
  const std::vector<int64_t> resume_points = {0, 10, 23, 24, 25, 30, 39, 40};
  std::vector<Stream> streams;
  for (int64_t after : resume_points) streams.push_back(Subscribe(After(after)));
  CreateStatementOrDie(MakeStatement("actors/niger"));
  for (size_t i = 0; i < streams.size(); ++i) {
    std::vector<v1::StatementChange> seen;
    ASSERT_TRUE(streams[i].ReadChanges(kStored + 1 - resume_points[i], &seen))
        << "resuming after " << resume_points[i];
    std::vector<int64_t> expected;
    for (int64_t sequence = resume_points[i] + 1; sequence <= kStored + 1; ++sequence) {
      expected.push_back(sequence);
    }
    EXPECT_EQ(Sequences(seen), expected) << "resuming after " << resume_points[i];
  }
}

// The subscriptions a restart sends back arrive as soon as the port accepts
// connections: by then the window is filled, so none waits for a replay
// from the store, and the first commit is not read behind the fill.
TEST_F(SubscribeTest, RestartedServerListensOnlyOnceItsWindowIsFilled) {
  constexpr int kWindow = 4096;
  options_.feed_window = kWindow;
  // No extractor knowledge to load: its loading would hide a fill still
  // running when the server listens.
  options_.extract_data_dir = temp_dir_.File("no-knowledge");
  RestartServer();
  constexpr int kBatches = kWindow / 100 + 2;
  for (int batch = 0; batch < kBatches; ++batch) {
    v1::BatchCreateStatementsRequest request;
    for (int i = 0; i < 100; ++i) {
      auto* item = request.add_requests();
      *item->mutable_statement() = MakeStatement("actors/ecowas");
      item->set_allow_duplicate(true);
    }
    v1::BatchCreateStatementsResponse response;
    const grpc::Status created =
        statements_->BatchCreateStatements(Context().get(), request, &response);
    ASSERT_TRUE(created.ok()) << created.error_message();
  }
  const int64_t head = kBatches * 100;
  for (int restart = 0; restart < 3; ++restart) {
    RestartServer();
    EXPECT_EQ(server_->feed().window_changes(), static_cast<size_t>(kWindow))
        << "restart " << restart;
    EXPECT_EQ(server_->feed().head(), head);
  }
  Stream resumed = Subscribe(After(head - 10));
  std::vector<v1::StatementChange> seen;
  ASSERT_TRUE(resumed.ReadChanges(10, &seen));
  EXPECT_EQ(Sequences(seen).front(), head - 9);
  EXPECT_EQ(server_->feed().replaying_count(), 0u);
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
    v1::CreateStatementRequest* item = batch.add_requests();
    *item->mutable_statement() = s;
    item->set_allow_duplicate(true);
  }
  std::vector<v1::StatementChange> live_seen;
  for (int written = 0; written < kChanges; written += 100) {
    v1::BatchCreateStatementsResponse response;
    ASSERT_TRUE(
        statements_->BatchCreateStatements(Context().get(), batch, &response).ok());
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
  for (Stream& s : streams) ASSERT_TRUE(s.Next().is_caught_up());
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
