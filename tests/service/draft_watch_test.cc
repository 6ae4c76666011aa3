// DraftService.WatchDrafts through a real server on a real channel: the
// stream starts with the drafts matching its filter, then carries every
// extraction and review made by other clients, and a watcher that comes
// back (after a disconnection or a restart of the server) misses nothing.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rollcall/v1/draft_service.grpc.pb.h"
#include "tests/service/draft_fixture.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr char kPending[] = "event = \"events/niger-coup-2023\" AND state = PENDING";

constexpr char kEcowasCondemns[] =
    "Niamey (AFP) - ECOWAS on Wednesday condemned the coup in Niger.\n";
constexpr char kBeninCallsForCalm[] =
    "Cotonou (AFP) - Benin on Wednesday called for calm in Niger.\n";
constexpr char kEcowasWelcomes[] =
    "Abuja (Reuters) - ECOWAS on Wednesday welcomed the mediation led by Benin.\n";

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

}  // namespace
}  // namespace rollcall::testing
