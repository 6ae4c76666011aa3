#ifndef ROLLCALL_SERVER_EXTRACT_EVAL_GOLD_SET_H_
#define ROLLCALL_SERVER_EXTRACT_EVAL_GOLD_SET_H_

// A gold set (data/gold/<slug>.jsonl, format in data/gold/README.md): an
// article, the directory to resolve against, and the statements a person
// coded from it.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/draft.pb.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall::extract {

struct GoldSet {
  std::string slug;
  std::string event;
  v1::Document document;  // text and metadata
  std::vector<v1::Actor> actors;  // the gold file's and its data set's
  std::vector<v1::Statement> statements;
};

// Reads `path`; files it names are relative to its folder (the text) and
// to `data_dir` (a statementsFrom data set).
absl::StatusOr<GoldSet> LoadGoldSet(const std::string& path,
                                    const std::string& data_dir);

// Reads the actors of a JSONL export (lines {"actor": {...}}; other lines
// are skipped).
absl::StatusOr<std::vector<v1::Actor>> LoadActors(const std::string& path);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_EVAL_GOLD_SET_H_
