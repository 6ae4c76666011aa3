#ifndef ROLLCALL_TESTS_FAULTS_RESUMING_SUBSCRIBER_H_
#define ROLLCALL_TESTS_FAULTS_RESUMING_SUBSCRIBER_H_

// A subscriber that behaves like a careful client: it subscribes to every
// change from the beginning, and whenever the stream ends with UNAVAILABLE
// (the server died or is shutting down) it subscribes again after the last
// sequence it received. It checks, as it goes, that every change arrives
// exactly once and in order.

#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

namespace rollcall::faults {

class ResumingSubscriber {
 public:
  // Starts subscribing on a thread of its own.
  // `cancelled_means_gone`: a stream ended with CANCELLED is resumed too (an
  // in-process RollcallServer cancels the calls that reach it while it
  // shuts down).
  explicit ResumingSubscriber(std::shared_ptr<grpc::Channel> channel,
                              bool cancelled_means_gone = false);
  ~ResumingSubscriber();  // Stop()s.

  // Waits until every change up to `sequence` has been received, for at
  // most `timeout`. False on timeout or after an error.
  bool WaitFor(int64_t sequence, absl::Duration timeout) ABSL_LOCKS_EXCLUDED(mu_);

  // Ends the subscription and joins the thread. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // The first violation seen (a duplicate, a gap, a heartbeat ahead of the
  // changes, an unexpected end of stream), or OK.
  absl::Status error() const ABSL_LOCKS_EXCLUDED(mu_);
  // Every change received, in order.
  std::vector<v1::StatementChange> changes() const ABSL_LOCKS_EXCLUDED(mu_);
  // How many times the stream was resumed after an UNAVAILABLE end.
  int resumes() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Run();
  // Reads one stream to its end and returns its status.
  grpc::Status ReadStream(grpc::ClientContext& context, int64_t after_sequence);
  void Receive(const v1::SubscribeStatementsResponse& response) ABSL_LOCKS_EXCLUDED(mu_);

  const bool cancelled_means_gone_;
  std::unique_ptr<v1::StatementService::Stub> stub_;
  mutable absl::Mutex mu_;
  std::vector<v1::StatementChange> changes_ ABSL_GUARDED_BY(mu_);
  int64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  int resumes_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::thread thread_;
};

}  // namespace rollcall::faults

#endif  // ROLLCALL_TESTS_FAULTS_RESUMING_SUBSCRIBER_H_
