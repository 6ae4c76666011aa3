#include "server/text/quote_similarity.h"

#include "absl/container/flat_hash_set.h"

namespace rollcall {

double QuoteSimilarity(const std::vector<std::string>& a,
                       const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return 0;
  const absl::flat_hash_set<std::string> a_words(a.begin(), a.end());
  const absl::flat_hash_set<std::string> b_words(b.begin(), b.end());
  size_t common = 0;
  for (const std::string& word : b_words) common += a_words.contains(word) ? 1 : 0;
  const size_t either = a_words.size() + b_words.size() - common;
  return static_cast<double>(common) / static_cast<double>(either);
}

}  // namespace rollcall
