#ifndef ROLLCALL_SERVER_EXTRACT_SPEAKERS_H_
#define ROLLCALL_SERVER_EXTRACT_SPEAKERS_H_

// Who a speaker phrase names: the person's own name inside it, and the
// actor an office holder of a state speaks for on the day of an article
// (the state, its government or its junta).

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/time/civil_time.h"
#include "server/extract/actor_directory.h"
#include "server/extract/annotated_text.h"
#include "server/extract/knowledge.h"
#include "server/extract/tokens.h"

namespace rollcall::extract {

// A holder who took office this many days or fewer before an article, in a
// state the directory knows a junta of, is the junta's leader (a coup
// leader listed as president from the day of the coup); one whose term
// ended this many days or fewer before it speaks for the ousted
// government.
inline constexpr int kCoupDays = 14;

// The person's name in a speaker phrase, as token range [begin, end), or
// {0, 0}. `names` are the token ranges of the capitalised names in the
// phrase in text order; the person is the last run of adjacent ones
// without the titles before it ("Britain's Africa minister Vicky Ford" is
// Vicky Ford, "Colonel Abdoulaye Maiga" Abdoulaye Maiga), and needs at
// least two words: a lone capitalised word beside an office or an actor
// ("ministère des Affaires étrangères", "la Mission de l'ONU") is more often
// part of a title than a surname.
// A name after an office word and a genitive completes the office ("the
// ministry of Foreign Affairs", "le ministre de la Justice"); names joined
// by particles are one ("Charles de Gaulle").
std::pair<int, int> PersonWords(const std::vector<std::pair<int, int>>& names,
                                const std::vector<Token>& tokens,
                                const std::vector<std::string>& lower,
                                const LanguageKnowledge& k);

// Whether words [begin, end) hold an institution noun ("Council", "Front",
// "comité"): the phrase names a body, not a person.
bool NamesInstitution(int begin, int end, const std::vector<std::string>& lower,
                      const absl::flat_hash_set<std::string>& institutions);

// Whether `office` (offices.tsv) is of a state's government ("Foreign
// Minister", "Government Spokesperson", "Ministry"): with a state, it names
// the government body the directory keeps apart from the state.
bool GovernmentOffice(const std::string& office);

// The state (or a state's government body, "Mali condemned") that the
// first group of `g`'s sentence names, when that group comes before `g`,
// outside asides and quotations, as a name and not a demonym or an office;
// "" otherwise. `a.groups` holds the groups before `g`.
std::string OpeningState(const AnnotatedText& a, const Group& g);

// Whether `office` (offices.tsv) commands a state's armed forces ("Army
// Chief", "Chief of Staff"): with a state, it names the armed forces the
// directory keeps apart from the state.
bool ArmedForcesOffice(const std::string& office);

// Whether `office` (offices.tsv) names a body or a collective ("Government",
// "Junta", "Leaders"), not one person.
bool CollectiveOffice(const std::string& office);

// The actor `holder` speaks for on `day` when the holder's actor is a
// state: the state's junta for a holder who took office within kCoupDays
// of a coup (the directory has a junta of the state), else the state's
// government body when the directory has exactly one ("President Bazoum"
// speaks for the government the directory keeps apart from Niger), else
// the state. Other actors are returned as they are.
std::string HolderActor(const ActorDirectory& directory,
                        const OfficeHolder& holder, absl::CivilDay day);

// For a holder whose term ended within kCoupDays before `day` in a state
// the directory knows a junta of (a deposed president, his ministers): the
// state's government body, the government the coup ousted; "" otherwise.
std::string OustedGovernment(const ActorDirectory& directory,
                             const OfficeHolder& holder, absl::CivilDay day);

// Of the offices of holder-name group `group` (Knowledge::holder_groups())
// held on `day`, the entry (with kTitleMatch for a title) of the actor
// `named` in the phrase if any ("Nigeria's President Bola Tinubu", not
// Tinubu the ECOWAS chair), else the first; -1 when none is held.
int HolderEntryOnDay(const Knowledge& knowledge, int group, absl::CivilDay day,
                     const std::string& named);

// Resolves `g` to the government a coup ousted when the name `group` is
// of a holder whose term ended just before `day` (OustedGovernment):
// "President Keïta" the day after the coup. False when it is not.
bool ResolveOusted(const Knowledge& knowledge, const ActorDirectory& directory,
                   absl::CivilDay day, int group, Group* g);

// "The bloc's chairman, Ghana's President Nana Akufo-Addo,": of the offices
// a holder holds on `day`, the one of the actor that owns the office named
// in the phrase (Group::owner, owner_kind) decides whom the holder speaks
// for. Other groups are left as they are.
void ResolveOwnedHolders(const Knowledge& knowledge,
                         const ActorDirectory& directory, absl::CivilDay day,
                         AnnotatedText* a);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_SPEAKERS_H_
