#ifndef ROLLCALL_BENCH_SCENARIOS_H_
#define ROLLCALL_BENCH_SCENARIOS_H_

// The scenarios of rollcall-bench. Each runs against a running server,
// prints one JSON line of figures to stdout and returns the process exit
// code: 0 when the run completed and checked out (no failed call, no gap or
// duplicate), 1 otherwise (the line says why). No scenario asserts a speed.

#include <string>

namespace rollcall::bench {

struct BenchOptions {
  std::string target = "127.0.0.1:50051";  // rollcalld, or the noop server
  int channels = 4;                        // client connections the calls are spread over
  int concurrency = 64;                    // unary calls in flight
  double seconds = 10;                     // how long a timed scenario runs
  int batch = 100;                         // statements per BatchCreateStatements
  int streams = 4;                         // IngestStatements streams
  int window = 256;                        // statements in flight per stream
  int subscriptions = 1000;
  double rate = 100;               // fanout: statements committed per second
  int events = 1;                  // statements are spread over this many events
  int64_t statements = 100000;     // seed: how many to store
  int server_pid = 0;              // rollcalld's pid, to report its RSS
  std::string payload = "create";  // baseline: create, batch, stream or fanout
  std::string rollcalld;           // startup: the server binary
  std::string data_dir;            // startup: its data directory
  double outage = 2;               // restart: seconds the server is down
  bool writer_process = false;     // restart: the writer in a child process
};

// CreateStatement at `concurrency` for `seconds`.
int RunIngest(const BenchOptions& options);
// BatchCreateStatements of `batch` at `concurrency` for `seconds`.
int RunBatchIngest(const BenchOptions& options);
// `streams` IngestStatements streams, `window` statements in flight each.
int RunStreamIngest(const BenchOptions& options);
// The no-op service with the message sizes of `payload`'s scenario, at the
// same concurrency (create, batch) or streams and window (stream); for
// fanout, the fanout scenario's subscriptions, events and rate on the
// service's Listen and Publish.
int RunBaseline(const BenchOptions& options);
// Serves NoopService on `target` until SIGTERM or SIGINT; prints
// "noop service listening on ADDRESS" once it listens.
int ServeBaseline(const BenchOptions& options);
// `subscriptions` over `events` events while statements commit at `rate`.
int RunFanout(const BenchOptions& options);
// The same over the no-op service (bare gRPC fan-out); RunBaseline's fanout.
int RunFanoutBaseline(const BenchOptions& options);
// One subscription replaying the whole stored log.
int RunCatchUp(const BenchOptions& options);
// A subscriber that stops reading while a writer commits.
int RunStalled(const BenchOptions& options);
// Stores `statements` statements (the data the catch-up and query read).
int RunSeed(const BenchOptions& options);
// Writes the seed's data (`statements` over `events`) as a JSONL file
// beside `data_dir` and times `rollcalld --bulk_load` loading it into it.
int RunBulkLoadScenario(const BenchOptions& options);
// ListStatements with the typical filters, each for `seconds` / 3.
int RunQuery(const BenchOptions& options);
// Starts `rollcalld` on `data_dir` and times it to health SERVING.
int RunStartup(const BenchOptions& options);
// Runs `rollcalld` on `data_dir` under `subscriptions` resuming subscriptions
// over `events` while a writer commits at `rate`, restarts it after `outage`
// seconds down, and times every subscription's return.
int RunRestart(const BenchOptions& options);
// The restart scenario's writer as a child process: commits at `rate` over
// `events` on `target` until stdin closes, then reports its writes.
int RunRestartWriterChild(const BenchOptions& options);

}  // namespace rollcall::bench

#endif  // ROLLCALL_BENCH_SCENARIOS_H_
