// seed and query: ListStatements with typical filters over a large store.

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/closed_loop.h"
#include "bench/figures.h"
#include "bench/scenarios.h"
#include "bench/workload.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

namespace rollcall::bench {
namespace {

using rollcall::v1::StatementService;

constexpr int kPageSize = 20;  // a screenful, as the CLI and board show

const char* const kStances[] = {"CONDEMNS", "CRITICISES", "CONCERNED", "NEUTRAL",
                                "SUPPORTS"};

std::string Rfc3339(int64_t seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                          absl::UTCTimeZone());
}

// The k-th filter of each kind; consecutive calls vary the event, actor,
// time window and word.
std::string Filter(const std::string& kind, int64_t k, int events) {
  if (kind == "event-stance") {
    return absl::StrCat("event = \"", EventName(static_cast<int>(k % events)),
                        "\" AND stance = ", kStances[(k / events) % 5]);
  }
  if (kind == "actor-time") {
    const int64_t from =
        kIssueStartSeconds + (k * 7919 * 86400) % (kIssueSpanSeconds - 30 * 86400);
    return absl::StrCat("actor = \"", ActorName(static_cast<int>(k % kActors)),
                        "\" AND issue_time >= \"", Rfc3339(from),
                        "\" AND issue_time < \"", Rfc3339(from + 30 * 86400), "\"");
  }
  if (kind == "event") {
    return absl::StrCat("event = \"", EventName(static_cast<int>(k % events)), "\"");
  }
  if (kind == "time") {
    const int64_t from =
        kIssueStartSeconds + (k * 7919 * 86400) % (kIssueSpanSeconds - 30 * 86400);
    return absl::StrCat("issue_time >= \"", Rfc3339(from), "\" AND issue_time < \"",
                        Rfc3339(from + 30 * 86400), "\"");
  }
  if (kind == "all") return "";
  return absl::StrCat("text : \"", Vocabulary()[k % kRealWords], "\"");
}

}  // namespace

int RunSeed(const BenchOptions& options) {
  const auto channels = OpenChannels(options.target, options.channels);
  if (auto status = EnsureFixture(channels[0], options.events); !status.ok()) {
    JsonLine("seed").Add("error", status.ToString()).Print();
    return 1;
  }
  const absl::Time start = absl::Now();
  auto stored = SeedStatements(channels, options.statements, options.events,
                               options.batch, options.concurrency);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  JsonLine line("seed");
  line.Add("statements", stored.ok() ? *stored : 0)
      .Add("events", options.events)
      .Add("seconds", seconds)
      .Add("statements_per_s", stored.ok() ? *stored / seconds : 0);
  if (!stored.ok()) line.Add("error", stored.status().ToString());
  line.Print();
  return stored.ok() ? 0 : 1;
}

int RunQuery(const BenchOptions& options) {
  std::vector<std::unique_ptr<StatementService::Stub>> stubs;
  for (const auto& channel : OpenChannels(options.target, options.channels))
    stubs.push_back(StatementService::NewStub(channel));
  struct Slot {
    std::unique_ptr<grpc::ClientContext> context;
    rollcall::v1::ListStatementsRequest request;
    rollcall::v1::ListStatementsResponse response;
    int64_t calls = 0;
    int64_t results = 0;
  };
  int failed = 0;
  // The three shapes of the targets, then lists by event alone, by a time
  // window alone and of everything (each merged from ordered ranges of the
  // applied file's indexes since format 2).
  const std::vector<std::string> kinds = {"event-stance", "actor-time", "text",
                                          "event",        "time",       "all"};
  for (const std::string& kind : kinds) {
    std::vector<Slot> slots(options.concurrency);
    ClosedLoopResult result = RunClosedLoop(
        options.concurrency, absl::Seconds(options.seconds / static_cast<double>(kinds.size())),
        [&](int i, std::function<void(const grpc::Status&)> done) {
          Slot& slot = slots[i];
          slot.results += slot.response.statements_size();
          slot.request.set_page_size(kPageSize);
          slot.request.set_filter(
              Filter(kind, slot.calls++ * options.concurrency + i, options.events));
          slot.context = ContextWithDeadline();
          stubs[i % stubs.size()]->async()->ListStatements(
              slot.context.get(), &slot.request, &slot.response, std::move(done));
        });
    int64_t results = 0;
    for (const Slot& slot : slots)
      results += slot.results + slot.response.statements_size();
    JsonLine("query")
        .Add("filter", kind)
        .Add("example", Filter(kind, 1, options.events))
        .Add("concurrency", options.concurrency)
        .Add("seconds", result.seconds)
        .Add("queries", result.ok)
        .Add("queries_per_s", result.ok / result.seconds)
        .Add("mean_results", result.ok ? static_cast<double>(results) / result.ok : 0.0)
        .AddLatency("", result.latency)
        .Add("failed", result.failed)
        .Add("first_error", result.first_error)
        .Print();
    if (result.failed > 0 || result.ok == 0) failed++;
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace rollcall::bench
