// SqliteStore: the deferred apply (see sqlite_store.h). The change log is
// the truth; this brings the statements table, its indexes and the
// full-text index up to date with it, in large transactions.

#include <pthread.h>
#include <sqlite3.h>

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

// The text of the applied revision of `statement`, which `statement`
// replaces.
absl::StatusOr<std::optional<v1::Statement>> AppliedText(Connection& connection,
                                                         const v1::Statement& statement) {
  ASSIGN_OR_RETURN(const int64_t rowid, StatementRowid(connection, statement));
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT quote, summary FROM statements WHERE rowid = ?"));
  select.BindInt(rowid);
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

absl::Status SqliteStore::OpenApplied(StartupCheck check) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> applier,
                   OpenAppliedFile(applied_path_, path_, vfs_name_, check, kRebuildBehind));
  // Full-text index changes wait here until the applier's transaction
  // commits (WriteTxn::IndexText).
  RETURN_IF_ERROR(applier->Execute(
      "PRAGMA temp_store = MEMORY; "
      "CREATE TEMP TABLE pending_text (op TEXT, row INTEGER NOT NULL, "
      "quote TEXT NOT NULL, summary TEXT NOT NULL)"));
  sqlite3_wal_hook(applier->handle(), &SqliteStore::OnWalCommit, this);
  {
    absl::MutexLock lock(&applier_mu_);
    applier_connection_ = std::move(applier);
  }
  {
    absl::MutexLock lock(&write_mu_);
    RETURN_IF_ERROR(AttachFile(*writer_, applied_path_, kAppliedSchema));
    ASSIGN_OR_RETURN(const int64_t kinds, ActorKindChangesHead(*writer_));
    actor_kinds_head_.store(kinds);
  }
  RETURN_IF_ERROR(LoadPending());
  StartApplier();
  return absl::OkStatus();
}

absl::Status SqliteStore::LoadPending() {
  AppliedPosition applied;
  {
    absl::MutexLock lock(&applier_mu_);
    ASSIGN_OR_RETURN(applied, ReadAppliedPosition(*applier_connection_));
  }
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(Statement select,
                   writer_->Prepare("SELECT data FROM changes WHERE sequence > ? "
                                    "ORDER BY sequence"));
  select.BindInt(applied.sequence);
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(v1::Statement statement,
                     ParseStored<v1::Statement>(select.ColumnBlob(0), *writer_, "a change"));
    pending_.Add(statement);
  }
  pending_.Commit();
  absl::MutexLock apply_lock(&apply_mu_);
  applied_ = applied.sequence;
  actor_kinds_applied_ = applied.actor_kinds_through;
  return absl::OkStatus();
}

void SqliteStore::StartApplier() {
  applier_ = std::thread([this] { RunApplier(); });
}

void SqliteStore::RunApplier() {
  // Named for per-thread profiles (top -H, perf --sort tid).
  pthread_setname_np(pthread_self(), "store-applier");
  int64_t seen_head = head_.load();
  while (true) {
    bool stopping = false;
    {
      absl::MutexLock lock(&apply_mu_);
      auto due = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(apply_mu_) {
        return applier_stopping_ || apply_wanted_ > applied_ ||
               head_.load() - applied_ >= kApplyBatch ||
               actor_kinds_head_.load() > actor_kinds_applied_;
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
      spdlog::error("applying changes to {}: {}", applied_path_, status.ToString());
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
  const int64_t kinds = actor_kinds_head_.load();
  absl::Status status;
  while (status.ok()) {
    int64_t applied;
    {
      absl::MutexLock apply_lock(&apply_mu_);
      if (applied_ >= head && actor_kinds_applied_ >= kinds) break;
      applied = applied_;
    }
    absl::StatusOr<AppliedPosition> done;
    {
      absl::MutexLock lock(&applier_mu_);
      done = ApplyUpTo(applied, std::min(head, applied + kMaxApplyPerTransaction));
    }
    if (!done.ok()) {
      status = done.status();
      break;
    }
    absl::MutexLock apply_lock(&apply_mu_);
    applied_ = done->sequence;
    actor_kinds_applied_ = done->actor_kinds_through;
  }
  absl::MutexLock apply_lock(&apply_mu_);
  apply_error_ = status;
  ++apply_attempts_finished_;
  return status;
}

absl::StatusOr<AppliedPosition> SqliteStore::ApplyUpTo(int64_t from, int64_t to) {
  Connection& connection = *applier_connection_;
  // Deferred: IMMEDIATE would lock the attached log as well. The first
  // statement writes, so the transaction holds the applied file's write
  // lock from its start (and only this connection writes that file).
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection, false));
  ASSIGN_OR_RETURN(Statement position,
                   connection.Prepare("UPDATE applied_position SET sequence = ?1, "
                                      "commit_time_micros = coalesce((SELECT "
                                      "commit_time_micros FROM changes WHERE sequence = "
                                      "?1), 0), actor_kinds_through = (SELECT "
                                      "coalesce(max(id), 0) FROM actor_kind_changes) "
                                      "RETURNING actor_kinds_through"));
  position.BindInt(to);
  ASSIGN_OR_RETURN(bool row, position.Step());
  if (!row) return absl::DataLossError(absl::StrCat(applied_path_, " has no applied_position"));
  AppliedPosition done{to, 0, position.ColumnInt(0)};
  RETURN_IF_ERROR(position.Run());
  int64_t kinds_from;
  {
    absl::MutexLock apply_lock(&apply_mu_);
    kinds_from = actor_kinds_applied_;
  }
  // Actor-kind changes first: the rows below take each actor's kind from
  // the same snapshot of the log.
  ASSIGN_OR_RETURN(Statement kinds,
                   connection.Prepare("SELECT actor, kind FROM actor_kind_changes "
                                      "WHERE id > ? AND id <= ? ORDER BY id"));
  kinds.BindInt(kinds_from).BindInt(done.actor_kinds_through);
  ASSIGN_OR_RETURN(Statement rekind,
                   connection.Prepare("UPDATE statements SET actor_kind = ? WHERE actor = ?"));
  while (true) {
    ASSIGN_OR_RETURN(bool found, kinds.Step());
    if (!found) break;
    RETURN_IF_ERROR(rekind.BindInt(kinds.ColumnInt(1)).BindText(kinds.ColumnText(0)).Run());
    rekind.Reset();
  }
  WriteTxn txn{connection, absl::InfinitePast(), to, index_text_, nullptr};
  ActorKinds actor_kinds(connection);
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT data FROM changes WHERE sequence > ? AND "
                                      "sequence <= ? ORDER BY sequence"));
  select.BindInt(from).BindInt(to);
  while (true) {
    ASSIGN_OR_RETURN(bool found, select.Step());
    if (!found) break;
    const absl::string_view data = select.ColumnBlob(0);
    ASSIGN_OR_RETURN(v1::Statement statement,
                     ParseStored<v1::Statement>(data, connection, "a change"));
    ASSIGN_OR_RETURN(const v1::ActorKind kind, actor_kinds.Of(statement.actor()));
    std::optional<v1::Statement> previous;
    if (statement.revision() > 1) {
      ASSIGN_OR_RETURN(previous, AppliedText(connection, statement));
    }
    RETURN_IF_ERROR(txn.WriteRow(statement, previous ? &*previous : nullptr, kind, data));
  }
  RETURN_IF_ERROR(txn.FlushText());
  RETURN_IF_ERROR(transaction.Commit());
  return done;
}

