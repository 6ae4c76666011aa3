#ifndef ROLLCALL_SERVER_EXTRACT_EVAL_SCORING_H_
#define ROLLCALL_SERVER_EXTRACT_EVAL_SCORING_H_

// Scores drafts against a gold set's statements (the rule of
// docs/EXTRACTION.md): per article, sets of (actor, stance), (actor, action
// kind) and (actor, speaker name) pairs; a draft without an actor is a false
// positive in each; quotes: gold quotes a draft of the same actor
// reproduces verbatim, and the share of their words it has otherwise.

#include <string>
#include <vector>

#include "rollcall/v1/draft.pb.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall::extract {

struct Counts {
  int true_positives = 0;
  int false_positives = 0;
  int false_negatives = 0;
  void Add(const Counts& other);
  double Precision() const;
  double Recall() const;
  double F1() const;
};

struct Score {
  Counts stance, actions, speakers;
  // Actions without ACTION_KIND_OTHER, which no lexicon entry proposes.
  Counts named_actions;
  int gold_quotes = 0;
  int verbatim_quotes = 0;
  double quote_overlap = 0;  // summed over gold quotes not verbatim
  void Add(const Score& other);
  // What the drafts got wrong, one line each, for the report.
  std::vector<std::string> errors;
};

Score ScoreDrafts(const std::vector<v1::Statement>& gold,
                  const std::vector<v1::Draft>& drafts);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_EVAL_SCORING_H_
