#ifndef ROLLCALL_SERVER_COMMON_FIELD_ERROR_H_
#define ROLLCALL_SERVER_COMMON_FIELD_ERROR_H_

// Errors that name the request field at fault, or the existing resource a
// request conflicts with, or ask the client to reconnect at once. The service
// layer turns the field into a google.rpc.BadRequest field violation, the
// resource into a google.rpc.ResourceInfo and the reconnect into a
// google.rpc.RetryInfo.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rollcall {

// Returns INVALID_ARGUMENT with the message "{field}: {problem}" and the
// field recorded in the status payload (see FieldOf).
absl::Status FieldError(absl::string_view field, absl::string_view problem);

// Returns `status` with the same code, field and conflicting resource, its
// field and message prefixed by `prefix` (e.g. "requests[3]."), for errors
// in nested requests.
absl::Status PrefixField(const absl::Status& status, absl::string_view prefix);

// Returns the field recorded by FieldError, if any.
std::optional<std::string> FieldOf(const absl::Status& status);

// The existing resource a request conflicts with (google.rpc.ResourceInfo).
struct ConflictingResource {
  std::string resource_type;  // e.g. "type.googleapis.com/rollcall.v1.Statement"
  std::string resource_name;  // e.g. "statements/s4rgfkwjxna37sz4"
  std::string description;
};

// Returns ALREADY_EXISTS with `message` and `resource` recorded in the status
// payload (see ConflictingResourceOf). The field is not recorded: a conflict
// is not a malformed field.
absl::Status AlreadyExistsError(absl::string_view message,
                                const ConflictingResource& resource);

// Returns the resource recorded by AlreadyExistsError, if any.
std::optional<ConflictingResource> ConflictingResourceOf(const absl::Status& status);

// The status payload key under which AlreadyExistsError records the
// resource: the type URL of google.rpc.ResourceInfo, whose serialization the
// payload holds.
inline constexpr char kResourceInfoTypeUrl[] =
    "type.googleapis.com/google.rpc.ResourceInfo";

// Returns UNAVAILABLE with `message` and a google.rpc.RetryInfo whose
// retry_delay is zero recorded in the status payload: "this server is going
// away; reconnect now (to it once it is back, or to another instance)". The
// clients resubscribe at once on it instead of backing off.
absl::Status ReconnectNowError(absl::string_view message);

// The status payload key under which ReconnectNowError records its
// google.rpc.RetryInfo: that message's type URL.
inline constexpr char kRetryInfoTypeUrl[] = "type.googleapis.com/google.rpc.RetryInfo";

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_COMMON_FIELD_ERROR_H_
