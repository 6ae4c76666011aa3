#ifndef ROLLCALL_TESTS_FAULTS_FAULT_WRITER_H_
#define ROLLCALL_TESTS_FAULTS_FAULT_WRITER_H_

// A writer for the crash tests: creates, batch creates, IngestStatements
// streams, updates (with the etag it read) and retracts statements in a
// random mix, and records every acknowledged result in AcknowledgedWrites.
// A call that fails because the server died has an unknown outcome: a
// create (or a streamed item left unanswered) is retried later with the
// same request_id (and recorded when acknowledged), an update or retraction
// is dropped.

#include <atomic>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "rollcall/v1/statement_service.grpc.pb.h"
#include "tests/faults/acknowledged_writes.h"

namespace rollcall::faults {

class FaultWriter {
 public:
  // Each operation holds `gate` shared, so a checker holding it exclusively
  // sees no write in flight. All references must outlive the writer.
  // `cancelled_means_gone`: CANCELLED, too, means the server went away (an
  // in-process RollcallServer cancels the calls that reach it while it
  // shuts down).
  FaultWriter(int id, v1::StatementService::Stub& stub,
              AcknowledgedWrites& acknowledged, absl::Mutex& gate,
              bool cancelled_means_gone = false);

  // Runs operations until `stop` is set. Returns the first error that a
  // crash does not explain (anything but UNAVAILABLE for a call the server
  // was killed under).
  absl::Status Run(const std::atomic<bool>& stop);

 private:
  absl::Status RunOne() ABSL_SHARED_LOCKS_REQUIRED(gate_);
  absl::Status Create(v1::BatchCreateStatementsRequest request);
  // The same through an IngestStatements stream, one item per request.
  absl::Status Ingest(v1::BatchCreateStatementsRequest batch);
  absl::Status Update();
  absl::Status Retract();
  // Picks an active statement of this writer and reads it; false if there
  // is none or the read failed because of a crash.
  absl::StatusOr<bool> ReadOneOfMine(v1::Statement* statement);
  // OK if `status` is OK or a crash explains it; the error otherwise.
  absl::Status Explained(const grpc::Status& status, absl::string_view call);
  void Acknowledge(const v1::Statement& statement);
  v1::BatchCreateStatementsRequest NewRequests(int count);

  const int id_;
  const bool cancelled_means_gone_;
  v1::StatementService::Stub& stub_;
  AcknowledgedWrites& acknowledged_;
  absl::Mutex& gate_;
  absl::BitGen random_;
  int next_tag_ = 0;
  // Active statements this writer created.
  std::vector<std::string> mine_;
  // Creates whose outcome a crash left unknown, to be retried as they were.
  std::vector<v1::BatchCreateStatementsRequest> unknown_creates_;
};

}  // namespace rollcall::faults

#endif  // ROLLCALL_TESTS_FAULTS_FAULT_WRITER_H_
