// SqliteStore: the deferred apply (see sqlite_store.h). The change log is
// the truth; this brings the statements table, its indexes and the
// full-text index up to date with it, in large transactions.

#include <pthread.h>

#include <ctime>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/status_macros.h"
#include "server/store/sqlite_rows.h"
#include "server/store/sqlite_store.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

absl::StatusOr<int64_t> ReadAppliedPosition(Connection& connection) {
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT sequence FROM applied_position"));
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return absl::DataLossError(absl::StrCat("database file ", connection.path(),
                                            " has an empty applied_position table"));
  }
  return select.ColumnInt(0);
}

// The kind of each actor, looked up once per applied transaction.
class ActorKinds {
 public:
  explicit ActorKinds(Connection& connection) : connection_(connection) {}
  absl::StatusOr<v1::ActorKind> Of(const std::string& actor) {
    if (auto it = kinds_.find(actor); it != kinds_.end()) return it->second;
    ASSIGN_OR_RETURN(Statement select,
                     connection_.Prepare("SELECT kind FROM actors WHERE name = ?"));
    select.BindText(actor);
    ASSIGN_OR_RETURN(bool row, select.Step());
    // The store checked the reference before logging the change, and actors
    // are never deleted.
    if (!row) return absl::DataLossError(absl::StrCat("actor ", actor, " is missing"));
    const auto kind = static_cast<v1::ActorKind>(select.ColumnInt(0));
    kinds_.emplace(actor, kind);
    return kind;
  }

 private:
  Connection& connection_;
  absl::flat_hash_map<std::string, v1::ActorKind> kinds_;
};

// A bulk load's request ids (BulkLookups), in request-id order.
absl::Status WriteRequests(Connection& connection, const BulkLookups& bulk) {
  ASSIGN_OR_RETURN(Statement insert,
                   connection.Prepare("INSERT INTO requests (request_id, fingerprint, "
                                      "statement) VALUES (?, ?, ?)"));
  for (const auto& [request_id, request] : bulk.requests()) {
    RETURN_IF_ERROR(insert.BindText(request_id)
                        .BindText(request.fingerprint)
                        .BindText(request.statement)
                        .Run());
    insert.Reset();
  }
  return absl::OkStatus();
}

// The text of the applied revision of `name`, which `statement` replaces.
absl::StatusOr<std::optional<v1::Statement>> AppliedText(Connection& connection,
                                                         absl::string_view name) {
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT quote, summary FROM statements WHERE name = ?"));
  select.BindText(name);
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::nullopt;
  v1::Statement text;
  text.set_quote(select.ColumnText(0));
  text.set_summary(select.ColumnText(1));
  return text;
}

// The secondary indexes of `table` (those SQL made, not its keys), as
// (name, CREATE statement).
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> SecondaryIndexes(
    Connection& connection, absl::string_view table) {
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT name, sql FROM sqlite_master WHERE "
                                      "type = 'index' AND tbl_name = ? AND "
                                      "sql IS NOT NULL ORDER BY name"));
  select.BindText(table);
  std::vector<std::pair<std::string, std::string>> indexes;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return indexes;
    indexes.emplace_back(select.ColumnText(0), select.ColumnText(1));
  }
}

}  // namespace

absl::Status SqliteStore::LoadPending() {
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(const int64_t applied, ReadAppliedPosition(*writer_));
  ASSIGN_OR_RETURN(Statement select,
                   writer_->Prepare("SELECT data FROM changes WHERE sequence > ? "
                                    "ORDER BY sequence"));
  select.BindInt(applied);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(v1::Statement statement,
                     ParseStored<v1::Statement>(select.ColumnBlob(0), *writer_, "a change"));
    pending_.Add(statement);
  }
  pending_.Commit();
  absl::MutexLock apply_lock(&apply_mu_);
  applied_ = applied;
  return absl::OkStatus();
}

void SqliteStore::StartApplier() {
  applier_ = std::thread([this] { RunApplier(); });
}