absl::Status SqliteStore::DeferChangeLogIndexes() {
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(bulk_deferred_indexes_, SecondaryIndexes(*writer_, "changes"));
  for (const auto& [name, sql] : bulk_deferred_indexes_) {
    RETURN_IF_ERROR(writer_->Execute(absl::StrCat("DROP INDEX \"", name, "\"")));
  }
  return absl::OkStatus();
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
    // The change log's, dropped when the load began: each sorts once.
    std::vector<std::string> indexes;
    for (const auto& [name, sql] : bulk_deferred_indexes_) indexes.push_back(sql);
    RETURN_IF_ERROR(CreateIndexesInRuns(connection, indexes, kBulkLoadCacheKib));
    RETURN_IF_ERROR(transaction.Commit());
    log_step("request ids written and the change log's indexes built");
  }
  // The store's own journal mode from now on. Making the file durable is
  // the caller's (it syncs and renames the closed file).
  {
    ASSIGN_OR_RETURN(Statement wal, connection.Prepare("PRAGMA journal_mode = WAL"));
    ASSIGN_OR_RETURN(bool row, wal.Step());
    if (!row || wal.ColumnText(0) != "wal") {
      return absl::UnavailableError(
          absl::StrCat("cannot switch database file ", path_, " to WAL mode"));
    }
  }
  if (applied_state) {
    // Built beside the store while the changes were logged.
    ASSIGN_OR_RETURN(const std::string built, applied_state());
    log_step("waited for the applied state built on the side");
    RETURN_IF_ERROR(AdoptAppliedFile(built, applied_path_, path_, vfs_name_));
    log_step("applied file checked and bound to the log");
  } else {
    // As any open that finds none builds it: rows, then each index sorted
    // once, then FTS5's rebuild (each term's list written once).
    RETURN_IF_ERROR(BuildAppliedFile(applied_path_, path_, vfs_name_));
    log_step("applied file built");
  }
  // Every logged statement is in the applied file now.
  pending_.Clear();
  absl::MutexLock apply_lock(&apply_mu_);
  applied_ = head_.load();
  return absl::OkStatus();
}

absl::Status SqliteStore::AwaitApplied(int64_t head, int64_t actor_kinds) {
  if (!deferred_apply_) return absl::OkStatus();
  absl::MutexLock lock(&apply_mu_);
  if (applied_ >= head && actor_kinds_applied_ >= actor_kinds) return absl::OkStatus();
  apply_wanted_ = std::max(apply_wanted_, head);
  const int64_t fresh_attempt = apply_attempts_started_ + 1;
  auto caught_up = [this, head, actor_kinds,
                    fresh_attempt]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(apply_mu_) {
    return (applied_ >= head && actor_kinds_applied_ >= actor_kinds) || applier_stopping_ ||
           (apply_attempts_finished_ >= fresh_attempt && !apply_error_.ok());
  };
  apply_mu_.Await(absl::Condition(&caught_up));
  if (applied_ >= head && actor_kinds_applied_ >= actor_kinds) return absl::OkStatus();
  if (!apply_error_.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "the statements table of ", path_, " is behind its change log: ",
        apply_error_.message()));
  }
  return absl::UnavailableError("the store is closing");
}

}  // namespace rollcall
