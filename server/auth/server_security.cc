#include "server/auth/server_security.h"

#include <arpa/inet.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/security/server_credentials.h"
#include "server/auth/token_auth_processor.h"

namespace rollcall {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, absl::string_view flag) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TlsCredentials(
    const SecurityOptions& options) {
  grpc::SslServerCredentialsOptions ssl;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  absl::StatusOr<std::string> key = ReadPem(options.tls_key_file, "--tls_key");
  if (!key.ok()) return key.status();
  absl::StatusOr<std::string> cert = ReadPem(options.tls_cert_file, "--tls_cert");
  if (!cert.ok()) return cert.status();
  pair.private_key = *std::move(key);
  pair.cert_chain = *std::move(cert);
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!options.tls_client_ca_file.empty()) {
    absl::StatusOr<std::string> ca =
        ReadPem(options.tls_client_ca_file, "--tls_client_ca");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
    ssl.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

absl::Status CheckConsistent(const SecurityOptions& options, bool loopback) {
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  const bool tls = !options.tls_cert_file.empty();
  if (!tls && !options.tls_client_ca_file.empty()) {
    return absl::InvalidArgumentError("--tls_client_ca needs --tls_cert and --tls_key");
  }
  if (!loopback && !tls && !options.tokens_file.empty()) {
    return absl::InvalidArgumentError(
        "bearer tokens would cross the network in clear text: give --tls_cert and "
        "--tls_key to serve a non-loopback address with --tokens_file");
  }
  const bool authenticates =
      !options.tokens_file.empty() || !options.tls_client_ca_file.empty();
  if (!loopback && !authenticates && !options.insecure) {
    return absl::InvalidArgumentError(
        "refusing to serve a non-loopback address without authentication: give "
        "--tokens_file (with --tls_cert/--tls_key) or --tls_client_ca, or --insecure "
        "to serve anyone who can connect");
  }
  if (options.write_rate_per_second < 0 || options.write_burst < 1) {
    return absl::InvalidArgumentError(
        "--write_rate must not be negative and --write_burst must be at least 1");
  }
  return absl::OkStatus();
}

}  // namespace

bool IsLoopbackAddress(absl::string_view listen_address) {
  if (absl::StartsWith(listen_address, "unix:")) return true;
  const size_t colon = listen_address.rfind(':');
  absl::string_view host =
      colon == absl::string_view::npos ? listen_address : listen_address.substr(0, colon);
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]")) {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") return true;
  const std::string text(host);
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

absl::StatusOr<ListeningCredentials> MakeListeningCredentials(
    const SecurityOptions& options, absl::string_view listen_address) {
  const bool loopback = IsLoopbackAddress(listen_address);
  if (absl::Status status = CheckConsistent(options, loopback); !status.ok()) {
    return status;
  }
  ListeningCredentials result;
  if (!options.tls_cert_file.empty()) {
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> tls =
        TlsCredentials(options);
    if (!tls.ok()) return tls.status();
    result.credentials = *std::move(tls);
    result.description = options.tls_client_ca_file.empty()
                             ? "TLS"
                             : "mutual TLS (client certificates required)";
  } else if (!options.tokens_file.empty()) {
    // Plaintext, but a credentials type that accepts only local peers and,
    // unlike insecure credentials, runs the token check.
    result.credentials = grpc::experimental::LocalServerCredentials(
        absl::StartsWith(listen_address, "unix:") ? UDS : LOCAL_TCP);
    result.description = "plaintext, local connections only";
  } else {
    result.credentials = grpc::InsecureServerCredentials();
    result.description = loopback ? "plaintext, loopback only, no authentication"
                                  : "plaintext, no authentication (--insecure)";
  }
  if (!options.tokens_file.empty()) {
    absl::StatusOr<TokenTable> tokens = TokenTable::Load(options.tokens_file);
    if (!tokens.ok()) return tokens.status();
    absl::StrAppend(&result.description, ", bearer tokens (", tokens->size(),
                    tokens->size() == 1 ? " token)" : " tokens)");
    std::unique_ptr<WriteRateLimiter> limiter;
    if (options.write_rate_per_second > 0) {
      limiter = std::make_unique<WriteRateLimiter>(options.write_rate_per_second,
                                                   options.write_burst);
    }
    result.credentials->SetAuthMetadataProcessor(
        std::make_shared<TokenAuthProcessor>(*std::move(tokens), std::move(limiter)));
  }
  return result;
}

}  // namespace rollcall
