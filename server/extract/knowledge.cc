#include "server/extract/knowledge.h"
#include "server/extract/knowledge_loader.h"

#include <fstream>
#include <sstream>

#include <libstemmer.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/extract/extractor.h"
#include "server/extract/tokens.h"

namespace rollcall::extract {

Stemmer::Stemmer(const std::string& algorithm)
    : stemmer_(sb_stemmer_new(algorithm.c_str(), "UTF_8")) {}

Stemmer::~Stemmer() {
  if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
}

std::string Stemmer::Stem(absl::string_view word) {
  if (stemmer_ == nullptr || word.empty() || word.size() > 64) {
    return std::string(word);
  }
  const sb_symbol* stem = sb_stemmer_stem(
      stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
      static_cast<int>(word.size()));
  if (stem == nullptr) return std::string(word);
  return std::string(reinterpret_cast<const char*>(stem),
                     sb_stemmer_length(stemmer_));
}

std::vector<std::string> PhraseWords(absl::string_view phrase,
                                     Stemmer* stemmer) {
  std::vector<std::string> words;
  for (const Token& token : Tokenize(phrase)) {
    if (token.lower == "*") {
      words.push_back("*");
    } else {
      words.push_back(stemmer != nullptr && token.kind == TokenKind::kWord
                          ? stemmer->Stem(token.lower)
                          : token.lower);
    }
  }
  return words;
}

const LanguageKnowledge& Knowledge::ForLanguage(
    absl::string_view language) const {
  std::string primary(language.substr(0, language.find('-')));
  absl::AsciiStrToLower(&primary);
  auto it = languages_.find(primary);
  if (it == languages_.end()) it = languages_.find("en");
  if (it == languages_.end()) it = languages_.begin();
  return it->second;
}

bool Knowledge::Supports(absl::string_view language) const {
  std::string primary(language.substr(0, language.find('-')));
  absl::AsciiStrToLower(&primary);
  return languages_.count(primary) > 0;
}

absl::StatusOr<KnowledgeLoader::Rows> KnowledgeLoader::ReadTable(
    const std::string& path, const std::vector<std::string>& header) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  Rows rows;
  std::string line;
  int number = 0;
  bool have_version = false, have_header = false;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (!have_version) {
      int version = 0;
      if (fields.size() != 2 || fields[0] != "version" ||
          !absl::SimpleAtoi(fields[1], &version) || version < 1) {
        return Bad(path, number, "the first line must be 'version<TAB>N'");
      }
      have_version = true;
      continue;
    }
    if (!have_header) {
      if (fields != header) {
        return Bad(path, number, absl::StrCat("the header must be '",
                                              absl::StrJoin(header, "<TAB>"),
                                              "'"));
      }
      have_header = true;
      continue;
    }
    if (fields.size() != header.size() || fields[0].empty()) {
      return Bad(path, number,
                 absl::StrCat("expected ", header.size(), " columns"));
    }
    rows.emplace_back(number, std::move(fields));
  }
  if (!have_header) return Bad(path, number, "no version and header lines");
  return rows;
}

absl::StatusOr<std::shared_ptr<const Knowledge>> KnowledgeLoader::Load() {
  auto knowledge = std::make_shared<Knowledge>();
  std::string path = directory_ + "/languages.tsv";
  auto rows = ReadTable(path, {"language", "stemmer"});
  if (!rows.ok()) return rows.status();
  for (const auto& [line, fields] : *rows) {
    LanguageKnowledge& k = knowledge->languages_[fields[0]];
    absl::Status status = LoadLanguage(fields[0], fields[1], &k);
    if (!status.ok()) return status;
  }
  if (knowledge->languages_.empty()) {
    return Bad(path, 1, "names no language");
  }
  absl::Status status = LoadOfficeHolders(knowledge.get());
  if (!status.ok()) return status;
  return std::shared_ptr<const Knowledge>(std::move(knowledge));
}

absl::Status KnowledgeLoader::LoadLanguage(const std::string& language,
                                           const std::string& stemmer_name,
                                           LanguageKnowledge* k) {
  k->language = language;
  k->stemmer = stemmer_name;
  Stemmer stemmer(stemmer_name);
  std::string dir = directory_ + "/" + language;
  absl::Status status = LoadLexicons(dir, stemmer, k);
  if (!status.ok()) return status;
  return LoadWords(dir, k);
}

absl::StatusOr<std::shared_ptr<const Knowledge>> LoadKnowledge(
    const std::string& directory) {
  return KnowledgeLoader(directory).Load();
}

}  // namespace rollcall::extract
