#include "server/extract/stance_rules.h"

#include <algorithm>

namespace rollcall::extract {
namespace {

constexpr int kObjectGap = 8;  // tokens between a stance word and its object
constexpr int kDescriptionWords = 12;

// Whether token `t` is inside one of the reaction's stance words other than
// the one at `except`.
bool InOtherStanceWord(const AnnotatedText& a, const Reaction& r, int t,
                       int except) {
  return std::any_of(r.stances.begin(), r.stances.end(), [&](int s) {
    return s != except && a.stances[s].begin <= t && t < a.stances[s].end;
  });
}

}  // namespace

bool NamedAsObject(const AnnotatedText& a, const LanguageKnowledge& k,
                   const Reaction& r, const LexiconMatch& action) {
  for (size_t i = 0; i < r.stances.size(); ++i) {
    if (r.stance_negated[i]) continue;
    const LexiconMatch& word = a.stances[r.stances[i]];
    if (word.end > action.begin || action.begin - word.end > kObjectGap ||
        a.sentence_of[word.begin] != a.sentence_of[action.begin]) {
      continue;
    }
    bool object = true;
    for (int t = word.end; t < action.begin && object; ++t) {
      const Token& token = a.tokens[t];
      bool in_action = std::any_of(
          r.actions.begin(), r.actions.end(), [&](int x) {
            return a.actions[x].begin <= t && t < a.actions[x].end;
          });
      // Another act between ends the object; an epithet that is also the
      // act of condemning ("illegal") does not.
      if (in_action && !InOtherStanceWord(a, r, t, r.stances[i])) object = false;
      if (token.kind == TokenKind::kPunct && a.lower[t] != ",") object = false;
      // A comma or coordinator only inside a list of epithets.
      if ((a.lower[t] == "," || k.coordinators.contains(a.lower[t])) &&
          !(t > word.end && InOtherStanceWord(a, r, t - 1, r.stances[i]))) {
        object = false;
      }
    }
    if (object) return true;
  }
  return false;
}

std::string ActionDescription(const AnnotatedText& a, const LanguageKnowledge& k,
                              const LexiconMatch& m) {
  const Sentence& sentence = a.sentences[a.sentence_of[m.begin]];
  int end = m.end;
  while (end < sentence.last && end - m.begin < kDescriptionWords &&
         a.tokens[end].kind == TokenKind::kWord &&
         !k.coordinators.contains(a.lower[end])) {
    ++end;
  }
  return a.text.substr(a.tokens[m.begin].begin,
                       a.tokens[end - 1].end - a.tokens[m.begin].begin);
}

}  // namespace rollcall::extract
