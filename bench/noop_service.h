#ifndef ROLLCALL_BENCH_NOOP_SERVICE_H_
#define ROLLCALL_BENCH_NOOP_SERVICE_H_

// The baseline: rollcall.bench.NoopService (bench.proto) on gRPC's callback
// API, as rollcalld serves its own, answering every payload with one of the
// requested size and nothing else.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/server.h"

namespace rollcall::bench {

class NoopServer {
 public:
  // Listens on `address` ("127.0.0.1:0" picks a port).
  static absl::StatusOr<std::unique_ptr<NoopServer>> Start(const std::string& address);
  ~NoopServer();

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }
  // Blocks until Shutdown() is called from another thread.
  void Wait() { server_->Wait(); }
  void Shutdown() { server_->Shutdown(); }

 private:
  NoopServer() = default;
  std::unique_ptr<grpc::Service> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace rollcall::bench

#endif  // ROLLCALL_BENCH_NOOP_SERVICE_H_
