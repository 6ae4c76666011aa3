#include "server/common/field_error.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace rollcall {
namespace {
constexpr absl::string_view kFieldPayload = "type.rollcall.dev/field";
}  // namespace

absl::Status FieldError(absl::string_view field, absl::string_view problem) {
  absl::Status status(absl::StatusCode::kInvalidArgument,
                      absl::StrCat(field, ": ", problem));
  status.SetPayload(kFieldPayload, absl::Cord(field));
  return status;
}

absl::Status PrefixField(const absl::Status& status, absl::string_view prefix) {
  absl::Status prefixed(status.code(), absl::StrCat(prefix, status.message()));
  status.ForEachPayload([&](absl::string_view key, const absl::Cord& payload) {
    prefixed.SetPayload(key, payload);
  });
  if (std::optional<std::string> field = FieldOf(status); field.has_value()) {
    prefixed.SetPayload(kFieldPayload, absl::Cord(absl::StrCat(prefix, *field)));
  }
  return prefixed;
}

std::optional<std::string> FieldOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kFieldPayload);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

absl::Status AlreadyExistsError(absl::string_view message,
                                const ConflictingResource& resource) {
  google::rpc::ResourceInfo info;
  info.set_resource_type(resource.resource_type);
  info.set_resource_name(resource.resource_name);
  info.set_description(resource.description);
  absl::Status status(absl::StatusCode::kAlreadyExists, message);
  status.SetPayload(kResourceInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

std::optional<ConflictingResource> ConflictingResourceOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kResourceInfoTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  google::rpc::ResourceInfo info;
  if (!info.ParseFromString(std::string(*payload))) return std::nullopt;
  return ConflictingResource{info.resource_type(), info.resource_name(),
                             info.description()};
}

absl::Status ReconnectNowError(absl::string_view message) {
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay();  // present and zero: retry now
  absl::Status status(absl::StatusCode::kUnavailable, message);
  status.SetPayload(kRetryInfoTypeUrl, absl::Cord(retry.SerializeAsString()));
  return status;
}

}  // namespace rollcall
