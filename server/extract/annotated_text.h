#ifndef ROLLCALL_SERVER_EXTRACT_ANNOTATED_TEXT_H_
#define ROLLCALL_SERVER_EXTRACT_ANNOTATED_TEXT_H_

// A text cut into tokens, sentences and quotations, with what the knowledge
// and the directory recognise in it: groups of words naming someone (actor
// names, office holders, offices, capitalised names, pronouns), attribution
// cues, stance and action words, modality, negation and time words.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "server/extract/actor_directory.h"
#include "server/extract/knowledge.h"
#include "server/extract/tokens.h"

namespace rollcall::extract {

// Words that name who acts, e.g. "US Secretary of State Antony Blinken",
// "the president of neighbouring Benin", "he", "the bloc".
struct Group {
  int begin = 0;  // tokens [begin, end)
  int end = 0;
  int sentence = 0;
  std::string actor;  // empty when unresolved
  v1::MentionResolution resolution = v1::MENTION_RESOLUTION_UNSPECIFIED;
  v1::ActorKind kind = v1::ACTOR_KIND_UNSPECIFIED;
  std::string person;  // a named person, when there is one
  std::string office;  // an office, when one is named or known
  bool person_like = false;  // a person speaks (holder, office, name)
  bool pronoun = false;
  Referent referent = Referent::kAny;
  int antecedent = -1;   // for a pronoun: index of the group it stands for
  bool speaker_like = false;  // may become an unresolved speaker
  // A demonym or lone name qualifying a noun ("Russian flags"): not a
  // subject.
  bool modifier = false;
  // An office after a possessive ("its spokesman", "son porte-parole"):
  // the office of the latest subject, resolved like a pronoun.
  bool possessive = false;
  // A pronoun after a verb ("called it"): its object, not a subject.
  bool object = false;
  // For an office holder's name: its index in Knowledge::holder_groups().
  int holder_names = -1;
  // For an office after a possessor ("the bloc's chairman", "Mali's
  // envoy"): the possessor's actor, or the kind a reference to it names.
  std::string owner;
  v1::ActorKind owner_kind = v1::ACTOR_KIND_UNSPECIFIED;
};

struct LexiconMatch {
  int begin = 0;
  int end = 0;
  int entry = 0;
};

struct AnnotatedText {
  std::string text;
  std::vector<Token> tokens;
  std::vector<std::string> lower;  // per token
  std::vector<std::string> stems;  // per token
  std::vector<Sentence> sentences;
  std::vector<int> sentence_of;  // per token
  std::vector<Quotation> quotations;
  std::vector<int> quotation_of;  // per token: index or -1
  std::vector<bool> parenthetical;  // per token: in ", which ... ," or (...)
  std::vector<Group> groups;        // in text order
  std::vector<LexiconMatch> cues, stances, actions, futures, hypotheticals,
      negations, times;
};

// Annotates `text` with the knowledge of one language; `day` is the date
// office holders are looked up at.
AnnotatedText Annotate(std::string text, const LanguageKnowledge& language,
                       const Knowledge& knowledge,
                       const ActorDirectory& directory, absl::CivilDay day);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_ANNOTATED_TEXT_H_
