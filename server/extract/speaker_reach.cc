#include "server/extract/speaker_reach.h"

#include <algorithm>

namespace rollcall::extract {
namespace {

constexpr int kSpeakerGap = 6;  // words between a speaker and its cue

// The group that begins at token `t`, or -1.
int GroupAt(const AnnotatedText& a, int t) {
  auto it = std::lower_bound(
      a.groups.begin(), a.groups.end(), t,
      [](const Group& g, int token) { return g.begin < token; });
  return it != a.groups.end() && it->begin == t ? it - a.groups.begin() : -1;
}

}  // namespace

// "The parties in Niger's ruling coalition": a name after a genitive
// preposition whose head is one to three lower-case words at the start of
// a phrase ("the parties", "members") speaks for them.
bool HeadsGenitive(const AnnotatedText& a, const LanguageKnowledge& k, int s,
                   int preposition) {
  if (!k.genitives.contains(a.lower[preposition])) return false;
  int words = 0;
  int t = preposition - 1;
  for (; t >= a.sentences[s].first; --t) {
    const Token& token = a.tokens[t];
    if (token.kind != TokenKind::kWord) break;
    if (token.capitalised && t > a.sentences[s].first &&
        a.tokens[t - 1].kind == TokenKind::kWord) {
      return false;
    }
    if (++words > 3) return false;
  }
  return words > 0 && k.joiners.contains(a.lower[t + 1]);
}

// A speaker before its cue is close to it: a few words ("has also", "on
// Wednesday"), no quotation between.
// An aside between them does not count ("Egypt, which has close ties to
// the army, said").
// A quotation between them ends the speaker's reach, unless the cue goes on
// with a coordinator: "Scholz called it "a dark day" and said".
bool WithinReach(const AnnotatedText& a, const LanguageKnowledge& k, int end,
                 int cue) {
  auto quoted = [&](int token) { return a.quotation_of[token] >= 0; };
  const bool coordinated =
      cue > 0 && k.coordinators.contains(a.lower[cue - 1]);
  int gap = 0;
  for (int t = end; t < cue; ++t) {
    if (a.parenthetical[t]) continue;
    if (quoted(t)) {
      if (!coordinated) return false;
      continue;
    }
    ++gap;
    // A name after a preposition qualifies the speaker ("the US embassy
    // in Abidjan said"): the phrase counts as one word.
    if (k.prepositions.contains(a.lower[t])) {
      int g = GroupAt(a, t + 1);
      if (g >= 0 && a.groups[g].end <= cue) t = a.groups[g].end - 1;
    }
  }
  return gap <= kSpeakerGap;
}

int SpeakerAfter(const AnnotatedText& a, const LanguageKnowledge& k,
                 const std::vector<int>& group_first, int s, int pos) {
  auto quoted = [&](int token) { return a.quotation_of[token] >= 0; };
  for (int g = group_first[s]; g < group_first[s + 1]; ++g) {
    const Group& group = a.groups[g];
    if (group.begin < pos || quoted(group.begin)) continue;
    // "…, adding that he": the subject of what is said, not the speaker.
    int gap = 0;
    for (int t = pos; t < group.begin; ++t) {
      if (k.complementizers.contains(a.lower[t])) return -1;
      if (!k.joiners.contains(a.lower[t])) ++gap;
    }
    // "a rappelé sur Twitter que", "said in Paris": a name after a
    // preposition is where or how it was said, not who said it.
    if (group.begin > pos && k.prepositions.contains(a.lower[group.begin - 1])) {
      return -1;
    }
    return gap <= 1 ? g : -1;
  }
  return -1;
}

// Whether the comma at `comma` closes a speaker phrase in apposition:
// a usable group made of two parts ends right before it.
bool ClosesApposition(const AnnotatedText& a,
                      const std::vector<int>& group_first, int s, int comma) {
  auto quoted = [&](int token) { return a.quotation_of[token] >= 0; };
  for (int g = group_first[s]; g < group_first[s + 1]; ++g) {
    const Group& group = a.groups[g];
    if (group.end == comma) {
      bool apposition = false;
      for (int t = group.begin; t < group.end && !apposition; ++t) {
        apposition = a.lower[t] == ",";
      }
      return apposition && (!group.actor.empty() || group.speaker_like) && !quoted(group.begin);
    }
  }
  return false;
}

std::vector<int> GenitiveList(const AnnotatedText& a,
                              const LanguageKnowledge& k, int g, int pos) {
  std::vector<int> list;
  const Group& head = a.groups[g];
  if (head.resolution != v1::MENTION_RESOLUTION_OFFICE || head.actor.empty() ||
      head.pronoun || !head.person.empty()) {
    return list;
  }
  bool coordinated = false;
  int end = head.end;
  for (int h = g + 1; h < static_cast<int>(a.groups.size()); ++h) {
    const Group& item = a.groups[h];
    if (item.end > pos || item.sentence != head.sentence ||
        item.actor.empty() || item.pronoun || a.quotation_of[item.begin] >= 0) {
      break;
    }
    bool joined = item.begin > end, coordinator = false;
    for (int t = end; t < item.begin && joined; ++t) {
      const std::string& w = a.lower[t];
      coordinator |= k.coordinators.contains(w);
      joined = w == "," || k.coordinators.contains(w) ||
               k.joiners.contains(w) || k.genitives.contains(w);
    }
    if (!joined) break;
    list.push_back(h);
    end = item.end;
    if (coordinator) {
      coordinated = true;
      break;
    }
  }
  if (!coordinated) list.clear();
  return list;
}

}  // namespace rollcall::extract
