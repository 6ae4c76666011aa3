#include "client/cli/filters.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rollcall::cli {

std::string QuoteFilterValue(absl::string_view value) {
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string AnyOf(absl::string_view field, const std::vector<std::string>& values) {
  std::vector<std::string> terms;
  for (const auto& value : values) {
    terms.push_back(absl::StrCat(field, " = ", value));
  }
  if (terms.size() <= 1) return absl::StrJoin(terms, "");
  return absl::StrCat("(", absl::StrJoin(terms, " OR "), ")");
}

std::string AllOf(const std::vector<std::string>& parts, absl::string_view raw) {
  std::vector<std::string> terms;
  for (const auto& part : parts) {
    if (!part.empty()) terms.push_back(part);
  }
  if (!raw.empty()) {
    terms.push_back(terms.empty() ? std::string(raw) : absl::StrCat("(", raw, ")"));
  }
  return absl::StrJoin(terms, " AND ");
}

}  // namespace rollcall::cli
