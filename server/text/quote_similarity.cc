#include "server/text/quote_similarity.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"

namespace rollcall {

namespace {

// -1, 0 or 1 as (a.hash, a.text) orders before, equal to or after b's.
template <typename Word>
int Compare(const Word& a, const Word& b) {
  if (a.hash != b.hash) return a.hash < b.hash ? -1 : 1;
  const int order = a.text.compare(b.text);
  return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

}  // namespace

QuoteWords::QuoteWords(std::vector<std::string> tokens) {
  words_.reserve(tokens.size());
  for (std::string& token : tokens) {
    const uint64_t hash = absl::HashOf(token);
    words_.push_back({hash, std::move(token)});
  }
  std::sort(words_.begin(), words_.end(),
            [](const Word& a, const Word& b) { return Compare(a, b) < 0; });
  words_.erase(
      std::unique(words_.begin(), words_.end(),
                  [](const Word& a, const Word& b) { return Compare(a, b) == 0; }),
      words_.end());
}

double QuoteWords::SimilarityTo(const QuoteWords& other) const {
  if (words_.empty() || other.words_.empty()) return 0;
  size_t common = 0;
  auto a = words_.begin();
  auto b = other.words_.begin();
  while (a != words_.end() && b != other.words_.end()) {
    const int order = Compare(*a, *b);
    if (order == 0) ++common;
    if (order <= 0) ++a;
    if (order >= 0) ++b;
  }
  const size_t either = words_.size() + other.words_.size() - common;
  return static_cast<double>(common) / static_cast<double>(either);
}

size_t QuoteWords::bytes() const {
  size_t bytes = sizeof(*this) + words_.capacity() * sizeof(Word);
  for (const Word& word : words_) {
    if (word.text.capacity() > 15) bytes += word.text.capacity() + 1;  // past SSO
  }
  return bytes;
}

bool QuoteWords::MayReach(const QuoteWords& other, double threshold) const {
  const size_t smaller = std::min(size(), other.size());
  const size_t larger = std::max(size(), other.size());
  if (smaller == 0) return threshold <= 0;
  return static_cast<double>(smaller) / static_cast<double>(larger) >= threshold;
}

double QuoteSimilarity(const std::vector<std::string>& a,
                       const std::vector<std::string>& b) {
  return QuoteWords(a).SimilarityTo(QuoteWords(b));
}

}  // namespace rollcall
