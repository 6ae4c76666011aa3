#ifndef ROLLCALL_BENCH_SUBSCRIBER_H_
#define ROLLCALL_BENCH_SUBSCRIBER_H_

// A SubscribeStatements stream that records every delivered change's
// sequence, commit time and arrival time, and counts gaps and duplicates.
// It reads each change's sequence and commit_time from the wire and skips
// the statement (see ResponseSummary): the benchmark shares the machine
// with the server, and parsing every statement (the client's cost, on its
// own machine in a real deployment) would take CPU from the server being
// measured.

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "rollcall/v1/statement_service.pb.h"

namespace rollcall::bench {

// One delivered change, times in Unix microseconds.
struct Delivery {
  int64_t sequence;
  int64_t commit_micros;
  int64_t received_micros;
};

// What a SubscribeStatementsResponse carries that the benchmark checks.
struct ResponseSummary {
  std::vector<std::pair<int64_t, int64_t>> changes;  // sequence, commit micros
  bool caught_up = false;
  int64_t caught_up_head = 0;  // caught_up.head_sequence
};

// Reads `buffer` (a serialized SubscribeStatementsResponse) into `summary`.
// Returns false if it is not a well-formed message.
bool Summarize(grpc::ByteBuffer* buffer, ResponseSummary* summary);

// A subscription over the generic stub (responses arrive as bytes). The
// request is the only message of a bidi call: on the wire that is the
// server-streaming call. Counters may be read from any thread at any time;
// deliveries() only after AwaitDone().
class Subscriber : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  // Starts the call. `caught_up` is incremented when the stream reports
  // caught_up. A `stalled` subscriber reads nothing until Resume().
  // `stub` must outlive the call.
  Subscriber(grpc::GenericStub* stub,
             const rollcall::v1::SubscribeStatementsRequest& request,
             std::atomic<int>* caught_up, bool stalled = false);
  // The same on any server-streaming `method` whose messages are
  // SubscribeStatementsResponses on the wire (the no-op service's Listen):
  // `request` is the serialized request, and `filtered` says whether the
  // stream receives a subset of the sequences.
  Subscriber(grpc::GenericStub* stub, const std::string& method,
             const std::string& request, bool filtered, std::atomic<int>* caught_up,
             bool stalled = false);

  void Resume() { StartRead(&response_); }
  void Cancel() { context_.TryCancel(); }
  // Waits until the call has ended (after Cancel(), or an error).
  void AwaitDone();

  int64_t last_sequence() const { return last_sequence_.load(); }
  int64_t delivered() const { return delivered_.load(); }
  int64_t duplicates() const { return duplicates_.load(); }
  // Sequences skipped; counted only for a subscription without a filter,
  // whose sequences must be contiguous.
  int64_t gaps() const { return gaps_.load(); }
  const std::vector<Delivery>& deliveries() const { return deliveries_; }
  bool malformed() const { return malformed_.load(); }

  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  ResponseSummary summary_;
  // Only OnReadDone appends, one read at a time, so recording takes no lock
  // shared with other streams.
  std::vector<Delivery> deliveries_;
  std::atomic<int>* caught_up_;
  const bool filtered_;
  std::atomic<int64_t> last_sequence_{0};
  std::atomic<int64_t> delivered_{0};
  std::atomic<int64_t> duplicates_{0};
  std::atomic<int64_t> gaps_{0};
  std::atomic<bool> malformed_{false};
  absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

// Waits until `subscriber` has received sequence `head`, or `timeout`.
bool AwaitSequence(const Subscriber& subscriber, int64_t head, absl::Duration timeout);

}  // namespace rollcall::bench

#endif  // ROLLCALL_BENCH_SUBSCRIBER_H_
