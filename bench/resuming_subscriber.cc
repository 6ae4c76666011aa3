#include "bench/resuming_subscriber.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "rollcall/v1/statement_service.pb.h"

namespace rollcall::bench {
namespace {

constexpr char kSubscribeMethod[] = "/rollcall.v1.StatementService/SubscribeStatements";

}  // namespace

bool AsksToReconnectNow(const grpc::Status& status) {
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return false;
  }
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::RetryInfo retry;
    if (detail.UnpackTo(&retry)) {
      return retry.retry_delay().seconds() == 0 && retry.retry_delay().nanos() == 0;
    }
  }
  return false;
}

Scheduler::Scheduler() : thread_([this] { Loop(); }) {}

Scheduler::~Scheduler() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void Scheduler::At(absl::Time when, std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  tasks_.emplace(when, std::move(task));
}

void Scheduler::Loop() {
  absl::MutexLock lock(&mu_);
  while (!stopping_) {
    const absl::Time next =
        tasks_.empty() ? absl::Now() + absl::Milliseconds(50) : tasks_.begin()->first;
    auto due = [this, next]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_ || (!tasks_.empty() && tasks_.begin()->first < next);
    };
    mu_.AwaitWithDeadline(absl::Condition(&due), next);
    while (!stopping_ && !tasks_.empty() && tasks_.begin()->first <= absl::Now()) {
      std::function<void()> task = std::move(tasks_.begin()->second);
      tasks_.erase(tasks_.begin());
      mu_.Unlock();
      task();
      mu_.Lock();
    }
  }
}

// One SubscribeStatements call (the request is the only message of a bidi
// call over the generic stub: on the wire, the server-streaming call).
// Deletes itself when done, after telling its owner.
class ResumingSubscriber::Call
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  Call(ResumingSubscriber* owner, const rollcall::v1::SubscribeStatementsRequest& request,
       bool wait_for_ready)
      : owner_(owner) {
    grpc::Slice bytes(request.SerializeAsString());
    request_ = grpc::ByteBuffer(&bytes, 1);
    context_.set_wait_for_ready(wait_for_ready);
  }
  void Begin() {
    owner_->stub_->PrepareBidiStreamingCall(&context_, kSubscribeMethod,
                                            grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
  }
  void Cancel() { context_.TryCancel(); }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (!received_) {
      owner_->stream_answered_micros_ = absl::ToUnixMicros(absl::Now());
    }
    received_ = true;
    if (!Summarize(&response_, &summary_)) {
      Cancel();
      return;
    }
    owner_->Record(summary_, absl::ToUnixMicros(absl::Now()));
    StartRead(&response_);
  }
  void OnDone(const grpc::Status& status) override {
    owner_->Ended(status, received_);
    delete this;
  }

 private:
  ResumingSubscriber* const owner_;
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  ResponseSummary summary_;
  bool received_ = false;
};

ResumingSubscriber::ResumingSubscriber(grpc::GenericStub* stub, Scheduler* scheduler,
                                       std::string filter, ResumePolicy policy)
    : stub_(stub), scheduler_(scheduler), filter_(std::move(filter)), policy_(policy) {}

ResumingSubscriber::~ResumingSubscriber() { Stop(); }

void ResumingSubscriber::Start() {
  {
    absl::MutexLock lock(&mu_);
    idle_ = false;
  }
  StartCall(/*wait_for_ready=*/false);
}

void ResumingSubscriber::StartCall(bool wait_for_ready) {
  rollcall::v1::SubscribeStatementsRequest request;
  request.set_filter(filter_);
  if (resume_after_ >= 0) request.set_after_sequence(resume_after_);
  Call* call = nullptr;
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) {
      idle_ = true;
      return;
    }
    call = call_ = new Call(this, request, wait_for_ready);
  }
  streams_++;
  stream_answered_micros_ = 0;
  // Outside the lock (its reactions take it); a Stop() meanwhile cancels
  // the context, which gRPC applies when the call starts.
  call->Begin();
}

void ResumingSubscriber::Record(const ResponseSummary& summary, int64_t now_micros) {
  for (const auto& [sequence, commit_micros] : summary.changes) {
    deliveries_.push_back({sequence, commit_micros, now_micros});
    if (sequence <= resume_after_) ++duplicates_;
    resume_after_ = std::max(resume_after_, sequence);
    last_sequence_ = resume_after_;
  }
  if (summary.caught_up) {
    if (first_head_ < 0) first_head_ = summary.caught_up_head;
    resume_after_ = std::max(resume_after_, summary.caught_up_head);
    last_caught_up_micros_ = now_micros;
  }
}

void ResumingSubscriber::Ended(const grpc::Status& status, bool received) {
  const absl::Duration delay = NextDelay(status, received);
  absl::MutexLock lock(&mu_);
  call_ = nullptr;
  if (stopped_) {
    idle_ = true;
    return;
  }
  scheduler_->At(absl::Now() + delay, [this] { StartCall(/*wait_for_ready=*/true); });
}

absl::Duration ResumingSubscriber::NextDelay(const grpc::Status& status, bool received) {
  refused_ = received ? 0 : refused_ + 1;
  if (!received) ++refused_total_;
  if (refused_ == 0 || (refused_ == 1 && AsksToReconnectNow(status))) {
    return policy_.initial_backoff * absl::Uniform(random_, 0.0, 1.0);
  }
  const absl::Duration base = std::min(
      policy_.initial_backoff * std::pow(2.0, refused_ - 1), policy_.max_backoff);
  return base * absl::Uniform(random_, 0.8, 1.2);
}

void ResumingSubscriber::Stop() {
  absl::MutexLock lock(&mu_);
  stopped_ = true;
  if (call_ != nullptr) call_->Cancel();
  mu_.Await(absl::Condition(&idle_));
}

}  // namespace rollcall::bench
