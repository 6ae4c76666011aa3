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
#include "absl/status/statusor.h"

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
  // Bearer token sent with every call (--token or $ROLLCALL_TOKEN), or the
  // file holding it (--token_file); empty: none.
  std::string token;
  std::string token_file;
  // TLS: enabled by --tls or by any of the PEM files. tls_ca verifies the
  // server (default: the system's roots); tls_cert and tls_key identify the
  // client for mutual TLS.
  bool tls = false;
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
  // Reconnection to an unreachable server (gRPC's reconnect backoff, and
  // `watch`'s backoff when a resubscription is refused): the first delay and
  // the cap, in seconds, each delay jittered by +-20%. The short cap lets a
  // stream resume within about a second of the server's return; a server
  // that stays down still sees only one attempt per client per cap.
  double reconnect_backoff_initial_seconds = 0.1;
  double reconnect_backoff_max_seconds = 0.75;
};

// The credentials GlobalOptions ask for, with files read.
// The reconnect backoff of a channel (GlobalOptions' reconnect_backoff_*).
struct ReconnectBackoff {
  double initial_seconds = 0.1;
  double max_seconds = 0.75;
};

struct ChannelSecurity {
  bool tls = false;
  std::string root_certificates;  // PEM; empty: the system's roots
  std::string client_certificate;
  std::string client_key;
  std::string token;
};

// Reads the token file and PEM files named in `options`. INVALID_ARGUMENT
// naming the flag for an unreadable file, an empty token file, or
// --tls_cert without --tls_key (or the reverse).
absl::StatusOr<ChannelSecurity> ResolveSecurity(const GlobalOptions& options);

// Creates the channel to `address` (host:port, or any gRPC target such as
// "ipv4:10.0.0.1:50051,10.0.0.2:50051" or a DNS name with several
// addresses): plaintext, or TLS as `security` says, reconnecting with
// `backoff`. The one place that decides transport security.
std::shared_ptr<grpc::Channel> CreateChannel(const std::string& address,
                                             const ChannelSecurity& security,
                                             const ReconnectBackoff& backoff = {});

// One invocation's connection. Creates the channel on first use. Not
// thread-safe; the CLI makes one call at a time.
class Session {
 public:
  explicit Session(const GlobalOptions& options) : options_(options) {}

  // Reads the files the security flags name; call once, after parsing the
  // flags and before the first RPC. Errors as ResolveSecurity's.
  absl::Status Prepare();

  const GlobalOptions& options() const { return options_; }
  bool json_output() const { return options_.output == "json"; }

  std::shared_ptr<grpc::Channel> channel();

  // A fresh context whose deadline is now + --timeout, carrying the token.
  std::unique_ptr<grpc::ClientContext> NewContext() const;
  // A fresh context without a deadline (for streams), carrying the token.
  std::unique_ptr<grpc::ClientContext> NewStreamContext() const;
  // The reconnect backoff the flags ask for.
  ReconnectBackoff reconnect_backoff() const {
    return {options_.reconnect_backoff_initial_seconds,
            options_.reconnect_backoff_max_seconds};
  }

 private:
  const GlobalOptions& options_;
  ChannelSecurity security_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Converts a gRPC status to an absl::Status with the same code and message;
// each google.rpc.Status detail becomes a payload keyed by its type URL.
absl::Status ToStatus(const grpc::Status& status);

// The resource_name of the google.rpc.ResourceInfo detail of `status` (from
// ToStatus), if any: for ALREADY_EXISTS, the existing resource.
std::optional<std::string> ConflictingResourceName(const absl::Status& status);

// True if `status` (from ToStatus) carries a google.rpc.RetryInfo with a
// zero retry_delay: the server is going away (graceful shutdown) and asks
// for an immediate reconnection, not a backoff.
bool AsksToReconnectNow(const absl::Status& status);

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
