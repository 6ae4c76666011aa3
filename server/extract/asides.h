#ifndef ROLLCALL_SERVER_EXTRACT_ASIDES_H_
#define ROLLCALL_SERVER_EXTRACT_ASIDES_H_

// Asides and appositions in an annotated text: the words a sentence sets
// apart (", which … ,", "( … )", "Egypt, a close ally of …,"), whose names
// are not subjects, and the groups that name one speaker twice ("the
// president of Benin, Patrice Talon,").

#include <vector>

#include "server/extract/annotated_text.h"
#include "server/extract/knowledge.h"

namespace rollcall::extract {

// Marks the asides of sentence `s` in a->parenthetical. `time_word` is per
// token: a day word before a comma ("On Friday, a spokesman") opens none.
void MarkAsides(const Sentence& s, const LanguageKnowledge& k,
                const std::vector<bool>& time_word, AnnotatedText* a);

// Merges groups in apposition in a->groups: an actor or an office and the
// person named after a comma, articles and titles between ("…, le
// colonel-major X"), or a person and the actor after them.
void MergeAppositions(const LanguageKnowledge& k, AnnotatedText* a);

// Marks the pronouns in object position ("Scholz called it a dark day"):
// a pronoun that may be an object right after a lower-case word that is
// neither a cue ("said it"), a coordinator, a relative, a clause break nor
// a complementizer ("that it").
void MarkObjectPronouns(const LanguageKnowledge& k, AnnotatedText* a);

// "His Saudi and Emirati counterparts": marks a demonym coordinated with a
// name that qualifies a noun (a modifier, or a lone name before a
// lower-case word that is no cue, stance, action or modal word:
// `lexicon_start` per token) as a modifier too.
void MarkCoordinatedModifiers(const LanguageKnowledge& k,
                              const std::vector<bool>& lexicon_start,
                              AnnotatedText* a);

// Marks the groups inside an action phrase, after its first word, as its
// objects ("blocked a Security Council statement", "suspended Mali's
// constitution"): never the subject of a later word.
void MarkObjectsOfActions(AnnotatedText* a);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_ASIDES_H_
