#ifndef ROLLCALL_SERVER_EXTRACT_SPEAKER_REACH_H_
#define ROLLCALL_SERVER_EXTRACT_SPEAKER_REACH_H_

// Where a speaker stands relative to the words that report it: close
// enough before a cue, right after an inverted one, at the head of a
// genitive, or closed by the comma of an apposition.

#include <vector>

#include "server/extract/annotated_text.h"
#include "server/extract/knowledge.h"

namespace rollcall::extract {

// "The parties in Niger's ruling coalition": whether the genitive
// preposition at token `preposition` follows a short head (one to three
// lower-case words opening a phrase) that the name after it speaks for.
bool HeadsGenitive(const AnnotatedText& a, const LanguageKnowledge& k, int s,
                   int preposition);

// Whether a speaker ending at token `end` is close to the cue at `cue`: a
// few words between, asides and a name after a preposition ("in Abidjan")
// not counted, no quotation unless the cue
// follows a coordinator ("X called it "…" and said").
bool WithinReach(const AnnotatedText& a, const LanguageKnowledge& k, int end,
                 int cue);

// The group right after token `pos` in sentence `s` (one word between at
// most, articles not counted, no complementizer: "…, adding that he" is
// not), or -1. `group_first` is per sentence the index of its first group.
int SpeakerAfter(const AnnotatedText& a, const LanguageKnowledge& k,
                 const std::vector<int>& group_first, int s, int pos);

// Whether the comma at `comma` closes a speaker in apposition ("Their
// leader, Colonel X, announced"): a usable group of two parts ends there.
bool ClosesApposition(const AnnotatedText& a,
                      const std::vector<int>& group_first, int s, int comma);

// "The heads of state of Mali, Burkina Faso and Niger", "les chefs d'État
// du Mali, du Burkina Faso et du Niger": when group `g` is an office of an
// actor, the actors coordinated after it up to token `pos`, each after a
// comma, a coordinator or a genitive, with a coordinator before the last;
// empty otherwise.
std::vector<int> GenitiveList(const AnnotatedText& a,
                              const LanguageKnowledge& k, int g, int pos);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_SPEAKER_REACH_H_
