#include "server/bulk/applied_state_builder.h"

#include <pthread.h>

#include <ctime>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/status_macros.h"
#include "server/store/sqlite_db.h"
#include "server/store/sqlite_rows.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

// Batches queued ahead of the thread (each a transaction of the store's).
constexpr size_t kBatchesAhead = 2;
// The side file's page cache while rows are written: the full-text index's
// segments stay in memory (its indexes are built in runs of a smaller one:
// CreateIndexesInRuns).
constexpr int kCacheKib = 512 * 1024;

double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

}  // namespace

absl::StatusOr<std::unique_ptr<AppliedStateBuilder>> AppliedStateBuilder::Start(
    const std::string& path, const std::vector<std::string>& schema) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                   Connection::Open(path, /*read_only=*/false));
  // Scratch: a crash loses the load anyway, and the store's writer reads
  // the file only once this connection has closed it.
  RETURN_IF_ERROR(connection->Execute(absl::StrCat(
      "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; "
      "PRAGMA threads = 2; PRAGMA cache_size = -",
      kCacheKib)));
  std::vector<std::string> indexes;
  for (const std::string& sql : schema) {
    if (absl::StartsWithIgnoreCase(sql, "CREATE INDEX") ||
        absl::StartsWithIgnoreCase(sql, "CREATE UNIQUE INDEX")) {
      indexes.push_back(sql);
    } else {
      RETURN_IF_ERROR(connection->Execute(sql));
    }
  }
  return std::unique_ptr<AppliedStateBuilder>(
      new AppliedStateBuilder(path, std::move(connection), std::move(indexes)));
}

AppliedStateBuilder::AppliedStateBuilder(std::string path,
                                         std::unique_ptr<Connection> connection,
                                         std::vector<std::string> indexes)
    : path_(std::move(path)), connection_(std::move(connection)), indexes_(std::move(indexes)) {
  thread_ = std::thread([this] { Run(); });
}

AppliedStateBuilder::~AppliedStateBuilder() {
  {
    absl::MutexLock lock(&mu_);
    finishing_ = true;
    if (status_.ok()) status_ = absl::CancelledError("the bulk load stopped");
    queue_.clear();
  }
  thread_.join();
}

void AppliedStateBuilder::Add(std::vector<CreatedStatement> batch) {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](AppliedStateBuilder* b) ABSL_EXCLUSIVE_LOCKS_REQUIRED(b->mu_) {
        return b->queue_.size() < kBatchesAhead || !b->status_.ok();
      },
      this));
  if (status_.ok()) queue_.push_back(std::move(batch));
}

void AppliedStateBuilder::NoMoreBatches() {
  absl::MutexLock lock(&mu_);
  finishing_ = true;
}

absl::Status AppliedStateBuilder::Finish() {
  absl::MutexLock lock(&mu_);
  finishing_ = true;
  mu_.Await(absl::Condition(&done_));
  return status_;
}

void AppliedStateBuilder::Run() {
  // Named for per-thread profiles (top -H, /proc/PID/task).
  pthread_setname_np(pthread_self(), "bulk-applied");
  const absl::Time start = absl::Now();
  // One transaction for every row: the file is scratch, nothing is gained
  // by committing a batch at a time.
  if (absl::Status begun = connection_->Execute("BEGIN"); !begun.ok()) {
    absl::MutexLock lock(&mu_);
    status_ = begun;
  }
  while (true) {
    std::vector<CreatedStatement> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](AppliedStateBuilder* b) ABSL_EXCLUSIVE_LOCKS_REQUIRED(b->mu_) {
            return !b->queue_.empty() || b->finishing_;
          },
          this));
      if (queue_.empty() || !status_.ok()) break;
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    absl::Status status = Write(batch);
    if (!status.ok()) {
      absl::MutexLock lock(&mu_);
      status_ = status;
      queue_.clear();
    }
  }
  absl::Status status;
  {
    absl::MutexLock lock(&mu_);
    status = status_;
  }
  if (status.ok()) status = connection_->Execute("COMMIT");
  if (status.ok()) {
    spdlog::info("bulk load: statements table and full-text index written on the side in {} "
                 "({:.2f} s of this thread's CPU)",
                 absl::FormatDuration(absl::Now() - start), ThreadCpuSeconds());
    status = BuildIndexes();
  }
  connection_.reset();
  absl::MutexLock lock(&mu_);
  if (status_.ok()) status_ = status;
  done_ = true;
}

absl::Status AppliedStateBuilder::Write(const std::vector<CreatedStatement>& batch) {
  if (batch.empty()) return absl::OkStatus();
  Connection& connection = *connection_;
  int64_t first_row = 0;
  for (const CreatedStatement& created : batch) {
    const v1::Statement& statement = created.statement;
    // The change log's bytes: the row stores the same serialization.
    ASSIGN_OR_RETURN(const int64_t row,
                     WriteStatementRow(connection, statement, created.actor_kind,
                                       SerializeStored(statement)));
    if (first_row == 0) first_row = row;
  }
  // The batch's text in one statement: FTS5 flushes its pending terms at
  // each statement's savepoint, so a statement per row would write a
  // segment per row (about 6 times the CPU).
  ASSIGN_OR_RETURN(Statement text,
                   connection.Prepare("INSERT INTO statement_text (rowid, quote, summary) "
                                      "SELECT rowid, quote, summary FROM statements "
                                      "WHERE rowid >= ?"));
  return text.BindInt(first_row).Run();
}

absl::Status AppliedStateBuilder::BuildIndexes() {
  const absl::Time start = absl::Now();
  const double start_cpu = ThreadCpuSeconds();
  RETURN_IF_ERROR(CreateIndexesInRuns(*connection_, indexes_, kCacheKib));
  spdlog::info("bulk load: the statements table's indexes built on the side in {} "
               "({:.2f} s of this thread's CPU)",
               absl::FormatDuration(absl::Now() - start), ThreadCpuSeconds() - start_cpu);
  return absl::OkStatus();
}

}  // namespace rollcall
