#ifndef ROLLCALL_SERVER_EXTRACT_STANCE_RULES_H_
#define ROLLCALL_SERVER_EXTRACT_STANCE_RULES_H_

// Rules on what a reaction's words say once its actor is known: which of
// its action words are acts of the actor, and how an act with no kind of
// its own is described.

#include <string>

#include "server/extract/annotated_text.h"
#include "server/extract/reactions.h"

namespace rollcall::extract {

// Whether the action word `action` of `r` names the object of one of its
// stance words rather than an act of the reaction's actor: "Mali condemns
// these illegitimate, illegal and inhumane sanctions", "ils dénoncent les
// « sanctions illégales »", "a statement endorsing the sanctions". The
// words between are at most a few, with no other action word, and a comma
// or coordinator among them only after another stance word (a list of
// epithets): "condemned the coup and imposed sanctions", "condemned the
// coup, suspended Niger from its bodies" keep their acts.
bool NamedAsObject(const AnnotatedText& text, const LanguageKnowledge& language,
                   const Reaction& r, const LexiconMatch& action);

// What an action word of ACTION_KIND_OTHER reports, for its description:
// its words and those after them up to the end of the phrase (a
// punctuation mark, a quotation mark, a coordinator or the end of the
// sentence), at most twelve words: "dissolved the government", "curfew
// from 9 pm to 5 am".
std::string ActionDescription(const AnnotatedText& text,
                              const LanguageKnowledge& language,
                              const LexiconMatch& action);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_STANCE_RULES_H_
