// store_write_load: what durable writes cost in the store alone, without
// gRPC. Opens a SqliteStore on a fresh file, seeds one event and a few
// actors, then runs --threads writers for --seconds, each creating
// statements (one per call, or --batch per call) as fast as it can. Prints
// one JSON line: statements/s, calls/s, latency percentiles, and the
// average number of calls committed per transaction when the store groups
// them.
//
//   store_write_load --threads=64 --seconds=5 [--batch=1] [--dir=/tmp/x]
//
// --check_duplicates creates every statement without allow_duplicate, each
// with a quote of its own (none near-identical to another), all by one
// actor on one event within one day: each create then checks the quotes of
// every statement before it, the duplicate check's worst case.
//
// For the per-structure cost of a write (scripts/write-costs):
// --request_ids gives every create a request_id (as rollcall-bench does),
// --spread_issue_times spreads issue times over a year in hash order (as
// rollcall-bench does: each index keyed by issue time then touches a
// different leaf per row), and --without=a,b removes structures from the
// schema before writing (see RemovalSql). The JSON line reports the bytes
// the process wrote (mostly WAL pages) per statement, the store's close
// included (it applies what the store deferred).

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/common/fingerprint.h"
#include "server/common/time_util.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "server/store/sqlite_db.h"
#include "server/store/sqlite_store.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(int, threads, 64, "concurrent writers");
ABSL_FLAG(int, seconds, 5, "how long to write");
ABSL_FLAG(int, batch, 1, "statements per call (CreateStatements when > 1)");
ABSL_FLAG(int, calls_per_thread, 0,
          "stop each writer after this many calls (0: run for --seconds); a fixed "
          "amount of work, for instruction counts under callgrind");
ABSL_FLAG(std::string, dir, "", "directory for the database (default: a new temp dir)");
ABSL_FLAG(bool, check_duplicates, false,
          "one actor, one event, one day, distinct quotes, the duplicate check on");
ABSL_FLAG(int, apply_after_ms, -1,
          "SqliteStoreOptions::apply_after in ms (-1: the store's default)");
ABSL_FLAG(bool, request_ids, false, "give every create a request_id");
ABSL_FLAG(bool, spread_issue_times, false,
          "issue times spread over a year in hash order instead of one per second");
ABSL_FLAG(std::string, without, "",
          "comma-separated structures to remove before writing: an index name, "
          "statement_text (full-text index), changes_unique (the change log's "
          "(statement, revision) key)");

