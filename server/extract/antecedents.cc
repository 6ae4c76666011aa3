#include "server/extract/antecedents.h"

#include <algorithm>
#include <string>

namespace rollcall::extract {
namespace {

constexpr int kAntecedentSentences = 3;
constexpr size_t kHistoryReach = 64;  // subjects a pronoun looks back over

// Whether `g` may be what `pronoun` stands for.
bool Fits(const Group& pronoun, const Group& g) {
  if (g.pronoun) return false;
  if (g.actor.empty() && !g.speaker_like &&
      !(pronoun.referent == Referent::kPerson && g.person_like)) {
    return false;
  }
  if (pronoun.sentence - g.sentence > kAntecedentSentences) return false;
  // A name the directory does not know may be a person or a group.
  if (g.actor.empty()) return true;
  switch (pronoun.referent) {
    case Referent::kPerson: return g.person_like;
    case Referent::kGroup:
    case Referent::kGroups: return !g.person_like && !g.actor.empty();
    case Referent::kBloc: return g.kind == v1::ACTOR_KIND_REGIONAL_BLOC;
    case Referent::kOrganisation:
      return g.kind == v1::ACTOR_KIND_REGIONAL_BLOC ||
             g.kind == v1::ACTOR_KIND_INTERNATIONAL_ORGANISATION;
    case Referent::kAny: return true;
  }
  return false;
}

// Whether `g` follows a preposition, articles between ("to the Russian
// leader").
bool AfterPreposition(const AnnotatedText& a, const LanguageKnowledge& k,
                      const Group& g) {
  int t = g.begin - 1;
  while (t >= 0 && k.joiners.contains(a.lower[t]) &&
         !k.prepositions.contains(a.lower[t])) {
    --t;
  }
  return t >= 0 && k.prepositions.contains(a.lower[t]);
}

// The group that opens sentence `s` (before `group`), after articles only,
// if it names an actor that fits `group`; -1 otherwise.
int OpeningSubject(const AnnotatedText& a, const LanguageKnowledge& k,
                   const std::vector<int>& group_first, int group, int s,
                   bool after_adverbial = false) {
  auto quoted = [&](int token) { return a.quotation_of[token] >= 0; };
  const Group& pronoun = a.groups[group];
  if (s < 0) return -1;
  for (int g = group_first[s]; g < group && g < group_first[s + 1]; ++g) {
    const Group& first = a.groups[g];
    if (quoted(first.begin) || a.parenthetical[first.begin] ||
        first.modifier || first.pronoun) {
      continue;
    }
    // Only articles before it ("La CEDEAO"), or with `after_adverbial` a
    // phrase set off by a comma ("In a video shared online, Bongo").
    if (after_adverbial && AfterPreposition(a, k, first)) continue;
    bool articles = true, unquoted = true;
    for (int t = a.sentences[s].first; t < first.begin; ++t) {
      articles = articles && k.joiners.contains(a.lower[t]);
      unquoted = unquoted && !quoted(t);
    }
    bool opens = articles || (after_adverbial && unquoted &&
                              a.lower[first.begin - 1] == ",");
    if (opens && !first.actor.empty() && Fits(pronoun, first)) return g;
    break;
  }
  return -1;
}

}  // namespace

int FindAntecedent(const AnnotatedText& a, const LanguageKnowledge& k,
                   const std::vector<std::pair<int, int>>& history,
                   const std::vector<int>& group_first, int group) {
  auto quoted = [&](int token) { return a.quotation_of[token] >= 0; };
  const Group& pronoun = a.groups[group];
  auto fits = [&](const Group& g) { return Fits(pronoun, g); };
  // The subject that opens the pronoun's own sentence ("Guterres
  // "condemns …," his spokesman said, adding that he urged …"), then the
  // latest subject that fits or the one opening the sentence before,
  // whichever is later, then the latest mention that does.
  const int s = pronoun.sentence;
  int opening = OpeningSubject(a, k, group_first, group, s);
  if (opening >= 0) return opening;
  int best = -1, best_place = -1;
  const size_t from =
      history.size() > kHistoryReach ? history.size() - kHistoryReach : 0;
  for (size_t h = from; h < history.size(); ++h) {
    const auto& [place, resolved] = history[h];
    if (place < group && resolved >= 0 && place >= best_place &&
        fits(a.groups[resolved])) {
      best = resolved;
      best_place = place;
    }
  }
  // In a sentence that opens with a quotation, the subject that opens the
  // sentence before, if later than that ("The army ruled out talks. "…,"
  // it said").
  if (quoted(a.sentences[s].first)) {
    int previous = OpeningSubject(a, k, group_first, group, s - 1, true);
    if (previous >= 0 && previous > best_place) return previous;
  }
  if (best >= 0) return best;
  // The latest mention, first among those that are no object of a
  // preposition ("Guterres made an appeal to the Russian leader. … he
  // said" is Guterres). A name that only qualifies a noun ("the Central
  // African nation") is no antecedent.
  for (bool objects : {false, true}) {
    for (int g = group - 1; g >= 0; --g) {
      const Group& m = a.groups[g];
      if (pronoun.sentence - m.sentence > kAntecedentSentences) break;
      if (!quoted(m.begin) && !m.modifier && fits(m) &&
          (objects || !AfterPreposition(a, k, m))) {
        return g;
      }
    }
  }
  return -1;
}

std::vector<int> FindAntecedents(
    const AnnotatedText& a, const LanguageKnowledge& k,
    const std::vector<std::pair<int, int>>& history,
    const std::vector<int>& group_first, int group) {
  const int found = FindAntecedent(a, k, history, group_first, group);
  if (found < 0) return {};
  const Group& pronoun = a.groups[group];
  if (pronoun.referent != Referent::kGroups) return {found};
  // Coordinated subjects share their place in `history`: the latest place
  // where `found` was a subject, and every subject of that place.
  int place = -1;
  for (const auto& [mention, resolved] : history) {
    if (mention < group && resolved == found) place = mention;
  }
  std::vector<int> all = {found};
  if (place < 0) return all;
  const std::string& actor = a.groups[found].actor;
  for (const auto& entry : history) {
    // Not a structured binding: C++17 lambdas cannot capture one.
    const int resolved = entry.second;
    if (entry.first != place || resolved < 0) continue;
    const Group& g = a.groups[resolved];
    bool known = std::any_of(all.begin(), all.end(), [&](int r) {
      return r == resolved || (!g.actor.empty() && a.groups[r].actor == g.actor);
    });
    if (!known && g.actor != actor && Fits(pronoun, g)) all.push_back(resolved);
  }
  return all;
}

}  // namespace rollcall::extract
