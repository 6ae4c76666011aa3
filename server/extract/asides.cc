#include "server/extract/asides.h"

namespace rollcall::extract {
namespace {

constexpr int kNamingReach = 5;  // words before "named" in an apposition

// "Egypt, a close ally of the army,", "the Arab League, meeting in Cairo,":
// after a name, a comma and a word that opens an aside.
bool NameAside(const AnnotatedText& a, const LanguageKnowledge& k,
               const std::vector<bool>& time_word, int comma) {
  if (comma == 0 || !k.asides.contains(a.lower[comma + 1])) return false;
  // "(ECOWAS), meeting in …,": a name closed by its acronym too.
  int b = a.lower[comma - 1] == ")" && comma > 1 ? comma - 2 : comma - 1;
  const Token& before = a.tokens[b];
  return before.kind == TokenKind::kWord && before.capitalised &&
         !time_word[b];
}

// Whether words [end, begin) join two groups in apposition: a comma, then
// only articles and titles ("…, le colonel-major X").
bool AppositionGap(const AnnotatedText& a, const LanguageKnowledge& k,
                   int end, int begin) {
  if (begin <= end || a.lower[end] != ",") return false;
  // ", an officer named X": a few lower-case words before a naming word.
  for (int t = end + 1; t < begin && t <= end + kNamingReach; ++t) {
    if (a.tokens[t].kind != TokenKind::kWord || a.tokens[t].capitalised) break;
    if (k.naming.contains(a.lower[t])) {
      end = t;
      break;
    }
  }
  for (int t = end + 1; t < begin; ++t) {
    if (!k.joiners.contains(a.lower[t]) && !k.titles.contains(a.lower[t]) &&
        a.lower[t] != "-") {
      return false;
    }
  }
  return true;
}

// "The Forces for Freedom and Change, the civilian coalition that shared
// power with the army, denounced": after a name and a comma, an article,
// up to three lower-case words and a relative or "that" open an aside.
bool RelativeApposition(const AnnotatedText& a, const LanguageKnowledge& k,
                        const std::vector<bool>& time_word, int comma,
                        int last) {
  constexpr int kHeadWords = 3;
  if (comma == 0 || comma + 2 >= last ||
      !k.joiners.contains(a.lower[comma + 1]) ||
      k.prepositions.contains(a.lower[comma + 1])) {
    return false;
  }
  const Token& before = a.tokens[comma - 1];
  if (before.kind != TokenKind::kWord || !before.capitalised ||
      time_word[comma - 1]) {
    return false;
  }
  for (int t = comma + 2; t < last && t <= comma + 2 + kHeadWords; ++t) {
    const Token& token = a.tokens[t];
    if (token.kind != TokenKind::kWord || token.capitalised) return false;
    if (t > comma + 2 && (k.relatives.contains(a.lower[t]) ||
                          k.complementizers.contains(a.lower[t]))) {
      return true;
    }
  }
  return false;
}

}  // namespace

// ", which ... ," and "( ... )" are asides: their names are not subjects.
void MarkAsides(const Sentence& s, const LanguageKnowledge& k,
                const std::vector<bool>& time_word, AnnotatedText* a) {
  for (int i = s.first; i < s.last; ++i) {
    const std::string& w = a->lower[i];
    if (w == "(") {
      for (int j = i; j < s.last; ++j) {
        a->parenthetical[j] = true;
        if (a->lower[j] == ")") break;
      }
    } else if (w == "," && i + 1 < s.last &&
               (k.relatives.contains(a->lower[i + 1]) ||
                NameAside(*a, k, time_word, i) ||
                RelativeApposition(*a, k, time_word, i, s.last))) {
      int close = -1;
      for (int j = i + 1; j < s.last && close < 0; ++j) {
        if (a->lower[j] == "," || a->lower[j] == "--") close = j;
      }
      if (close < 0) continue;
      for (int j = i; j <= close; ++j) a->parenthetical[j] = true;
      i = close - 1;  // the closing comma may open another aside
    }
  }
}

// "The president of Benin, Patrice Talon," and "Patrice Talon, the
// president of Benin," are one speaker.
void MergeAppositions(const LanguageKnowledge& k, AnnotatedText* a) {
  std::vector<Group> merged;
  for (Group& g : a->groups) {
    if (!merged.empty()) {
      Group& prev = merged.back();
      bool adjacent = prev.sentence == g.sentence && !g.pronoun &&
                      !prev.pronoun && AppositionGap(*a, k, prev.end, g.begin);
      bool prev_name = prev.actor.empty() && !prev.person.empty();
      bool g_name = g.actor.empty() && !g.person.empty();
      if (adjacent && !prev.actor.empty() && g_name && prev.person.empty()) {
        prev.person = g.person;
        prev.person_like = true;
        prev.end = g.end;
        continue;
      }
      // "Its spokesman, Colonel X,": an office and the person holding it.
      bool prev_office = prev.actor.empty() && !prev.office.empty() &&
                         prev.person.empty();
      if (adjacent && prev_office &&
          g.resolution == v1::MENTION_RESOLUTION_OFFICE_HOLDER) {
        g.begin = prev.begin;
        g.owner = prev.owner;
        g.owner_kind = prev.owner_kind;
        prev = std::move(g);
        continue;
      }
      if (adjacent && prev_office && g_name) {
        prev.person = g.person;
        prev.person_like = true;
        prev.speaker_like = true;
        prev.end = g.end;
        continue;
      }
      if (adjacent && prev_name && !g.actor.empty() && g.person.empty()) {
        g.person = prev.person;
        g.person_like = true;
        g.begin = prev.begin;
        prev = std::move(g);
        continue;
      }
    }
    merged.push_back(std::move(g));
  }
  a->groups = std::move(merged);
}

void MarkObjectPronouns(const LanguageKnowledge& k, AnnotatedText* a) {
  std::vector<bool> cue_end(a->tokens.size() + 1, false);
  for (const LexiconMatch& m : a->cues) cue_end[m.end] = true;
  for (Group& g : a->groups) {
    if (!g.pronoun || g.end - g.begin != 1 ||
        !k.object_pronouns.contains(a->lower[g.begin]) || g.begin == 0) {
      continue;
    }
    const int before = g.begin - 1;
    const Token& t = a->tokens[before];
    const std::string& w = a->lower[before];
    g.object = t.kind == TokenKind::kWord && !t.capitalised &&
               !cue_end[g.begin] && !k.coordinators.contains(w) &&
               !k.relatives.contains(w) && !k.clause_breaks.contains(w) &&
               !k.complementizers.contains(w) && !k.prepositions.contains(w);
  }
}

void MarkObjectsOfActions(AnnotatedText* a) {
  size_t m = 0;
  for (Group& g : a->groups) {
    while (m < a->actions.size() && a->actions[m].end < g.end) ++m;
    for (size_t i = m; i < a->actions.size() && a->actions[i].begin < g.begin;
         ++i) {
      if (a->actions[i].end >= g.end) g.object = true;
    }
  }
}

void MarkCoordinatedModifiers(const LanguageKnowledge& k,
                              const std::vector<bool>& lexicon_start,
                              AnnotatedText* a) {
  const int n = static_cast<int>(a->tokens.size());
  for (int i = static_cast<int>(a->groups.size()) - 2; i >= 0; --i) {
    Group& g = a->groups[i];
    const Group& h = a->groups[i + 1];
    if (g.modifier || g.pronoun || !g.office.empty() || !g.person.empty() ||
        g.resolution != v1::MENTION_RESOLUTION_DEMONYM || h.begin != g.end + 1 ||
        h.sentence != g.sentence || !k.coordinators.contains(a->lower[g.end])) {
      continue;
    }
    bool qualifies =
        h.modifier ||
        (!h.pronoun && h.office.empty() && h.person.empty() && h.end < n &&
         a->sentence_of[h.end] == h.sentence &&
         a->tokens[h.end].kind == TokenKind::kWord &&
         !a->tokens[h.end].capitalised && !lexicon_start[h.end] &&
         !k.joiners.contains(a->lower[h.end]));
    if (qualifies) {
      g.modifier = true;
      g.speaker_like = false;
    }
  }
}

}  // namespace rollcall::extract
