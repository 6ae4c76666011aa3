#include "server/bulk/bulk_load.h"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/bulk/applied_state_builder.h"
#include "server/bulk/jsonl_parser.h"
#include "server/bulk/writeback.h"
#include "server/common/status_macros.h"
#include "server/service/actor_service.h"
#include "server/service/event_service.h"
#include "server/service/statement_service.h"
#include "server/store/applied_file.h"
#include "server/store/backup.h"
#include "server/store/sqlite_store.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

// Threads parsing JSON beside the one writing.
constexpr int kParseThreads = 2;
// The side file of the applied state (AppliedStateBuilder), beside the
// private file, until FinishBulkLoad makes it the applied file.
constexpr char kAppliedSuffix[] = "-applied";

// The calling thread's CPU so far.
double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// A store failure rather than a refused line: the load cannot go on.
bool IsStoreFailure(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsResourceExhausted(status) ||
         absl::IsDataLoss(status) || absl::IsInternal(status);
}

// The store being built, its counts and the statements waiting for the
// next transaction.
class Loader {
 public:
  Loader(SqliteStore& store, AppliedStateBuilder& applied, const BulkLoadOptions& options,
         std::ostream& errors)
      : store_(store), applied_(applied), options_(options), errors_(errors) {}

  // Takes `line`'s record (moved, not copied).
  absl::Status Load(ParsedLine& line) {
    if (const auto* status = std::get_if<absl::Status>(&line.record)) {
      return Refuse(line.number, *status);
    }
    if (auto* statement = std::get_if<NewStatement>(&line.record)) {
      batch_.push_back(std::move(*statement));
      batch_lines_.push_back(line.number);
      if (static_cast<int>(batch_.size()) >= options_.statements_per_transaction) {
        return Flush();
      }
      return absl::OkStatus();
    }
    // The file's order: earlier statements first.
    RETURN_IF_ERROR(Flush());
    if (const auto* actor = std::get_if<v1::CreateActorRequest>(&line.record)) {
      absl::StatusOr<v1::Actor> created = CreateActorFromRequest(store_, *actor);
      if (created.ok()) actor_kinds_.emplace(created->name(), created->kind());
      return Count(line.number, created.status(), &BulkLoadCounts::actors);
    }
    return Count(line.number,
                 CreateEventFromRequest(store_, std::get<v1::CreateEventRequest>(line.record))
                     .status(),
                 &BulkLoadCounts::events);
  }

  // Writes the waiting statements in one transaction, each in a savepoint
  // of its own (one refused statement does not undo the others).
  absl::Status Flush() {
    if (batch_.empty()) return absl::OkStatus();
    const int64_t head_before = store_.HeadSequence();
    ASSIGN_OR_RETURN(std::vector<absl::StatusOr<v1::Statement>> results,
                     store_.CreateEachStatement(batch_));
    int64_t answered = 0;
    std::vector<CreatedStatement> created_rows;
    created_rows.reserve(results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok()) {
        ++answered;
        // Those an earlier line created (a retry's answer) have their rows.
        if (results[i]->sequence() > head_before) {
          RETURN_IF_ERROR(AddRow(std::move(*results[i]), created_rows));
        }
        continue;
      }
      RETURN_IF_ERROR(Refuse(batch_lines_[i], results[i].status()));
    }
    applied_.Add(std::move(created_rows));
    // A statement whose request id an earlier line used is answered with
    // that line's statement, and logs nothing.
    const int64_t created = store_.HeadSequence() - head_before;
    counts_.statements += created;
    counts_.already_present += answered - created;
    batch_.clear();
    batch_lines_.clear();
    return absl::OkStatus();
  }

  const BulkLoadCounts& counts() const { return counts_; }

 private:
  // Queues `statement`'s row for the applied state, with its actor's kind.
  absl::Status AddRow(v1::Statement statement, std::vector<CreatedStatement>& rows) {
    auto kind = actor_kinds_.find(statement.actor());
    // The store refuses a statement whose actor no line created.
    if (kind == actor_kinds_.end()) {
      return absl::InternalError(
          absl::StrCat("statement ", statement.name(), " names an unknown actor"));
    }
    rows.push_back({std::move(statement), kind->second});
    return absl::OkStatus();
  }

  absl::Status Count(int64_t line, const absl::Status& status,
                     int64_t BulkLoadCounts::*created) {
    if (status.ok()) {
      ++(counts_.*created);
      return absl::OkStatus();
    }
    if (absl::IsAlreadyExists(status)) {
      ++counts_.already_present;
      return absl::OkStatus();
    }
    return Refuse(line, status);
  }

  // Reports a refused line, or returns a store failure.
  absl::Status Refuse(int64_t line, const absl::Status& status) {
    if (IsStoreFailure(status)) return status;
    ++counts_.errors;
    errors_ << options_.jsonl_path << ":" << line << ": "
            << absl::StatusCodeToString(status.code()) << ": " << status.message() << "\n";
    return absl::OkStatus();
  }

  SqliteStore& store_;
  AppliedStateBuilder& applied_;
  const BulkLoadOptions& options_;
  std::ostream& errors_;
  BulkLoadCounts counts_;
  std::vector<NewStatement> batch_;
  std::vector<int64_t> batch_lines_;
  // Each created actor's kind, for its statements' rows.
  absl::flat_hash_map<std::string, v1::ActorKind> actor_kinds_;
};

