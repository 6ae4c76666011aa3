#ifndef ROLLCALL_SERVER_EXTRACT_PHRASE_INDEX_H_
#define ROLLCALL_SERVER_EXTRACT_PHRASE_INDEX_H_

// Phrases (token sequences) looked up at every token of a text: a hash map
// from a phrase's first word to its phrases, longest first, so a text is
// scanned once whatever the number of phrases. A word "*" in a phrase
// stands for up to kMaxGap words of the text ("call for * release").

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace rollcall::extract {

class PhraseIndex {
 public:
  static constexpr int kMaxGap = 6;

  struct Match {
    int begin = 0;  // token range [begin, end)
    int end = 0;
    int payload = 0;
  };

  // Adds a phrase of at least one word; `payload` is returned by matches.
  void Add(std::vector<std::string> words, int payload);

  // The longest phrase starting at token `i` of `keys` and ending at or
  // before `limit`; false when none does.
  bool MatchAt(const std::vector<std::string>& keys, int i, int limit,
               Match* match) const;

  // Non-overlapping matches in [first, last), left to right, longest first.
  std::vector<Match> FindAll(const std::vector<std::string>& keys, int first,
                             int last) const;

  bool empty() const { return by_first_word_.empty(); }

 private:
  struct Phrase {
    std::vector<std::string> words;
    int payload;
  };
  // End of a match of words[w..] at token i, or -1.
  static int MatchFrom(const Phrase& phrase, size_t w,
                       const std::vector<std::string>& keys, int i, int limit);

  absl::flat_hash_map<std::string, std::vector<Phrase>> by_first_word_;
};

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_PHRASE_INDEX_H_
