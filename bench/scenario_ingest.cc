// ingest, batch-ingest and stream-ingest: durable writes through each of
// StatementService's three write paths.

#include <atomic>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/closed_loop.h"
#include "bench/scenarios.h"
#include "bench/stream_load.h"
#include "bench/workload.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

namespace rollcall::bench {
namespace {

using rollcall::v1::StatementService;

std::vector<std::unique_ptr<StatementService::Stub>> Stubs(const BenchOptions& options) {
  std::vector<std::unique_ptr<StatementService::Stub>> stubs;
  for (const auto& channel : OpenChannels(options.target, options.channels))
    stubs.push_back(StatementService::NewStub(channel));
  return stubs;
}

// The request a client sends for workload statement `n`: a request_id, as
// the API recommends, so retries are safe.
void FillCreate(int64_t n, int events, rollcall::v1::CreateStatementRequest* request) {
  *request->mutable_statement() = MakeStatement(n, events);
  request->set_request_id(absl::StrCat("bench-", n));
}

bool Prepare(const BenchOptions& options) {
  auto status = EnsureFixture(OpenChannels(options.target, 1)[0], options.events);
  if (!status.ok()) {
    JsonLine("error").Add("message", status.ToString()).Print();
    return false;
  }
  return true;
}

// Prints the line for a closed-loop write scenario; `per_call` statements
// per call.
int Report(const char* scenario, const BenchOptions& options, int per_call,
           ClosedLoopResult& result) {
  JsonLine line(scenario);
  line.Add("concurrency", options.concurrency).Add("channels", options.channels);
  if (per_call > 1) line.Add("batch", per_call);
  line.Add("seconds", result.seconds)
      .Add("statements", result.ok * per_call)
      .Add("statements_per_s", result.ok * per_call / result.seconds)
      .Add("calls_per_s", result.ok / result.seconds)
      .AddLatency("", result.latency)
      .Add("failed", result.failed)
      .Add("first_error", result.first_error)
      .Add("durable", true)
      .Print();
  return result.failed == 0 && result.ok > 0 ? 0 : 1;
}

}  // namespace

int RunIngest(const BenchOptions& options) {
  if (!Prepare(options)) return 1;
  auto stubs = Stubs(options);
  struct Slot {
    std::unique_ptr<grpc::ClientContext> context;
    rollcall::v1::CreateStatementRequest request;
    rollcall::v1::Statement response;
  };
  std::vector<Slot> slots(options.concurrency);
  std::atomic<int64_t> next{FreshStatementBase()};
  ClosedLoopResult result = RunClosedLoop(
      options.concurrency, absl::Seconds(options.seconds),
      [&](int i, std::function<void(const grpc::Status&)> done) {
        Slot& slot = slots[i];
        FillCreate(next++, options.events, &slot.request);
        slot.context = ContextWithDeadline();
        stubs[i % stubs.size()]->async()->CreateStatement(
            slot.context.get(), &slot.request, &slot.response, std::move(done));
      });
  return Report("ingest", options, 1, result);
}

int RunBatchIngest(const BenchOptions& options) {
  if (!Prepare(options)) return 1;
  auto stubs = Stubs(options);
  struct Slot {
    std::unique_ptr<grpc::ClientContext> context;
    rollcall::v1::BatchCreateStatementsRequest request;
    rollcall::v1::BatchCreateStatementsResponse response;
  };
  std::vector<Slot> slots(options.concurrency);
  std::atomic<int64_t> next{FreshStatementBase()};
  ClosedLoopResult result = RunClosedLoop(
      options.concurrency, absl::Seconds(options.seconds),
      [&](int i, std::function<void(const grpc::Status&)> done) {
        Slot& slot = slots[i];
        slot.request.clear_requests();
        const int64_t first = next.fetch_add(options.batch);
        for (int k = 0; k < options.batch; ++k)
          FillCreate(first + k, options.events, slot.request.add_requests());
        slot.context = ContextWithDeadline();
        stubs[i % stubs.size()]->async()->BatchCreateStatements(
            slot.context.get(), &slot.request, &slot.response, std::move(done));
      });
  return Report("batch-ingest", options, options.batch, result);
}

int RunStreamIngest(const BenchOptions& options) {
  if (!Prepare(options)) return 1;
  using Request = rollcall::v1::IngestStatementsRequest;
  using Response = rollcall::v1::IngestStatementsResponse;
  using Stream = PipelinedStream<Request, Response>;
  auto stubs = Stubs(options);
  std::atomic<int64_t> next{FreshStatementBase()};
  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::Seconds(options.seconds);
  std::vector<std::unique_ptr<Stream>> streams;
  for (int s = 0; s < options.streams; ++s) {
    StatementService::Stub* stub = stubs[s % stubs.size()].get();
    streams.push_back(std::make_unique<Stream>(
        [stub](grpc::ClientContext* context,
               grpc::ClientBidiReactor<Request, Response>* r) {
          stub->async()->IngestStatements(context, r);
        },
        [&](int64_t, Request* request) {
          FillCreate(next++, options.events, request->mutable_request());
        },
        [](const Response& response) { return response.has_statement(); }, options.window,
        end));
  }
  LatencySamples latency;
  int64_t ok = 0;
  int64_t failed = 0;
  std::string first_error;
  for (auto& stream : streams) {
    stream->AwaitDone();
    latency.Add(stream->latency());
    ok += stream->ok();
    failed += stream->failed();
    if (!stream->status().ok() && first_error.empty())
      first_error = absl::StrCat(stream->status().error_code(), ": ",
                                 stream->status().error_message());
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  JsonLine("stream-ingest")
      .Add("streams", options.streams)
      .Add("window", options.window)
      .Add("channels", options.channels)
      .Add("seconds", seconds)
      .Add("statements", ok)
      .Add("statements_per_s", ok / seconds)
      .AddLatency("", latency)
      .Add("failed", failed)
      .Add("first_error", first_error)
      .Add("durable", true)
      .Print();
  return failed == 0 && ok > 0 && first_error.empty() ? 0 : 1;
}

}  // namespace rollcall::bench
