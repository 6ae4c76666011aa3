#include "tests/faults/resuming_subscriber.h"

#include "absl/strings/str_cat.h"
#include "tests/faults/fault_client.h"

namespace rollcall::faults {

ResumingSubscriber::ResumingSubscriber(std::shared_ptr<grpc::Channel> channel,
                                       bool cancelled_means_gone)
    : cancelled_means_gone_(cancelled_means_gone),
      stub_(v1::StatementService::NewStub(channel)),
      thread_([this] { Run(); }) {}

ResumingSubscriber::~ResumingSubscriber() { Stop(); }

void ResumingSubscriber::Run() {
  while (true) {
    auto context = WaitingContext(absl::Hours(1));
    int64_t after_sequence = 0;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_ || !error_.ok()) return;
      context_ = context.get();
      after_sequence = last_sequence_;
    }
    const grpc::Status status = ReadStream(*context, after_sequence);
    absl::MutexLock lock(&mu_);
    context_ = nullptr;
    if (stopping_) return;
    const bool gone = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                      (cancelled_means_gone_ &&
                       status.error_code() == grpc::StatusCode::CANCELLED);
    if (!gone) {
      if (error_.ok()) {
        error_ = absl::InternalError(
            absl::StrCat("the stream ended with ", Describe(status)));
      }
      return;
    }
    ++resumes_;
  }
}

grpc::Status ResumingSubscriber::ReadStream(grpc::ClientContext& context,
                                            int64_t after_sequence) {
  v1::SubscribeStatementsRequest request;
  if (after_sequence == 0) {
    request.set_from_beginning(true);
  } else {
    request.set_after_sequence(after_sequence);
  }
  request.mutable_heartbeat_interval()->set_nanos(200'000'000);
  auto stream = stub_->SubscribeStatements(&context, request);
  v1::SubscribeStatementsResponse response;
  while (stream->Read(&response)) Receive(response);
  return stream->Finish();
}

void ResumingSubscriber::Receive(const v1::SubscribeStatementsResponse& response) {
  absl::MutexLock lock(&mu_);
  if (!error_.ok()) return;
  for (const v1::StatementChange& change : response.changes()) {
    if (change.sequence() != last_sequence_ + 1) {
      error_ = absl::DataLossError(absl::StrCat("received sequence ", change.sequence(),
                                                " after ", last_sequence_));
      return;
    }
    last_sequence_ = change.sequence();
    changes_.push_back(change);
  }
  if (response.has_heartbeat() && response.heartbeat().head_sequence() > last_sequence_) {
    error_ = absl::DataLossError(
        absl::StrCat("a heartbeat at head ", response.heartbeat().head_sequence(),
                     " but only changes up to ", last_sequence_, " were delivered"));
  }
}

bool ResumingSubscriber::WaitFor(int64_t sequence, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  struct Awaited {
    ResumingSubscriber* subscriber;
    int64_t sequence;
  } awaited{this, sequence};
  mu_.AwaitWithTimeout(
      absl::Condition(
          +[](Awaited* a) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return a->subscriber->last_sequence_ >= a->sequence ||
                   !a->subscriber->error_.ok();
          },
          &awaited),
      timeout);
  return last_sequence_ >= sequence && error_.ok();
}

void ResumingSubscriber::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();
  }
  if (thread_.joinable()) thread_.join();
}

absl::Status ResumingSubscriber::error() const {
  absl::MutexLock lock(&mu_);
  return error_;
}

std::vector<v1::StatementChange> ResumingSubscriber::changes() const {
  absl::MutexLock lock(&mu_);
  return changes_;
}

int ResumingSubscriber::resumes() const {
  absl::MutexLock lock(&mu_);
  return resumes_;
}

}  // namespace rollcall::faults
