// The server's limits, each answered with its code and a message saying
// which limit: message size, page size, filter complexity, open
// subscriptions, the per-token write rate, and deadlines.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/service/server_fixture.h"

namespace rollcall::testing {
namespace {

class LimitsTest : public ServerTest {
 protected:
  void SetUp() override {
    options_.subscription_limits = SubscriptionLimits{/*max_total=*/3,
                                                      /*max_per_connection=*/2};
    ServerTest::SetUp();
    CreateNigerFixture();
  }

  // A channel with its own connection to the server.
  std::shared_ptr<grpc::Channel> NewConnection() {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(server_->address(),
                                     grpc::InsecureChannelCredentials(), arguments);
  }

  struct OpenSubscription {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::ClientReader<v1::SubscribeStatementsResponse>> reader;
  };

  // Subscribes on `channel` and reads until caught_up; returns the stream's
  // status instead if it ends first.
  grpc::Status Subscribe(const std::shared_ptr<grpc::Channel>& channel,
                         std::vector<OpenSubscription>& open) {
    OpenSubscription subscription{Context(), nullptr};
    v1::SubscribeStatementsRequest request;
    request.set_from_beginning(true);
    subscription.reader = v1::StatementService::NewStub(channel)->SubscribeStatements(
        subscription.context.get(), request);
    v1::SubscribeStatementsResponse response;
    while (subscription.reader->Read(&response)) {
      if (response.has_caught_up()) {
        open.push_back(std::move(subscription));
        return grpc::Status::OK;
      }
    }
    return subscription.reader->Finish();
  }

  static void Close(OpenSubscription& subscription) {
    subscription.context->TryCancel();
    subscription.reader->Finish();
  }

  std::vector<v1::CreateStatementRequest> Batch(const std::string& prefix, int size) {
    std::vector<v1::CreateStatementRequest> requests;
    for (int i = 0; i < size; ++i) {
      v1::CreateStatementRequest request;
      *request.mutable_statement() = MakeStatement("actors/ecowas");
      request.set_request_id(absl::StrCat(prefix, "-", i));
      request.set_allow_duplicate(true);
      requests.push_back(std::move(request));
    }
    return requests;
  }

  grpc::Status BatchCreate(const std::vector<v1::CreateStatementRequest>& requests,
                           grpc::ClientContext* context) {
    v1::BatchCreateStatementsRequest batch;
    for (const auto& request : requests) *batch.add_requests() = request;
    v1::BatchCreateStatementsResponse response;
    return statements_->BatchCreateStatements(context, batch, &response);
  }

