#include "bench/noop_service.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "bench/bench.grpc.pb.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace rollcall::bench {
namespace {

// Answers each read with one write, one write in flight at a time; reads
// that arrive while a write is in flight are answered in turn.
class EchoStreamReactor : public grpc::ServerBidiReactor<Payload, Payload> {
 public:
  EchoStreamReactor() { StartRead(&request_); }

  void OnReadDone(bool ok) override {
    bool write = false;
    {
      absl::MutexLock lock(&mu_);
      if (!ok) {
        reads_done_ = true;
        if (!writing_ && pending_ == 0) finish_ = true;
      } else {
        response_size_ = request_.response_size();
        ++pending_;
        write = !writing_;
        if (write) writing_ = true, --pending_;
      }
    }
    if (finish_now()) return Finish(grpc::Status::OK);
    if (write) Write();
    if (ok) StartRead(&request_);
  }

  void OnWriteDone(bool ok) override {
    bool write = false;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (ok && pending_ > 0) {
        --pending_;
        writing_ = write = true;
      } else if (reads_done_ || !ok) {
        finish_ = true;
      }
    }
    if (write) return Write();
    if (finish_now()) Finish(grpc::Status::OK);
  }

  void OnDone() override { delete this; }

 private:
  bool finish_now() {
    absl::MutexLock lock(&mu_);
    const bool finish = finish_ && !finished_;
    if (finish) finished_ = true;
    return finish;
  }
  void Write() {
    response_.mutable_data()->assign(static_cast<size_t>(response_size_), 'x');
    StartWrite(&response_);
  }

  Payload request_;
  Payload response_;
  absl::Mutex mu_;
  std::atomic<int> response_size_{0};  // from the latest request
  int pending_ ABSL_GUARDED_BY(mu_) = 0;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

class NoopServiceImpl : public NoopService::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const Payload* request, Payload* response) override {
    response->mutable_data()->assign(static_cast<size_t>(request->response_size()), 'x');
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerBidiReactor<Payload, Payload>* EchoStream(
      grpc::CallbackServerContext*) override {
    return new EchoStreamReactor();
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<NoopServer>> NoopServer::Start(
    const std::string& address) {
  std::unique_ptr<NoopServer> server(new NoopServer());
  server->service_ = std::make_unique<NoopServiceImpl>();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(server->service_.get());
  builder.SetMaxReceiveMessageSize(64 << 20);
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  const std::string host = address.substr(0, address.rfind(':'));
  server->address_ = absl::StrCat(host, ":", port);
  return server;
}

NoopServer::~NoopServer() {
  if (server_) server_->Shutdown();
}

}  // namespace rollcall::bench
