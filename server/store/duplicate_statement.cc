#include "server/store/duplicate_statement.h"

#include <cmath>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/common/field_error.h"
#include "server/text/quote_similarity.h"
#include "absl/synchronization/mutex.h"
#include "server/text/text_search.h"

namespace rollcall {
namespace {

// The words of the quotes recently compared, by quote. A statement's quote
// is compared with that of every later statement by the same actor on the
// same event within kDuplicateWindow, and tokenizing it again for each made
// a busy day's creates cost the tokenizer's work times the square of their
// number. A quote's words depend on its text alone, so nothing is ever
// stale. Two generations, each of at most kGenerationQuotes quotes and
// about kGenerationBytes: a full current generation becomes the previous
// one, and a quote found there moves back.
class QuoteWordsCache {
 public:
  static constexpr size_t kGenerationQuotes = 4096;
  static constexpr size_t kGenerationBytes = 8 << 20;

  std::shared_ptr<const QuoteWords> Get(absl::string_view quote) {
    {
      absl::MutexLock lock(&mu_);
      if (auto it = current_.find(quote); it != current_.end()) return it->second;
      if (auto it = previous_.find(quote); it != previous_.end()) {
        std::shared_ptr<const QuoteWords> words = it->second;
        PutLocked(quote, words);
        return words;
      }
    }
    auto words = std::make_shared<const QuoteWords>(SearchTokens(quote));
    absl::MutexLock lock(&mu_);
    PutLocked(quote, words);
    return words;
  }

 private:
  void PutLocked(absl::string_view quote, std::shared_ptr<const QuoteWords> words)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    // The key, and each word's text, hash and bookkeeping.
    const size_t bytes = quote.size() + words->bytes();
    if (current_.size() >= kGenerationQuotes ||
        current_bytes_ + bytes > kGenerationBytes) {
      previous_ = std::move(current_);
      current_.clear();
      current_bytes_ = 0;
    }
    if (current_.emplace(std::string(quote), std::move(words)).second) {
      current_bytes_ += bytes;
    }
  }

  absl::Mutex mu_;
  using Generation = absl::flat_hash_map<std::string, std::shared_ptr<const QuoteWords>>;
  Generation current_ ABSL_GUARDED_BY(mu_);
  Generation previous_ ABSL_GUARDED_BY(mu_);
  size_t current_bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

QuoteWordsCache& Cache() {
  static auto* cache = new QuoteWordsCache();
  return *cache;
}

}  // namespace

std::optional<NearDuplicate> MostSimilarQuote(
    absl::string_view quote, const std::vector<DuplicateCandidate>& candidates) {
  // Most creates have no candidate: their quote is not even tokenized. When
  // there are some, the new quote's words are cached too, since it is a
  // candidate for the next statement on the same day.
  if (candidates.empty()) return std::nullopt;
  const std::shared_ptr<const QuoteWords> words = Cache().Get(quote);
  if (words->size() == 0) return std::nullopt;
  std::optional<NearDuplicate> best;
  for (const DuplicateCandidate& candidate : candidates) {
    const std::shared_ptr<const QuoteWords> other = Cache().Get(candidate.quote);
    if (!words->MayReach(*other, kNearIdenticalQuoteSimilarity)) continue;
    const double similarity = words->SimilarityTo(*other);
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
