// rollcall-extract-eval: runs the extractor over gold sets and prints
// precision, recall and F1 for (actor, stance), (actor, action) and (actor,
// speaker) pairs, and the quotes reproduced verbatim (docs/EXTRACTION.md).
// With --min-stance-f1 / --min-action-f1 it fails (exit 1) below them.

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "server/extract/actor_directory.h"
#include "server/extract/eval/gold_set.h"
#include "server/extract/eval/scoring.h"
#include "server/extract/extractor.h"

namespace rollcall::extract {
namespace {

struct Options {
  std::vector<std::string> gold;
  std::string knowledge = "data/extract";
  std::string actors = "data/actors.jsonl";
  std::string data = "data";
  bool json = false;
  bool show = false;
  double min_stance_f1 = 0;
  double min_action_f1 = 0;
  std::vector<std::string> require;  // actors every article must yield
};

// The words that gave a draft its stance and actions.
void PrintCues(const v1::Draft& d) {
  std::vector<std::string> stance, actions;
  for (const auto& c : d.evidence(0).stance_cues()) stance.push_back(c.text());
  for (const auto& c : d.evidence(0).action_cues()) actions.push_back(c.text());
  absl::PrintF("      stance words: %s; action words: %s\n",
               absl::StrJoin(stance, " | "), absl::StrJoin(actions, " | "));
}

void PrintDraft(const v1::Draft& d) {
  const v1::Statement& s = d.statement();
  std::string actions;
  for (const auto& a : s.actions()) {
    actions += " " + v1::ActionKind_Name(a.kind()).substr(12);
  }
  const auto& mention = d.evidence(0).actor_mention();
  absl::PrintF("    %-28s %-18s %-10s [%s] <- \"%s\" (%s)%s%s\n",
               s.actor().empty() ? "?" + d.unresolved_mention() : s.actor(),
               v1::Stance_Name(s.stance()).substr(7),
               v1::Modality_Name(s.modality()).substr(9), actions,
               mention.span().text(),
               v1::MentionResolution_Name(mention.resolution()).substr(19),
               s.speaker().person_name().empty() ? "" : " speaker=" + s.speaker().person_name(),
               s.quote().empty() ? "" : " quote=\"" + s.quote().substr(0, 60) + "\"");
  PrintCues(d);
}

void PrintRow(const std::string& name, const Score& s, bool json) {
  if (json) {
    absl::PrintF(
        "{\"article\":\"%s\",\"stance\":{\"p\":%.3f,\"r\":%.3f,\"f1\":%.3f,"
        "\"tp\":%d,\"fp\":%d,\"fn\":%d},\"actions\":{\"p\":%.3f,\"r\":%.3f,"
        "\"f1\":%.3f},\"speakers\":{\"p\":%.3f,\"r\":%.3f,\"f1\":%.3f},"
        "\"quotes\":{\"gold\":%d,\"verbatim\":%d}}\n",
        name, s.stance.Precision(), s.stance.Recall(), s.stance.F1(),
        s.stance.true_positives, s.stance.false_positives,
        s.stance.false_negatives, s.actions.Precision(), s.actions.Recall(),
        s.actions.F1(), s.speakers.Precision(), s.speakers.Recall(),
        s.speakers.F1(), s.gold_quotes, s.verbatim_quotes);
    return;
  }
  absl::PrintF("%-34s %5.2f %5.2f %5.2f | %5.2f %5.2f %5.2f | %5.2f %5.2f %5.2f | %d/%d\n",
               name, s.stance.Precision(), s.stance.Recall(), s.stance.F1(),
               s.actions.Precision(), s.actions.Recall(), s.actions.F1(),
               s.speakers.Precision(), s.speakers.Recall(), s.speakers.F1(),
               s.verbatim_quotes, s.gold_quotes);
}

int Run(const Options& o) {
  auto knowledge = LoadKnowledge(o.knowledge);
  if (!knowledge.ok()) {
    std::cerr << knowledge.status() << "\n";
    return 2;
  }
  auto base = LoadActors(o.actors);
  if (!base.ok()) {
    std::cerr << base.status() << "\n";
    return 2;
  }
  if (!o.json) {
    absl::PrintF("%-34s %-17s | %-17s | %-17s | %s\n", "article",
                 "actor+stance P R F1", "actions P R F1", "speakers P R F1",
                 "quotes");
  }
  Score total;
  bool missing = false;
  for (const std::string& path : o.gold) {
    auto gold = LoadGoldSet(path, o.data);
    if (!gold.ok()) {
      std::cerr << gold.status() << "\n";
      return 2;
    }
    std::vector<v1::Actor> actors = *base;
    actors.insert(actors.end(), gold->actors.begin(), gold->actors.end());
    auto directory = BuildActorDirectory(actors);
    auto extraction = Extract(**knowledge, *directory, gold->document,
                              gold->event, absl::Now());
    if (!extraction.ok()) {
      std::cerr << path << ": " << extraction.status() << "\n";
      return 2;
    }
    Score score = ScoreDrafts(gold->statements, extraction->drafts);
    for (const std::string& actor : o.require) {
      bool found = false;
      for (const auto& d : extraction->drafts) {
        found = found || d.statement().actor() == actor;
      }
      if (!found) {
        std::cerr << gold->slug << ": no draft for " << actor << "\n";
        missing = true;
      }
    }
    PrintRow(gold->slug, score, o.json);
    if (o.show) {
      for (const auto& d : extraction->drafts) PrintDraft(d);
      for (const auto& e : score.errors) absl::PrintF("    ! %s\n", e);
    }
    total.Add(score);
  }
  PrintRow("TOTAL", total, o.json);
  if (!o.json) {
    absl::PrintF("actions other than ACTION_KIND_OTHER: P %.2f R %.2f F1 %.2f\n",
                 total.named_actions.Precision(), total.named_actions.Recall(),
                 total.named_actions.F1());
  }
  bool ok = !missing && total.stance.F1() >= o.min_stance_f1 &&
            total.actions.F1() >= o.min_action_f1;
  if (!ok) {
    std::cerr << absl::StrFormat(
        "below the thresholds: actor+stance F1 %.3f (min %.2f), actions F1 "
        "%.3f (min %.2f)\n",
        total.stance.F1(), o.min_stance_f1, total.actions.F1(), o.min_action_f1);
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace rollcall::extract

int main(int argc, char** argv) {
  rollcall::extract::Options o;
  CLI::App app{"Scores the extractor against gold sets (data/gold/*.jsonl)."};
  app.add_option("gold", o.gold, "gold set files")->required();
  app.add_option("--knowledge", o.knowledge, "knowledge directory");
  app.add_option("--actors", o.actors, "actor directory (JSONL)");
  app.add_option("--data", o.data, "folder statementsFrom files are in");
  app.add_flag("--json", o.json, "one JSON line per article and the total");
  app.add_flag("--show", o.show, "print the drafts and the errors");
  app.add_option("--min-stance-f1", o.min_stance_f1, "fail below this");
  app.add_option("--min-action-f1", o.min_action_f1, "fail below this");
  app.add_option("--require", o.require,
                 "fail unless every article yields a draft for these actors")
      ->delimiter(',');
  CLI11_PARSE(app, argc, argv);
  return rollcall::extract::Run(o);
}