namespace rollcall {
namespace {

constexpr int kActors = 16;

// Twenty words drawn from 2,000 by a hash of (writer, n): two quotes share
// about as many words as chance makes them, far below near-identical.
std::string DistinctWords(int writer, int64_t n) {
  std::string words;
  uint64_t h = static_cast<uint64_t>(writer) * 1000003u + static_cast<uint64_t>(n);
  for (int w = 0; w < 20; ++w) {
    h = h * 6364136223846793005u + 1442695040888963407u;
    absl::StrAppend(&words, " word", (h >> 33) % 2000);
  }
  return words;
}

NewStatement MakeRequest(int writer, int64_t n) {
  const bool check_duplicates = absl::GetFlag(FLAGS_check_duplicates);
  NewStatement request;
  v1::Statement& statement = request.statement;
  statement.set_actor(
      absl::StrCat("actors/a", check_duplicates ? 0 : (writer + n) % kActors));
  statement.set_event("events/load");
  statement.set_stance(v1::STANCE_CONDEMNS);
  statement.set_quote(absl::StrCat(
      "Writer ", writer, " statement ", n,
      ": we condemn the unconstitutional change of government and call for the "
      "release of the president.",
      check_duplicates ? DistinctWords(writer, n) : ""));
  int64_t offset = check_duplicates ? n % 3600 : n;
  if (absl::GetFlag(FLAGS_spread_issue_times)) {
    offset = static_cast<int64_t>(
        (static_cast<uint64_t>(writer * 1000003 + n) * 11400714819323198485u) >> 40) %
        (366 * 86400);
  }
  *statement.mutable_issue_time() =
      ToTimestamp(absl::FromUnixSeconds(1690372800) + absl::Seconds(offset));
  request.fingerprint = MessageFingerprint(statement);
  if (absl::GetFlag(FLAGS_request_ids)) {
    request.request_id = absl::StrCat("load-", writer, "-", n);
  }
  request.allow_duplicate = !check_duplicates;
  return request;
}

absl::Status Seed(Store& store) {
  for (int i = 0; i < kActors; ++i) {
    v1::Actor actor;
    actor.set_name(absl::StrCat("actors/a", i));
    actor.set_display_name(absl::StrCat("Actor ", i));
    actor.set_kind(v1::ACTOR_KIND_STATE);
    if (auto created = store.CreateActor(actor);
        !created.ok() && !absl::IsAlreadyExists(created.status())) {
      return created.status();
    }
  }
  v1::Event event;
  event.set_name("events/load");
  event.set_title("Load");
  *event.mutable_start_time() = ToTimestamp(absl::FromUnixSeconds(1690329600));
  absl::Status created = store.CreateEvent(event).status();
  return absl::IsAlreadyExists(created) ? absl::OkStatus() : created;
}

// SQL that removes one structure of the schema, for --without, on the log's
// file with the applied file attached (the statements table's structures
// are there). The store's SQL still runs: the full-text table becomes a
// plain one.
absl::StatusOr<std::string> RemovalSql(absl::string_view structure) {
  if (structure == "statement_text") {
    return std::string(
        "DROP TABLE applied.statement_text; "
        "CREATE TABLE applied.statement_text (statement_text, quote, summary);");
  }
  if (structure == "changes_unique") {
    return std::string(
        "CREATE TABLE changes_copy AS SELECT * FROM changes; DROP TABLE changes; "
        "ALTER TABLE changes_copy RENAME TO changes; "
        "CREATE INDEX changes_by_commit_time ON changes (commit_time_micros); "
        "CREATE INDEX changes_by_event_time ON changes (event, commit_time_micros);");
  }
  if (absl::StartsWith(structure, "statements_by_") ||
      absl::StartsWith(structure, "changes_by_")) {
    return absl::StrCat("DROP INDEX ", structure, ";");
  }
  return absl::InvalidArgumentError(absl::StrCat("--without: unknown structure ", structure));
}

absl::Status RemoveStructures(const std::string& path) {
  const std::string without = absl::GetFlag(FLAGS_without);
  if (without.empty()) return absl::OkStatus();
  auto connection = Connection::Open(path, /*read_only=*/false);
  if (!connection.ok()) return connection.status();
  if (absl::Status attached =
          AttachFile(**connection, AppliedFilePath(path), kAppliedSchema);
      !attached.ok()) {
    return attached;
  }
  for (absl::string_view structure : absl::StrSplit(without, ',')) {
    absl::StatusOr<std::string> sql = RemovalSql(structure);
    if (!sql.ok()) return sql.status();
    if (absl::Status done = (*connection)->Execute(*sql); !done.ok()) return done;
  }
  return absl::OkStatus();
}

// Bytes this process has written through write(2) and friends so far.
int64_t BytesWritten() {
  std::FILE* io = std::fopen("/proc/self/io", "r");
  if (io == nullptr) return 0;
  char line[128];
  long long bytes = 0;
  while (std::fgets(line, sizeof line, io) != nullptr) {
    if (std::sscanf(line, "wchar: %lld", &bytes) == 1) break;
  }
  std::fclose(io);
  return bytes;
}

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1,
                                static_cast<size_t>(p * static_cast<double>(sorted.size())));
  return sorted[index];
}

