#include "server/extract/actor_directory.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/extract/knowledge.h"

namespace rollcall::extract {
namespace {

// Lower-case French and Latin-1 letters without their accents.
std::string Unaccented(const std::string& word) {
  static const std::pair<const char*, char> kLetters[] = {
      {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'}, {"à", 'a'},
      {"â", 'a'}, {"ä", 'a'}, {"î", 'i'}, {"ï", 'i'}, {"ô", 'o'},
      {"ö", 'o'}, {"ù", 'u'}, {"û", 'u'}, {"ü", 'u'}, {"ç", 'c'}};
  std::string out;
  for (size_t i = 0; i < word.size();) {
    bool replaced = false;
    for (const auto& [accented, plain] : kLetters) {
      size_t n = std::char_traits<char>::length(accented);
      if (word.compare(i, n, accented) == 0) {
        out.push_back(plain);
        i += n;
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(word[i++]);
  }
  return out;
}

std::string BodyKey(const std::string& state, v1::ActorKind kind) {
  return absl::StrCat(state, "|", static_cast<int>(kind));
}

}  // namespace

ActorDirectory::ActorDirectory(const std::vector<v1::Actor>& actors) {
  for (const v1::Actor& actor : actors) {
    kinds_[actor.name()] = actor.kind();
    AddName(actor.name(), actor.display_name(), v1::MENTION_RESOLUTION_NAME);
    // "Forces for Freedom and Change (FFC)": the name without its gloss.
    const std::string& display = actor.display_name();
    size_t gloss = display.rfind(" (");
    if (gloss != std::string::npos && gloss > 0 && display.back() == ')') {
      AddName(actor.name(), display.substr(0, gloss),
              v1::MENTION_RESOLUTION_NAME);
    }
    for (const auto& alias : actor.aliases()) {
      AddName(actor.name(), alias, v1::MENTION_RESOLUTION_ALIAS);
    }
    for (const auto& demonym : actor.demonyms()) {
      AddName(actor.name(), demonym, v1::MENTION_RESOLUTION_DEMONYM);
    }
    for (const auto& metonym : actor.metonyms()) {
      AddName(actor.name(), metonym, v1::MENTION_RESOLUTION_METONYM);
    }
  }
  absl::flat_hash_map<std::string, std::string> states;  // by country code
  for (const v1::Actor& actor : actors) {
    if (actor.kind() == v1::ACTOR_KIND_STATE && !actor.country_code().empty()) {
      states[actor.country_code()] = actor.name();
    }
  }
  for (const v1::Actor& actor : actors) {
    if (actor.kind() == v1::ACTOR_KIND_STATE) continue;
    auto state = states.find(actor.country_code());
    if (actor.country_code().empty() || state == states.end()) continue;
    auto [it, added] =
        bodies_.emplace(BodyKey(state->second, actor.kind()), actor.name());
    if (!added && it->second != actor.name()) it->second.clear();
  }
}

void ActorDirectory::AddName(const std::string& actor,
                             const std::string& phrase,
                             v1::MentionResolution resolution) {
  std::vector<Token> tokens = Tokenize(phrase);
  if (tokens.empty()) return;
  Name name;
  name.actor = actor;
  name.resolution = resolution;
  name.capitals_only = true;
  name.lower_case = true;
  for (const Token& token : tokens) {
    if (token.kind == TokenKind::kWord && !token.all_caps) {
      name.capitals_only = false;
    }
    if (token.kind == TokenKind::kWord && token.capitalised) {
      name.lower_case = false;
    }
  }
  std::vector<std::string> words = PhraseWords(phrase, nullptr);
  names_.Add(words, entries_.size());
  // "Niger Armed Forces" is also found as "Niger's armed forces".
  if (words.size() > 1 && words[1] != "'s" && words[0] != "the") {
    std::vector<std::string> possessive = words;
    possessive.insert(possessive.begin() + 1, "'s");
    names_.Add(possessive, entries_.size());
  }
  // "The Kremlin" is also found as "Kremlin".
  if (words.size() > 1 && (words[0] == "the" || words[0] == "le" ||
                           words[0] == "la" || words[0] == "l'")) {
    names_.Add(std::vector<std::string>(words.begin() + 1, words.end()),
               entries_.size());
  }
  entries_.push_back(name);
}

bool ActorDirectory::MatchAt(const std::vector<Token>& tokens,
                             const std::vector<std::string>& lower, int i,
                             int limit, PhraseIndex::Match* match,
                             const Name** name) const {
  if (tokens[i].kind != TokenKind::kWord) return false;
  if (!names_.MatchAt(lower, i, limit, match)) {
    return AcronymAt(tokens, lower, i, match, name);
  }
  const Name& found = entries_[match->payload];
  // A name is written with a capital (French demonyms excepted:
  // "le gouvernement français"; and names the directory writes in lower
  // case: "la junte malienne").
  bool capitalised =
      found.resolution == v1::MENTION_RESOLUTION_DEMONYM || found.lower_case;
  for (int t = match->begin; t < match->end && !capitalised; ++t) {
    capitalised = tokens[t].capitalised;
  }
  if (!capitalised) return false;
  if (found.capitals_only) {
    for (int t = match->begin; t < match->end; ++t) {
      if (tokens[t].kind == TokenKind::kWord && !tokens[t].all_caps &&
          !Acronym(found, tokens, *match)) {
        return false;
      }
    }
  }
  *name = &found;
  return true;
}

// An acronym of four letters or more is also written as a word: "Ecowas",
// "Nato", and in French with accents, "Cédéao". Shorter ones are not
// ("Un", "Au" are words).
bool ActorDirectory::Acronym(const Name& found, const std::vector<Token>& tokens,
                             const PhraseIndex::Match& match) {
  return found.capitals_only && match.end == match.begin + 1 &&
         tokens[match.begin].capitalised &&
         tokens[match.begin].end - tokens[match.begin].begin >= 4;
}

bool ActorDirectory::AcronymAt(const std::vector<Token>& tokens,
                               const std::vector<std::string>& lower, int i,
                               PhraseIndex::Match* match,
                               const Name** name) const {
  if (!tokens[i].capitalised) return false;
  std::string plain = Unaccented(lower[i]);
  if (plain == lower[i]) return false;
  std::vector<std::string> key{plain};
  PhraseIndex::Match m;
  if (!names_.MatchAt(key, 0, 1, &m) || m.end != 1) return false;
  const Name& found = entries_[m.payload];
  m.begin = i;
  m.end = i + 1;
  if (!Acronym(found, tokens, m)) return false;
  *match = m;
  *name = &found;
  return true;
}

v1::ActorKind ActorDirectory::KindOf(const std::string& actor) const {
  auto it = kinds_.find(actor);
  return it == kinds_.end() ? v1::ACTOR_KIND_UNSPECIFIED : it->second;
}

std::string ActorDirectory::BodyOf(const std::string& state,
                                   v1::ActorKind kind) const {
  auto it = bodies_.find(BodyKey(state, kind));
  return it == bodies_.end() ? "" : it->second;
}

std::shared_ptr<const ActorDirectory> BuildActorDirectory(
    const std::vector<v1::Actor>& actors) {
  return std::make_shared<const ActorDirectory>(actors);
}

}  // namespace rollcall::extract
