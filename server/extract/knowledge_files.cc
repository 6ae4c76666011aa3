// The file formats of data/extract/ (see data/extract/README.md).

#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/extract/knowledge.h"
#include "server/extract/knowledge_loader.h"

namespace rollcall::extract {
namespace {

bool ParseConfidence(const std::string& text, float* out) {
  return absl::SimpleAtof(text, out) && *out >= 0 && *out <= 1;
}

bool ParseDay(const std::string& text, absl::CivilDay* day) {
  return absl::ParseCivilTime(text, day);
}

std::string StringField(const google::protobuf::Struct& object,
                        const std::string& key) {
  auto it = object.fields().find(key);
  return it == object.fields().end() ? "" : it->second.string_value();
}

std::vector<std::string> ListField(const google::protobuf::Struct& object,
                                   const std::string& key) {
  std::vector<std::string> out;
  auto it = object.fields().find(key);
  if (it == object.fields().end()) return out;
  for (const auto& value : it->second.list_value().values()) {
    if (!value.string_value().empty()) out.push_back(value.string_value());
  }
  return out;
}

}  // namespace

absl::Status KnowledgeLoader::LoadLexicons(const std::string& dir,
                                           Stemmer& stemmer,
                                           LanguageKnowledge* k) {
  std::string path = dir + "/cues.tsv";
  auto cues = ReadTable(path, {"phrase", "speaker", "confidence"});
  if (!cues.ok()) return cues.status();
  for (const auto& [line, f] : *cues) {
    Cue cue;
    if (f[1] == "left") cue.side = SpeakerSide::kLeft;
    else if (f[1] == "right") cue.side = SpeakerSide::kRight;
    else if (f[1] == "either") cue.side = SpeakerSide::kEither;
    else return Bad(path, line, "speaker must be left, right or either");
    if (!ParseConfidence(f[2], &cue.confidence)) {
      return Bad(path, line, "confidence must be a number in [0, 1]");
    }
    // Cues match words as written: "stated" is not "States".
    k->cues.Add(PhraseWords(f[0], nullptr), k->cue_entries.size());
    k->cue_entries.push_back(cue);
  }

  path = dir + "/stance.tsv";
  auto stances = ReadTable(path, {"phrase", "stance", "confidence"});
  if (!stances.ok()) return stances.status();
  for (const auto& [line, f] : *stances) {
    StanceEntry entry;
    if (!v1::Stance_Parse("STANCE_" + f[1], &entry.stance) ||
        entry.stance == v1::STANCE_UNSPECIFIED) {
      return Bad(path, line, "unknown stance " + f[1]);
    }
    if (!ParseConfidence(f[2], &entry.confidence)) {
      return Bad(path, line, "confidence must be a number in [0, 1]");
    }
    k->stance.Add(PhraseWords(f[0], &stemmer), k->stance_entries.size());
    k->stance_entries.push_back(entry);
  }

  path = dir + "/actions.tsv";
  auto actions = ReadTable(path, {"phrase", "action", "stance", "cameo",
                                  "plover", "plover_mode"});
  if (!actions.ok()) return actions.status();
  for (const auto& [line, f] : *actions) {
    ActionEntry entry;
    if (!v1::ActionKind_Parse("ACTION_KIND_" + f[1], &entry.kind) ||
        entry.kind == v1::ACTION_KIND_UNSPECIFIED) {
      return Bad(path, line, "unknown action " + f[1]);
    }
    if (f[2] != "-" && !v1::Stance_Parse("STANCE_" + f[2],
                                         &entry.implied_stance)) {
      return Bad(path, line, "unknown stance " + f[2]);
    }
    entry.cameo = f[3] == "-" ? "" : f[3];
    entry.plover = f[4] == "-" ? "" : f[4];
    entry.plover_mode = f[5] == "-" ? "" : f[5];
    k->actions.Add(PhraseWords(f[0], &stemmer), k->action_entries.size());
    k->action_entries.push_back(entry);
  }

  path = dir + "/modality.tsv";
  auto modality = ReadTable(path, {"phrase", "modality"});
  if (!modality.ok()) return modality.status();
  for (const auto& [line, f] : *modality) {
    if (f[1] == "FUTURE") k->future.Add(PhraseWords(f[0], &stemmer), 0);
    else if (f[1] == "HYPOTHETICAL")
      k->hypothetical.Add(PhraseWords(f[0], &stemmer), 0);
    else return Bad(path, line, "modality must be FUTURE or HYPOTHETICAL");
  }

  path = dir + "/negation.tsv";
  auto negation = ReadTable(path, {"phrase"});
  if (!negation.ok()) return negation.status();
  for (const auto& [line, f] : *negation) {
    k->negation.Add(PhraseWords(f[0], &stemmer), 0);
  }
  return absl::OkStatus();
}

absl::Status KnowledgeLoader::LoadWords(const std::string& dir,
                                        LanguageKnowledge* k) {
  std::string path = dir + "/time.tsv";
  auto time = ReadTable(path, {"phrase", "kind", "value"});
  if (!time.ok()) return time.status();
  for (const auto& [line, f] : *time) {
    TimeEntry entry;
    entry.weekday = f[1] == "weekday";
    if ((!entry.weekday && f[1] != "offset") ||
        !absl::SimpleAtoi(f[2], &entry.value) ||
        (entry.weekday && (entry.value < 0 || entry.value > 6))) {
      return Bad(path, line, "kind must be weekday (0-6) or offset (days)");
    }
    k->time.Add(PhraseWords(f[0], nullptr), k->time_entries.size());
    k->time_entries.push_back(entry);
  }

  path = dir + "/offices.tsv";
  auto offices = ReadTable(path, {"phrase", "office"});
  if (!offices.ok()) return offices.status();
  for (const auto& [line, f] : *offices) {
    k->offices.Add(PhraseWords(f[0], nullptr), k->office_entries.size());
    k->office_entries.push_back({f[1]});
  }

  path = dir + "/pronouns.tsv";
  auto pronouns = ReadTable(path, {"phrase", "refers_to"});
  if (!pronouns.ok()) return pronouns.status();
  for (const auto& [line, f] : *pronouns) {
    Referent referent;
    if (f[1] == "person") referent = Referent::kPerson;
    else if (f[1] == "group") referent = Referent::kGroup;
    else if (f[1] == "groups") referent = Referent::kGroups;
    else if (f[1] == "bloc") referent = Referent::kBloc;
    else if (f[1] == "organisation") referent = Referent::kOrganisation;
    else if (f[1] == "any") referent = Referent::kAny;
    else return Bad(path, line, "refers_to must be person, group, groups, "
                                "bloc, organisation or any");
    k->pronouns.Add(PhraseWords(f[0], nullptr), k->pronoun_entries.size());
    k->pronoun_entries.push_back(referent);
  }

  path = dir + "/grammar.tsv";
  auto grammar = ReadTable(path, {"word", "category"});
  if (!grammar.ok()) return grammar.status();
  for (const auto& [line, f] : *grammar) {
    if (f[1] == "preposition") k->prepositions.insert(f[0]);
    else if (f[1] == "relative") k->relatives.insert(f[0]);
    else if (f[1] == "genitive") {
      k->genitives.insert(f[0]);
      k->prepositions.insert(f[0]);
    }
    else if (f[1] == "joiner") k->joiners.insert(f[0]);
    else if (f[1] == "coordinator") k->coordinators.insert(f[0]);
    else if (f[1] == "clause_break") k->clause_breaks.insert(f[0]);
    else if (f[1] == "abbreviation") k->abbreviations.push_back(f[0]);
    else if (f[1] == "former") k->formers.insert(f[0]);
    else if (f[1] == "agent_suffix") k->agent_suffixes.push_back(f[0]);
    else if (f[1] == "decision") k->decisions.insert(f[0]);
    else return Bad(path, line, "unknown category " + f[1]);
  }

  path = dir + "/names.tsv";
  auto names = ReadTable(path, {"word", "category"});
  if (!names.ok()) return names.status();
  for (const auto& [line, f] : *names) {
    if (f[1] == "title") k->titles.insert(f[0]);
    else if (f[1] == "institution") k->institutions.insert(f[0]);
    else if (f[1] == "possessive") k->possessives.insert(f[0]);
    else if (f[1] == "aside") k->asides.insert(f[0]);
    else if (f[1] == "object") k->object_pronouns.insert(f[0]);
    else if (f[1] == "complementizer") k->complementizers.insert(f[0]);
    else if (f[1] == "naming") k->naming.insert(f[0]);
    else return Bad(path, line, "category must be title, institution, "
                                "possessive, aside, object, complementizer "
                                "or naming");
  }
  return absl::OkStatus();
}

absl::Status KnowledgeLoader::LoadOfficeHolders(Knowledge* knowledge) {
  std::string path = directory_ + "/office-holders.jsonl";
  std::ifstream in(path);
  if (!in) return absl::OkStatus();  // optional: no office holders
  absl::flat_hash_map<std::string, int> groups;
  auto add = [&](const std::string& phrase, int entry) {
    std::vector<std::string> words = PhraseWords(phrase, nullptr);
    if (words.empty()) return;
    std::string key = absl::StrJoin(words, " ");
    auto [it, inserted] = groups.try_emplace(key, knowledge->holder_groups_.size());
    if (inserted) {
      knowledge->holder_groups_.emplace_back();
      knowledge->holder_names_.Add(words, it->second);
    }
    knowledge->holder_groups_[it->second].push_back(entry);
  };
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    google::protobuf::Struct object;
    if (!google::protobuf::util::JsonStringToMessage(line, &object).ok()) {
      return Bad(path, number, "not a JSON object");
    }
    OfficeHolder holder;
    holder.person = StringField(object, "person");
    holder.office = StringField(object, "office");
    holder.actor = StringField(object, "actor");
    std::string start = StringField(object, "start");
    std::string end = StringField(object, "end");
    if (holder.person.empty() || holder.office.empty() ||
        holder.actor.rfind("actors/", 0) != 0) {
      return Bad(path, number, "person, office and actor are required");
    }
    if (!start.empty() && !ParseDay(start, &holder.start)) {
      return Bad(path, number, "start must be YYYY-MM-DD");
    }
    if (start.empty()) holder.start = absl::CivilDay(1900, 1, 1);
    holder.has_end = !end.empty();
    if (holder.has_end && !ParseDay(end, &holder.end)) {
      return Bad(path, number, "end must be YYYY-MM-DD or empty");
    }
    holder.female = StringField(object, "gender") == "f";
    int index = knowledge->office_holders_.size();
    knowledge->office_holders_.push_back(holder);
    add(holder.person, index);
    for (const std::string& alias : ListField(object, "aliases")) add(alias, index);
    for (const std::string& title : ListField(object, "officeAliases")) {
      add(title, index | kTitleMatch);
    }
  }
  return absl::OkStatus();
}

}  // namespace rollcall::extract
