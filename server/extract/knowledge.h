#ifndef ROLLCALL_SERVER_EXTRACT_KNOWLEDGE_H_
#define ROLLCALL_SERVER_EXTRACT_KNOWLEDGE_H_

// The extractor's knowledge, as loaded from data/extract/ (documented in
// data/extract/README.md): per language, attribution cues, stance and action
// lexicons, modality and negation words, time words, generic offices,
// pronouns and function words; and the office holders with their dates.
// Immutable once loaded.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rollcall/v1/statement.pb.h"
#include "server/extract/phrase_index.h"

struct sb_stemmer;

namespace rollcall::extract {

// A Snowball stemmer (libstemmer). Not thread-safe: one per thread.
class Stemmer {
 public:
  explicit Stemmer(const std::string& algorithm);  // "english", "french"
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  // The stem of a lower-case word; the word itself if it has no letters.
  std::string Stem(absl::string_view word);

 private:
  sb_stemmer* stemmer_;
};

// Where an attribution cue expects its speaker.
enum class SpeakerSide { kLeft, kRight, kEither };

struct Cue {
  SpeakerSide side = SpeakerSide::kEither;
  float confidence = 0.8f;
};

struct StanceEntry {
  v1::Stance stance = v1::STANCE_UNSPECIFIED;
  float confidence = 0.8f;
};

struct ActionEntry {
  v1::ActionKind kind = v1::ACTION_KIND_UNSPECIFIED;
  v1::Stance implied_stance = v1::STANCE_UNSPECIFIED;
  std::string cameo;        // CAMEO code, e.g. "112"
  std::string plover;       // PLOVER event type, e.g. "ACCUSE"
  std::string plover_mode;  // PLOVER mode, may be empty
};

struct TimeEntry {
  // A weekday (0 = Monday .. 6 = Sunday) or a day offset from publication.
  bool weekday = false;
  int value = 0;
};

struct OfficeEntry {
  std::string office;  // e.g. "Foreign Minister"
};

// What a pronoun or nominal reference may stand for. `kGroups` is a plural
// "they": an actor that is not a person, with those coordinated with it.
enum class Referent { kPerson, kGroup, kGroups, kBloc, kOrganisation, kAny };

// Everything for one language. Lexicons match stems (libstemmer), the
// rest lower-case words.
struct LanguageKnowledge {
  std::string language;  // "en", "fr"
  std::string stemmer;   // libstemmer algorithm
  PhraseIndex cues;      // stems -> cues[payload]
  std::vector<Cue> cue_entries;
  PhraseIndex stance;
  std::vector<StanceEntry> stance_entries;
  PhraseIndex actions;
  std::vector<ActionEntry> action_entries;
  PhraseIndex future;        // stems: "will", "threatened to"
  PhraseIndex hypothetical;  // stems: "if", "could"
  PhraseIndex negation;      // stems: "not", "never"
  PhraseIndex time;          // lower: "wednesday", "yesterday"
  std::vector<TimeEntry> time_entries;
  PhraseIndex offices;       // lower: "foreign minister"
  std::vector<OfficeEntry> office_entries;
  PhraseIndex pronouns;      // lower: "he", "the bloc"
  std::vector<Referent> pronoun_entries;
  absl::flat_hash_set<std::string> prepositions;   // lower
  absl::flat_hash_set<std::string> relatives;      // "which", "qui"
  absl::flat_hash_set<std::string> genitives;      // "of", "in", "de"
  absl::flat_hash_set<std::string> joiners;        // inside a speaker phrase
  absl::flat_hash_set<std::string> coordinators;   // "and", "et"
  absl::flat_hash_set<std::string> clause_breaks;  // "while", "but"
  std::vector<std::string> abbreviations;          // "mr", "gen"
  absl::flat_hash_set<std::string> formers;        // "former", "ancien"
  // Words by which an actor reports its own decision: "decided", "décidé".
  absl::flat_hash_set<std::string> decisions;
  // Endings of agent nouns ("supporters", "médiateurs"): a stance or action
  // word so ended names people, not an act.
  std::vector<std::string> agent_suffixes;         // "er", "eur"
  absl::flat_hash_set<std::string> titles;  // before a name: "colonel", "mr"
  // Nouns naming a body, not a person: "council", "front", "comité".
  absl::flat_hash_set<std::string> institutions;
  // Before an office, it names the office of the latest subject: "its
  // spokesman", "son porte-parole".
  absl::flat_hash_set<std::string> possessives;
  // After a name and a comma, open an aside: "a" ("Egypt, a close ally
  // of ..., said"), "meeting".
  absl::flat_hash_set<std::string> asides;
  // Pronouns that may be objects ("it"), and the words after which they
  // are subjects all the same ("that").
  absl::flat_hash_set<std::string> object_pronouns;
  absl::flat_hash_set<std::string> complementizers;
  // Introduce a name in an apposition: ", an officer named X".
  absl::flat_hash_set<std::string> naming;
};

// A person who held an office of an actor between two dates.
struct OfficeHolder {
  std::string person;
  std::string office;
  std::string actor;     // "actors/{id}"
  absl::CivilDay start;
  absl::CivilDay end;    // open when has_end is false
  bool has_end = false;
  bool female = false;
};

class Knowledge {
 public:
  // The knowledge for `language` ("en", "fr-FR"), or English's.
  const LanguageKnowledge& ForLanguage(absl::string_view language) const;
  bool Supports(absl::string_view language) const;

  const std::vector<OfficeHolder>& office_holders() const {
    return office_holders_;
  }
  // Person names and aliases (lower-case words) -> indexes of
  // office_holders(); office titles naming one holder ("US Secretary of
  // State") -> the same, with payload offset by holder_titles_base().
  const PhraseIndex& holder_names() const { return holder_names_; }
  const std::vector<std::vector<int>>& holder_groups() const {
    return holder_groups_;
  }

 private:
  friend absl::StatusOr<std::shared_ptr<const Knowledge>> LoadKnowledge(
      const std::string& directory);
  friend class KnowledgeLoader;

  std::map<std::string, LanguageKnowledge> languages_;
  std::vector<OfficeHolder> office_holders_;
  PhraseIndex holder_names_;  // payload: index into holder_groups_
  // Each group: holders sharing a name or title; bit 31 of an entry marks
  // a match by title (the office named without the person).
  std::vector<std::vector<int>> holder_groups_;
};

constexpr int kTitleMatch = 1 << 30;

// The words of a phrase as the index compares them: lower-case tokens, or
// their stems when `stemmer` is given.
std::vector<std::string> PhraseWords(absl::string_view phrase,
                                     Stemmer* stemmer);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_KNOWLEDGE_H_
