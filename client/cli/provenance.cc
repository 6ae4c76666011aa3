#include "client/cli/provenance.h"

#include "absl/strings/str_cat.h"
#include "client/cli/names.h"
#include "client/cli/output.h"
#include "client/cli/values.h"

namespace rollcall::cli {
namespace {

constexpr char kSummaryLabel[] = "summary: ";

}  // namespace

std::string Words(absl::string_view quote, absl::string_view summary,
                  size_t max_width) {
  if (!quote.empty()) {
    return absl::StrCat("“", Truncate(quote, max_width > 2 ? max_width - 2 : 1), "”");
  }
  if (summary.empty()) return "";
  const size_t label = sizeof(kSummaryLabel) - 1;
  return absl::StrCat(kSummaryLabel,
                      Truncate(summary, max_width > label ? max_width - label : 1));
}

std::string Words(const v1::Statement& statement, size_t max_width) {
  return Words(statement.quote(), statement.summary(), max_width);
}

std::string Words(const v1::StatementDigest& digest, size_t max_width) {
  // A digest's excerpt may already end in "…" (cut by the server).
  return digest.excerpt_is_quote() ? Words(digest.excerpt(), "", max_width)
                                   : Words("", digest.excerpt(), max_width);
}

std::string StanceWithTarget(v1::Stance stance, absl::string_view toward) {
  if (toward.empty()) return Label(stance);
  return absl::StrCat(Label(stance), " ", ResourceId(toward));
}

}  // namespace rollcall::cli
