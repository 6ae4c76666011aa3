#include "server/extract/eval/scoring.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/extract/tokens.h"

namespace rollcall::extract {
namespace {

using Pair = std::pair<std::string, std::string>;

// Lower case without diacritics: "António" and "Antonio" are one name.
std::string Fold(const std::string& text) {
  static const char* const kFrom[] = {"á", "à", "â", "ä", "ã", "é", "è", "ê",
                                      "ë", "í", "ì", "î", "ï", "ó", "ò", "ô",
                                      "ö", "õ", "ú", "ù", "û", "ü", "ç", "ñ"};
  static const char kTo[] = "aaaaaeeeeiiiiooooouuuucn";
  std::string lower = LowerUtf8(text), out;
  for (size_t i = 0; i < lower.size();) {
    bool done = false;
    for (int k = 0; k < 24 && !done; ++k) {
      size_t n = std::char_traits<char>::length(kFrom[k]);
      if (lower.compare(i, n, kFrom[k]) == 0) {
        out.push_back(kTo[k]);
        i += n;
        done = true;
      }
    }
    if (!done) out.push_back(lower[i++]);
  }
  return out;
}

Counts Compare(const std::set<Pair>& gold, const std::set<Pair>& found,
               int unresolved, const char* what, std::vector<std::string>* errors) {
  Counts c;
  for (const Pair& p : found) {
    if (gold.count(p)) {
      ++c.true_positives;
    } else {
      ++c.false_positives;
      errors->push_back(absl::StrCat(what, " extra: ", p.first, " ", p.second));
    }
  }
  for (const Pair& p : gold) {
    if (!found.count(p)) {
      ++c.false_negatives;
      errors->push_back(absl::StrCat(what, " missed: ", p.first, " ", p.second));
    }
  }
  c.false_positives += unresolved;
  return c;
}

std::set<std::string> Words(const std::string& text) {
  std::set<std::string> words;
  for (const Token& t : Tokenize(text)) {
    if (t.kind == TokenKind::kWord) words.insert(t.lower);
  }
  return words;
}

}  // namespace

void Counts::Add(const Counts& o) {
  true_positives += o.true_positives;
  false_positives += o.false_positives;
  false_negatives += o.false_negatives;
}
double Counts::Precision() const {
  int n = true_positives + false_positives;
  return n == 0 ? 1.0 : static_cast<double>(true_positives) / n;
}
double Counts::Recall() const {
  int n = true_positives + false_negatives;
  return n == 0 ? 1.0 : static_cast<double>(true_positives) / n;
}
double Counts::F1() const {
  double p = Precision(), r = Recall();
  return p + r == 0 ? 0 : 2 * p * r / (p + r);
}

void Score::Add(const Score& o) {
  stance.Add(o.stance);
  actions.Add(o.actions);
  speakers.Add(o.speakers);
  named_actions.Add(o.named_actions);
  gold_quotes += o.gold_quotes;
  verbatim_quotes += o.verbatim_quotes;
  quote_overlap += o.quote_overlap;
}

Score ScoreDrafts(const std::vector<v1::Statement>& gold,
                  const std::vector<v1::Draft>& drafts) {
  Score score;
  std::set<Pair> gold_stance, gold_actions, gold_speakers;
  std::set<Pair> stance, actions, speakers;
  for (const v1::Statement& s : gold) {
    gold_stance.insert({s.actor(), v1::Stance_Name(s.stance())});
    for (const auto& a : s.actions()) {
      gold_actions.insert({s.actor(), v1::ActionKind_Name(a.kind())});
    }
    if (!s.speaker().person_name().empty()) {
      gold_speakers.insert({s.actor(), Fold(s.speaker().person_name())});
    }
  }
  int unresolved = 0;
  for (const v1::Draft& d : drafts) {
    const v1::Statement& s = d.statement();
    if (s.actor().empty()) {
      ++unresolved;
      score.errors.push_back("unresolved: " + d.unresolved_mention());
      continue;
    }
    stance.insert({s.actor(), v1::Stance_Name(s.stance())});
    for (const auto& a : s.actions()) {
      actions.insert({s.actor(), v1::ActionKind_Name(a.kind())});
    }
    if (!s.speaker().person_name().empty()) {
      speakers.insert({s.actor(), Fold(s.speaker().person_name())});
    }
  }
  score.stance = Compare(gold_stance, stance, unresolved, "stance", &score.errors);
  score.actions = Compare(gold_actions, actions, unresolved, "action", &score.errors);
  std::set<Pair> gold_named, named;
  for (const Pair& p : gold_actions) {
    if (p.second != "ACTION_KIND_OTHER") gold_named.insert(p);
  }
  for (const Pair& p : actions) {
    if (p.second != "ACTION_KIND_OTHER") named.insert(p);
  }
  std::vector<std::string> ignored;
  score.named_actions = Compare(gold_named, named, unresolved, "", &ignored);
  score.speakers = Compare(gold_speakers, speakers, unresolved, "speaker", &score.errors);
  for (const v1::Statement& s : gold) {
    if (s.quote().empty()) continue;
    ++score.gold_quotes;
    std::vector<std::string> pieces = absl::StrSplit(s.quote(), " [...] ");
    double best = 0;
    bool verbatim = false;
    for (const v1::Draft& d : drafts) {
      if (d.statement().actor() != s.actor()) continue;
      const std::string& q = d.statement().quote();
      bool all = true;
      for (const auto& piece : pieces) all = all && q.find(piece) != std::string::npos;
      if (all) verbatim = true;
      std::set<std::string> want = Words(s.quote()), have = Words(q);
      int common = 0;
      for (const auto& w : want) common += have.count(w);
      if (!want.empty()) best = std::max(best, static_cast<double>(common) / want.size());
    }
    if (verbatim) {
      ++score.verbatim_quotes;
    } else {
      score.quote_overlap += best;
      score.errors.push_back(absl::StrCat("quote not verbatim (", static_cast<int>(best * 100),
                                          "% of words): ", s.actor()));
    }
  }
  return score;
}

}  // namespace rollcall::extract
