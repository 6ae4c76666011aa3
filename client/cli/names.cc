#include "client/cli/names.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace rollcall::cli {
namespace {

std::string WithCollection(absl::string_view collection, absl::string_view value) {
  if (absl::StrContains(value, '/')) return std::string(value);
  return absl::StrCat(collection, "/", value);
}

}  // namespace

std::string ActorName(absl::string_view value) { return WithCollection("actors", value); }

std::string EventName(absl::string_view value) { return WithCollection("events", value); }

std::string StatementName(absl::string_view value) {
  return WithCollection("statements", value);
}

std::string DraftName(absl::string_view value) { return WithCollection("drafts", value); }

std::string DocumentName(absl::string_view value) {
  return WithCollection("documents", value);
}

std::string ResourceId(absl::string_view name) {
  const size_t slash = name.rfind('/');
  if (slash == absl::string_view::npos) return std::string(name);
  return std::string(name.substr(slash + 1));
}

}  // namespace rollcall::cli
