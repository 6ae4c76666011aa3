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

#include <string>
#include <vector>

namespace rollcall {

// Quotes at least this similar are near-identical. With ten distinct words,
// one changed word gives 9/11 = 0.82; two give 8/12 = 0.67.
inline constexpr double kNearIdenticalQuoteSimilarity = 0.8;

// The Jaccard similarity of the sets of `a` and `b` (SearchTokens of two
// quotes), in [0, 1]. 0 if either has no token: a quote with no words is
// like no quote, never near-identical to anything.
double QuoteSimilarity(const std::vector<std::string>& a,
                       const std::vector<std::string>& b);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_TEXT_QUOTE_SIMILARITY_H_
