// stalled: a subscriber that stops reading must not slow writers or other
// subscribers, nor grow the server's memory, and must receive everything
// once it reads again.

#include <atomic>
#include <memory>

#include "absl/time/clock.h"
#include "bench/figures.h"
#include "bench/scenarios.h"
#include "bench/subscriber.h"
#include "bench/workload.h"
#include "grpcpp/generic/generic_stub.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

namespace rollcall::bench {
namespace {

struct WriteResult {
  double statements_per_s = 0;
  int64_t head = 0;  // the last sequence written
};

// Commits batches of `batch` for `seconds`, one batch at a time.
WriteResult WriteBatches(rollcall::v1::StatementService::Stub* stub, int batch,
                         double seconds, int64_t* next) {
  const absl::Time start = absl::Now();
  int64_t written = 0;
  WriteResult result;
  while (absl::Now() - start < absl::Seconds(seconds)) {
    rollcall::v1::BatchCreateStatementsRequest request;
    for (int i = 0; i < batch; ++i)
      *request.add_requests()->mutable_statement() = MakeStatement((*next)++, 1);
    rollcall::v1::BatchCreateStatementsResponse response;
    if (stub->BatchCreateStatements(ContextWithDeadline().get(), request, &response)
            .ok() &&
        response.statements_size() > 0) {
      written += response.statements_size();
      result.head = response.statements(response.statements_size() - 1).sequence();
    }
  }
  result.statements_per_s = written / absl::ToDoubleSeconds(absl::Now() - start);
  return result;
}

}  // namespace

int RunStalled(const BenchOptions& options) {
  const auto channels = OpenChannels(options.target, 2);
  if (auto status = EnsureFixture(channels[0], 1); !status.ok()) {
    JsonLine("stalled").Add("error", status.ToString()).Print();
    return 1;
  }
  auto stub = rollcall::v1::StatementService::NewStub(channels[0]);
  grpc::GenericStub live_stub(channels[0]);
  grpc::GenericStub stalled_stub(channels[1]);
  const int pid = options.server_pid;
  int64_t next = FreshStatementBase();
  std::atomic<int> caught_up{0};
  Subscriber live(&live_stub, rollcall::v1::SubscribeStatementsRequest(), &caught_up);

  // Writers alone, then with the stalled subscriber, then alone again: the
  // store grows through the run, and comparing the middle phase with the
  // mean of the two around it cancels what that growth costs writers.
  const WriteResult alone =
      WriteBatches(stub.get(), options.batch, options.seconds, &next);
  const bool live_ok_alone = AwaitSequence(live, alone.head, absl::Seconds(30));
  const int64_t rss_before = pid ? RssKib(pid) : -1;

  Subscriber stalled(&stalled_stub, rollcall::v1::SubscribeStatementsRequest(),
                     &caught_up,
                     /*stalled=*/true);
  const WriteResult with =
      WriteBatches(stub.get(), options.batch, options.seconds, &next);
  const bool live_ok = AwaitSequence(live, with.head, absl::Seconds(30));
  const int64_t rss_stalled = pid ? RssKib(pid) : -1;

  const absl::Time resume = absl::Now();
  stalled.Resume();
  const bool stalled_ok = AwaitSequence(stalled, with.head, absl::Seconds(120));
  const double catch_up_seconds = absl::ToDoubleSeconds(absl::Now() - resume);
  stalled.Cancel();
  stalled.AwaitDone();

  const WriteResult after =
      WriteBatches(stub.get(), options.batch, options.seconds, &next);
  const bool live_ok_after = AwaitSequence(live, after.head, absl::Seconds(30));
  live.Cancel();
  live.AwaitDone();
  const double without = (alone.statements_per_s + after.statements_per_s) / 2;
  const int64_t gaps = live.gaps() + stalled.gaps();
  const int64_t duplicates = live.duplicates() + stalled.duplicates();
  JsonLine("stalled")
      .Add("batch", options.batch)
      .Add("write_rate_without", without)
      .Add("write_rate_before", alone.statements_per_s)
      .Add("write_rate_with_stalled", with.statements_per_s)
      .Add("write_rate_after", after.statements_per_s)
      .Add("ratio", with.statements_per_s / without)
      .Add("live_received_all", live_ok_alone && live_ok && live_ok_after)
      .Add("stalled_received_all", stalled_ok)
      .Add("stalled_catch_up_s", catch_up_seconds)
      .Add("gaps", gaps)
      .Add("duplicates", duplicates)
      .Add("server_rss_kib_before_stall", rss_before)
      .Add("server_rss_kib_while_stalled", rss_stalled)
      .Print();
  return live_ok_alone && live_ok && live_ok_after && stalled_ok && gaps == 0 &&
                 duplicates == 0
             ? 0
             : 1;
}

}  // namespace rollcall::bench
