#ifndef ROLLCALL_CLIENT_CLI_FILTERS_H_
#define ROLLCALL_CLIENT_CLI_FILTERS_H_

// Builds filter strings in the server's syntax (see the StatementService
// comment in statement_service.proto) from command-line flags.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace rollcall::cli {

// `value` as a filter string literal: in double quotes, with '"' and '\'
// escaped by a backslash.
std::string QuoteFilterValue(absl::string_view value);

// "field = value" restrictions joined by OR, in parentheses when there is
// more than one; "" for no values. Values are inserted as given.
std::string AnyOf(absl::string_view field, const std::vector<std::string>& values);

// The non-empty `parts` joined by " AND ". `raw` (the user's --filter) is
// added last, in parentheses, so that an OR inside it binds first.
std::string AllOf(const std::vector<std::string>& parts, absl::string_view raw);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_FILTERS_H_
