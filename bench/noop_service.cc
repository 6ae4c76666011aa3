#include "bench/noop_service.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "bench/bench.grpc.pb.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/byte_buffer.h"
#include "server/common/shared_slice.h"

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

class ListenReactor;

// The Listen streams, by event. Publish hands each message to every stream
// of its event from the calling thread: the least work a fan-out can do.
class Listeners {
 public:
  void Add(int event, ListenReactor* reactor) {
    absl::MutexLock lock(&mu_);
    by_event_[event].push_back(reactor);
  }
  void Remove(int event, ListenReactor* reactor) {
    absl::MutexLock lock(&mu_);
    auto& list = by_event_[event];
    list.erase(std::remove(list.begin(), list.end(), reactor), list.end());
  }
  // Fans out `publisher`'s publication `sequence` and any of its own
  // waiting for it, in order.
  void Publish(uint64_t publisher, int64_t sequence, int event, std::string message);

 private:
  struct Publisher {
    int64_t published = 0;
    // Publications that came before one numbered lower, by sequence.
    std::map<int64_t, std::pair<int, std::string>> early;
  };
  absl::Mutex mu_;
  absl::flat_hash_map<int, std::vector<ListenReactor*>> by_event_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, Publisher> publishers_ ABSL_GUARDED_BY(mu_);
};

using SharedMessage = std::shared_ptr<const std::string>;

// One Listen stream: one write in flight; what comes meanwhile is queued in
// order and written next, in one message. A message's bytes are shared by
// every stream (as rollcalld shares a change's).
class ListenReactor : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  ListenReactor(Listeners& listeners, const Topic& topic)
      : listeners_(listeners), event_(topic.event()) {
    listeners_.Add(event_, this);
    Send(std::make_shared<const std::string>(topic.first()));
  }

  void Send(SharedMessage message) {
    {
      absl::MutexLock lock(&mu_);
      if (finished_) return;
      if (writing_) {
        queue_.push_back(std::move(message));
        return;
      }
      writing_ = true;
    }
    Write(std::move(message));
  }

  void OnWriteDone(bool ok) override {
    SharedMessage next;
    bool finish = false;
    {
      absl::MutexLock lock(&mu_);
      if (ok && !finished_ && queue_.size() == 1) {
        next = std::move(queue_.front());
        queue_.clear();
      } else if (ok && !finished_ && !queue_.empty()) {
        auto joined = std::make_shared<std::string>();
        for (const SharedMessage& message : queue_) joined->append(*message);
        next = std::move(joined);
        queue_.clear();
      } else {
        writing_ = false;
        queue_.clear();
        finish = finished_ && !finish_sent_;
        finish_sent_ = finish_sent_ || finish;
      }
    }
    if (next) return Write(std::move(next));
    if (finish) Finish(grpc::Status::CANCELLED);
  }
  void OnCancel() override {
    listeners_.Remove(event_, this);
    bool finish = false;
    {
      absl::MutexLock lock(&mu_);
      finished_ = true;
      finish = !writing_ && !finish_sent_;
      finish_sent_ = finish_sent_ || finish;
    }
    if (finish) Finish(grpc::Status::CANCELLED);
  }
  void OnDone() override { delete this; }

 private:
  void Write(const SharedMessage& message) {
    grpc::Slice slice = SharedSlice(message);
    buffer_ = grpc::ByteBuffer(&slice, 1);
    StartWrite(&buffer_);
  }

  Listeners& listeners_;
  const int event_;
  grpc::ByteBuffer buffer_;
  absl::Mutex mu_;
  std::vector<SharedMessage> queue_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_sent_ ABSL_GUARDED_BY(mu_) = false;
};

void Listeners::Publish(uint64_t publisher, int64_t sequence, int event,
                        std::string message) {
  absl::MutexLock lock(&mu_);
  Publisher& from = publishers_[publisher];
  if (sequence <= from.published) return;
  from.early.emplace(sequence, std::make_pair(event, std::move(message)));
  while (!from.early.empty() && from.early.begin()->first == from.published + 1) {
    auto& [next_event, next_message] = from.early.begin()->second;
    auto shared = std::make_shared<const std::string>(std::move(next_message));
    for (ListenReactor* reactor : by_event_[next_event]) reactor->Send(shared);
    from.early.erase(from.early.begin());
    ++from.published;
  }
}

class NoopServiceImpl
    : public NoopService::WithRawCallbackMethod_Listen<NoopService::CallbackService> {
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

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Listen(
      grpc::CallbackServerContext*, const grpc::ByteBuffer* request) override {
    Topic topic;
    grpc::Status parsed = grpc::SerializationTraits<Topic>::Deserialize(
        const_cast<grpc::ByteBuffer*>(request), &topic);
    if (!parsed.ok()) {
      class Refused : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
        void OnDone() override { delete this; }
      };
      auto* refused = new Refused;
      refused->Finish(parsed);
      return refused;
    }
    return new ListenReactor(listeners_, topic);
  }

  grpc::ServerUnaryReactor* Publish(grpc::CallbackServerContext* context,
                                    const Publication* request, Payload*) override {
    // Answered first, then fanned out, as rollcalld acknowledges a write
    // and its feed delivers it. The request is gone once the call is
    // answered: its fields are taken first.
    const uint64_t publisher = request->publisher();
    const int64_t sequence = request->sequence();
    const int event = request->event();
    std::string message = request->message();
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    listeners_.Publish(publisher, sequence, event, std::move(message));
    return reactor;
  }

 private:
  Listeners listeners_;
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
