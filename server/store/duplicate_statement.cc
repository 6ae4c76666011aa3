#include "server/store/duplicate_statement.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/common/field_error.h"
#include "server/text/quote_similarity.h"
#include "server/text/text_search.h"

namespace rollcall {

std::optional<NearDuplicate> MostSimilarQuote(
    absl::string_view quote, const std::vector<DuplicateCandidate>& candidates) {
  const std::vector<std::string> tokens = SearchTokens(quote);
  if (tokens.empty()) return std::nullopt;
  std::optional<NearDuplicate> best;
  for (const DuplicateCandidate& candidate : candidates) {
    const double similarity = QuoteSimilarity(tokens, SearchTokens(candidate.quote));
    if (similarity < kNearIdenticalQuoteSimilarity) continue;
    if (!best.has_value() || similarity > best->similarity) {
      best = NearDuplicate{candidate.name, similarity};
    }
  }
  return best;
}

absl::Status DuplicateStatementError(const v1::Statement& statement,
                                     const NearDuplicate& existing) {
  // The epsilon keeps 0.29 (28.999... hundredths in binary) from showing as 0.28.
  const std::string similarity =
      absl::StrFormat("%.2f", std::floor(existing.similarity * 100 + 1e-9) / 100);
  const std::string conflict =
      absl::StrCat("near-identical to ", existing.name, " by ", statement.actor(), " on ",
                   statement.event(), " (similarity ", similarity, ")");
  return AlreadyExistsError(
      absl::StrCat("statement.quote: ", conflict,
                   "; set allow_duplicate to record it anyway"),
      ConflictingResource{"type.googleapis.com/rollcall.v1.Statement", existing.name,
                          absl::StrCat("the quote is ", conflict)});
}

}  // namespace rollcall
