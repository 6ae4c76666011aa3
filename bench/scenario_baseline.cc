// baseline: the same load as ingest, batch-ingest or stream-ingest against
// NoopService, with payloads of the same serialized sizes.

#include <csignal>
#include <iostream>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/bench.grpc.pb.h"
#include "bench/closed_loop.h"
#include "bench/noop_service.h"
#include "bench/scenarios.h"
#include "bench/stream_load.h"
#include "bench/workload.h"
#include "rollcall/v1/statement_service.pb.h"

namespace rollcall::bench {
namespace {

// The serialized sizes of one call's request and response in the scenario
// `payload` stands for. The response is the workload statement as the
// server returns it: with its name, etag, revision, sequence and times.
struct MessageSizes {
  size_t request = 0;
  size_t response = 0;
};

rollcall::v1::Statement AsStored(rollcall::v1::Statement statement) {
  statement.set_name("statements/01HZX3KQ5T7W9BMD2C4F6");
  statement.set_etag("W/\"8f3a2c1d9e7b6a54\"");
  statement.set_revision(1);
  statement.set_sequence(1234567);
  statement.set_state(rollcall::v1::STATEMENT_STATE_ACTIVE);
  for (auto* time : {statement.mutable_create_time(), statement.mutable_update_time()}) {
    time->set_seconds(1764400000);
    time->set_nanos(123456789);
  }
  return statement;
}

MessageSizes SizesFor(const BenchOptions& options) {
  rollcall::v1::CreateStatementRequest create;
  *create.mutable_statement() = MakeStatement(int64_t{1} << 40, options.events);
  create.set_request_id(absl::StrCat("bench-", int64_t{1} << 40));
  const rollcall::v1::Statement stored = AsStored(create.statement());
  if (options.payload == "batch") {
    rollcall::v1::BatchCreateStatementsRequest request;
    rollcall::v1::BatchCreateStatementsResponse response;
    for (int i = 0; i < options.batch; ++i) {
      *request.add_requests() = create;
      *response.add_statements() = stored;
    }
    return {request.ByteSizeLong(), response.ByteSizeLong()};
  }
  if (options.payload == "stream") {
    rollcall::v1::IngestStatementsRequest request;
    *request.mutable_request() = create;
    rollcall::v1::IngestStatementsResponse response;
    response.set_index(123456);
    *response.mutable_statement() = stored;
    return {request.ByteSizeLong(), response.ByteSizeLong()};
  }
  return {create.ByteSizeLong(), stored.ByteSizeLong()};
}

// A payload whose serialized size is about `request` and that asks for an
// answer of about `response` bytes (field tags and lengths: ~8 bytes).
Payload MakePayload(const MessageSizes& sizes) {
  Payload payload;
  payload.set_data(std::string(sizes.request > 8 ? sizes.request - 8 : 0, 'x'));
  payload.set_response_size(
      static_cast<int>(sizes.response > 4 ? sizes.response - 4 : 0));
  return payload;
}

int RunUnaryBaseline(const BenchOptions& options, const MessageSizes& sizes) {
  std::vector<std::unique_ptr<NoopService::Stub>> stubs;
  for (const auto& channel : OpenChannels(options.target, options.channels))
    stubs.push_back(NoopService::NewStub(channel));
  struct Slot {
    std::unique_ptr<grpc::ClientContext> context;
    Payload request;
    Payload response;
  };
  std::vector<Slot> slots(options.concurrency);
  for (Slot& slot : slots) slot.request = MakePayload(sizes);
  ClosedLoopResult result = RunClosedLoop(
      options.concurrency, absl::Seconds(options.seconds),
      [&](int i, std::function<void(const grpc::Status&)> done) {
        Slot& slot = slots[i];
        slot.context = ContextWithDeadline();
        stubs[i % stubs.size()]->async()->Echo(slot.context.get(), &slot.request,
                                               &slot.response, std::move(done));
      });
  const int per_call = options.payload == "batch" ? options.batch : 1;
  JsonLine line("baseline");
  line.Add("payload", options.payload)
      .Add("request_bytes", static_cast<int64_t>(sizes.request))
      .Add("response_bytes", static_cast<int64_t>(sizes.response))
      .Add("concurrency", options.concurrency)
      .Add("channels", options.channels);
  if (per_call > 1) line.Add("batch", per_call);
  line.Add("seconds", result.seconds)
      .Add("calls_per_s", result.ok / result.seconds)
      .Add("statements_per_s", result.ok * per_call / result.seconds)
      .AddLatency("", result.latency)
      .Add("failed", result.failed)
      .Add("first_error", result.first_error)
      .Print();
  return result.failed == 0 && result.ok > 0 ? 0 : 1;
}

int RunStreamBaseline(const BenchOptions& options, const MessageSizes& sizes) {
  using Stream = PipelinedStream<Payload, Payload>;
  std::vector<std::unique_ptr<NoopService::Stub>> stubs;
  for (const auto& channel : OpenChannels(options.target, options.channels))
    stubs.push_back(NoopService::NewStub(channel));
  const Payload payload = MakePayload(sizes);
  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::Seconds(options.seconds);
  std::vector<std::unique_ptr<Stream>> streams;
  for (int s = 0; s < options.streams; ++s) {
    NoopService::Stub* stub = stubs[s % stubs.size()].get();
    streams.push_back(std::make_unique<Stream>(
        [stub](grpc::ClientContext* context,
               grpc::ClientBidiReactor<Payload, Payload>* r) {
          stub->async()->EchoStream(context, r);
        },
        [&payload](int64_t, Payload* request) { *request = payload; },
        [](const Payload&) { return true; }, options.window, end));
  }
  LatencySamples latency;
  int64_t ok = 0;
  bool failed = false;
  for (auto& stream : streams) {
    stream->AwaitDone();
    latency.Add(stream->latency());
    ok += stream->ok();
    failed = failed || !stream->status().ok();
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  JsonLine("baseline")
      .Add("payload", options.payload)
      .Add("request_bytes", static_cast<int64_t>(sizes.request))
      .Add("response_bytes", static_cast<int64_t>(sizes.response))
      .Add("streams", options.streams)
      .Add("window", options.window)
      .Add("channels", options.channels)
      .Add("seconds", seconds)
      .Add("statements_per_s", ok / seconds)
      .AddLatency("", latency)
      .Add("failed", failed ? 1 : 0)
      .Print();
  return failed || ok == 0 ? 1 : 0;
}

}  // namespace

int RunBaseline(const BenchOptions& options) {
  if (options.payload == "fanout") return RunFanoutBaseline(options);
  const MessageSizes sizes = SizesFor(options);
  if (options.payload == "stream") return RunStreamBaseline(options, sizes);
  return RunUnaryBaseline(options, sizes);
}

int ServeBaseline(const BenchOptions& options) {
  // SIGTERM and SIGINT are blocked in every thread (gRPC's inherit the
  // mask) and taken here, so the server shuts down cleanly on either.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto server = NoopServer::Start(options.target);
  if (!server.ok()) {
    std::cerr << server.status() << std::endl;
    return 1;
  }
  std::cout << "noop service listening on " << (*server)->address() << std::endl;
  int signal = 0;
  sigwait(&signals, &signal);
  (*server)->Shutdown();
  return 0;
}

}  // namespace rollcall::bench
