// rollcall-extract-bench: the extractor's speed on one core. Extracts the
// given articles (data/gold/*.txt) over and over for --seconds, then one
// document made of all of them repeated up to --large-mb, and prints one
// JSON line per run: bytes, CPU seconds of the extracting thread, MB/s,
// drafts (docs/BENCHMARKS.md).

#include <time.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "server/extract/actor_directory.h"
#include "server/extract/eval/gold_set.h"
#include "server/extract/extractor.h"

namespace rollcall::extract {
namespace {

struct Options {
  std::vector<std::string> texts;
  std::string knowledge = "data/extract";
  std::string actors = "data/actors.jsonl";
  double seconds = 5;
  double large_mb = 3.5;
};

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Run {
  size_t bytes = 0;
  size_t drafts = 0;
  double seconds = 0;
};

void Print(const char* name, const Run& run, size_t documents) {
  absl::PrintF(
      "{\"bench\":\"extract\",\"run\":\"%s\",\"documents\":%d,\"bytes\":%d,"
      "\"seconds\":%.3f,\"mb_per_s\":%.2f,\"drafts\":%d}\n",
      name, documents, run.bytes, run.seconds,
      run.bytes / 1e6 / run.seconds, run.drafts);
}

int Main(const Options& o) {
  auto knowledge = LoadKnowledge(o.knowledge);
  auto actors = LoadActors(o.actors);
  if (!knowledge.ok() || !actors.ok()) {
    std::cerr << knowledge.status() << " " << actors.status() << "\n";
    return 2;
  }
  auto directory = BuildActorDirectory(*actors);
  std::vector<v1::Document> documents;
  for (const std::string& path : o.texts) {
    v1::Document d;
    d.set_text(Read(path));
    d.set_language("");  // detection is part of the work
    documents.push_back(std::move(d));
  }
  // CPU time of this thread: the machine may be shared.
  auto cpu = [] {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
  };
  Run articles;
  size_t count = 0;
  double start = cpu();
  while (articles.seconds < o.seconds) {
    for (const auto& d : documents) {
      auto e = Extract(**knowledge, *directory, d, "events/bench", absl::Now());
      if (!e.ok()) {
        std::cerr << e.status() << "\n";
        return 1;
      }
      articles.bytes += d.text().size();
      articles.drafts += e->drafts.size();
      ++count;
    }
    articles.seconds = cpu() - start;
  }
  Print("articles", articles, count);

  v1::Document large;
  large.set_language("en");
  while (large.text().size() < o.large_mb * 1e6) {
    for (const auto& d : documents) *large.mutable_text() += d.text() + "\n\n";
  }
  Run one;
  start = cpu();
  auto e = Extract(**knowledge, *directory, large, "events/bench", absl::Now());
  one.seconds = cpu() - start;
  if (!e.ok()) {
    std::cerr << e.status() << "\n";
    return 1;
  }
  one.bytes = large.text().size();
  one.drafts = e->drafts.size();
  Print("one-large-document", one, 1);
  return 0;
}

}  // namespace
}  // namespace rollcall::extract

int main(int argc, char** argv) {
  rollcall::extract::Options o;
  CLI::App app{"Measures the extractor's speed on one core."};
  app.add_option("texts", o.texts, "article texts (data/gold/*.txt)")->required();
  app.add_option("--knowledge", o.knowledge, "knowledge directory");
  app.add_option("--actors", o.actors, "actor directory (JSONL)");
  app.add_option("--seconds", o.seconds, "how long to extract the articles");
  app.add_option("--large-mb", o.large_mb, "size of the one large document");
  CLI11_PARSE(app, argc, argv);
  return rollcall::extract::Main(o);
}
