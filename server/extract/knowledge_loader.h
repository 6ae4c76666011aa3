#ifndef ROLLCALL_SERVER_EXTRACT_KNOWLEDGE_LOADER_H_
#define ROLLCALL_SERVER_EXTRACT_KNOWLEDGE_LOADER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "server/extract/knowledge.h"

namespace rollcall::extract {

// Reads the knowledge files; every error names the file and line.
class KnowledgeLoader {
 public:
  explicit KnowledgeLoader(std::string directory)
      : directory_(std::move(directory)) {}

  absl::StatusOr<std::shared_ptr<const Knowledge>> Load();

 private:
  using Rows = std::vector<std::pair<int, std::vector<std::string>>>;
  absl::StatusOr<Rows> ReadTable(const std::string& path,
                                 const std::vector<std::string>& header);
  absl::Status Bad(const std::string& path, int line, absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": ", why));
  }
  absl::Status LoadLanguage(const std::string& language,
                            const std::string& stemmer, LanguageKnowledge* k);
  absl::Status LoadLexicons(const std::string& dir, Stemmer& stemmer,
                            LanguageKnowledge* k);
  absl::Status LoadWords(const std::string& dir, LanguageKnowledge* k);
  absl::Status LoadOfficeHolders(Knowledge* knowledge);

  std::string directory_;
};

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_KNOWLEDGE_LOADER_H_
