#include "bench/closed_loop.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace rollcall::bench {
namespace {

// Shared by every slot's completions. Each slot's samples are touched only
// by that slot's one call in flight.
struct Loop {
  const StartUnaryCall* start_call;
  absl::Time end;
  std::vector<LatencySamples> latency;  // per slot
  std::vector<absl::Time> started;      // per slot
  std::vector<int64_t> failed;          // per slot
  absl::Mutex mu;
  int active ABSL_GUARDED_BY(mu) = 0;
  std::string first_error ABSL_GUARDED_BY(mu);
};

void StartSlot(Loop* loop, int slot) {
  loop->started[slot] = absl::Now();
  (*loop->start_call)(slot, [loop, slot](const grpc::Status& status) {
    const absl::Time now = absl::Now();
    if (status.ok()) {
      loop->latency[slot].Add(absl::ToInt64Microseconds(now - loop->started[slot]));
    } else {
      loop->failed[slot]++;
      absl::MutexLock lock(&loop->mu);
      if (loop->first_error.empty()) {
        loop->first_error =
            absl::StrCat(status.error_code(), ": ", status.error_message());
      }
    }
    if (now < loop->end) {
      StartSlot(loop, slot);
      return;
    }
    absl::MutexLock lock(&loop->mu);
    loop->active--;
  });
}

}  // namespace

ClosedLoopResult RunClosedLoop(int concurrency, absl::Duration duration,
                               const StartUnaryCall& start_call) {
  Loop loop;
  loop.start_call = &start_call;
  loop.latency.resize(concurrency);
  loop.started.resize(concurrency);
  loop.failed.resize(concurrency);
  const absl::Time start = absl::Now();
  loop.end = start + duration;
  {
    absl::MutexLock lock(&loop.mu);
    loop.active = concurrency;
  }
  for (int slot = 0; slot < concurrency; ++slot) StartSlot(&loop, slot);
  absl::MutexLock lock(&loop.mu);
  loop.mu.Await(absl::Condition(
      +[](int* active) { return *active == 0; }, &loop.active));

  ClosedLoopResult result;
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  result.first_error = loop.first_error;
  for (int slot = 0; slot < concurrency; ++slot) {
    result.latency.Add(loop.latency[slot]);
    result.failed += loop.failed[slot];
  }
  result.ok = result.latency.count();
  return result;
}

}  // namespace rollcall::bench
