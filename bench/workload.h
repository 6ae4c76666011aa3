#ifndef ROLLCALL_BENCH_WORKLOAD_H_
#define ROLLCALL_BENCH_WORKLOAD_H_

// The statements the scenarios write and query: deterministic, varied
// enough that indexes and the full-text search see realistic data, and
// never near-duplicates of each other (so the duplicate check runs and
// passes, as it does for real feeds).
//
// The fixture is `kActors` actors actors/bench-actor-{0..} and E events
// events/bench-{0..E-1}. Statement i is on event i % E, with stance
// (i / E) % 5 + 1, by actor (i / 5E) % kActors, a 30-word quote drawn from
// Vocabulary(), and an issue time spread over kIssueSpan from kIssueStart.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall::bench {

inline constexpr int kActors = 50;
inline constexpr int64_t kIssueStartSeconds = 1577836800;  // 2020-01-01
inline constexpr int64_t kIssueSpanSeconds = 5LL * 365 * 86400;

// Words of the quotes; the first kRealWords are the free-text query terms.
inline constexpr int kRealWords = 40;
const std::vector<std::string>& Vocabulary();

// `count` channels to `target`, each its own TCP connection. `target` may
// list several servers (host:port,host:port): channel i goes to server
// i % n, so load spreads over instances sharing one store. gRPC shares a
// connection between channels with equal arguments, so channels opened by
// two calls share connections unless their `role`s differ.
std::vector<std::shared_ptr<grpc::Channel>> OpenChannels(const std::string& target,
                                                         int count,
                                                         const std::string& role = "");

// A client context with a deadline `timeout` from now.
std::unique_ptr<grpc::ClientContext> ContextWithDeadline(
    absl::Duration timeout = absl::Seconds(60));

// Creates the actors and `events` events (those that exist are left as
// they are). Returns the first other error.
absl::Status EnsureFixture(const std::shared_ptr<grpc::Channel>& channel, int events);

std::string EventName(int event);
std::string ActorName(int actor);

// Statement number `i` of the workload (see above).
rollcall::v1::Statement MakeStatement(int64_t i, int events);

// A starting number for this process's statements, so that runs against
// the same data directory do not repeat each other's statements.
int64_t FreshStatementBase();

// Stores `count` statements through BatchCreateStatements, `parallel`
// batches of `batch` in flight over `channels`. Returns the number stored.
absl::StatusOr<int64_t> SeedStatements(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels, int64_t count,
    int events, int batch, int parallel);

}  // namespace rollcall::bench

#endif  // ROLLCALL_BENCH_WORKLOAD_H_
