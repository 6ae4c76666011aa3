#ifndef ROLLCALL_SERVER_SERVICE_GRPC_STATUS_H_
#define ROLLCALL_SERVER_SERVICE_GRPC_STATUS_H_

// The one place where absl::Status becomes a gRPC status: same canonical
// code and message, plus in the status details a google.rpc.BadRequest field
// violation when the error names a field, a google.rpc.ResourceInfo when
// it names a conflicting resource and a google.rpc.RetryInfo when it asks
// the client to reconnect now (see common/field_error.h).

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace rollcall {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The same error as a google.rpc.Status message (for per-item errors in
// streams).
google::rpc::Status ToRpcStatus(const absl::Status& status);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_GRPC_STATUS_H_
