// DraftService.WatchDrafts through a real server on a real channel: the
// stream starts with the drafts matching its filter, then carries every
// extraction and review made by other clients, whether through this server
// (at once, without waiting for the periodic re-listing) or through
// another sharing its PostgreSQL store (with the next re-listing), and a
// watcher that comes back (after a disconnection or a restart of the
// server) misses nothing.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rollcall/v1/draft_service.grpc.pb.h"
#include "tests/service/draft_fixture.h"
#include "tests/support/test_postgres.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr char kPending[] = "event = \"events/niger-coup-2023\" AND state = PENDING";

constexpr char kEcowasCondemns[] =
    "Niamey (AFP) - ECOWAS on Wednesday condemned the coup in Niger.\n";

// One open WatchDrafts stream.
class Watch {
 public:
  Watch(v1::DraftService::Stub& drafts, const std::string& filter) {
    context_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    v1::WatchDraftsRequest request;
    request.set_filter(filter);
    stream_ = drafts.WatchDrafts(&context_, request);
  }
  ~Watch() {
    context_.TryCancel();
    Finish();
  }

  // The drafts before caught_up, by name -> state.
  std::map<std::string, v1::DraftState> UntilCaughtUp() {
    std::map<std::string, v1::DraftState> drafts;
    v1::WatchDraftsResponse response;
    while (stream_->Read(&response)) {
      for (const v1::Draft& draft : response.drafts()) drafts[draft.name()] = draft.state();
      if (response.caught_up()) return drafts;
    }
    ADD_FAILURE() << "the stream ended before caught_up: " << Finish().error_message();
    return drafts;
  }
  // The next message's drafts (empty if the stream ended).
  std::vector<v1::Draft> Next() {
    v1::WatchDraftsResponse response;
    if (!stream_->Read(&response)) return {};
    EXPECT_FALSE(response.caught_up());
    return {response.drafts().begin(), response.drafts().end()};
  }
  grpc::Status Finish() {
    if (!finished_) status_ = stream_->Finish();
    finished_ = true;
    return status_;
  }
  bool Read(v1::WatchDraftsResponse* response) { return stream_->Read(response); }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::WatchDraftsResponse>> stream_;
  bool finished_ = false;
  grpc::Status status_;
};

using DraftWatchTest = DraftTest;

TEST_F(DraftWatchTest, StartsWithTheMatchingDraftsThenCarriesEveryReview) {
  const std::string ecowas = ExtractOne("https://afp.example/1", kEcowasCondemns);
  const std::string benin = ExtractOne("https://afp.example/2", kBeninCallsForCalm);
  Watch watch(*drafts_, kPending);
  EXPECT_EQ(watch.UntilCaughtUp(),
            (std::map<std::string, v1::DraftState>{{ecowas, v1::DRAFT_STATE_PENDING},
                                                   {benin, v1::DRAFT_STATE_PENDING}}));

  // Another client's review: the draft is sent once more, as it now is,
  // so the watcher sees it leave its pending queue.
  RejectOrDie(benin);
  std::vector<v1::Draft> next = watch.Next();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].name(), benin);
  EXPECT_EQ(next[0].state(), v1::DRAFT_STATE_REJECTED);
  EXPECT_EQ(next[0].reject_reason(), "not a reaction");

  AcceptOrDie(ecowas);
  next = watch.Next();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].name(), ecowas);
  EXPECT_EQ(next[0].state(), v1::DRAFT_STATE_ACCEPTED);
  EXPECT_THAT(next[0].statement_name(), HasSubstr("statements/"));

  // A new extraction joins the queue.
  const std::string welcomes = ExtractOne("https://reuters.example/3", kEcowasWelcomes);
  next = watch.Next();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].name(), welcomes);
  EXPECT_EQ(next[0].state(), v1::DRAFT_STATE_PENDING);
}

TEST_F(DraftWatchTest, AWatcherThatComesBackMissesNothing) {
  const std::string ecowas = ExtractOne("https://afp.example/1", kEcowasCondemns);
  const std::string benin = ExtractOne("https://afp.example/2", kBeninCallsForCalm);
  {
    Watch watch(*drafts_, kPending);
    EXPECT_EQ(watch.UntilCaughtUp().size(), 2u);
  }
  // While nobody watches: one rejected, one new.
  RejectOrDie(benin);
  const std::string welcomes = ExtractOne("https://reuters.example/3", kEcowasWelcomes);
  {
    Watch watch(*drafts_, kPending);
    EXPECT_EQ(watch.UntilCaughtUp(),
              (std::map<std::string, v1::DraftState>{{ecowas, v1::DRAFT_STATE_PENDING},
                                                     {welcomes, v1::DRAFT_STATE_PENDING}}));
  }
  // And across a restart of the server, on every draft of the event.
  RestartServer();
  drafts_ = v1::DraftService::NewStub(channel_);
  AcceptOrDie(ecowas);
  Watch watch(*drafts_, absl::StrCat("event = \"", kEvent, "\""));
  EXPECT_EQ(watch.UntilCaughtUp(),
            (std::map<std::string, v1::DraftState>{{ecowas, v1::DRAFT_STATE_ACCEPTED},
                                                   {benin, v1::DRAFT_STATE_REJECTED},
                                                   {welcomes, v1::DRAFT_STATE_PENDING}}));
}

