#ifndef ROLLCALL_SERVER_AUTH_SERVER_SECURITY_H_
#define ROLLCALL_SERVER_AUTH_SERVER_SECURITY_H_

// Chooses the listening port's credentials from the security options and
// enforces the listening rule:
// - with --tls_cert/--tls_key the port speaks TLS; --tls_client_ca also
//   requires and verifies a client certificate (mutual TLS);
// - with --tokens_file every call needs a bearer token (token_auth_
//   processor.h); off loopback, tokens need TLS, since they would
//   otherwise cross the network in clear text;
// - a server that authenticates no one (neither tokens nor client
//   certificates) listens only on a loopback address unless `insecure`.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace grpc {
class ServerCredentials;
}  // namespace grpc

namespace rollcall {

struct SecurityOptions {
  // PEM files: the server's certificate chain and private key (both or
  // neither), and the CA that signs client certificates (needs TLS).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // The tokens file (token_table.h); empty: no bearer tokens.
  std::string tokens_file;
  // Allows serving a non-loopback address without authentication.
  bool insecure = false;
  // Write calls per second and burst allowed to each token; 0 disables the
  // limit. Only applies with a tokens file.
  double write_rate_per_second = 100;
  double write_burst = 200;
};

struct ListeningCredentials {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // One line for the start-up log, e.g. "TLS, bearer tokens (3 tokens)".
  std::string description;
};

// The credentials for listening on `listen_address` (host:port) under
// `options`. INVALID_ARGUMENT for inconsistent options or a rule broken
// (the message says which flag to give); NOT_FOUND for an unreadable file.
absl::StatusOr<ListeningCredentials> MakeListeningCredentials(
    const SecurityOptions& options, absl::string_view listen_address);

// Whether `listen_address` (host:port) only accepts connections from this
// machine: localhost, 127.0.0.0/8, ::1 or a unix: socket.
bool IsLoopbackAddress(absl::string_view listen_address);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_AUTH_SERVER_SECURITY_H_