void SqliteStore::RunApplier() {
  // Named for per-thread profiles (top -H, perf --sort tid).
  pthread_setname_np(pthread_self(), "store-applier");
  // Named for per-thread profiles (top -H, perf --sort tid).
  pthread_setname_np(pthread_self(), "store-applier");
  int64_t seen_head = head_.load();
  while (true) {
    bool stopping = false;
    {
      absl::MutexLock lock(&apply_mu_);
      auto due = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(apply_mu_) {
        return applier_stopping_ || apply_wanted_ > applied_ ||
               head_.load() - applied_ >= kApplyBatch;
      };
      const bool woken = apply_mu_.AwaitWithTimeout(absl::Condition(&due), apply_after_);
      stopping = applier_stopping_;
      // A timeout while writes keep coming: wait for a batch (small
      // transactions would each pay a commit for a few rows). A timeout
      // after writes paused: apply what there is.
      if (!woken && head_.load() != seen_head) {
        seen_head = head_.load();
        continue;
      }
    }
    seen_head = head_.load();
    absl::Status status = ApplyCommitted();
    if (stopping) return;
    if (!status.ok()) {
      spdlog::error("applying changes to {}: {}", path_, status.ToString());
      // Retry after a pause (a full disk may get room again), not at once.
      absl::MutexLock lock(&apply_mu_);
      apply_mu_.AwaitWithTimeout(
          absl::Condition(+[](bool* stopping) { return *stopping; }, &applier_stopping_),
          absl::Milliseconds(100));
    }
  }
}

absl::Status SqliteStore::ApplyCommitted() {
  {
    absl::MutexLock apply_lock(&apply_mu_);
    ++apply_attempts_started_;
  }
  const int64_t head = head_.load();
  absl::Status status;
  while (status.ok()) {
    // The writer lock is taken per transaction, so that group commits run
    // between two of them.
    absl::MutexLock lock(&write_mu_);
    int64_t applied;
    {
      absl::MutexLock apply_lock(&apply_mu_);
      applied = applied_;
    }
    if (applied >= head) break;
    absl::StatusOr<int64_t> done =
        ApplyUpTo(applied, std::min(head, applied + kMaxApplyPerTransaction));
    if (!done.ok()) {
      status = done.status();
      break;
    }
    pending_.ForgetThrough(*done);
    absl::MutexLock apply_lock(&apply_mu_);
    applied_ = *done;
  }
  absl::MutexLock apply_lock(&apply_mu_);
  apply_error_ = status;
  ++apply_attempts_finished_;
  return status;
}

absl::StatusOr<int64_t> SqliteStore::ApplyUpTo(int64_t from, int64_t to) {
  Connection& connection = *writer_;
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection, true));
  WriteTxn txn{connection, last_commit_time_, head_.load(), index_text_, nullptr};
  ActorKinds kinds(connection);
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT data FROM changes WHERE sequence > ? AND "
                                      "sequence <= ? ORDER BY sequence"));
  select.BindInt(from).BindInt(to);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    const absl::string_view data = select.ColumnBlob(0);
    ASSIGN_OR_RETURN(v1::Statement statement,
                     ParseStored<v1::Statement>(data, connection, "a change"));
    ASSIGN_OR_RETURN(const v1::ActorKind kind, kinds.Of(statement.actor()));
    std::optional<v1::Statement> previous;
    if (statement.revision() > 1) {
      ASSIGN_OR_RETURN(previous, AppliedText(connection, statement.name()));
    }
    RETURN_IF_ERROR(txn.WriteRow(statement, previous ? &*previous : nullptr, kind, data));
  }
  RETURN_IF_ERROR(txn.FlushText());
  ASSIGN_OR_RETURN(Statement update,
                   connection.Prepare("UPDATE applied_position SET sequence = ?"));
  RETURN_IF_ERROR(update.BindInt(to).Run());
  RETURN_IF_ERROR(transaction.Commit());
  return to;
}

absl::Status SqliteStore::DeferChangeLogIndexes() {
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(bulk_deferred_indexes_, SecondaryIndexes(*writer_, "changes"));
  for (const auto& [name, sql] : bulk_deferred_indexes_) {
    RETURN_IF_ERROR(writer_->Execute(absl::StrCat("DROP INDEX \"", name, "\"")));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> SqliteStore::BulkAppliedStateSchema() {
  absl::MutexLock lock(&write_mu_);
  // The table, then the full-text index over it, then the table's indexes.
  ASSIGN_OR_RETURN(Statement select,
                   writer_->Prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND "
                                    "(name = 'statements' OR name = 'statement_text' OR "
                                    "(type = 'index' AND tbl_name = 'statements')) "
                                    "ORDER BY type = 'index', name = 'statement_text', name"));
  std::vector<std::string> schema;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return schema;
    schema.push_back(select.ColumnText(0));
  }
}

