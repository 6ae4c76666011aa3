#include "client/cli/rpc.h"

#include <chrono>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"

namespace rollcall::cli {

std::shared_ptr<grpc::Channel> CreateChannel(const std::string& address) {
  // TLS comes with a later issue; only this function will change.
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

std::shared_ptr<grpc::Channel> Session::channel() {
  if (channel_ == nullptr) channel_ = CreateChannel(options_.server);
  return channel_;
}

std::unique_ptr<grpc::ClientContext> Session::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  const auto timeout =
      std::chrono::microseconds(static_cast<int64_t>(options_.timeout_seconds * 1e6));
  context->set_deadline(std::chrono::system_clock::now() + timeout);
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
