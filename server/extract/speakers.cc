#include "server/extract/speakers.h"

namespace rollcall::extract {

std::pair<int, int> PersonWords(const std::vector<std::pair<int, int>>& names,
                                const std::vector<Token>& tokens,
                                const std::vector<std::string>& lower,
                                const LanguageKnowledge& k) {
  if (names.empty()) return {0, 0};
  auto particles = [&](int from, int to) {  // "Charles de Gaulle"
    for (int t = from; t < to; ++t) {
      if (!k.joiners.contains(lower[t]) && !k.genitives.contains(lower[t])) {
        return false;
      }
    }
    return true;
  };
  // The last run of adjacent names: "Africa minister Vicky Ford".
  size_t first = names.size() - 1;
  while (first > 0 && particles(names[first - 1].second, names[first].first)) {
    --first;
  }
  int begin = names[first].first;
  const int end = names.back().second;
  // "The ministry of Foreign Affairs", "le ministre de la Justice": a name
  // after an office word and "of" completes the office.
  int before = begin - 1;
  while (before > 0 && k.joiners.contains(lower[before]) &&
         !k.genitives.contains(lower[before])) {
    --before;
  }
  if (before > 0 && k.genitives.contains(lower[before]) &&
      !tokens[before - 1].capitalised) {
    return {0, 0};
  }
  while (begin < end && k.titles.contains(lower[begin])) ++begin;
  // "The Sovereign Council": a body, not a person.
  if (end - begin < 2 || NamesInstitution(begin, end, lower, k.institutions)) {
    return {0, 0};
  }
  return {begin, end};
}

bool NamesInstitution(int begin, int end, const std::vector<std::string>& lower,
                      const absl::flat_hash_set<std::string>& institutions) {
  for (int i = begin; i < end; ++i) {
    if (institutions.contains(lower[i])) return true;
  }
  return false;
}

bool GovernmentOffice(const std::string& office) {
  return office == "Government" || office == "Prime Minister" ||
         office == "Minister" || office == "Foreign Minister" ||
         office == "Defence Minister" || office == "Foreign Ministry" ||
         office == "Ministry" || office == "Government Spokesperson";
}

std::string OpeningState(const AnnotatedText& a, const Group& g) {
  int first = -1;
  for (int i = static_cast<int>(a.groups.size()) - 1;
       i >= 0 && a.groups[i].sentence == g.sentence; --i) {
    first = i;
  }
  if (first < 0) return "";
  const Group& opening = a.groups[first];
  if (a.parenthetical[opening.begin] || a.quotation_of[opening.begin] >= 0 ||
      opening.modifier || opening.pronoun || !opening.office.empty() ||
      opening.kind != v1::ACTOR_KIND_STATE ||
      opening.resolution == v1::MENTION_RESOLUTION_DEMONYM) {
    return "";
  }
  return opening.actor;
}

bool ArmedForcesOffice(const std::string& office) {
  return office == "Army Chief" || office == "Armed Forces Chief" ||
         office == "Chief of Staff" || office == "Army" ||
         office == "Armed Forces";
}

bool CollectiveOffice(const std::string& office) {
  return office == "Government" || office == "Ministry" ||
         office == "Foreign Ministry" || office == "Presidency" ||
         office == "Junta" || office == "Leaders" || office == "Army" ||
         office == "Armed Forces";
}

std::string HolderActor(const ActorDirectory& directory,
                        const OfficeHolder& holder, absl::CivilDay day) {
  if (directory.KindOf(holder.actor) != v1::ACTOR_KIND_STATE) {
    return holder.actor;
  }
  std::string junta =
      directory.BodyOf(holder.actor, v1::ACTOR_KIND_NON_STATE_GROUP);
  if (!junta.empty() && holder.start <= day && day - holder.start <= kCoupDays) {
    return junta;
  }
  std::string government =
      directory.BodyOf(holder.actor, v1::ACTOR_KIND_GOVERNMENT_BODY);
  return government.empty() ? holder.actor : government;
}

// "President Keïta", the day after the coup that ousted him, speaks for the
// ousted government.
bool ResolveOusted(const Knowledge& knowledge, const ActorDirectory& directory,
                   absl::CivilDay day, int group, Group* g) {
  for (int entry : knowledge.holder_groups()[group]) {
    if ((entry & kTitleMatch) != 0) continue;
    const OfficeHolder& h = knowledge.office_holders()[entry];
    std::string government = OustedGovernment(directory, h, day);
    if (government.empty()) continue;
    g->actor = government;
    g->kind = directory.KindOf(government);
    g->resolution = v1::MENTION_RESOLUTION_OFFICE_HOLDER;
    g->person = h.person;
    g->office = h.office;
    g->person_like = true;
    g->referent = Referent::kPerson;
    return true;
  }
  return false;
}

// Of a person's offices on the day, the one of the actor the phrase names
// ("Nigeria's President Bola Tinubu", not Tinubu the ECOWAS chair).
int HolderEntryOnDay(const Knowledge& knowledge, int group, absl::CivilDay day,
                     const std::string& named) {
  int found = -1;
  for (int entry : knowledge.holder_groups()[group]) {
    const OfficeHolder& h = knowledge.office_holders()[entry & ~kTitleMatch];
    if (h.start <= day && (!h.has_end || day <= h.end)) {
      if (found < 0) found = entry;
      if (!named.empty() && h.actor == named) return entry;
    }
  }
  return found;
}

void ResolveOwnedHolders(const Knowledge& knowledge,
                         const ActorDirectory& directory, absl::CivilDay day,
                         AnnotatedText* a) {
  for (Group& g : a->groups) {
    if (g.holder_names < 0 ||
        (g.owner.empty() && g.owner_kind == v1::ACTOR_KIND_UNSPECIFIED)) {
      continue;
    }
    for (int entry : knowledge.holder_groups()[g.holder_names]) {
      if ((entry & kTitleMatch) != 0) continue;
      const OfficeHolder& h = knowledge.office_holders()[entry];
      if (h.start > day || (h.has_end && day > h.end)) continue;
      v1::ActorKind kind = directory.KindOf(h.actor);
      bool owned = h.actor == g.owner || kind == g.owner_kind ||
                   (g.owner_kind == v1::ACTOR_KIND_INTERNATIONAL_ORGANISATION &&
                    kind == v1::ACTOR_KIND_REGIONAL_BLOC);
      if (!owned) continue;
      g.actor = HolderActor(directory, h, day);
      g.kind = directory.KindOf(g.actor);
      g.office = h.office;
      break;
    }
  }
}

std::string OustedGovernment(const ActorDirectory& directory,
                             const OfficeHolder& holder, absl::CivilDay day) {
  if (!holder.has_end || holder.end >= day || day - holder.end > kCoupDays ||
      directory.KindOf(holder.actor) != v1::ACTOR_KIND_STATE ||
      directory.BodyOf(holder.actor, v1::ACTOR_KIND_NON_STATE_GROUP).empty()) {
    return "";
  }
  return directory.BodyOf(holder.actor, v1::ACTOR_KIND_GOVERNMENT_BODY);
}

}  // namespace rollcall::extract