// Removes the private file of a load that did not finish, and its journal.
void RemoveLoading(const std::string& loading) {
  std::error_code ignored;
  for (const char* suffix : {"", "-journal", "-wal", "-shm", kAppliedSuffix}) {
    std::filesystem::remove(loading + suffix, ignored);
  }
}

absl::StatusOr<BulkLoadCounts> LoadInto(const std::string& loading,
                                        const std::string& applied_loading,
                                        const BulkLoadOptions& options,
                                        std::istream& in, std::ostream& errors) {
  SqliteStoreOptions store_options;
  store_options.path = loading;
  store_options.applied_path = applied_loading;
  store_options.read_connections = 1;
  store_options.bulk_load = true;
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store, SqliteStore::Open(store_options));
  // Declared after the store: it stops before the store closes the file.
  Writeback writeback(loading);
  ASSIGN_OR_RETURN(std::unique_ptr<AppliedStateBuilder> applied,
                   AppliedStateBuilder::Start(loading + kAppliedSuffix, AppliedFileSchema()));
  Loader loader(*store, *applied, options, errors);
  const absl::Time start = absl::Now();
  const std::clock_t start_cpu = std::clock();
  {
    JsonlParser parser(in, kParseThreads);
    for (std::vector<ParsedLine> chunk = parser.Next(); !chunk.empty();
         chunk = parser.Next()) {
      for (ParsedLine& line : chunk) RETURN_IF_ERROR(loader.Load(line));
    }
  }
  if (in.bad()) {
    return absl::UnavailableError(absl::StrCat("cannot read ", options.jsonl_path));
  }
  RETURN_IF_ERROR(loader.Flush());
  // The side thread finishes its file while the store writes its own last
  // steps (FinishBulkLoad's request ids and change-log indexes) beside it.
  applied->NoMoreBatches();
  spdlog::info(
      "bulk load: {} statements logged in {} ({:.2f} s of the process's CPU, {:.2f} s of "
      "the writer's)",
      loader.counts().statements, absl::FormatDuration(absl::Now() - start),
      static_cast<double>(std::clock() - start_cpu) / CLOCKS_PER_SEC, ThreadCpuSeconds());
  RETURN_IF_ERROR(store->FinishBulkLoad([&applied]() -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(applied->Finish());
    return applied->path();
  }));
  // The side file is now the applied file (applied_loading).
  store.reset();
  return loader.counts();
}

}  // namespace

absl::StatusOr<BulkLoadCounts> BulkLoadJsonl(const BulkLoadOptions& options,
                                             std::ostream& errors) {
  const std::string& database = options.database_path;
  std::error_code error;
  for (const char* suffix : {"", "-wal"}) {
    if (std::filesystem::exists(database + suffix, error)) {
      return absl::FailedPreconditionError(
          absl::StrCat("a bulk load builds a new store, and ", database, suffix,
                       " exists; load into an empty data directory, or import the "
                       "file through the API (rollcall import)"));
    }
  }
  std::ifstream in(options.jsonl_path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", options.jsonl_path));
  const std::filesystem::path directory =
      std::filesystem::absolute(database).parent_path();
  std::filesystem::create_directories(directory, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", directory.string(), ": ", error.message()));
  }
  // Private until complete: rollcalld never opens this name.
  const std::string loading = database + ".loading";
  const std::string applied = AppliedFilePath(database);
  const std::string applied_loading = applied + ".loading";
  RemoveLoading(loading);
  RemoveLoading(applied_loading);
  absl::StatusOr<BulkLoadCounts> counts =
      LoadInto(loading, applied_loading, options, in, errors);
  // The applied file first: alone, it is bound to no log and rebuilt.
  if (counts.ok()) {
    absl::Status placed = MoveIntoPlaceDurably(applied_loading, applied);
    if (placed.ok()) placed = MoveIntoPlaceDurably(loading, database);
    if (!placed.ok()) counts = placed;
  }
  if (!counts.ok()) {
    RemoveLoading(loading);
    RemoveLoading(applied_loading);
  }
  return counts;
}

}  // namespace rollcall
