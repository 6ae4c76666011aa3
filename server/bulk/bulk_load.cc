#include "server/bulk/bulk_load.h"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/bulk/jsonl_parser.h"
#include "server/common/status_macros.h"
#include "server/service/actor_service.h"
#include "server/service/event_service.h"
#include "server/service/statement_service.h"
#include "server/store/backup.h"
#include "server/store/sqlite_store.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

// Threads parsing JSON beside the one writing.
constexpr int kParseThreads = 2;

// A store failure rather than a refused line: the load cannot go on.
bool IsStoreFailure(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsResourceExhausted(status) ||
         absl::IsDataLoss(status) || absl::IsInternal(status);
}

// The store being built, its counts and the statements waiting for the
// next transaction.
class Loader {
 public:
  Loader(SqliteStore& store, const BulkLoadOptions& options, std::ostream& errors)
      : store_(store), options_(options), errors_(errors) {}

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
      return Count(line.number, CreateActorFromRequest(store_, *actor).status(),
                   &BulkLoadCounts::actors);
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
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok()) {
        ++answered;
        continue;
      }
      RETURN_IF_ERROR(Refuse(batch_lines_[i], results[i].status()));
    }
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
  const BulkLoadOptions& options_;
  std::ostream& errors_;
  BulkLoadCounts counts_;
  std::vector<NewStatement> batch_;
  std::vector<int64_t> batch_lines_;
};

// Removes the private file of a load that did not finish, and its journal.
void RemoveLoading(const std::string& loading) {
  std::error_code ignored;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
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
  Loader loader(*store, options, errors);
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
  spdlog::info(
      "bulk load: {} statements logged in {} ({:.2f} s of CPU); building the statements table",
      loader.counts().statements, absl::FormatDuration(absl::Now() - start),
      static_cast<double>(std::clock() - start_cpu) / CLOCKS_PER_SEC);
  RETURN_IF_ERROR(store->FinishBulkLoad());
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
