#ifndef ROLLCALL_CLIENT_CLI_RPC_H_
#define ROLLCALL_CLIENT_CLI_RPC_H_

// The connection to rollcalld: global flags, the channel, per-call deadlines
// and the mapping of gRPC errors to the one line the CLI prints.
//
// gRPC types are only forward-declared here; command files that call stubs
// include the generated *.grpc.pb.h themselves.

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"

namespace grpc {
class Channel;
class ClientContext;
class Status;
}  // namespace grpc

namespace rollcall::cli {

// The flags that apply to every command.
struct GlobalOptions {
  // host:port of rollcalld.
  std::string server = "localhost:50051";
  // "table" or "json".
  std::string output = "table";
  // Deadline of each RPC, in seconds.
  double timeout_seconds = 10;
};

// Creates the channel to `address`. The one place that decides transport
// security (insecure for now).
std::shared_ptr<grpc::Channel> CreateChannel(const std::string& address);

// One invocation's connection. Creates the channel on first use. Not
// thread-safe; the CLI makes one call at a time.
class Session {
 public:
  explicit Session(const GlobalOptions& options) : options_(options) {}

  const GlobalOptions& options() const { return options_; }
  bool json_output() const { return options_.output == "json"; }

  std::shared_ptr<grpc::Channel> channel();

  // A fresh context whose deadline is now + --timeout.
  std::unique_ptr<grpc::ClientContext> NewContext() const;

 private:
  const GlobalOptions& options_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Converts a gRPC status to an absl::Status with the same code and message;
// each google.rpc.Status detail becomes a payload keyed by its type URL.
absl::Status ToStatus(const grpc::Status& status);

// The resource_name of the google.rpc.ResourceInfo detail of `status` (from
// ToStatus), if any: for ALREADY_EXISTS, the existing resource.
std::optional<std::string> ConflictingResourceName(const absl::Status& status);

// True for the errors after which a create may be retried with the same
// request_id: UNAVAILABLE and DEADLINE_EXCEEDED.
bool IsRetryable(const absl::Status& status);

// "NOT_FOUND: statements/abc: not found".
std::string StatusLine(const absl::Status& status);

// The line the CLI prints for a failed command, without the "rollcall: "
// prefix. UNAVAILABLE becomes "cannot reach rollcalld at ADDRESS (...)".
std::string FormatError(const absl::Status& status, const std::string& server_address);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_RPC_H_
