// rollcall-bench: load scenarios against a running rollcalld (and the
// no-op baseline service), each printing one JSON line of figures. See
// docs/BENCHMARKS.md; scripts/bench runs the standard set.
//
//   rollcall-bench ingest --target=127.0.0.1:50051 --concurrency=64 --seconds=10

#include <functional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "bench/scenarios.h"

namespace {

using rollcall::bench::BenchOptions;

struct Scenario {
  const char* name;
  const char* description;
  int (*run)(const BenchOptions&);
  // The options besides --target that the scenario reads.
  std::vector<const char*> options;
};

const std::vector<Scenario>& Scenarios() {
  using namespace rollcall::bench;
  static const std::vector<Scenario> scenarios = {
      {"ingest",
       "CreateStatement at --concurrency for --seconds",
       RunIngest,
       {"channels", "concurrency", "seconds", "events"}},
      {"batch-ingest",
       "BatchCreateStatements of --batch at --concurrency",
       RunBatchIngest,
       {"channels", "concurrency", "seconds", "batch", "events"}},
      {"stream-ingest",
       "IngestStatements over --streams, --window in flight each",
       RunStreamIngest,
       {"channels", "streams", "window", "seconds", "events"}},
      {"baseline",
       "the no-op service with the message sizes of --payload",
       RunBaseline,
       {"channels", "concurrency", "seconds", "batch", "streams", "window", "payload",
        "events", "subscriptions", "rate"}},
      {"serve-baseline",
       "serve the no-op service on --target until SIGTERM",
       ServeBaseline,
       {}},
      {"fanout",
       "--subscriptions over --events while writers commit at --rate",
       RunFanout,
       {"channels", "subscriptions", "events", "rate", "seconds", "server-pid"}},
      {"catch-up", "one subscription replaying the whole stored log", RunCatchUp, {}},
      {"stalled",
       "a subscriber that stops reading while a writer commits",
       RunStalled,
       {"seconds", "batch", "server-pid"}},
      {"seed",
       "store --statements statements over --events events",
       RunSeed,
       {"channels", "concurrency", "batch", "statements", "events"}},
      {"bulk-load",
       "write --statements over --events as JSONL; time rollcalld --bulk_load on it",
       RunBulkLoadScenario,
       {"rollcalld", "data-dir", "statements", "events"}},
      {"query",
       "ListStatements with typical filters, --seconds in all",
       RunQuery,
       {"channels", "concurrency", "seconds", "events"}},
      {"startup",
       "launch --rollcalld on --data-dir and time it to SERVING",
       RunStartup,
       {"rollcalld", "data-dir"}},
      {"restart",
       "restart --rollcalld under --subscriptions over --events; time their return",
       RunRestart,
       {"rollcalld", "data-dir", "channels", "subscriptions", "events", "rate", "outage",
        "seconds", "writer-process"}},
      {"restart-writer",
       "restart's writer as a child process: commit at --rate until stdin closes",
       RunRestartWriterChild,
       {"events", "rate"}},
  };
  return scenarios;
}

void AddOption(CLI::App* command, const std::string& name, BenchOptions* o) {
  const std::string flag = "--" + name;
  if (name == "channels") command->add_option(flag, o->channels, "client connections");
  if (name == "concurrency") command->add_option(flag, o->concurrency, "calls in flight");
  if (name == "seconds") command->add_option(flag, o->seconds, "how long to run");
  if (name == "batch") command->add_option(flag, o->batch, "statements per batch");
  if (name == "streams") command->add_option(flag, o->streams, "concurrent streams");
  if (name == "window")
    command->add_option(flag, o->window, "statements in flight per stream");
  if (name == "subscriptions")
    command->add_option(flag, o->subscriptions, "subscriptions to hold");
  if (name == "rate")
    command->add_option(flag, o->rate, "statements committed per second");
  if (name == "events")
    command->add_option(flag, o->events, "statements are spread over this many events");
  if (name == "statements")
    command->add_option(flag, o->statements, "statements to store");
  if (name == "server-pid")
    command->add_option(flag, o->server_pid, "rollcalld's pid, to report its memory");
  if (name == "payload")
    command
        ->add_option(flag, o->payload, "message sizes of: create, batch, stream or fanout")
        ->check(CLI::IsMember({"create", "batch", "stream", "fanout"}));
  if (name == "rollcalld") command->add_option(flag, o->rollcalld, "the server binary");
  if (name == "data-dir") command->add_option(flag, o->data_dir, "its data directory");
  if (name == "outage") command->add_option(flag, o->outage, "seconds the server is down");
  if (name == "writer-process")
    command->add_flag(flag, o->writer_process,
                      "run the writer in a process of its own, not beside the subscribers");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Load scenarios for rollcalld; each prints one JSON line of figures."};
  app.require_subcommand(1);
  BenchOptions options;
  int exit_code = 0;
  for (const Scenario& scenario : Scenarios()) {
    CLI::App* command = app.add_subcommand(scenario.name, scenario.description);
    command->add_option("--target", options.target,
                        "server address (host:port), or several separated by commas");
    for (const char* name : scenario.options) AddOption(command, name, &options);
    command->callback(
        [&options, &exit_code, run = scenario.run] { exit_code = run(options); });
  }
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
