#include "server/extract/reactions.h"

#include "server/extract/antecedents.h"
#include "server/extract/speaker_reach.h"

#include <algorithm>
#include <tuple>

namespace rollcall::extract {
namespace {

constexpr int kNegationWindow = 3;   // tokens before a stance or action word
constexpr int kModalityWindow = 6;
constexpr int kQuotedVerbReach = 3;  // words into a quotation a verb may be

// The first of `matches` (in text order) that begins at or after `token`.
int FirstAt(const std::vector<LexiconMatch>& matches, int token) {
  return std::lower_bound(matches.begin(), matches.end(), token,
                          [](const LexiconMatch& m, int t) { return m.begin < t; }) -
         matches.begin();
}

class ReactionFinder {
 public:
  ReactionFinder(const AnnotatedText& a, const LanguageKnowledge& k)
      : a_(a), k_(k) {}

  std::vector<Reaction> Run();

 private:
  void Sentence(int s);
  // Subjects of a word at token `pos`: the nearest group to its left in the
  // sentence that is not quoted, an aside or after a preposition, with the
  // groups coordinated with it ("France and the United States").
  std::vector<int> SubjectsLeft(int s, int pos) const;
  int SpeakerRight(int s, int pos) const {
    return SpeakerAfter(a_, k_, group_first_, s, pos);
  }
  int OwnActorAfter(const std::vector<int>& subjects, int pos) const;
  bool AttributedQuotation(int q) const;
  bool ClosesSubject(int s, int comma) const {
    return ClosesApposition(a_, group_first_, s, comma);
  }
  bool HeadedBy(int s, int preposition) const {
    return HeadsGenitive(a_, k_, s, preposition);
  }
  bool NearCue(int end, int cue) const {
    return WithinReach(a_, k_, end, cue);
  }
  int Antecedent(int group) const {
    return FindAntecedent(a_, k_, history_, group_first_, group);
  }
  int Resolved(int group) const {
    const Group& g = a_.groups[group];
    // "Son porte-parole, X": the office of the latest subject, when its
    // holder is named (alone, "a déclaré son porte-parole" may be
    // anyone's).
    bool possessive = g.possessive && !g.person.empty();
    return g.pronoun || possessive ? Antecedent(group) : group;
  }
  // As Resolved, with every actor a plural pronoun stands for ("Mali,
  // Burkina Faso and Niger … They denounced"); {-1} when none.
  std::vector<int> ResolvedAll(int group) const {
    if (a_.groups[group].referent != Referent::kGroups) return {Resolved(group)};
    std::vector<int> all =
        FindAntecedents(a_, k_, history_, group_first_, group);
    if (all.empty()) all.push_back(-1);
    return all;
  }
  bool Usable(int group) const {
    if (group < 0) return false;
    const Group& g = a_.groups[group];
    return !g.actor.empty() || g.speaker_like;
  }
  bool Quoted(int token) const { return a_.quotation_of[token] >= 0; }
  int ClauseEnd(int s, int from) const;
  int NextSubject(int s, int from) const;
  int ClauseStart(int s, int from) const;
  void AddContent(Reaction* r, int begin, int end) const;
  void AddWord(Reaction* r, bool stance, int index) const;
  bool Negated(int begin) const;
  v1::Modality ModalityAt(int s, int begin) const;
  Reaction* ReactionFor(int group, int resolved);
  void AddQuotes(Reaction* r, int s, int begin, int end) const;
  void Remember(int mention, int resolved) {
    history_.emplace_back(mention, resolved);
  }

