#ifndef ROLLCALL_BENCH_STREAM_LOAD_H_
#define ROLLCALL_BENCH_STREAM_LOAD_H_

// A pipelined bidirectional stream: the client writes requests back to back
// while fewer than `window` are unanswered, reads the answers (one per
// request, in order) and records each request's latency, until the time is
// up; then it half-closes and waits for the remaining answers.

#include <cstdint>
#include <deque>
#include <functional>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/figures.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/client_callback.h"

namespace rollcall::bench {

template <typename Request, typename Response>
class PipelinedStream : public grpc::ClientBidiReactor<Request, Response> {
 public:
  // Fills in the next request (number `n` of this stream).
  using NextRequest = std::function<void(int64_t n, Request*)>;
  // Whether an answer reports success.
  using Succeeded = std::function<bool(const Response&)>;
  // Binds the call: `start(context, reactor)` calls the stub's
  // async()->Method(context, reactor).
  using Bind = std::function<void(grpc::ClientContext*,
                                  grpc::ClientBidiReactor<Request, Response>*)>;

  PipelinedStream(const Bind& bind, NextRequest next, Succeeded succeeded, int window,
                  absl::Time end)
      : next_(std::move(next)),
        succeeded_(std::move(succeeded)),
        window_(window),
        end_(end) {
    bind(&context_, this);
    this->StartRead(&response_);
    MaybeWrite();
    this->StartCall();
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) return;
    }
    MaybeWrite();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    const absl::Time now = absl::Now();
    {
      absl::MutexLock lock(&mu_);
      if (!sent_.empty()) {
        latency_.Add(absl::ToInt64Microseconds(now - sent_.front()));
        sent_.pop_front();
      }
      if (succeeded_(response_)) {
        ++ok_;
      } else {
        ++failed_;
      }
    }
    MaybeWrite();
    this->StartRead(&response_);
  }

  void OnDone(const grpc::Status& status) override {
    absl::MutexLock lock(&mu_);
    status_ = status;
    done_ = true;
  }

  // Waits for the end of the call; then the figures below are final.
  void AwaitDone() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&done_));
  }
  int64_t ok() const { return ok_; }
  int64_t failed() const { return failed_; }
  const grpc::Status& status() const { return status_; }
  LatencySamples& latency() { return latency_; }

 private:
  // Starts the next write, or the half-close, if the stream may.
  void MaybeWrite() {
    enum { kNone, kWrite, kClose } action = kNone;
    {
      absl::MutexLock lock(&mu_);
      if (writing_ || closed_) return;
      if (absl::Now() >= end_) {
        closed_ = true;
        action = kClose;
      } else if (static_cast<int>(sent_.size()) < window_) {
        writing_ = true;
        next_(written_++, &request_);
        sent_.push_back(absl::Now());
        action = kWrite;
      }
    }
    if (action == kWrite) this->StartWrite(&request_);
    if (action == kClose) this->StartWritesDone();
  }

  grpc::ClientContext context_;
  const NextRequest next_;
  const Succeeded succeeded_;
  const int window_;
  const absl::Time end_;
  Request request_;    // the one write in flight
  Response response_;  // the one read in flight
  absl::Mutex mu_;
  std::deque<absl::Time> sent_ ABSL_GUARDED_BY(mu_);  // unanswered requests
  LatencySamples latency_ ABSL_GUARDED_BY(mu_);
  int64_t written_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t ok_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t failed_ ABSL_GUARDED_BY(mu_) = 0;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rollcall::bench

#endif  // ROLLCALL_BENCH_STREAM_LOAD_H_