absl::Status SqliteStore::FinishBulkLoad(
    const std::function<absl::StatusOr<std::string>()>& applied_state) {
  absl::MutexLock lock(&write_mu_);
  if (!bulk_load_) return absl::FailedPreconditionError("the store was not opened for a bulk load");
  Connection& connection = *writer_;
  absl::Time step = absl::Now();
  std::clock_t step_cpu = std::clock();
  auto log_step = [&step, &step_cpu](const char* what) {
    spdlog::info("bulk load: {} in {} ({:.2f} s of the process's CPU)", what,
                 absl::FormatDuration(absl::Now() - step),
                 static_cast<double>(std::clock() - step_cpu) / CLOCKS_PER_SEC);
    step = absl::Now();
    step_cpu = std::clock();
  };
  {
    ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection, true));
    RETURN_IF_ERROR(WriteRequests(connection, bulk_lookups_));
    // The change log's, dropped when the load began.
    for (const auto& [name, sql] : bulk_deferred_indexes_) {
      RETURN_IF_ERROR(connection.Execute(sql));
    }
    RETURN_IF_ERROR(transaction.Commit());
    log_step("request ids written and the change log's indexes built");
  }
  ASSIGN_OR_RETURN(const std::string side, applied_state());
  log_step("waited for the statements table built on the side");
  ASSIGN_OR_RETURN(Statement attach, connection.Prepare("ATTACH DATABASE ? AS applied"));
  RETURN_IF_ERROR(attach.BindText(side).Run());
  {
    ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection, true));
    ASSIGN_OR_RETURN(const int64_t applied, ReadAppliedPosition(connection));
    if (applied != 0) return absl::InternalError("a bulk load's store has applied changes");
    // Into empty tables with the same definitions: SQLite copies the rows
    // and each index's entries in key order, without decoding them.
    for (const char* table : {"statements", "statement_text_data", "statement_text_idx",
                              "statement_text_docsize", "statement_text_config"}) {
      RETURN_IF_ERROR(connection.Execute(
          absl::StrCat("DELETE FROM main.", table, "; INSERT INTO main.", table,
                       " SELECT * FROM applied.", table)));
    }
    // Every change is a statement's creation: one row each.
    ASSIGN_OR_RETURN(Statement count, connection.Prepare("SELECT count(*) FROM main.statements"));
    ASSIGN_OR_RETURN(bool row, count.Step());
    if (!row || count.ColumnInt(0) != head_.load()) {
      return absl::InternalError(absl::StrCat("the statements table built on the side has ",
                                              row ? count.ColumnInt(0) : 0, " rows for ",
                                              head_.load(), " changes"));
    }
    ASSIGN_OR_RETURN(Statement update,
                     connection.Prepare("UPDATE applied_position SET sequence = ?"));
    RETURN_IF_ERROR(update.BindInt(head_.load()).Run());
    RETURN_IF_ERROR(transaction.Commit());
  }
  RETURN_IF_ERROR(connection.Execute("DETACH DATABASE applied"));
  log_step("statements table, its indexes and the full-text index copied in");
  pending_.ForgetThrough(head_.load());
  {
    absl::MutexLock apply_lock(&apply_mu_);
    applied_ = head_.load();
  }
  // The store's own journal mode from now on. Making the file durable is
  // the caller's (it syncs and renames the closed file).
  ASSIGN_OR_RETURN(Statement wal, connection.Prepare("PRAGMA journal_mode = WAL"));
  ASSIGN_OR_RETURN(bool row, wal.Step());
  if (!row || wal.ColumnText(0) != "wal") {
    return absl::UnavailableError(
        absl::StrCat("cannot switch database file ", path_, " to WAL mode"));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::AwaitApplied(int64_t head) {
  if (!deferred_apply_) return absl::OkStatus();
  absl::MutexLock lock(&apply_mu_);
  if (applied_ >= head) return absl::OkStatus();
  apply_wanted_ = std::max(apply_wanted_, head);
  const int64_t fresh_attempt = apply_attempts_started_ + 1;
  auto caught_up = [this, head, fresh_attempt]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(apply_mu_) {
    return applied_ >= head || applier_stopping_ ||
           (apply_attempts_finished_ >= fresh_attempt && !apply_error_.ok());
  };
  apply_mu_.Await(absl::Condition(&caught_up));
  if (applied_ >= head) return absl::OkStatus();
  if (!apply_error_.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "the statements table of ", path_, " is behind its change log: ",
        apply_error_.message()));
  }
  return absl::UnavailableError("the store is closing");
}

}  // namespace rollcall
