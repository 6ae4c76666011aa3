#include "server/extract/annotated_text.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_join.h"
#include "server/extract/asides.h"
#include "server/extract/speakers.h"

namespace rollcall::extract {
namespace {

enum class PieceKind { kNone, kHolder, kActor, kOffice, kPronoun, kName };

struct Piece {
  PieceKind kind = PieceKind::kNone;
  int begin = 0;
  int end = 0;
  int payload = 0;
  const ActorDirectory::Name* name = nullptr;
};

class Annotator {
 public:
  Annotator(AnnotatedText* a, const LanguageKnowledge& language,
            const Knowledge& knowledge, const ActorDirectory& directory,
            absl::CivilDay day)
      : a_(*a), k_(language), knowledge_(knowledge), directory_(directory),
        day_(day) {}

  void Run();

 private:
  void Tokens();
  void Lexicons(const Sentence& s);
  void Filter();  // drops capitalised cues and agent nouns
  void Groups(const Sentence& s, int index);
  Piece PieceAt(int i, int limit) const;
  // Index into office_holders, or -1; `named`: an actor the phrase names.
  int HolderOnDay(int group, const std::string& named) const {
    return HolderEntryOnDay(knowledge_, group, day_, named);
  }
  bool OustedHolder(int group, Group* g) const {
    return ResolveOusted(knowledge_, directory_, day_, group, g);
  }
  void Owner(int office, Group* g) const;
  void Resolve(const std::vector<Piece>& pieces, Group* group) const;
  void StateBody(const std::string& state, Group* group) const;
  std::string Words(int begin, int end) const;
  // Whether token i starts a sentence, a quotation or a heading.
  bool Initial(int i) const {
    if (i == a_.sentences[a_.sentence_of[i]].first) return true;
    const Token& prev = a_.tokens[i - 1];
    return prev.kind == TokenKind::kQuoteOpen || prev.lower == ":" ||
           prev.lower == "-" || prev.lower == "--" ||
           prev.kind == TokenKind::kLineBreak;
  }