  const AnnotatedText& a_;
  const LanguageKnowledge& k_;
  std::vector<Reaction> reactions_;
  // Subjects: (the group that named them, the group that resolved them).
  std::vector<std::pair<int, int>> history_;
  std::vector<int> group_first_;  // per sentence: first group index
  size_t sentence_first_reaction_ = 0;
};

std::vector<Reaction> ReactionFinder::Run() {
  const int sentences = static_cast<int>(a_.sentences.size());
  group_first_.assign(sentences + 1, static_cast<int>(a_.groups.size()));
  for (int g = static_cast<int>(a_.groups.size()) - 1; g >= 0; --g) {
    group_first_[a_.groups[g].sentence] = g;
  }
  for (int s = sentences - 1; s >= 0; --s) {
    group_first_[s] = std::min(group_first_[s], group_first_[s + 1]);
  }
  for (int s = 0; s < sentences; ++s) Sentence(s);
  std::stable_sort(reactions_.begin(), reactions_.end(),
                   [](const Reaction& x, const Reaction& y) {
                     return x.first_token < y.first_token;
                   });
  return std::move(reactions_);
}

std::vector<int> ReactionFinder::SubjectsLeft(int s, int pos) const {
  std::vector<int> subjects;
  const int first = a_.sentences[s].first;
  for (int g = group_first_[s + 1] - 1; g >= group_first_[s]; --g) {
    const Group& group = a_.groups[g];
    if (group.end > pos) continue;
    if (Quoted(group.begin) || a_.parenthetical[group.begin]) continue;
    if (group.modifier || group.object) continue;
    if (group.begin > first &&
        k_.prepositions.contains(a_.lower[group.begin - 1]) &&
        !HeadedBy(s, group.begin - 1)) {
      continue;
    }
    subjects.push_back(g);
    for (int h : GenitiveList(a_, k_, g, pos)) subjects.push_back(h);
    // Coordinated subjects: "ECOWAS and the African Union", "France,
    // Germany and Italy".
    int begin = group.begin;
    bool coordinated = false;
    for (int h = g - 1; h >= group_first_[s]; --h) {
      const Group& other = a_.groups[h];
      bool joined = other.end <= begin, coordinator = false;
      for (int t = other.end; t < begin && joined; ++t) {
        coordinator |= k_.coordinators.contains(a_.lower[t]);
        joined = a_.lower[t] == "," || k_.coordinators.contains(a_.lower[t]) ||
                 k_.joiners.contains(a_.lower[t]);
      }
      bool after_preposition =
          other.begin > first &&
          k_.prepositions.contains(a_.lower[other.begin - 1]);
      if (joined && coordinated && after_preposition) {
        // "la Mission de l'ONU au Mali, la France": "Mali" belongs to the
        // item before; the list goes on from it.
        begin = other.begin - 1;
        continue;
      }
      if (!joined || (!coordinated && !coordinator) || other.pronoun ||
          other.actor.empty() || a_.parenthetical[other.begin] ||
          after_preposition) {
        break;
      }
      coordinated = true;
      subjects.insert(subjects.begin(), h);
      begin = other.begin;
    }
    return subjects;
  }
  return subjects;
}




// "Sall, a former mayor, said his Taxawu coalition would …": a speaker
// the directory does not know who names "his" actor right after the cue
// speaks for it. The group, or -1.
int ReactionFinder::OwnActorAfter(const std::vector<int>& subjects,
                                  int pos) const {
  if (subjects.size() != 1 || Usable(subjects[0]) ||
      !a_.groups[subjects[0]].person_like || a_.groups[subjects[0]].pronoun) {
    return -1;
  }
  int g = SpeakerRight(a_.groups[subjects[0]].sentence, pos);
  if (g < 0 || a_.groups[g].actor.empty() || a_.groups[g].begin == 0 ||
      !k_.possessives.contains(a_.lower[a_.groups[g].begin - 1])) {
    return -1;
  }
  return g;
}


// Whether a cue of this sentence already gives quotation `q` a speaker
// ("Johnson said Putin had "chosen a path of bloodshed"": Johnson's words).
bool ReactionFinder::AttributedQuotation(int q) const {
  for (size_t r = sentence_first_reaction_; r < reactions_.size(); ++r) {
    const Reaction& reaction = reactions_[r];
    if (reaction.cue >= 0 &&
        std::find(reaction.quotations.begin(), reaction.quotations.end(), q) !=
            reaction.quotations.end()) {
      return true;
    }
  }
  return false;
}


// Where the words a reporting verb governs end: at the end of its clause or
// at the next name that could be a subject ("... in Niger Russia, ...").
int ReactionFinder::NextSubject(int s, int from) const {
  int end = ClauseEnd(s, from);
  for (int g = group_first_[s]; g < group_first_[s + 1]; ++g) {
    const Group& group = a_.groups[g];
    if (group.begin < from || group.begin >= end) continue;
    if (group.actor.empty() || group.pronoun || group.modifier ||
        Quoted(group.begin) || a_.parenthetical[group.begin]) {
      continue;
    }
    if (k_.prepositions.contains(a_.lower[group.begin - 1]) ||
        k_.joiners.contains(a_.lower[group.begin - 1])) {
      continue;
    }
    return group.begin;
  }
  return end;
}

int ReactionFinder::ClauseEnd(int s, int from) const {
  for (int t = from; t < a_.sentences[s].last; ++t) {
    if (!Quoted(t) && (k_.clause_breaks.contains(a_.lower[t]) ||
                       a_.lower[t] == ";")) {
      return t;
    }
  }
  return a_.sentences[s].last;
}

int ReactionFinder::ClauseStart(int s, int from) const {
  for (int t = from - 1; t >= a_.sentences[s].first; --t) {
    if (!Quoted(t) && (k_.clause_breaks.contains(a_.lower[t]) ||
                       a_.lower[t] == ";")) {
      return t + 1;
    }
  }
  return a_.sentences[s].first;
}

bool ReactionFinder::Negated(int begin) const {
  for (int i = FirstAt(a_.negations, begin - kNegationWindow - 4);
       i < static_cast<int>(a_.negations.size()) && a_.negations[i].begin < begin;
       ++i) {
    const LexiconMatch& n = a_.negations[i];
    if (n.end <= begin && begin - n.end < kNegationWindow &&
        a_.sentence_of[n.begin] == a_.sentence_of[begin]) {
      return true;
    }
  }
  return false;
}

v1::Modality ReactionFinder::ModalityAt(int s, int begin) const {
  const int first = a_.sentences[s].first, last = a_.sentences[s].last;
  int h = FirstAt(a_.hypotheticals, first);
  if (h < static_cast<int>(a_.hypotheticals.size()) &&
      a_.hypotheticals[h].begin < last) {
    return v1::MODALITY_HYPOTHETICAL;
  }
  for (int i = FirstAt(a_.futures, first);
       i < static_cast<int>(a_.futures.size()) && a_.futures[i].begin < last; ++i) {
    const LexiconMatch& f = a_.futures[i];
    if ((f.end <= begin && begin - f.end < kModalityWindow) || f.begin == begin) {
      return v1::MODALITY_FUTURE;
    }
  }
  return v1::MODALITY_ASSERTED;
}

void ReactionFinder::AddWord(Reaction* r, bool stance, int index) const {
  std::vector<int>& list = stance ? r->stances : r->actions;
  if (std::find(list.begin(), list.end(), index) != list.end()) return;
  const LexiconMatch& m = stance ? a_.stances[index] : a_.actions[index];
  bool negated = Negated(m.begin);
  list.push_back(index);
  (stance ? r->stance_negated : r->action_negated).push_back(negated);
  // The first word's modality, until a word is asserted: what a reaction
  // asserts outweighs what it rules out or makes conditional ("called the
  // postponement a coup and said it would challenge it in the courts").
  v1::Modality modality = negated ? v1::MODALITY_NEGATED
                                  : ModalityAt(a_.sentence_of[m.begin], m.begin);
  if (r->stances.size() + r->actions.size() == 1 ||
      modality == v1::MODALITY_ASSERTED) {
    r->modality = modality;
  }
}

// Stance and action words in tokens [begin, end) join the reaction, but
// for those in an aside (", which had tried to mediate,"): background.
void ReactionFinder::AddContent(Reaction* r, int begin, int end) const {
  const Group& mention = a_.groups[r->mention];
  // "X a décidé la fermeture des frontières": the decision lies between
  // the subject and the word.
  int from = begin;
  if (mention.end <= begin && begin < static_cast<int>(a_.tokens.size()) &&
      a_.sentence_of[mention.begin] == a_.sentence_of[begin]) {
    from = mention.end;
  }
  for (int t = from; t < end && !r->decided; ++t) {
    r->decided = k_.decisions.contains(a_.lower[t]) && !a_.parenthetical[t];
  }
  for (int i = FirstAt(a_.stances, begin);
       i < static_cast<int>(a_.stances.size()) && a_.stances[i].begin < end; ++i) {
    const LexiconMatch& m = a_.stances[i];
    if (!a_.parenthetical[m.begin] &&
        (m.begin < mention.begin || m.begin >= mention.end)) {
      AddWord(r, true, i);
    }
  }
  for (int i = FirstAt(a_.actions, begin);
       i < static_cast<int>(a_.actions.size()) && a_.actions[i].begin < end; ++i) {
    const LexiconMatch& m = a_.actions[i];
    if (!a_.parenthetical[m.begin] &&
        (m.begin < mention.begin || m.begin >= mention.end)) {
      AddWord(r, false, i);
    }
  }
}

// Quotations overlapping tokens [begin, end), the sentence and its time
// words join the reaction.
void ReactionFinder::AddQuotes(Reaction* r, int s, int begin, int end) const {
  int q0 = std::lower_bound(a_.quotations.begin(), a_.quotations.end(), begin,
                            [](const Quotation& q, int t) { return q.last_token < t; }) -
           a_.quotations.begin();
  for (int q = q0; q < static_cast<int>(a_.quotations.size()) &&
                   a_.quotations[q].first_token < end; ++q) {
    const Quotation& quote = a_.quotations[q];
    if (quote.first_token < end && quote.last_token >= begin &&
        std::find(r->quotations.begin(), r->quotations.end(), q) ==
            r->quotations.end()) {
      r->quotations.push_back(q);
    }
  }
  if (std::find(r->sentences.begin(), r->sentences.end(), s) ==
      r->sentences.end()) {
    r->sentences.push_back(s);
  }
  for (int t = FirstAt(a_.times, a_.sentences[s].first);
       t < static_cast<int>(a_.times.size()) && r->time < 0 &&
       a_.times[t].begin < a_.sentences[s].last; ++t) {
    if (!Quoted(a_.times[t].begin)) {
      r->time = t;
    }
  }
}

Reaction* ReactionFinder::ReactionFor(int group, int resolved) {
  const Group& g = a_.groups[resolved];
  for (size_t i = sentence_first_reaction_; i < reactions_.size(); ++i) {
    const Group& other = a_.groups[reactions_[i].resolved];
    bool same = reactions_[i].resolved == resolved ||
                (!g.actor.empty() && other.actor == g.actor);
    if (same) return &reactions_[i];
  }
  Reaction r;
  r.mention = group;
  r.resolved = resolved;
  r.first_token = a_.groups[group].begin;
  reactions_.push_back(std::move(r));
  return &reactions_.back();
}

void ReactionFinder::Sentence(int s) {
  sentence_first_reaction_ = reactions_.size();
  const ::rollcall::extract::Sentence& sentence = a_.sentences[s];
  auto react = [&](const std::vector<int>& subjects, int cue, int begin,
                   int end) {
    std::vector<int> remembered;
    for (size_t i = 0; i < subjects.size(); ++i) {
      int g = subjects[i];
      for (int resolved : ResolvedAll(g)) {
        // A pronoun may stand for a person the directory does not know.
        bool person = a_.groups[g].pronoun && resolved >= 0 &&
                      a_.groups[resolved].person_like &&
                      a_.groups[resolved].speaker_like;
        if (!Usable(resolved) && !person) continue;
        Reaction* r = ReactionFor(g, resolved);
        if (cue >= 0 && r->cue < 0) r->cue = cue;
        AddContent(r, begin, end);
        AddQuotes(r, s, begin, end);
        remembered.push_back(resolved);
      }
    }
    // Coordinated subjects share the place of the last; the first is
    // remembered last, as the most salient: "ECOWAS and the AU ... the
    // bloc" is ECOWAS.
    for (auto it = remembered.rbegin(); it != remembered.rend(); ++it) {
      Remember(subjects.back(), *it);
    }
  };
  // Attributions: "X said", "selon X", `"...", said X`.
  for (int c = FirstAt(a_.cues, sentence.first);
       c < static_cast<int>(a_.cues.size()) && a_.cues[c].begin < sentence.last; ++c) {
    const LexiconMatch& cue = a_.cues[c];
    if (Quoted(cue.begin)) continue;
    const Cue& entry = k_.cue_entries[cue.entry];
    std::vector<int> subjects;
    if (entry.side != SpeakerSide::kLeft) {
      int g = SpeakerRight(s, cue.end);
      int before = cue.begin - 1;
      if (before > sentence.first && a_.lower[before].size() <= 3 &&
          a_.tokens[before].kind == TokenKind::kWord &&
          !k_.coordinators.contains(a_.lower[before])) {
        --before;  // an auxiliary: "a déclaré", "has said"; not "and"
      }
      // The comma that closes an aside ("Egypt, which …, said it") or an
      // apposition ("Their leader, Colonel X, announced they") does not
      // invert.
      bool inverted =
          entry.side == SpeakerSide::kRight ||
          (before >= sentence.first &&
           ((a_.lower[before] == "," && !a_.parenthetical[before] &&
             !ClosesSubject(s, before)) ||
            a_.tokens[before].kind == TokenKind::kQuoteClose));
      if (g >= 0 && inverted) subjects.push_back(g);
    }
    if (subjects.empty() && entry.side != SpeakerSide::kRight) {
      subjects = SubjectsLeft(s, cue.begin);
      if (!subjects.empty() && !NearCue(a_.groups[subjects.back()].end, cue.begin)) {
        subjects.clear();
      }
      int own = OwnActorAfter(subjects, cue.end);
      if (own >= 0) subjects = {own};
    }
    if (subjects.empty()) continue;
    // The words an attribution reports: its clause, on both sides of the
    // speaker and the cue ("..., the head of ECOWAS said.").
    const Group& first = a_.groups[subjects.front()];
    int begin = ClauseStart(s, std::min(first.begin, cue.begin));
    int end = ClauseEnd(s, std::max(a_.groups[subjects.back()].end, cue.end));
    react(subjects, c, begin, end);
  }
  // Reporting constructions: "X condemned", "X a appelé à".
  auto report = [&](const std::vector<LexiconMatch>& matches) {
    for (int i = FirstAt(matches, sentence.first);
         i < static_cast<int>(matches.size()) && matches[i].begin < sentence.last; ++i) {
      const LexiconMatch& m = matches[i];
      // An aside (", which had tried to mediate,") is background, not a
      // reaction.
      if (a_.parenthetical[m.begin]) continue;
      std::vector<int> subjects;
      if (Quoted(m.begin)) {
        // X « condamne fermement ... »: a quotation that opens right after
        // its subject carries the verb.
        const Quotation& q = a_.quotations[a_.quotation_of[m.begin]];
        if (m.begin - q.first_token > kQuotedVerbReach) continue;
        if (AttributedQuotation(a_.quotation_of[m.begin])) continue;
        subjects = SubjectsLeft(s, q.first_token);
        if (subjects.empty() ||
            !NearCue(a_.groups[subjects.back()].end, q.first_token)) {
          continue;
        }
        react(subjects, -1, q.first_token, NextSubject(s, q.last_token));
        continue;
      }
      // « ... », a dénoncé le président: the subject follows.
      int before = m.begin - 1;
      if (before > sentence.first && a_.tokens[before].kind == TokenKind::kWord &&
          a_.lower[before].size() <= 3 &&
          !k_.coordinators.contains(a_.lower[before])) {
        --before;  // an auxiliary: "a", "has"; not "and"
      }
      if (before >= sentence.first &&
          ((a_.lower[before] == "," && !a_.parenthetical[before]) ||
           a_.tokens[before].kind == TokenKind::kQuoteClose)) {
        int g = SpeakerRight(s, m.end);
        if (g >= 0) {
          react({g}, -1, ClauseStart(s, m.begin), ClauseEnd(s, a_.groups[g].end));
          continue;
        }
      }
      react(SubjectsLeft(s, m.begin), -1, m.begin, NextSubject(s, m.end));
    }
  };
  report(a_.stances);
  report(a_.actions);
  // A sentence that only quotes continues the attribution before it.
  bool quotes = false;
  auto q = std::lower_bound(a_.quotations.begin(), a_.quotations.end(),
                            sentence.first, [](const Quotation& x, int t) {
                              return x.first_token < t;
                            });
  quotes = q != a_.quotations.end() && q->first_token < sentence.last;
  if (reactions_.size() == sentence_first_reaction_ && quotes &&
      !reactions_.empty() && reactions_.back().cue >= 0 &&
      reactions_.back().sentences.back() == s - 1) {
    AddQuotes(&reactions_.back(), s, sentence.first, sentence.last);
    AddContent(&reactions_.back(), sentence.first, sentence.last);
  }
}

}  // namespace

std::vector<Reaction> FindReactions(const AnnotatedText& text,
                                    const LanguageKnowledge& language) {
  return ReactionFinder(text, language).Run();
}

}  // namespace rollcall::extract
