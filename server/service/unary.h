#ifndef ROLLCALL_SERVER_SERVICE_UNARY_H_
#define ROLLCALL_SERVER_SERVICE_UNARY_H_

// Runs the body of a unary callback RPC and finishes it with the body's
// status mapped to gRPC (grpc_status.h). A call whose deadline has already
// passed, or that the client cancelled, is not started (nor, for a body run
// on a WorkerPool, when it reaches the front of the pool's queue).

#include <chrono>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "server/common/worker_pool.h"
#include "server/service/grpc_status.h"

namespace rollcall {

// OK while the client still waits for the call; otherwise CANCELLED or
// DEADLINE_EXCEEDED saying that the server stopped before `step` (e.g.
// "committing"). Long calls check it between steps, so that work nobody
// waits for stops.
inline absl::Status StillWanted(grpc::CallbackServerContext* context, const char* step) {
  if (context->IsCancelled()) {
    return absl::CancelledError(std::string("the call was cancelled before ") + step);
  }
  if (context->deadline() < std::chrono::system_clock::now()) {
    return absl::DeadlineExceededError(std::string("the deadline passed before ") + step);
  }
  return absl::OkStatus();
}

namespace unary_internal {

// Finishes `reactor` and returns true if the call should not start.
inline bool RefuseIfGone(grpc::CallbackServerContext* context,
                         grpc::ServerUnaryReactor* reactor) {
  absl::Status wanted = StillWanted(context, "it started");
  if (wanted.ok()) return false;
  reactor->Finish(ToGrpcStatus(wanted));
  return true;
}

}  // namespace unary_internal

// Runs `body` on the calling (gRPC) thread: for work that does not block.
template <typename Body>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, Body&& body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (!unary_internal::RefuseIfGone(context, reactor)) {
    reactor->Finish(ToGrpcStatus(std::forward<Body>(body)()));
  }
  return reactor;
}

// Runs `body` on `workers`: for work that blocks, such as a durable write
// waiting for its group commit. The request and response stay valid until
// the reactor finishes, so `body` may refer to them.
template <typename Body>
grpc::ServerUnaryReactor* RunUnaryOn(WorkerPool* workers,
                                     grpc::CallbackServerContext* context, Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (!unary_internal::RefuseIfGone(context, reactor)) {
    workers->Schedule([reactor, context, body = std::move(body)]() mutable {
      if (!unary_internal::RefuseIfGone(context, reactor)) {
        reactor->Finish(ToGrpcStatus(body()));
      }
    });
  }
  return reactor;
}

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_UNARY_H_
