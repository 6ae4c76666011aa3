// Prometheus metrics, scraped over HTTP from a real server after real calls.

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rollcall/version.h"
#include "tests/metrics/scrape.h"
#include "tests/service/server_fixture.h"

namespace rollcall::testing {
namespace {

class MetricsTest : public ServerTest {
 protected:
  void SetUp() override {
    options_.metrics_listen = "127.0.0.1:0";
    ServerTest::SetUp();
    ASSERT_GT(server_->metrics_port(), 0);
    CreateNigerFixture();
  }

  std::string Scrape() {
    absl::StatusOr<std::string> text = ScrapeMetrics(server_->metrics_port());
    EXPECT_TRUE(text.ok()) << text.status();
    return text.value_or("");
  }

  // The scraped value, -1 if the sample is missing.
  double Value(const std::string& text, const std::string& name,
               const std::map<std::string, std::string>& labels = {}) {
    return SampleValue(text, name, labels).value_or(-1);
  }

  static std::map<std::string, std::string> Method(const std::string& method,
                                                   const std::string& code = "") {
    std::map<std::string, std::string> labels = {
        {"grpc_service", "rollcall.v1.StatementService"}, {"grpc_method", method}};
    if (!code.empty()) labels["grpc_code"] = code;
    return labels;
  }
};

TEST_F(MetricsTest, RpcsAreCountedAndTimedByMethodAndCode) {
  for (int i = 0; i < 3; ++i) CreateStatementOrDie(MakeStatement("actors/ecowas"));
  v1::CreateStatementRequest invalid;  // no statement at all
  v1::Statement ignored;
  EXPECT_EQ(statements_->CreateStatement(Context().get(), invalid, &ignored).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::GetStatementRequest missing;
  missing.set_name("statements/does-not-exist");
  EXPECT_EQ(statements_->GetStatement(Context().get(), missing, &ignored).error_code(),
            grpc::StatusCode::NOT_FOUND);

  const std::string text = Scrape();
  EXPECT_EQ(Value(text, "grpc_server_handled_total", Method("CreateStatement", "OK")), 3);
  EXPECT_EQ(Value(text, "grpc_server_handled_total",
                  Method("CreateStatement", "INVALID_ARGUMENT")),
            1);
  EXPECT_EQ(Value(text, "grpc_server_handled_total", Method("GetStatement", "NOT_FOUND")),
            1);
  EXPECT_EQ(Value(text, "grpc_server_started_total", Method("CreateStatement")), 4);
  EXPECT_EQ(Value(text, "grpc_server_handling_seconds_count", Method("CreateStatement")),
            4);
  EXPECT_GT(Value(text, "grpc_server_handling_seconds_sum", Method("CreateStatement")), 0);
  std::map<std::string, std::string> create_actor = {
      {"grpc_service", "rollcall.v1.ActorService"},
      {"grpc_method", "CreateActor"},
      {"grpc_type", "unary"},
      {"grpc_code", "OK"}};
  EXPECT_EQ(Value(text, "grpc_server_handled_total", create_actor), 4);
}

TEST_F(MetricsTest, BuildInfoNamesTheCMakeVersionAndTheCommit) {
  const std::string text = Scrape();
  EXPECT_EQ(Value(text, "rollcall_build_info",
                  {{"version", ROLLCALL_CMAKE_VERSION}, {"commit", kGitCommit}}),
            1);
  EXPECT_EQ(std::string(kVersion), ROLLCALL_CMAKE_VERSION);
  EXPECT_NE(std::string(kGitCommit), "");
}

TEST_F(MetricsTest, CommitsAndTheHeadSequenceAreReported) {
  v1::Statement last;
  for (int i = 0; i < 5; ++i) last = CreateStatementOrDie(MakeStatement("actors/niger"));
  const std::string text = Scrape();
  EXPECT_EQ(Value(text, "rollcall_log_head_sequence"), last.sequence());
  // Four actors, an event and five statements: one commit each.
  EXPECT_EQ(Value(text, "rollcall_store_commit_batch_size_count"), 10);
  EXPECT_EQ(Value(text, "rollcall_store_commit_batch_size_sum"), 10);
  EXPECT_EQ(Value(text, "rollcall_store_commit_seconds_count"), 10);
  EXPECT_GT(Value(text, "rollcall_store_commit_seconds_sum"), 0);
  EXPECT_EQ(Value(text, "rollcall_store_commit_seconds_bucket", {{"le", "+Inf"}}), 10);
}

TEST_F(MetricsTest, OpenSubscriptionsAreCountedAndAStreamEndIsHandledWithItsCode) {
  CreateStatementOrDie(MakeStatement("actors/ecowas"));
  grpc::ClientContext context;
  v1::SubscribeStatementsRequest request;
  request.set_from_beginning(true);
  auto stream = statements_->SubscribeStatements(&context, request);
  v1::SubscribeStatementsResponse response;
  do {
    ASSERT_TRUE(stream->Read(&response));
  } while (!response.has_caught_up());

  std::string text = Scrape();
  EXPECT_EQ(Value(text, "rollcall_subscriptions_open"), 1);
  EXPECT_EQ(Value(text, "rollcall_subscriptions_behind_window"), 0);
  EXPECT_EQ(Value(text, "grpc_server_in_flight_calls"), 1);
  EXPECT_EQ(Value(text, "grpc_server_started_total",
                  {{"grpc_method", "SubscribeStatements"}, {"grpc_type", "server_stream"}}),
            1);

  context.TryCancel();
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // The server sees the cancellation asynchronously.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    text = Scrape();
    if (Value(text, "grpc_server_in_flight_calls") == 0) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(Value(text, "grpc_server_in_flight_calls"), 0);
  EXPECT_EQ(Value(text, "rollcall_subscriptions_open"), 0);
  EXPECT_EQ(Value(text, "grpc_server_handled_total",
                  Method("SubscribeStatements", "CANCELLED")),
            1);
}

TEST_F(MetricsTest, MetricsAreNotServedWithoutAnAddress) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.data_dir = temp_dir_.File("other");
  auto other = RollcallServer::Start(options);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ((*other)->metrics_port(), 0);
}

TEST_F(MetricsTest, ABusyMetricsAddressIsReportedAsUnavailable) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.data_dir = temp_dir_.File("other");
  options.metrics_listen = absl::StrCat("127.0.0.1:", server_->metrics_port());
  auto other = RollcallServer::Start(options);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), absl::StatusCode::kUnavailable) << other.status();
  EXPECT_NE(other.status().message().find(options.metrics_listen), std::string::npos);
}

}  // namespace
}  // namespace rollcall::testing