TEST_F(DraftWatchTest, AnEmptyQueueIsCaughtUpAtOnceAndOtherEventsAreNotSent) {
  Watch watch(*drafts_, "event = \"events/other\"");
  EXPECT_TRUE(watch.UntilCaughtUp().empty());
  ExtractOne("https://afp.example/1", kEcowasCondemns);
  // The stream stays silent: the server's shutdown is the next thing it says.
  server_->Shutdown(absl::Seconds(5));
  v1::WatchDraftsResponse response;
  EXPECT_FALSE(watch.Read(&response)) << response.DebugString();
  grpc::Status status = watch.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("reconnect"));
}

TEST_F(DraftWatchTest, AMalformedFilterIsInvalidArgumentNamingIt) {
  for (const char* bad : {"colour = \"red\"", "state = LOST", "event = \"actors/x\""}) {
    Watch watch(*drafts_, bad);
    v1::WatchDraftsResponse response;
    EXPECT_FALSE(watch.Read(&response)) << bad;
    grpc::Status status = watch.Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(status.error_message(), HasSubstr("filter")) << bad;
  }
}

// A server that does not re-list in a test's time: a change can only
// arrive through the wake-up that a write through this server gives.
class DraftWatchWakeUpTest : public DraftTest {
 protected:
  void SetUp() override {
    options_.drafts_relist_interval = absl::Hours(1);
    DraftTest::SetUp();
  }
};

TEST_F(DraftWatchWakeUpTest, ALocalWriteArrivesAtOnceAndEachStreamGetsOnlyItsFiltersDrafts) {
  Watch pending(*drafts_, kPending);
  Watch ecowas_only(*drafts_, "actor = \"actors/ecowas\"");
  EXPECT_TRUE(pending.UntilCaughtUp().empty());
  EXPECT_TRUE(ecowas_only.UntilCaughtUp().empty());

  const std::string ecowas = ExtractOne("https://afp.example/1", kEcowasCondemns);
  for (Watch* watch : {&pending, &ecowas_only}) {
    std::vector<v1::Draft> next = watch->Next();
    ASSERT_EQ(next.size(), 1u);
    EXPECT_EQ(next[0].name(), ecowas);
  }
  // Benin's draft reaches the pending queue but not the ECOWAS watcher,
  // whose next message is ECOWAS's rejection.
  const std::string benin = ExtractOne("https://afp.example/2", kBeninCallsForCalm);
  std::vector<v1::Draft> next = pending.Next();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].name(), benin);
  RejectOrDie(ecowas);
  for (Watch* watch : {&pending, &ecowas_only}) {
    next = watch->Next();
    ASSERT_EQ(next.size(), 1u);
    EXPECT_EQ(next[0].name(), ecowas);
    EXPECT_EQ(next[0].state(), v1::DRAFT_STATE_REJECTED);
  }
}

// Two servers on one PostgreSQL store (skipped without
// ROLLCALL_TEST_POSTGRES): the fixture's, watched, and another one that
// writes.
class DraftWatchAcrossInstancesTest : public DraftTest {
 protected:
  void SetUp() override {
    const std::optional<std::string> url = TestPostgres();
    if (!url.has_value()) GTEST_SKIP() << kNoTestPostgres;
    options_.store = *url;
    options_.postgres_schema = PostgresSchemaFor(temp_dir_.path());
    options_.drafts_relist_interval = absl::Milliseconds(300);
    DraftTest::SetUp();
    if (HasFatalFailure()) return;
    ServerOptions options = options_;
    options.listen_address = "127.0.0.1:0";
    auto other = RollcallServer::Start(options);
    ASSERT_TRUE(other.ok()) << other.status();
    other_ = *std::move(other);
    other_drafts_ = v1::DraftService::NewStub(
        grpc::CreateChannel(other_->address(), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    other_drafts_.reset();
    other_.reset();
    DraftTest::TearDown();
  }

  std::unique_ptr<RollcallServer> other_;
  std::unique_ptr<v1::DraftService::Stub> other_drafts_;
};

TEST_F(DraftWatchAcrossInstancesTest, AWriteThroughAnotherInstanceArrivesWithTheNextRelist) {
  Watch watch(*drafts_, kPending);
  EXPECT_TRUE(watch.UntilCaughtUp().empty());

  v1::ExtractDraftsResponse extracted;
  grpc::Status status = other_drafts_->ExtractDrafts(
      Context().get(), Document("https://afp.example/1", kEcowasCondemns), &extracted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(extracted.drafts_size(), 1) << extracted.DebugString();
  const std::string ecowas = extracted.drafts(0).name();
  std::vector<v1::Draft> next = watch.Next();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].name(), ecowas);
  EXPECT_EQ(next[0].state(), v1::DRAFT_STATE_PENDING);

  v1::RejectDraftRequest reject;
  reject.set_name(ecowas);
  reject.set_reason("not a reaction");
  v1::Draft rejected;
  status = other_drafts_->RejectDraft(Context().get(), reject, &rejected);
  ASSERT_TRUE(status.ok()) << status.error_message();
  next = watch.Next();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].name(), ecowas);
  EXPECT_EQ(next[0].state(), v1::DRAFT_STATE_REJECTED);
}

}  // namespace
}  // namespace rollcall::testing
