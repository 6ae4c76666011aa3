#ifndef ROLLCALL_SERVER_COMMON_SHARED_SLICE_H_
#define ROLLCALL_SERVER_COMMON_SHARED_SLICE_H_

// A gRPC slice over bytes shared by many writes: a message serialized once
// and written to many streams, each write's slice keeping it alive until
// gRPC has sent it. Header-only, for the server and the benchmark's no-op
// service alike.

#include <memory>
#include <string>

#include "grpcpp/support/slice.h"

namespace rollcall {

inline grpc::Slice SharedSlice(const std::shared_ptr<const std::string>& bytes) {
  auto* owner = new std::shared_ptr<const std::string>(bytes);
  return grpc::Slice(
      const_cast<char*>((*owner)->data()), (*owner)->size(),
      [](void* owner) { delete static_cast<std::shared_ptr<const std::string>*>(owner); },
      owner);
}

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_COMMON_SHARED_SLICE_H_