  int CountStatements() {
    int count = 0;
    v1::ListStatementsRequest request;
    request.set_page_size(1000);
    do {
      v1::ListStatementsResponse response;
      grpc::Status status =
          statements_->ListStatements(Context().get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      count += response.statements_size();
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return count;
  }
};

TEST_F(LimitsTest, MessageOverTheLimitIsResourceExhausted) {
  options_.max_message_bytes = 64 * 1024;
  RestartServer();
  v1::CreateStatementRequest request;
  *request.mutable_statement() = MakeStatement("actors/ecowas");
  request.mutable_statement()->set_summary(std::string(70 * 1024, 'x'));
  request.set_request_id("too-large");
  v1::Statement created;
  grpc::Status status = statements_->CreateStatement(Context().get(), request, &created);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("larger than max"), std::string::npos)
      << status.error_message();
}

TEST_F(LimitsTest, PageSizeOverTheMaximumIsLoweredToIt) {
  ASSERT_TRUE(BatchCreate(Batch("a", 600), Context().get()).ok());
  ASSERT_TRUE(BatchCreate(Batch("b", 600), Context().get()).ok());
  v1::ListStatementsRequest request;
  request.set_page_size(5000);
  v1::ListStatementsResponse response;
  grpc::Status status = statements_->ListStatements(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.statements_size(), 1000);
  EXPECT_FALSE(response.next_page_token().empty());
}

TEST_F(LimitsTest, FilterOverTheComplexityLimitsIsInvalidArgumentNamingFilter) {
  std::vector<std::string> terms(65, "stance = condemns");
  const std::string too_many = absl::StrJoin(terms, " AND ");
  const std::string too_deep =
      absl::StrCat(std::string(17, '('), "stance = condemns", std::string(17, ')'));
  for (const std::string& filter : {too_many, too_deep}) {
    v1::ListStatementsRequest request;
    request.set_filter(filter);
    v1::ListStatementsResponse response;
    grpc::Status status =
        statements_->ListStatements(Context().get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(status.error_message().find("filter"), std::string::npos)
        << status.error_message();
  }
}

TEST_F(LimitsTest, ConfiguredPageSizeAndFilterLimitsApply) {
  options_.query_limits.max_page_size = 10;
  options_.query_limits.filter.max_restrictions = 2;
  options_.query_limits.filter.max_depth = 1;
  RestartServer();
  ASSERT_TRUE(BatchCreate(Batch("small", 15), Context().get()).ok());
  for (int i = 0; i < 10; ++i) {
    CreateActorOrDie(absl::StrCat("state-", i), v1::ACTOR_KIND_STATE);
  }
  v1::ListStatementsRequest statements;
  statements.set_page_size(50);
  v1::ListStatementsResponse statement_page;
  ASSERT_TRUE(
      statements_->ListStatements(Context().get(), statements, &statement_page).ok());
  EXPECT_EQ(statement_page.statements_size(), 10);
  v1::ListActorsRequest actors;
  actors.set_page_size(50);
  v1::ListActorsResponse actor_page;
  ASSERT_TRUE(actors_->ListActors(Context().get(), actors, &actor_page).ok());
  EXPECT_EQ(actor_page.actors_size(), 10);

  statements.set_filter(
      "stance = condemns AND actor = \"actors/ecowas\" AND modality = asserted");
  grpc::Status too_many =
      statements_->ListStatements(Context().get(), statements, &statement_page);
  EXPECT_EQ(too_many.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(too_many.error_message().find("at most 2"), std::string::npos)
      << too_many.error_message();
  statements.set_filter("((stance = condemns))");
  grpc::Status too_deep =
      statements_->ListStatements(Context().get(), statements, &statement_page);
  EXPECT_EQ(too_deep.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(too_deep.error_message().find("at most 1 levels"), std::string::npos)
      << too_deep.error_message();

  v1::SubscribeStatementsRequest subscribe;
  subscribe.set_filter(
      "stance = condemns AND actor = \"actors/ecowas\" AND modality = asserted");
  auto context = Context();
  auto reader = statements_->SubscribeStatements(context.get(), subscribe);
  v1::SubscribeStatementsResponse response;
  EXPECT_FALSE(reader->Read(&response));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(LimitsTest, SubscriptionsAreLimitedPerConnectionAndInTotal) {
  std::vector<OpenSubscription> open;
  auto first = NewConnection();
  ASSERT_TRUE(Subscribe(first, open).ok());
  ASSERT_TRUE(Subscribe(first, open).ok());
  grpc::Status third_on_first = Subscribe(first, open);
  EXPECT_EQ(third_on_first.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(third_on_first.error_message().find("this connection"), std::string::npos)
      << third_on_first.error_message();

  auto second = NewConnection();
  ASSERT_TRUE(Subscribe(second, open).ok());
  grpc::Status over_total = Subscribe(NewConnection(), open);
  EXPECT_EQ(over_total.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(over_total.error_message().find("maximum of 3 open subscriptions"),
            std::string::npos)
      << over_total.error_message();

  // A closed subscription frees its place.
  Close(open.front());
  grpc::Status after_close = grpc::Status::CANCELLED;
  for (int attempt = 0; attempt < 50 && !after_close.ok(); ++attempt) {
    // The server releases the place once it has seen the cancellation.
    after_close = Subscribe(NewConnection(), open);
    if (!after_close.ok()) absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(after_close.ok()) << after_close.error_message();
  for (size_t i = 1; i < open.size(); ++i) Close(open[i]);
}

TEST_F(LimitsTest, BatchWhoseDeadlinePassesIsWhollyRecordedOrNotAtAll) {
  const std::vector<v1::CreateStatementRequest> requests = Batch("deadline", 1000);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(5));
  grpc::Status status = BatchCreate(requests, &context);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << status.error_message();
  const int recorded = CountStatements();
  EXPECT_TRUE(recorded == 0 || recorded == 1000) << recorded;
  // Retrying with the same request ids records each statement exactly once.
  ASSERT_TRUE(BatchCreate(requests, Context().get()).ok());
  EXPECT_EQ(CountStatements(), 1000);
}

TEST_F(LimitsTest, SummaryWhoseDeadlinePassesIsDeadlineExceeded) {
  ASSERT_TRUE(BatchCreate(Batch("summary", 1000), Context().get()).ok());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(2));
  v1::SummarizeReactionsRequest request;
  request.set_event("events/niger-coup-2023");
  v1::SummarizeReactionsResponse response;
  EXPECT_EQ(statements_->SummarizeReactions(&context, request, &response).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  // The server is not left busy: the next call is answered.
  v1::SummarizeReactionsResponse full;
  grpc::Status status = statements_->SummarizeReactions(Context().get(), request, &full);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace rollcall::testing
