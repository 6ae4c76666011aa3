#ifndef ROLLCALL_SERVER_EXTRACT_ANTECEDENTS_H_
#define ROLLCALL_SERVER_EXTRACT_ANTECEDENTS_H_

// What a pronoun or reference ("he", "it", "the bloc", "son porte-parole,
// X") stands for.

#include <utility>
#include <vector>

#include "server/extract/annotated_text.h"
#include "server/extract/knowledge.h"

namespace rollcall::extract {

// The group `group` (a pronoun, or an office after a possessive) stands
// for, or -1: the subject that opens its own sentence when it fits, then
// the latest subject that fits (`history`: the group that named each
// subject and the group that resolved it, in text order), then the latest
// mention that fits and does not only qualify a noun, within three
// sentences. `group_first` is per sentence the index of its first group.
int FindAntecedent(const AnnotatedText& a, const LanguageKnowledge& k,
                   const std::vector<std::pair<int, int>>& history,
                   const std::vector<int>& group_first, int group);

// What `group` stands for, as FindAntecedent, and for a plural pronoun
// (`Referent::kGroups`: "they", "ils") whose antecedent was one of
// coordinated subjects ("Mali, Burkina Faso and Niger said …. They"), all
// of them, the antecedent first. Empty when none.
std::vector<int> FindAntecedents(
    const AnnotatedText& a, const LanguageKnowledge& k,
    const std::vector<std::pair<int, int>>& history,
    const std::vector<int>& group_first, int group);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_ANTECEDENTS_H_
