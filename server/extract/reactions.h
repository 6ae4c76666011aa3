#ifndef ROLLCALL_SERVER_EXTRACT_REACTIONS_H_
#define ROLLCALL_SERVER_EXTRACT_REACTIONS_H_

// Reactions found in an annotated text: an attribution (a cue and its
// speaker: "X said", "selon X", `"...", a déclaré X`) or a reporting
// construction (a stance or action word with its subject: "X condemned",
// "X a appelé à"), with the words that report what was said or done.

#include <vector>

#include "server/extract/annotated_text.h"

namespace rollcall::extract {

struct Reaction {
  int mention = -1;  // the group that named the actor (maybe a pronoun)
  int resolved = -1;  // the group that gave the actor (its antecedent)
  int cue = -1;       // index into AnnotatedText::cues, or -1
  std::vector<int> sentences;
  std::vector<int> quotations;
  std::vector<int> stances;  // indexes into AnnotatedText::stances
  std::vector<int> actions;  // indexes into AnnotatedText::actions
  std::vector<bool> stance_negated, action_negated;
  v1::Modality modality = v1::MODALITY_ASSERTED;
  // Its words report a decision ("I have decided to", "a décidé"), outside
  // an aside.
  bool decided = false;
  int time = -1;  // index into AnnotatedText::times
  int first_token = 0;
};

std::vector<Reaction> FindReactions(const AnnotatedText& text,
                                    const LanguageKnowledge& language);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_REACTIONS_H_