int Run() {
  const int threads = absl::GetFlag(FLAGS_threads);
  const int batch = std::max(1, absl::GetFlag(FLAGS_batch));
  std::string dir = absl::GetFlag(FLAGS_dir);
  if (dir.empty()) {
    char pattern[] = "/tmp/store_write_load.XXXXXX";
    dir = mkdtemp(pattern);
  }
  SqliteStoreOptions options;
  options.path = (std::filesystem::path(dir) / "rollcall.db").string();
  if (absl::GetFlag(FLAGS_apply_after_ms) >= 0) {
    options.apply_after = absl::Milliseconds(absl::GetFlag(FLAGS_apply_after_ms));
  }
  auto store = SqliteStore::Open(options);
  if (store.ok()) {
    store->reset();  // created the schema; now remove what --without names
    if (absl::Status removed = RemoveStructures(options.path); !removed.ok()) {
      std::fprintf(stderr, "--without: %s\n", removed.ToString().c_str());
      return 1;
    }
    store = SqliteStore::Open(options);
  }
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return 1;
  }
  if (absl::Status seeded = Seed(**store); !seeded.ok()) {
    std::fprintf(stderr, "seed: %s\n", seeded.ToString().c_str());
    return 1;
  }
  std::atomic<int64_t> commits{0};
  (*store)->SetCommitListener([&](int64_t) { commits.fetch_add(1); });

  const int64_t bytes_before = BytesWritten();
  const absl::Time deadline = absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_seconds));
  absl::Mutex mu;
  std::vector<double> latencies_ms;
  int64_t calls = 0;
  int64_t errors = 0;
  std::vector<std::thread> writers;
  const absl::Time start = absl::Now();
  for (int w = 0; w < threads; ++w) {
    writers.emplace_back([&, w] {
      std::vector<double> mine;
      int64_t my_errors = 0;
      const int64_t max_calls = absl::GetFlag(FLAGS_calls_per_thread);
      for (int64_t n = 0; max_calls > 0 ? n < max_calls : absl::Now() < deadline; ++n) {
        std::vector<NewStatement> requests;
        for (int b = 0; b < batch; ++b) requests.push_back(MakeRequest(w, n * batch + b));
        const absl::Time begin = absl::Now();
        const absl::Status status =
            batch == 1 ? (*store)->CreateStatement(requests[0]).status()
                       : (*store)->CreateStatements(requests).status();
        mine.push_back(absl::ToDoubleMilliseconds(absl::Now() - begin));
        if (!status.ok()) {
          if (my_errors++ == 0) std::fprintf(stderr, "%s\n", status.ToString().c_str());
        }
      }
      absl::MutexLock lock(&mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      calls += static_cast<int64_t>(mine.size());
      errors += my_errors;
    });
  }
  for (std::thread& writer : writers) writer.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double calls_per_second = static_cast<double>(calls) / seconds;
  // Closing applies what the store deferred: counted too.
  store->reset();
  const double bytes_per_statement =
      static_cast<double>(BytesWritten() - bytes_before) /
      static_cast<double>(std::max<int64_t>(1, calls * batch));
  std::printf(
      "{\"scenario\":\"store-write\",\"threads\":%d,\"batch\":%d,\"seconds\":%.2f,"
      "\"calls\":%lld,\"errors\":%lld,\"calls_per_s\":%.0f,\"statements_per_s\":%.0f,"
      "\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"p999_ms\":%.2f,\"calls_per_commit\":%.1f,"
      "\"bytes_written_per_statement\":%.0f}\n",
      threads, batch, seconds, static_cast<long long>(calls),
      static_cast<long long>(errors), calls_per_second, calls_per_second * batch,
      Percentile(latencies_ms, 0.5), Percentile(latencies_ms, 0.99),
      Percentile(latencies_ms, 0.999),
      commits.load() > 0 ? static_cast<double>(calls) / commits.load() : 0.0,
      bytes_per_statement);
  if (absl::GetFlag(FLAGS_dir).empty()) std::filesystem::remove_all(dir);
  return errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace rollcall

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  spdlog::set_level(spdlog::level::warn);
  return rollcall::Run();
}
