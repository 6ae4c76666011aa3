#ifndef ROLLCALL_SERVER_TEXT_QUOTE_SIMILARITY_H_
#define ROLLCALL_SERVER_TEXT_QUOTE_SIMILARITY_H_

// How alike two quotes are, for refusing the same reaction reported again by
// another outlet (see docs/ARCHITECTURE.md, "Duplicate statements").
//
// A quote is compared as the set of its words, the words being the tokens of
// the full-text index (SearchTokens: case and accents folded, punctuation
// ignored). The similarity is the Jaccard index of the two sets,
// |A ∩ B| / |A ∪ B|: 1 for the same words, 0 for no word in common. Outlets
// re-punctuate, re-case and trim a quote, or change a word; the set of its
// words barely moves. A translation shares almost no words with its original.

#include <cstdint>
#include <string>
#include <vector>

namespace rollcall {

// Quotes at least this similar are near-identical. With ten distinct words,
// one changed word gives 9/11 = 0.82; two give 8/12 = 0.67.
inline constexpr double kNearIdenticalQuoteSimilarity = 0.8;

// The set of a quote's words (its SearchTokens, sorted, each once), to
// compare one quote with many without building it again for each.
class QuoteWords {
 public:
  explicit QuoteWords(std::vector<std::string> tokens);

  size_t size() const { return words_.size(); }
  // About how much memory the set holds.
  size_t bytes() const;

  // The Jaccard similarity of the two sets, in [0, 1]. 0 if either has no
  // word: a quote with no words is like no quote, never near-identical to
  // anything.
  double SimilarityTo(const QuoteWords& other) const;

  // False when SimilarityTo(other) is certainly below `threshold`, judged by
  // the sizes alone: the similarity is at most the smaller set's size over
  // the larger's (computed the same way, so the bound never rejects a pair
  // SimilarityTo would accept).
  bool MayReach(const QuoteWords& other, double threshold) const;

 private:
  // Each word with its hash, sorted by (hash, word): comparing two sets
  // then compares integers, and words only where the hashes are equal.
  struct Word {
    uint64_t hash;
    std::string text;
  };
  std::vector<Word> words_;
};

// The Jaccard similarity of the sets of `a` and `b` (SearchTokens of two
// quotes), as QuoteWords::SimilarityTo.
double QuoteSimilarity(const std::vector<std::string>& a,
                       const std::vector<std::string>& b);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_TEXT_QUOTE_SIMILARITY_H_
