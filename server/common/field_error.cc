#include "server/common/field_error.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

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
  std::optional<std::string> field = FieldOf(status);
  if (!field.has_value()) {
    return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
  }
  std::string message(status.message());
  absl::Status prefixed(status.code(), absl::StrCat(prefix, message));
  prefixed.SetPayload(kFieldPayload, absl::Cord(absl::StrCat(prefix, *field)));
  return prefixed;
}

std::optional<std::string> FieldOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kFieldPayload);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

}  // namespace rollcall
