#ifndef ROLLCALL_SERVER_SERVICE_UNARY_H_
#define ROLLCALL_SERVER_SERVICE_UNARY_H_

// Runs the body of a unary callback RPC and finishes it with the body's
// status mapped to gRPC (grpc_status.h). A call whose deadline has already
// passed, or that the client cancelled, is not started.

#include <chrono>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
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

template <typename Body>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, Body&& body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (context->IsCancelled()) {
    reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED,
                                 "the call was cancelled before it started"));
  } else if (context->deadline() < std::chrono::system_clock::now()) {
    reactor->Finish(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                 "the deadline passed before the call started"));
  } else {
    reactor->Finish(ToGrpcStatus(std::forward<Body>(body)()));
  }
  return reactor;
}

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_UNARY_H_
