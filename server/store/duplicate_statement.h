#ifndef ROLLCALL_SERVER_STORE_DUPLICATE_STATEMENT_H_
#define ROLLCALL_SERVER_STORE_DUPLICATE_STATEMENT_H_

// The duplicate rule every Store applies when it creates a statement without
// NewStatement::allow_duplicate (see docs/ARCHITECTURE.md, "Duplicate
// statements"):
//
//   A new statement duplicates an existing one if the existing one is
//   ACTIVE, has the same actor and the same event, was issued at most
//   kDuplicateWindow before or after it, and both have quotes whose
//   QuoteSimilarity is at least kNearIdenticalQuoteSimilarity.
//
// A statement without a quote (summary only), or whose quote has no words,
// is never a duplicate. A Store finds the candidates (same actor and event,
// inside the window, active, with a quote) with an index and decides with
// MostSimilarQuote, inside the write transaction that would insert.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall {

// The greatest |issue_time difference| between duplicates.
inline constexpr absl::Duration kDuplicateWindow = absl::Hours(24);

// An existing statement that may be duplicated: its name and quote.
struct DuplicateCandidate {
  std::string name;
  std::string quote;
};

// The candidate whose quote is most similar to `quote` (the first one on a
// tie), with that similarity, if it reaches kNearIdenticalQuoteSimilarity.
struct NearDuplicate {
  std::string name;
  double similarity = 0;
};
std::optional<NearDuplicate> MostSimilarQuote(
    absl::string_view quote, const std::vector<DuplicateCandidate>& candidates);

// ALREADY_EXISTS for `statement` (the new one) duplicating `existing`:
// "statement.quote: near-identical to statements/X by actors/A on events/E
// (similarity 0.93); set allow_duplicate to record it anyway", with
// statements/X recorded as the conflicting resource. The similarity is
// rounded down to two decimals, so it never shows more than it is.
absl::Status DuplicateStatementError(const v1::Statement& statement,
                                     const NearDuplicate& existing);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_DUPLICATE_STATEMENT_H_
