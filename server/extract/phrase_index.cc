#include "server/extract/phrase_index.h"

#include <algorithm>

namespace rollcall::extract {

void PhraseIndex::Add(std::vector<std::string> words, int payload) {
  if (words.empty() || words.front() == "*") return;
  auto& list = by_first_word_[words.front()];
  list.push_back({std::move(words), payload});
  std::stable_sort(list.begin(), list.end(),
                   [](const Phrase& a, const Phrase& b) {
                     return a.words.size() > b.words.size();
                   });
}

int PhraseIndex::MatchFrom(const Phrase& phrase, size_t w,
                           const std::vector<std::string>& keys, int i,
                           int limit) {
  while (w < phrase.words.size()) {
    const std::string& word = phrase.words[w];
    if (word == "*") {
      for (int gap = 0; gap <= kMaxGap && i + gap < limit; ++gap) {
        int end = MatchFrom(phrase, w + 1, keys, i + gap, limit);
        if (end >= 0) return end;
      }
      return -1;
    }
    if (i >= limit || keys[i] != word) return -1;
    ++w;
    ++i;
  }
  return i;
}

bool PhraseIndex::MatchAt(const std::vector<std::string>& keys, int i,
                          int limit, Match* match) const {
  auto it = by_first_word_.find(keys[i]);
  if (it == by_first_word_.end()) return false;
  int best = -1;
  for (const Phrase& phrase : it->second) {
    int end = MatchFrom(phrase, 1, keys, i + 1, limit);
    if (end > best) {
      best = end;
      match->payload = phrase.payload;
    }
  }
  if (best < 0) return false;
  match->begin = i;
  match->end = best;
  return true;
}

std::vector<PhraseIndex::Match> PhraseIndex::FindAll(
    const std::vector<std::string>& keys, int first, int last) const {
  std::vector<Match> matches;
  if (by_first_word_.empty()) return matches;
  for (int i = first; i < last;) {
    Match match;
    if (MatchAt(keys, i, last, &match)) {
      matches.push_back(match);
      i = match.end;
    } else {
      ++i;
    }
  }
  return matches;
}

}  // namespace rollcall::extract
