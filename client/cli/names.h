#ifndef ROLLCALL_CLIENT_CLI_NAMES_H_
#define ROLLCALL_CLIENT_CLI_NAMES_H_

// Turns what a user types on the command line into resource names: a bare
// id ("ecowas") or a full name ("actors/ecowas") both give "actors/ecowas".

#include <string>

#include "absl/strings/string_view.h"

namespace rollcall::cli {

// Returns `value` if it already contains a '/', else "actors/" + value.
std::string ActorName(absl::string_view value);
// Returns `value` if it already contains a '/', else "events/" + value.
std::string EventName(absl::string_view value);
// Returns `value` if it already contains a '/', else "statements/" + value.
std::string StatementName(absl::string_view value);

// Returns `value` if it already contains a '/', else "drafts/" + value.
std::string DraftName(absl::string_view value);
// Returns `value` if it already contains a '/', else "documents/" + value.
std::string DocumentName(absl::string_view value);

// Returns the part of a resource name after its last '/': "ecowas" for
// "actors/ecowas". Returns `name` unchanged if it has no '/'.
std::string ResourceId(absl::string_view name);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_NAMES_H_
