// Graceful shutdown of a real rollcalld on SIGTERM: a write in flight
// finishes and is durable, subscription streams end with UNAVAILABLE, the
// process exits within --shutdown_grace plus a bound, and its log is one
// JSON object per line (--log_format=json) without statement bodies.

#include <chrono>
#include <string>
#include <thread>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "gtest/gtest.h"
#include "tests/faults/acknowledged_writes.h"
#include "tests/faults/fault_client.h"
#include "tests/metrics/scrape.h"
#include "tests/support/server_process.h"
#include "tests/support/slowdown.h"
#include "tests/support/temp_dir.h"

namespace rollcall::faults {
namespace {

// Both scaled for the sanitizer builds (tests/support/slowdown.h).
const absl::Duration kGrace = absl::Seconds(3) * testing::TestSlowdown();
// What exiting may take beyond the grace period: closing the metrics
// endpoint and gRPC's own threads.
const absl::Duration kExitBound = absl::Seconds(5) * testing::TestSlowdown();
constexpr int kBatchSize = 1000;

// The metrics port from the log line "serving metrics on port N".
int MetricsPort(const std::string& log) {
  const std::string marker = "serving metrics on port ";
  const size_t at = log.find(marker);
  int port = 0;
  if (at == std::string::npos) return 0;
  const std::string digits = log.substr(at + marker.size(), 6);
  absl::SimpleAtoi(digits.substr(0, digits.find_first_not_of("0123456789")), &port);
  return port;
}

// A batch heavy enough to be caught in flight.
v1::BatchCreateStatementsRequest HeavyBatch() {
  absl::BitGen random;
  v1::BatchCreateStatementsRequest batch;
  for (int i = 0; i < kBatchSize; ++i) {
    v1::CreateStatementRequest* request = batch.add_requests();
    *request->mutable_statement() = MakeStatement(random, absl::StrCat("batch-", i));
    std::string quote = request->statement().quote();
    for (int word = 0; quote.size() < 2500; ++word) {
      absl::StrAppend(&quote, " secretword", absl::Uniform(random, 0, 1000000));
    }
    request->mutable_statement()->set_quote(quote);
    request->set_allow_duplicate(true);
  }
  return batch;
}

// True once the server has started the batch and not yet answered it.
bool BatchInFlight(int metrics_port) {
  absl::StatusOr<std::string> text = testing::ScrapeMetrics(metrics_port);
  if (!text.ok()) return false;
  const std::map<std::string, std::string> batch = {
      {"grpc_method", "BatchCreateStatements"}};
  return testing::SampleValue(*text, "grpc_server_started_total", batch).value_or(0) == 1 &&
         !testing::SampleValue(*text, "grpc_server_handled_total", batch).has_value();
}

TEST(ShutdownTest, InFlightWriteFinishesStreamsEndUnavailableAndTheProcessExitsInTime) {
  testing::TempDir temp_dir;
  testing::ServerProcess server(
      ROLLCALLD_PATH, temp_dir.File("data"), temp_dir.File("rollcalld.log"),
      {"--metrics_listen=127.0.0.1:0", "--log_format=json",
       absl::StrCat("--shutdown_grace=", absl::FormatDuration(kGrace))});
  ASSERT_TRUE(server.Start().ok());
  const int metrics_port = MetricsPort(server.Log());
  ASSERT_GT(metrics_port, 0) << server.Log();
  std::shared_ptr<grpc::Channel> channel = MakeChannel(server.address());
  auto stub = v1::StatementService::NewStub(channel);
  ASSERT_TRUE(CreateFixture(*channel).ok());

  // The subscriber has a connection of its own: when its stream ends with
  // "reconnect now" during the shutdown, what its client sends back must not
  // race the batch's answer on the batch's connection (a socket closed with
  // unread bytes is reset, and the reset can drop an answer not yet read).
  grpc::ChannelArguments own_connection;
  own_connection.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto subscriber = v1::StatementService::NewStub(grpc::CreateCustomChannel(
      server.address(), grpc::InsecureChannelCredentials(), own_connection));
  grpc::ClientContext stream_context;
  v1::SubscribeStatementsRequest subscribe;
  auto stream = subscriber->SubscribeStatements(&stream_context, subscribe);
  v1::SubscribeStatementsResponse response;
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(response.has_caught_up());

  const v1::BatchCreateStatementsRequest batch = HeavyBatch();
  v1::BatchCreateStatementsResponse created;
  grpc::Status batch_status;
  std::thread writer([&] {
    batch_status = stub->BatchCreateStatements(WaitingContext().get(), batch, &created);
  });
  bool caught = false;
  for (int i = 0; i < 2000 && !caught; ++i) caught = BatchInFlight(metrics_port);
  const absl::Time stop_start = absl::Now();
  const int exit_code = server.Stop();  // SIGTERM, then wait for the exit
  const absl::Duration stop_time = absl::Now() - stop_start;
  writer.join();
  ASSERT_TRUE(caught) << "the batch was never seen in flight";

  EXPECT_EQ(exit_code, 0);
  EXPECT_LT(stop_time, kGrace + kExitBound);
  ASSERT_TRUE(batch_status.ok()) << Describe(batch_status) << server.Log();
  ASSERT_EQ(created.statements_size(), kBatchSize);
  while (stream->Read(&response)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);

  // The acknowledged batch is there after a restart.
  ASSERT_TRUE(server.Start().ok());
  AcknowledgedWrites acknowledged;
  for (const v1::Statement& statement : created.statements()) acknowledged.Record(statement);
  absl::StatusOr<std::vector<v1::StatementChange>> log = ReadWholeLog(*stub);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_TRUE(acknowledged.CheckPresentIn(*log).ok()) << acknowledged.CheckPresentIn(*log);

  // One JSON object per line, with time, level and msg, and no quote text.
  const std::string server_log = server.Log();
  EXPECT_EQ(server_log.find("secretword"), std::string::npos);
  EXPECT_NE(server_log.find("shut down in"), std::string::npos);
  for (absl::string_view line : absl::StrSplit(server_log, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct object;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &object).ok())
        << line;
    for (const char* key : {"time", "level", "msg"}) {
      EXPECT_TRUE(object.fields().contains(key)) << key << " missing in " << line;
    }
  }
}

}  // namespace
}  // namespace rollcall::faults
