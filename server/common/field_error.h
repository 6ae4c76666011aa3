#ifndef ROLLCALL_SERVER_COMMON_FIELD_ERROR_H_
#define ROLLCALL_SERVER_COMMON_FIELD_ERROR_H_

// Errors that name the request field at fault. The service layer turns the
// field into a google.rpc.BadRequest field violation.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rollcall {

// Returns INVALID_ARGUMENT with the message "{field}: {problem}" and the
// field recorded in the status payload (see FieldOf).
absl::Status FieldError(absl::string_view field, absl::string_view problem);

// Returns `status` with the same code and field, its field and message
// prefixed by `prefix` (e.g. "requests[3]."), for errors in nested requests.
absl::Status PrefixField(const absl::Status& status, absl::string_view prefix);

// Returns the field recorded by FieldError, if any.
std::optional<std::string> FieldOf(const absl::Status& status);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_COMMON_FIELD_ERROR_H_
