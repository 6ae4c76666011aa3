#ifndef ROLLCALL_BENCH_CLOSED_LOOP_H_
#define ROLLCALL_BENCH_CLOSED_LOOP_H_

// A closed-loop load of unary calls: `concurrency` calls are in flight at
// every moment; each slot starts its next call as soon as the previous one
// completes, until the time is up. Calls use gRPC's callback API, so a few
// threads (gRPC's own) drive any concurrency.

#include <cstdint>
#include <functional>
#include <string>

#include "absl/time/time.h"
#include "bench/figures.h"
#include "grpcpp/support/status.h"

namespace rollcall::bench {

// Starts one call for `slot` (0..concurrency-1) and arranges for `done` to
// run once with its status. A slot has at most one call in flight, so
// per-slot state (request, response, context) needs no lock.
using StartUnaryCall =
    std::function<void(int slot, std::function<void(const grpc::Status&)> done)>;

struct ClosedLoopResult {
  int64_t ok = 0;
  int64_t failed = 0;
  std::string first_error;  // the first failed call's code and message
  double seconds = 0;       // from the first call to the last completion
  LatencySamples latency;   // every successful call
};

// Runs the load for `duration` and waits for the calls in flight to end.
// Thread-safe; blocks the caller.
ClosedLoopResult RunClosedLoop(int concurrency, absl::Duration duration,
                               const StartUnaryCall& start_call);

}  // namespace rollcall::bench

#endif  // ROLLCALL_BENCH_CLOSED_LOOP_H_
