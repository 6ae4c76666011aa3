// PostgresStore: the write path. Writes queue in GroupCommit; each group
// is one transaction on the writer connection that holds the log_head row
// lock from BEGIN to COMMIT (see the header). The creates of a group are
// resolved together (postgres_creates.cc); other writes run after them.

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/postgres_group_creates.h"
#include "server/store/postgres_store.h"
#include "server/store/sqlite_rows.h"
#include "spdlog/spdlog.h"

namespace rollcall {

std::string PostgresStore::WriteTxn::NextChange(v1::Statement& statement) {
  statement.set_sequence(++head);
  return SerializeStored(statement);
}

absl::Status PostgresStore::WriteTxn::InSavepoint(
    const std::function<absl::Status()>& step, absl::Status* outcome) {
  // Never released: a released savepoint costs a round trip and saves
  // nothing (its writes belong to the transaction either way), and a new
  // one of the same name shadows it.
  RETURN_IF_ERROR(connection.Execute("SAVEPOINT step"));
  const int64_t head_before = head;
  *outcome = step();
  if (outcome->ok()) return absl::OkStatus();
  head = head_before;
  return connection.Execute("ROLLBACK TO step");
}

absl::Status PostgresStore::Write(const WriteBody& body) {
  // Runs after the group's creates (see CommitGroup).
  const WriteBody deferred = [&body](WriteTxn& txn) {
    return txn.collecting ? absl::OkStatus() : body(txn);
  };
  return commits_.Run(
      deferred,
      [this](absl::Span<Commits::Pending* const> group) { return CommitGroup(group); },
      [this](int64_t head) { Advance(head); });
}

absl::Status PostgresStore::WriteCreates(CreateBatch& batch) {
  const WriteBody body = [&batch](WriteTxn& txn) {
    txn.creates.push_back(&batch);
    txn.registered = true;
    return absl::OkStatus();
  };
  return commits_.Run(
      body,
      [this](absl::Span<Commits::Pending* const> group) { return CommitGroup(group); },
      [this](int64_t head) { Advance(head); });
}

absl::StatusOr<PostgresStore::WriteTxn> PostgresStore::BeginWrite() {
  RETURN_IF_ERROR(writer_->EnsureConnected());
  // BEGIN and the row lock that orders every instance's commits (see the
  // header), in one round trip.
  const std::string begin_and_lock = absl::StrCat("BEGIN; ", pg_group::kLockHead);
  absl::StatusOr<PgResult> locked = writer_->ExecuteForRows(begin_and_lock);
  // A connection that broke while idle is only noticed now; nothing was
  // written, so connect again and begin once more.
  if (!locked.ok() && writer_->broken() && writer_->Reconnect().ok()) {
    locked = writer_->ExecuteForRows(begin_and_lock);
  }
  if (!locked.ok()) return locked.status();
  if (locked->rows() != 1) return absl::DataLossError("log_head has no row");
  const int64_t head = locked->Int(0, 0);
  return WriteTxn{*writer_, CommitTimeAfter(locked->Int(0, 1)), head, head,
                  false,    false,                              {}};
}

absl::Status PostgresStore::CommitWithInsert(const WriteTxn& txn, PgStatement insert) {
  std::vector<PgStatement> statements;
  statements.push_back(std::move(insert));
  statements.push_back({"UPDATE log_head SET head = ?, last_commit_micros = ?",
                        PgParams().Int(txn.head).Int(absl::ToUnixMicros(txn.commit_time))});
  statements.push_back(
      {"SELECT pg_notify(?, ?)", PgParams().Text(channel_).Text(absl::StrCat(txn.head))});
  statements.push_back({"COMMIT", {}});
  ASSIGN_OR_RETURN(std::vector<PgResult> results, writer_->Pipeline(statements));
  if (results.back().CommandTag() != "COMMIT") {
    return absl::AbortedError("PostgreSQL rolled the transaction back instead of committing");
  }
  return absl::OkStatus();
}

absl::Status PostgresStore::CommitTxn(const WriteTxn& txn) {
  // The new head and its notification (delivered to the listeners of every
  // instance when this commits) travel with COMMIT: one round trip.
  const std::string before_commit =
      txn.head == txn.start_head
          ? std::string()
          : absl::StrCat("UPDATE log_head SET head = ", txn.head,
                         ", last_commit_micros = ", absl::ToUnixMicros(txn.commit_time),
                         "; NOTIFY ", QuoteIdentifier(channel_), ", '", txn.head, "'");
  return writer_->Commit(before_commit);
}

absl::Status PostgresStore::CreateOneByOne(WriteTxn& txn, const absl::Status& failure) {
  // If the connection broke (UNAVAILABLE: no answer from PostgreSQL), the
  // outcome of COMMIT is unknown: the callers get UNAVAILABLE and retry
  // with their request ids.
  if (writer_->broken() || failure.code() == absl::StatusCode::kUnavailable) {
    return failure;
  }
  // Nothing but the creates was written: begin again and make them one by
  // one, so that only the writes at fault fail.
  spdlog::debug("store: creating one by one: {}", failure.ToString());
  (void)writer_->Execute("ROLLBACK");
  ASSIGN_OR_RETURN(const WriteTxn again, BeginWrite());
  txn.head = txn.start_head = again.head;
  txn.commit_time = again.commit_time;
  for (CreateBatch* batch : txn.creates) RETURN_IF_ERROR(CreateSlowly(txn, *batch));
  return absl::OkStatus();
}

absl::Status PostgresStore::RunInSavepoints(WriteTxn& txn,
                                            absl::Span<Commits::Pending* const> writes) {
  for (Commits::Pending* write : writes) {
    absl::Status status =
        txn.InSavepoint([&] { return (*write->body)(txn); }, &write->status);
    if (!status.ok()) return write->status.ok() ? status : write->status;
  }
  return absl::OkStatus();
}

std::optional<int64_t> PostgresStore::CommitGroup(
    absl::Span<Commits::Pending* const> group) {
  absl::MutexLock lock(&write_mu_);
  auto fail_all = [&](const absl::Status& status) -> std::optional<int64_t> {
    for (Commits::Pending* write : group) {
      if (write->status.ok()) write->status = status;
    }
    if (!writer_->broken()) (void)writer_->Execute("ROLLBACK");
    return std::nullopt;
  };
  // The creates register their batches; the other writes run after them.
  WriteTxn collector{*writer_, absl::InfinitePast(), 0, 0, true, false, {}};
  std::vector<Commits::Pending*> others;
  for (Commits::Pending* write : group) {
    collector.registered = false;
    write->status = (*write->body)(collector);
    if (!collector.registered) others.push_back(write);
  }
  const std::vector<CreateBatch*>& creates = collector.creates;
  if (!creates.empty() && others.empty()) {
    const absl::Time ahead_start = absl::Now();
    std::optional<int64_t> committed;
    absl::StatusOr<bool> settled = CreateAhead(creates, committed);
    if (!settled.ok()) return fail_all(settled.status());
    if (*settled) {
      if (committed.has_value() && commit_observer_.on_commit) {
        commit_observer_.on_commit(static_cast<int>(group.size()),
                                   absl::Now() - ahead_start);
      }
      return committed;
    }
  }
  PgStatement insert;
  absl::StatusOr<WriteTxn> begun =
      creates.empty() ? BeginWrite() : BeginWithCreates(creates, insert);
  if (!begun.ok()) return fail_all(begun.status());
  WriteTxn& txn = *begun;
  const absl::Time commit_start = absl::Now();
  auto observe = [&] {
    if (commit_observer_.on_commit) {
      commit_observer_.on_commit(static_cast<int>(group.size()), absl::Now() - commit_start);
    }
  };
  absl::Status inserted;
  if (!insert.sql.empty() && others.empty()) {
    inserted = CommitWithInsert(txn, std::move(insert));
    if (inserted.ok()) {
      last_commit_micros_ = absl::ToUnixMicros(txn.commit_time);
      observe();
      return txn.head;
    }
  } else if (!insert.sql.empty()) {
    inserted = writer_->Query(insert.sql, insert.params).status();
  }
  if (!inserted.ok()) {
    if (absl::Status status = CreateOneByOne(txn, inserted); !status.ok()) {
      return fail_all(status);
    }
  }
  if (others.empty() && txn.head == txn.start_head) {
    // Every create failed its checks: nothing was written.
    (void)writer_->Execute("ROLLBACK");
    return std::nullopt;
  }
  if (group.size() == 1 && others.size() == 1) {
    others[0]->status = (*others[0]->body)(txn);
    if (!others[0]->status.ok()) {
      (void)writer_->Execute("ROLLBACK");
      return std::nullopt;
    }
  } else if (absl::Status status = RunInSavepoints(txn, others); !status.ok()) {
    return fail_all(status);
  }
  if (absl::Status status = CommitTxn(txn); !status.ok()) return fail_all(status);
  observe();
  if (txn.head == txn.start_head) return std::nullopt;
  last_commit_micros_ = absl::ToUnixMicros(txn.commit_time);
  return txn.head;
}

}  // namespace rollcall
