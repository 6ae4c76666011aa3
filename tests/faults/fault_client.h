#ifndef ROLLCALL_TESTS_FAULTS_FAULT_CLIENT_H_
#define ROLLCALL_TESTS_FAULTS_FAULT_CLIENT_H_

// Client-side helpers for the fault tests: a channel that reconnects quickly
// when rollcalld comes back after a crash, the fixture every fault test
// writes against, and reading the whole commit log through
// SubscribeStatements.

#include <memory>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "rollcall/v1/statement_service.grpc.pb.h"
#include "tests/faults/acknowledged_writes.h"

namespace rollcall::faults {

// The actors and the event of MakeStatement's statements.
inline constexpr const char* kActors[] = {"actors/faults-bloc", "actors/faults-state"};
inline constexpr const char kEvent[] = "events/faults-event";

// An insecure channel to `address` whose reconnect backoff stays under a
// second, so calls resume soon after a restart.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address);

// A context that waits for the server to be reachable (wait_for_ready) for
// at most `timeout`.
std::unique_ptr<grpc::ClientContext> WaitingContext(
    absl::Duration timeout = absl::Seconds(20));

// Creates kActors and kEvent.
absl::Status CreateFixture(grpc::Channel& channel);

// A valid statement by a random actor of kActors on kEvent whose quote and
// labels carry `tag`.
v1::Statement MakeStatement(absl::BitGen& random, const std::string& tag);

// Every change in the log, from the first to the head at the time of the
// call (a SubscribeStatements from the beginning, read up to caught_up).
absl::StatusOr<std::vector<v1::StatementChange>> ReadWholeLog(
    v1::StatementService::Stub& stub);

// Every statement, retracted ones included (ListStatements, all pages).
absl::StatusOr<std::vector<v1::Statement>> ListAllStatements(
    v1::StatementService::Stub& stub);

// With no write in flight (after a restart, a kill or a power cut): reads the
// whole log into `*log`, checks it is well-formed, that every acknowledged
// write is in it as acknowledged, and that the current statements are the
// log's last revisions.
absl::Status CheckStoreHoldsAcknowledged(v1::StatementService::Stub& stub,
                                         const AcknowledgedWrites& acknowledged,
                                         std::vector<v1::StatementChange>* log);

// "CODE: message" for a failed call.
std::string Describe(const grpc::Status& status);

}  // namespace rollcall::faults

#endif  // ROLLCALL_TESTS_FAULTS_FAULT_CLIENT_H_
