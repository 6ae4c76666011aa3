#ifndef ROLLCALL_SERVER_EXTRACT_ACTOR_DIRECTORY_H_
#define ROLLCALL_SERVER_EXTRACT_ACTOR_DIRECTORY_H_

// The actor directory as the extractor reads it: every display name (also
// without a trailing gloss in parentheses: "Forces for Freedom and Change
// (FFC)"), alias, demonym and metonym cut into lower-case words (tokens.h)
// in one phrase index. Aliases written in capitals ("US", "AU", "ONU") match only words in
// capitals, so "us" is not the United States. Immutable once built.

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/draft.pb.h"
#include "server/extract/extractor.h"
#include "server/extract/phrase_index.h"
#include "server/extract/tokens.h"

namespace rollcall::extract {

class ActorDirectory {
 public:
  struct Name {
    std::string actor;  // "actors/{id}"
    v1::MentionResolution resolution = v1::MENTION_RESOLUTION_NAME;
    bool capitals_only = false;
    // Written without a capital in the directory ("junte malienne",
    // "opposition ivoirienne"): a noun phrase that matches as written,
    // where other names need a capital in the text.
    bool lower_case = false;
  };

  explicit ActorDirectory(const std::vector<v1::Actor>& actors);

  // The longest name starting at token i (ending at or before limit).
  bool MatchAt(const std::vector<Token>& tokens,
               const std::vector<std::string>& lower, int i, int limit,
               PhraseIndex::Match* match, const Name** name) const;

  // The actor's kind; ACTOR_KIND_UNSPECIFIED for an unknown name.
  v1::ActorKind KindOf(const std::string& actor) const;

  // The one actor of `kind` (a government body, a junta) with the country
  // code of `state`, or "" when the directory has none or several: "the
  // Malian government" is the government body when the directory tells it
  // from the state, the state otherwise.
  std::string BodyOf(const std::string& state, v1::ActorKind kind) const;

 private:
  static bool Acronym(const Name& found, const std::vector<Token>& tokens,
                      const PhraseIndex::Match& match);
  bool AcronymAt(const std::vector<Token>& tokens,
                 const std::vector<std::string>& lower, int i,
                 PhraseIndex::Match* match, const Name** name) const;
  void AddName(const std::string& actor, const std::string& phrase,
               v1::MentionResolution resolution);

  PhraseIndex names_;  // payload: index into entries_
  std::vector<Name> entries_;
  absl::flat_hash_map<std::string, v1::ActorKind> kinds_;
  // State and kind ("actors/mali|3") -> the body, "" when ambiguous.
  absl::flat_hash_map<std::string, std::string> bodies_;
};

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_ACTOR_DIRECTORY_H_
