#include "client/cli/rpc.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"

namespace rollcall::cli {

namespace {

absl::StatusOr<std::string> ReadFlagFile(const std::string& path,
                                         absl::string_view flag) {
  std::ifstream file(path);
  if (!file)
    return absl::InvalidArgumentError(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

absl::StatusOr<ChannelSecurity> ResolveSecurity(const GlobalOptions& options) {
  ChannelSecurity security;
  security.token = options.token;
  if (!options.token_file.empty()) {
    absl::StatusOr<std::string> token = ReadFlagFile(options.token_file, "--token_file");
    if (!token.ok()) return token.status();
    security.token = std::string(absl::StripAsciiWhitespace(*token));
    if (security.token.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token_file: ", options.token_file, " is empty"));
    }
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  security.tls = options.tls || !options.tls_ca.empty() || !options.tls_cert.empty();
  for (auto [path, flag, out] :
       {std::tuple{&options.tls_ca, "--tls_ca", &security.root_certificates},
        std::tuple{&options.tls_cert, "--tls_cert", &security.client_certificate},
        std::tuple{&options.tls_key, "--tls_key", &security.client_key}}) {
    if (path->empty()) continue;
    absl::StatusOr<std::string> pem = ReadFlagFile(*path, flag);
    if (!pem.ok()) return pem.status();
    *out = *std::move(pem);
  }
  return security;
}

std::shared_ptr<grpc::Channel> CreateChannel(const std::string& address,
                                             const ChannelSecurity& security,
                                             const ReconnectBackoff& backoff) {
  // gRPC's defaults (1 s growing to 120 s) would leave a stream stale for up
  // to two minutes after a long outage. gRPC jitters each delay by +-20%.
  // The connect timeout (GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 20 s) stays
  // gRPC's: a TLS handshake on a loaded machine can outlast any backoff.
  grpc::ChannelArguments args;
  const int initial_ms = std::max(1, static_cast<int>(backoff.initial_seconds * 1000));
  const int max_ms =
      std::max(initial_ms, static_cast<int>(backoff.max_seconds * 1000));
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, initial_ms);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, max_ms);
  if (!security.tls) {
    return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = security.root_certificates;
  ssl.pem_cert_chain = security.client_certificate;
  ssl.pem_private_key = security.client_key;
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), args);
}

absl::Status Session::Prepare() {
  absl::StatusOr<ChannelSecurity> security = ResolveSecurity(options_);
  if (!security.ok()) return security.status();
  security_ = *std::move(security);
  return absl::OkStatus();
}

std::shared_ptr<grpc::Channel> Session::channel() {
  if (channel_ == nullptr) {
    channel_ = CreateChannel(options_.server, security_, reconnect_backoff());
  }
  return channel_;
}

std::unique_ptr<grpc::ClientContext> Session::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  const auto timeout =
      std::chrono::microseconds(static_cast<int64_t>(options_.timeout_seconds * 1e6));
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  if (!security_.token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", security_.token));
  }
  return context;
}

std::unique_ptr<grpc::ClientContext> Session::NewStreamContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!security_.token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", security_.token));
  }
  return context;
}

absl::Status ToStatus(const grpc::Status& status) {
  absl::Status converted(static_cast<absl::StatusCode>(status.error_code()),
                         status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& detail : details.details()) {
      converted.SetPayload(detail.type_url(), absl::Cord(detail.value()));
    }
  }
  return converted;
}

std::optional<std::string> ConflictingResourceName(const absl::Status& status) {
  absl::optional<absl::Cord> payload =
      status.GetPayload("type.googleapis.com/google.rpc.ResourceInfo");
  google::rpc::ResourceInfo info;
  if (!payload.has_value() || !info.ParseFromString(std::string(*payload)) ||
      info.resource_name().empty()) {
    return std::nullopt;
  }
  return info.resource_name();
}

bool AsksToReconnectNow(const absl::Status& status) {
  absl::optional<absl::Cord> payload =
      status.GetPayload("type.googleapis.com/google.rpc.RetryInfo");
  google::rpc::RetryInfo retry;
  if (!payload.has_value() || !retry.ParseFromString(std::string(*payload))) return false;
  return retry.retry_delay().seconds() == 0 && retry.retry_delay().nanos() == 0;
}

bool IsRetryable(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status);
}

std::string StatusLine(const absl::Status& status) {
  // Keep the error on one line whatever the server put in the message.
  std::string message = absl::StrReplaceAll(status.message(), {{"\n", " "}});
  return absl::StrCat(absl::StatusCodeToString(status.code()), ": ", message);
}

std::string FormatError(const absl::Status& status, const std::string& server_address) {
  if (absl::IsUnavailable(status)) {
    return absl::StrCat("cannot reach rollcalld at ", server_address, " (",
                        StatusLine(status), ")");
  }
  return StatusLine(status);
}

}  // namespace rollcall::cli