  AnnotatedText& a_;
  const LanguageKnowledge& k_;
  const Knowledge& knowledge_;
  const ActorDirectory& directory_;
  absl::CivilDay day_;
  absl::flat_hash_set<std::string> proper_nouns_;  // capitalised mid-sentence
  std::vector<std::string> states_;  // states named so far, latest last
  std::vector<bool> time_word_;
  std::vector<bool> lexicon_start_;  // a cue, stance, action or modal word
};

void Annotator::Tokens() {
  a_.tokens = Tokenize(a_.text);
  a_.quotations = PairQuotations(a_.tokens);
  a_.sentences = SplitSentences(a_.tokens, k_.abbreviations);
  const int n = static_cast<int>(a_.tokens.size());
  a_.lower.resize(n);
  a_.stems.resize(n);
  a_.sentence_of.assign(n, -1);
  a_.quotation_of.assign(n, -1);
  a_.parenthetical.assign(n, false);
  time_word_.assign(n, false);
  lexicon_start_.assign(n, false);
  Stemmer stemmer(k_.stemmer);
  absl::flat_hash_map<std::string, std::string> stems;
  for (int i = 0; i < n; ++i) {
    Token& t = a_.tokens[i];
    a_.lower[i] = t.lower;
    if (t.kind != TokenKind::kWord) {
      a_.stems[i] = t.lower;
      continue;
    }
    auto [it, inserted] = stems.try_emplace(t.lower);
    if (inserted) it->second = stemmer.Stem(t.lower);
    a_.stems[i] = it->second;
  }
  for (int s = 0; s < static_cast<int>(a_.sentences.size()); ++s) {
    for (int i = a_.sentences[s].first; i < a_.sentences[s].last; ++i) {
      a_.sentence_of[i] = s;
      if (a_.tokens[i].capitalised && !Initial(i)) {
        proper_nouns_.insert(a_.lower[i]);
      }
    }
  }
  for (int q = 0; q < static_cast<int>(a_.quotations.size()); ++q) {
    for (int i = a_.quotations[q].first_token;
         i <= a_.quotations[q].last_token && i < n; ++i) {
      a_.quotation_of[i] = q;
    }
  }
}

void Annotator::Lexicons(const Sentence& s) {
  auto find = [&](const PhraseIndex& index, const std::vector<std::string>& keys,
                  std::vector<LexiconMatch>* out) {
    for (const auto& m : index.FindAll(keys, s.first, s.last)) {
      out->push_back({m.begin, m.end, m.payload});
      lexicon_start_[m.begin] = true;
    }
  };
  find(k_.cues, a_.lower, &a_.cues);
  find(k_.stance, a_.stems, &a_.stances);
  find(k_.actions, a_.stems, &a_.actions);
  find(k_.future, a_.stems, &a_.futures);
  find(k_.hypothetical, a_.stems, &a_.hypotheticals);
  find(k_.negation, a_.stems, &a_.negations);
  size_t before = a_.times.size();
  find(k_.time, a_.lower, &a_.times);
  for (size_t m = before; m < a_.times.size(); ++m) {
    for (int i = a_.times[m].begin; i < a_.times[m].end; ++i) time_word_[i] = true;
  }
}

void Annotator::Filter() {
  // A cue is a verb: "States" in "the United States" is not "states".
  a_.cues.erase(std::remove_if(a_.cues.begin(), a_.cues.end(),
                               [&](const LexiconMatch& m) {
                                 return a_.tokens[m.begin].capitalised &&
                                        !Initial(m.begin);
                               }),
                a_.cues.end());
  // An agent noun ("supporters", "médiateurs") names people, not an act,
  // though it has the verb's stem; its endings are the language's
  // (grammar.tsv: French "-er" is the infinitive, "condamner").
  auto agent = [&](const LexiconMatch& m) {
    const std::string& word = a_.lower[m.begin];
    const std::string& stem = a_.stems[m.begin];
    for (const std::string& suffix : k_.agent_suffixes) {
      size_t n = suffix.size();
      if (word.size() > n && word.compare(word.size() - n, n, suffix) == 0 &&
          stem.size() + n <= word.size()) {
        return true;
      }
    }
    return false;
  };
  // A word in capitals inside a sentence is part of a name: "Support" in
  // "the Rapid Support Forces", "Freedom" in "Forces for Freedom".
  auto named = [&](const LexiconMatch& m) {
    return agent(m) || (a_.tokens[m.begin].capitalised && !Initial(m.begin));
  };
  a_.stances.erase(std::remove_if(a_.stances.begin(), a_.stances.end(), named),
                   a_.stances.end());
  a_.actions.erase(std::remove_if(a_.actions.begin(), a_.actions.end(), named),
                   a_.actions.end());
}

void Annotator::Run() {
  Tokens();
  for (int s = 0; s < static_cast<int>(a_.sentences.size()); ++s) {
    Lexicons(a_.sentences[s]);
    MarkAsides(a_.sentences[s], k_, time_word_, &a_);
  }
  Filter();
  for (int s = 0; s < static_cast<int>(a_.sentences.size()); ++s) {
    Groups(a_.sentences[s], s);
  }
  MarkCoordinatedModifiers(k_, lexicon_start_, &a_);
  MergeAppositions(k_, &a_);
  ResolveOwnedHolders(knowledge_, directory_, day_, &a_);
  MarkObjectPronouns(k_, &a_);
  MarkObjectsOfActions(&a_);
}

std::string Annotator::Words(int begin, int end) const {
  if (begin >= end) return "";
  return a_.text.substr(a_.tokens[begin].begin,
                        a_.tokens[end - 1].end - a_.tokens[begin].begin);
}

Piece Annotator::PieceAt(int i, int limit) const {
  Piece best;
  const Token& t = a_.tokens[i];
  if (t.kind != TokenKind::kWord || a_.quotation_of[i] >= 0) return best;
  PhraseIndex::Match m;
  auto consider = [&](PieceKind kind, const PhraseIndex::Match& match,
                      const ActorDirectory::Name* name) {
    if (match.end > best.end) {
      best = {kind, match.begin, match.end, match.payload, name};
    }
  };
  if (knowledge_.holder_names().MatchAt(a_.lower, i, limit, &m)) {
    // A person's name needs its capitals; a title does not.
    bool title = true;
    for (int entry : knowledge_.holder_groups()[m.payload]) {
      title = title && (entry & kTitleMatch) != 0;
    }
    if (t.capitalised || title) consider(PieceKind::kHolder, m, nullptr);
  }
  const ActorDirectory::Name* name = nullptr;
  if (directory_.MatchAt(a_.tokens, a_.lower, i, limit, &m, &name)) {
    consider(PieceKind::kActor, m, name);
  }
  if (k_.offices.MatchAt(a_.lower, i, limit, &m)) {
    consider(PieceKind::kOffice, m, nullptr);
  }
  if (k_.pronouns.MatchAt(a_.lower, i, limit, &m)) {
    // "the * bloc" must not swallow a name: the gap holds no actor.
    consider(PieceKind::kPronoun, m, nullptr);
  }
  if (best.kind == PieceKind::kNone && t.capitalised && !time_word_[i] &&
      !k_.prepositions.contains(t.lower) && !k_.joiners.contains(t.lower) &&
      !k_.coordinators.contains(t.lower) && !k_.relatives.contains(t.lower) &&
      !k_.clause_breaks.contains(t.lower)) {
    // A capital at the start of a sentence proves nothing: the word must
    // also be capitalised inside one.
    if (!Initial(i) || proper_nouns_.contains(t.lower)) {
      best = {PieceKind::kName, i, i + 1, 0, nullptr};
    }
  }
  return best;
}

// "The bloc's chairman": the office of the group right before "'s".
void Annotator::Owner(int office, Group* g) const {
  if (office < 2 || a_.lower[office - 1] != "'s" || a_.groups.empty()) return;
  const Group& owner = a_.groups.back();
  if (owner.end != office - 1 || owner.sentence != g->sentence) return;
  if (!owner.pronoun) {
    g->owner = owner.actor;
  } else if (owner.referent == Referent::kBloc) {
    g->owner_kind = v1::ACTOR_KIND_REGIONAL_BLOC;
  } else if (owner.referent == Referent::kOrganisation) {
    g->owner_kind = v1::ACTOR_KIND_INTERNATIONAL_ORGANISATION;
  }
}

// "The Malian government", "la junte malienne": a state's government or
// junta is the body the directory keeps apart from the state, if it has
// exactly one.
// Without a state in the phrase ("the junta", "government spokesman X") it
// is the body of the state named last.
// A former office holder ("l'ancien Premier ministre X") speaks for neither.
void Annotator::StateBody(const std::string& state, Group* g) const {
  if (g->begin > 0 && k_.formers.contains(a_.lower[g->begin - 1])) return;
  std::string body;
  if (GovernmentOffice(g->office)) {
    body = directory_.BodyOf(state, v1::ACTOR_KIND_GOVERNMENT_BODY);
  } else if (ArmedForcesOffice(g->office)) {
    body = directory_.BodyOf(state, v1::ACTOR_KIND_ARMED_FORCES);
  } else if (g->office == "Junta") {
    body = directory_.BodyOf(state, v1::ACTOR_KIND_NON_STATE_GROUP);
    if (body.empty()) {
      body = directory_.BodyOf(state, v1::ACTOR_KIND_GOVERNMENT_BODY);
    }
  }
  if (body.empty()) return;
  g->actor = body;
  g->kind = directory_.KindOf(body);
  g->resolution = v1::MENTION_RESOLUTION_OFFICE;
}

void Annotator::Resolve(const std::vector<Piece>& pieces, Group* g) const {
  bool named = false;  // a person's name stands in the phrase
  for (const Piece& p : pieces) named |= p.kind == PieceKind::kName;
  std::vector<std::string> names;
  int name_words = 0;
  bool known_person = false;  // a holder's name, out of office on the day
  std::string title_office;   // a title of another actor's holder
  const Piece* actor = nullptr;
  const Piece* office = nullptr;
  std::string named_actor;
  bool army = false;  // "army chief General X": he speaks for the army
  for (const Piece& p : pieces) {
    if (p.kind == PieceKind::kActor && named_actor.empty()) {
      named_actor = p.name->actor;
    }
    army |= p.kind == PieceKind::kOffice &&
            ArmedForcesOffice(k_.office_entries[p.payload].office);
  }
  for (const Piece& p : pieces) {
    if (p.kind == PieceKind::kHolder) {
      int entry = HolderOnDay(p.payload, named_actor);
      if (entry < 0 && OustedHolder(p.payload, g)) return;
      if (entry < 0) {
        names.push_back(Words(p.begin, p.end));
        name_words += p.end - p.begin;
        known_person = true;
        continue;
      }
      // A title names its holder only when no other person is named
      // ("foreign ministry spokeswoman Hua Chunying" is not the holder of
      // another ministry's title).
      if ((entry & kTitleMatch) != 0 && named) continue;
      const OfficeHolder& h = knowledge_.office_holders()[entry & ~kTitleMatch];
      // Nor when the phrase names another actor ("le porte-parole du
      // gouvernement nigérien" is not France's government spokesman).
      if ((entry & kTitleMatch) != 0 && !named_actor.empty() &&
          named_actor != h.actor) {
        title_office = h.office;  // the same office, of the actor named
        continue;
      }
      g->actor = HolderActor(directory_, h, day_);
      std::string forces =
          army ? directory_.BodyOf(h.actor, v1::ACTOR_KIND_ARMED_FORCES) : "";
      if (!forces.empty()) g->actor = forces;
      g->kind = directory_.KindOf(g->actor);
      g->resolution = (entry & kTitleMatch) ? v1::MENTION_RESOLUTION_OFFICE
                                            : v1::MENTION_RESOLUTION_OFFICE_HOLDER;
      g->person = h.person;
      g->office = h.office;
      g->person_like = true;
      g->referent = Referent::kPerson;
      g->holder_names = p.payload;
      return;
    }
    if (p.kind == PieceKind::kActor && actor == nullptr) actor = &p;
    if (p.kind == PieceKind::kOffice && office == nullptr) office = &p;
    if (p.kind == PieceKind::kName) {
      names.push_back(Words(p.begin, p.end));
      ++name_words;
    }
  }
  // The person as written, without the titles before the name; none when
  // the names qualify an office after them ("West African leaders").
  std::vector<std::pair<int, int>> name_spans;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece& p = pieces[i];
    if (p.kind == PieceKind::kName || p.kind == PieceKind::kHolder) {
      name_spans.emplace_back(p.begin, p.end);
    } else if (p.kind == PieceKind::kOffice && i > 0 &&
               pieces[i - 1].kind == PieceKind::kName) {
      name_spans.clear();
    }
  }
  auto [first_name, last_name] = PersonWords(name_spans, a_.tokens, a_.lower, k_);
  g->person = Words(first_name, last_name);
  if (office != nullptr) {
    g->office = k_.office_entries[office->payload].office;
  } else if (!title_office.empty() && actor != nullptr) {
    g->office = title_office;
  }
  // "The leaders", "the government", "the junta" name a body, not a
  // person: "it" and "they" may stand for them.
  bool collective = office != nullptr && names.empty() &&
                    CollectiveOffice(k_.office_entries[office->payload].office);
  g->person_like = (office != nullptr && !collective) ||
                   !title_office.empty() ||
                   (actor == nullptr && !names.empty());
  if (actor != nullptr) {
    g->actor = actor->name->actor;
    g->kind = directory_.KindOf(g->actor);
    g->resolution = !g->office.empty() ? v1::MENTION_RESOLUTION_OFFICE
                                       : actor->name->resolution;
    if (!g->office.empty() && g->kind == v1::ACTOR_KIND_STATE) {
      StateBody(g->actor, g);
    }
    if (g->kind == v1::ACTOR_KIND_PERSON) g->person_like = true;
    if (!names.empty() && office == nullptr) g->person_like = true;
  } else {
    g->resolution = v1::MENTION_RESOLUTION_UNRESOLVED;
    // "Egypt, a close ally of the Sudanese military, called in a foreign
    // ministry statement for …": a government office is that of the state
    // that opens its sentence, its government body or the state itself.
    std::string own = office != nullptr ? OpeningState(a_, *g) : "";
    if (!own.empty()) {
      StateBody(own, g);
      if (g->actor.empty() && GovernmentOffice(g->office)) {
        g->actor = own;
        g->kind = directory_.KindOf(own);
        g->resolution = v1::MENTION_RESOLUTION_OFFICE;
      }
    }
    // "the junta", "government spokesman X": of the states named so far,
    // the latest that has such a body.
    for (auto it = states_.rbegin(); office != nullptr && it != states_.rend() &&
                                     g->actor.empty();
         ++it) {
      StateBody(*it, g);
    }
    if (!g->actor.empty()) return;
    // A speaker the directory does not know is named in full ("Jean
    // Dupont", "the Sahel Liberation Front") or by office and name: a lone
    // word ("Bashir", "AFP", "English") is too often something else.
    // A person it does not know speaks for someone only with an office
    // ("Prime Minister Narendra Modi"); named alone ("Irina Sokolova, an
    // analyst") they are colour, not a reaction.
    bool body = NamesInstitution(pieces.front().begin, pieces.back().end,
                                 a_.lower, k_.institutions);
    g->speaker_like = (name_words >= 2 && (body || known_person)) ||
                      (office != nullptr && name_words > 0);
  }
  if (!g->person_like && g->office.empty()) g->person.clear();
}

void Annotator::Groups(const Sentence& s, int index) {
  for (int i = s.first; i < s.last;) {
    Piece piece = PieceAt(i, s.last);
    if (piece.kind == PieceKind::kNone) {
      ++i;
      continue;
    }
    Group g;
    g.begin = piece.begin;
    g.sentence = index;
    std::vector<Piece> pieces{piece};
    int end = piece.end;
    if (piece.kind == PieceKind::kPronoun) {
      g.pronoun = true;
      g.referent = k_.pronoun_entries[piece.payload];
      g.resolution = v1::MENTION_RESOLUTION_PRONOUN;
    } else {
      while (end < s.last) {
        int j = end;
        while (j < s.last && k_.joiners.contains(a_.lower[j])) ++j;
        bool paren = j < s.last && a_.lower[j] == "(";
        if (paren) ++j;
        if (j >= s.last) break;
        Piece next = PieceAt(j, s.last);
        if (next.kind == PieceKind::kNone || next.kind == PieceKind::kPronoun) {
          break;
        }
        // A country right after a first name is a surname ("Nouhoum
        // Togo"): part of the name.
        if (next.kind == PieceKind::kActor && !paren && j == end &&
            pieces.back().kind == PieceKind::kName &&
            next.name->resolution != v1::MENTION_RESOLUTION_DEMONYM &&
            next.end - next.begin == 1) {
          for (int t = next.begin; t < next.end; ++t) {
            pieces.push_back({PieceKind::kName, t, t + 1, 0, nullptr});
          }
          end = next.end;
          continue;
        }
        // Two names side by side are two groups ("in Niger Russia").
        bool has_actor = false;
        for (const Piece& p : pieces) has_actor |= p.kind == PieceKind::kActor;
        if (has_actor && next.kind == PieceKind::kActor && !paren && j == end) {
          break;
        }
        end = next.end;
        if (paren) {
          if (end < s.last && a_.lower[end] == ")") ++end;
        } else {
          pieces.push_back(next);
        }
      }
      Resolve(pieces, &g);
      g.possessive = g.actor.empty() && !g.office.empty() &&
                     piece.kind == PieceKind::kOffice && piece.begin > s.first &&
                     k_.possessives.contains(a_.lower[piece.begin - 1]);
      if (g.possessive) g.referent = Referent::kAny;
      if (g.actor.empty() && !g.office.empty()) Owner(piece.begin, &g);
    }
    // The state named, even when the phrase is its government or army
    // ("Sudan's army"): "the army" after it is Sudan's.
    for (const Piece& p : pieces) {
      if (p.kind != PieceKind::kActor ||
          directory_.KindOf(p.name->actor) != v1::ACTOR_KIND_STATE) {
        continue;
      }
      states_.erase(std::remove(states_.begin(), states_.end(), p.name->actor),
                    states_.end());
      states_.push_back(p.name->actor);
      break;
    }
    if (g.kind == v1::ACTOR_KIND_STATE) {
      // "Mali condemned": a state speaks through its government, the body
      // the directory keeps apart from it when it has one ("Malian
      // soldiers", a demonym, are not the government).
      if (g.resolution != v1::MENTION_RESOLUTION_DEMONYM) {
        std::string government =
            directory_.BodyOf(g.actor, v1::ACTOR_KIND_GOVERNMENT_BODY);
        if (!government.empty()) g.actor = government;
      }
    }
    g.end = end;
    // "Russian flags", "Bazoum supporters": a lone demonym or name before a
    // lower-case word that is not a cue, stance or action qualifies it.
    bool lone = pieces.size() == 1 &&
                ((piece.kind == PieceKind::kActor &&
                  piece.name->resolution == v1::MENTION_RESOLUTION_DEMONYM) ||
                 piece.kind == PieceKind::kName);
    if (lone && !g.pronoun && end < s.last &&
        a_.tokens[end].kind == TokenKind::kWord &&
        !a_.tokens[end].capitalised && !lexicon_start_[end] &&
        !k_.joiners.contains(a_.lower[end]) &&
        !(k_.coordinators.contains(a_.lower[end]) && end + 1 < s.last &&
          a_.tokens[end + 1].capitalised)) {
      g.modifier = piece.kind == PieceKind::kActor;
      g.speaker_like = false;
    }
    a_.groups.push_back(std::move(g));
    i = end;
  }
}

}  // namespace

AnnotatedText Annotate(std::string text, const LanguageKnowledge& language,
                       const Knowledge& knowledge,
                       const ActorDirectory& directory, absl::CivilDay day) {
  AnnotatedText annotated;
  annotated.text = std::move(text);
  Annotator(&annotated, language, knowledge, directory, day).Run();
  return annotated;
}

}  // namespace rollcall::extract
