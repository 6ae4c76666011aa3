// SqliteStore: statements, their revisions and idempotent creates.

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/store/duplicate_statement.h"
#include "server/store/pending_statements.h"
#include "server/store/revision_rules.h"
#include "server/store/sql_builder.h"
#include "server/store/sqlite_list.h"
#include "server/store/sqlite_rows.h"
#include "server/store/sqlite_store.h"

namespace rollcall {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxNameAttempts = 8;

// The kind of actor `actor`, or MissingReference(field) if there is none.
// With `bulk`, one found before is not looked up again.
absl::StatusOr<v1::ActorKind> ActorKindOf(Connection& connection, absl::string_view field,
                                          absl::string_view actor, BulkLookups* bulk) {
  if (bulk != nullptr) {
    if (std::optional<v1::ActorKind> kind = bulk->KnownActor(actor)) return *kind;
  }
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT kind FROM actors WHERE name = ?"));
  select.BindText(actor);
  ASSIGN_OR_RETURN(bool exists, select.Step());
  if (!exists) return MissingReference(field, actor);
  const auto kind = static_cast<v1::ActorKind>(select.ColumnInt(0));
  if (bulk != nullptr) bulk->RememberActor(actor, kind);
  return kind;
}

absl::Status CheckEvent(Connection& connection, absl::string_view event, BulkLookups* bulk) {
  if (bulk != nullptr && bulk->KnownEvent(event)) return absl::OkStatus();
  ASSIGN_OR_RETURN(bool exists,
                   RowExists(connection, "SELECT 1 FROM events WHERE name = ?", event));
  if (!exists) return MissingReference("statement.event", event);
  if (bulk != nullptr) bulk->RememberEvent(event);
  return absl::OkStatus();
}

// Checks every reference of `statement` and returns its actor's kind.
absl::StatusOr<v1::ActorKind> CheckReferences(Connection& connection,
                                              const v1::Statement& statement,
                                              BulkLookups* bulk) {
  RETURN_IF_ERROR(CheckEvent(connection, statement.event(), bulk));
  ASSIGN_OR_RETURN(const v1::ActorKind actor_kind,
                   ActorKindOf(connection, "statement.actor", statement.actor(), bulk));
  for (int i = 0; i < statement.joint_with_size(); ++i) {
    RETURN_IF_ERROR(ActorKindOf(connection, absl::StrCat("statement.joint_with[", i, "]"),
                                statement.joint_with(i), bulk)
                        .status());
  }
  if (!statement.stance_toward().empty()) {
    RETURN_IF_ERROR(ActorKindOf(connection, "statement.stance_toward",
                                statement.stance_toward(), bulk)
                        .status());
  }
  for (int i = 0; i < statement.actions_size(); ++i) {
    const v1::Action& action = statement.actions(i);
    for (int j = 0; j < action.targets_size(); ++j) {
      RETURN_IF_ERROR(ActorKindOf(connection,
                                  absl::StrCat("statement.actions[", i, "].targets[", j, "]"),
                                  action.targets(j), bulk)
                          .status());
    }
  }
  return actor_kind;
}

// A new statement's name (NewStatementId: in creation order), unused so
// far: ids of this process never repeat, but a store written before with a
// clock ahead of this one's could hold it. During a bulk load every logged
// statement is pending (`pending`), so the change log need not be asked.
absl::StatusOr<std::string> NewStatementName(Connection& connection,
                                             const PendingStatements* pending,
                                             bool bulk) {
  for (int attempt = 0; attempt < kMaxNameAttempts; ++attempt) {
    std::string name = MakeName(kStatementsCollection, NewStatementId());
    if (bulk && pending != nullptr) {
      if (!pending->Contains(name)) return name;
      continue;
    }
    ASSIGN_OR_RETURN(
        bool taken,
        RowExists(connection, "SELECT 1 FROM changes WHERE statement = ?", name));
    if (!taken) return name;
  }
  return absl::InternalError("could not find an unused statement name");
}

// The statement created earlier with `request`'s request_id, if any.
// With `bulk`, the request ids are all in memory.
absl::StatusOr<std::optional<v1::Statement>> FindRetry(Connection& connection,
                                                       const NewStatement& request,
                                                       const BulkLookups* bulk) {
  if (request.request_id.empty()) return std::nullopt;
  std::string fingerprint;
  std::string first_name;
  if (bulk != nullptr) {
    const BulkLookups::Request* found = bulk->FindRequest(request.request_id);
    if (found == nullptr) return std::nullopt;
    fingerprint = found->fingerprint;
    first_name = found->statement;
  } else {
    ASSIGN_OR_RETURN(Statement select,
                     connection.Prepare("SELECT fingerprint, statement FROM requests "
                                        "WHERE request_id = ?"));
    select.BindText(request.request_id);
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return std::nullopt;
    fingerprint = std::string(select.ColumnText(0));
    first_name = std::string(select.ColumnText(1));
  }
  if (fingerprint != request.fingerprint) {
    return FieldError("request_id",
                      absl::StrCat("\"", request.request_id,
                                   "\" was already used for a different request"));
  }
  ASSIGN_OR_RETURN(v1::Statement first, LoadStatement(connection, first_name));
  return first;
}

// Refuses `request`'s statement if it duplicates an active one (see
// duplicate_statement.h). The candidates come from the (actor,
// issue_time_micros) index, bounded to the window: a handful of rows
// whatever the size of the store; and, with the deferred apply, from the
// statements not applied yet (`pending`, which supersedes the table's row
// of any statement it holds). During a bulk load (`bulk_load`) the table
// stays empty until FinishBulkLoad: every statement is pending.
absl::Status CheckNotDuplicate(Connection& connection, const NewStatement& request,
                               const PendingStatements* pending, bool bulk_load) {
  const v1::Statement& statement = request.statement;
  if (request.allow_duplicate || statement.quote().empty()) return absl::OkStatus();
  const int64_t issue_time = ToUnixMicros(statement.issue_time());
  const int64_t window = absl::ToInt64Microseconds(kDuplicateWindow);
  std::vector<std::pair<int64_t, DuplicateCandidate>> found;
  if (pending != nullptr) {
    found = pending->Candidates(statement.actor(), statement.event(), issue_time - window,
                                issue_time + window);
  }
  // A bulk load has no statements table yet (nor its applied file).
  if (!bulk_load) {
    ASSIGN_OR_RETURN(
        Statement select,
        connection.Prepare("SELECT name, quote, issue_time_micros FROM statements "
                           "INDEXED BY statements_by_actor_time "
                           "WHERE actor = ? AND issue_time_micros BETWEEN ? AND ? "
                           "AND event = ? AND state = ? AND quote <> '' "
                           "ORDER BY issue_time_micros, name"));
    select.BindText(statement.actor())
        .BindInt(issue_time - window)
        .BindInt(issue_time + window)
        .BindText(statement.event())
        .BindInt(v1::STATEMENT_STATE_ACTIVE);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      if (pending != nullptr && pending->Contains(select.ColumnText(0))) continue;
      found.push_back({select.ColumnInt(2), {select.ColumnText(0), select.ColumnText(1)}});
    }
  }
  // In the index's order, whichever side each came from.
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.name) < std::tie(b.first, b.second.name);
  });
  std::vector<DuplicateCandidate> candidates;
  candidates.reserve(found.size());
  for (auto& [time, candidate] : found) candidates.push_back(std::move(candidate));
  std::optional<NearDuplicate> duplicate =
      MostSimilarQuote(statement.quote(), candidates);
  if (!duplicate.has_value()) return absl::OkStatus();
  return DuplicateStatementError(statement, *duplicate);
}

// With `bulk`, in memory only: FinishBulkLoad writes them.
absl::Status RecordRequest(Connection& connection, const NewStatement& request,
                           absl::string_view name, BulkLookups* bulk) {
  if (request.request_id.empty()) return absl::OkStatus();
  if (bulk != nullptr) {
    bulk->RecordRequest(request.request_id, request.fingerprint, std::string(name));
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(Statement insert,
                   connection.Prepare("INSERT INTO requests (request_id, fingerprint, "
                                      "statement) VALUES (?, ?, ?)"));
  return insert.BindText(request.request_id)
      .BindText(request.fingerprint)
      .BindText(name)
      .Run();
}

}  // namespace

absl::StatusOr<v1::Statement> SqliteStore::CreateInTxn(WriteTxn& txn,
                                                       const NewStatement& request) {
  Connection& connection = txn.connection;
  ASSIGN_OR_RETURN(std::optional<v1::Statement> retry,
                   FindRetry(connection, request, txn.bulk));
  if (retry.has_value()) return *std::move(retry);
  v1::Statement statement = request.statement;
  ASSIGN_OR_RETURN(const v1::ActorKind actor_kind,
                   CheckReferences(connection, statement, txn.bulk));
  // After the request_id: a retry returns the first statement, which the
  // retried one would otherwise duplicate.
  RETURN_IF_ERROR(CheckNotDuplicate(connection, request, txn.pending, txn.bulk != nullptr));
  ASSIGN_OR_RETURN(std::string name,
                   NewStatementName(connection, txn.pending, txn.bulk != nullptr));
  StampNewStatement(statement, std::move(name), txn.commit_time);
  ASSIGN_OR_RETURN(const std::string data,
                   txn.AppendChange(statement, v1::CHANGE_KIND_CREATED));
  RETURN_IF_ERROR(txn.WriteRow(statement, nullptr, actor_kind, data));
  RETURN_IF_ERROR(RecordRequest(connection, request, statement.name(), txn.bulk));
  return statement;
}

absl::StatusOr<v1::Statement> SqliteStore::CreateStatement(const NewStatement& request) {
  v1::Statement created;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(created, CreateInTxn(txn, request));
    return absl::OkStatus();
  }));
  return created;
}

absl::StatusOr<std::vector<v1::Statement>> SqliteStore::CreateStatements(
    absl::Span<const NewStatement> requests) {
  std::vector<v1::Statement> created;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) {
    return CreateAllInTxn(
        requests, [&](const NewStatement& request) { return CreateInTxn(txn, request); },
        created);
  }));
  return created;
}

absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>>
SqliteStore::CreateEachStatement(absl::Span<const NewStatement> requests) {
  std::vector<absl::StatusOr<v1::Statement>> results;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) {
    return CreateEachInTxn(
        txn, requests,
        [&](const NewStatement& request) { return CreateInTxn(txn, request); }, results);
  }));
  return results;
}

absl::StatusOr<v1::Statement> SqliteStore::GetStatement(absl::string_view name) {
  v1::Statement statement;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(statement, LoadStatement(connection, name));
    return absl::OkStatus();
  }));
  return statement;
}

absl::StatusOr<StatementPage> SqliteStore::ListStatements(const StatementQuery& query) {
  // Read-your-writes: the table holds every write acknowledged so far,
  // and every actor's kind changed so far.
  RETURN_IF_ERROR(AwaitApplied(head_.load(), actor_kinds_head_.load()));
  StatementQuery bounded = query;
  if (bounded.page_size <= 0) bounded.page_size = kDefaultPageSize;
  StatementPage page;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(const std::optional<SqlQuery> sql,
                     SqliteStatementListSql(connection, bounded,
                                            absl::ToUnixMicros(absl::Now())));
    if (!sql.has_value()) return absl::OkStatus();
    ASSIGN_OR_RETURN(Statement select, connection.Prepare(sql->sql));
    BindAll(select, sql->params);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return absl::OkStatus();
      if (static_cast<int>(page.statements.size()) == bounded.page_size) {
        const v1::Statement& last = page.statements.back();
        page.next = StatementCursor{ToUnixMicros(last.issue_time()), last.name()};
        return absl::OkStatus();
      }
      ASSIGN_OR_RETURN(page.statements.emplace_back(),
                       ParseStored<v1::Statement>(select.ColumnBlob(0), connection,
                                                  select.ColumnText(2)));
    }
  }));
  return page;
}

absl::StatusOr<v1::Statement> SqliteStore::UpdateStatement(
    absl::string_view name, const Mutation<v1::Statement>& mutate) {
  v1::Statement updated;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Statement current, LoadStatement(txn.connection, name));
    if (current.state() == v1::STATEMENT_STATE_RETRACTED) {
      return absl::FailedPreconditionError(
          absl::StrCat("statement ", name, " is retracted and can no longer change"));
    }
    updated = current;
    RETURN_IF_ERROR(mutate(updated));
    const bool retracted = StampNextRevision(updated, current, txn.commit_time);
    ASSIGN_OR_RETURN(const v1::ActorKind actor_kind,
                     CheckReferences(txn.connection, updated, txn.bulk));
    ASSIGN_OR_RETURN(
        const std::string data,
        txn.AppendChange(updated, retracted ? v1::CHANGE_KIND_RETRACTED
                                            : v1::CHANGE_KIND_UPDATED));
    return txn.WriteRow(updated, &current, actor_kind, data);
  }));
  return updated;
}

absl::StatusOr<RevisionPage> SqliteStore::ListStatementRevisions(absl::string_view name,
                                                                 int64_t after_revision,
                                                                 int page_size) {
  if (page_size <= 0) page_size = kDefaultPageSize;
  RevisionPage page;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(
        bool exists,
        RowExists(connection, "SELECT 1 FROM changes WHERE statement = ?", name));
    if (!exists)
      return absl::NotFoundError(absl::StrCat("statement ", name, " not found"));
    ASSIGN_OR_RETURN(Statement select,
                     connection.Prepare("SELECT data, revision FROM changes WHERE "
                                        "statement = ? AND revision > ? "
                                        "ORDER BY revision LIMIT ?"));
    select.BindText(name).BindInt(after_revision).BindInt(int64_t{page_size} + 1);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return absl::OkStatus();
      if (static_cast<int>(page.revisions.size()) == page_size) {
        page.next_after_revision = page.revisions.back().revision();
        return absl::OkStatus();
      }
      ASSIGN_OR_RETURN(
          page.revisions.emplace_back(),
          ParseStored<v1::Statement>(select.ColumnBlob(0), connection, name));
    }
  }));
  return page;
}

absl::StatusOr<std::vector<v1::Statement>> SqliteStore::StatementsAsOf(
    absl::string_view event, absl::Time as_of) {
  std::vector<v1::Statement> statements;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    // The latest revision at as_of of every statement that was on the event
    // at some revision by then, kept if that revision is still on it.
    ASSIGN_OR_RETURN(
        Statement select,
        connection.Prepare(
            "SELECT c.data FROM changes c JOIN ("
            "  SELECT statement, max(revision) AS revision FROM changes"
            "  WHERE commit_time_micros <= ?1 AND statement IN ("
            "    SELECT statement FROM changes"
            "    WHERE event = ?2 AND commit_time_micros <= ?1)"
            "  GROUP BY statement) latest"
            " ON c.statement = latest.statement AND c.revision = latest.revision"
            " WHERE c.event = ?2 ORDER BY c.sequence"));
    select.BindInt(absl::ToUnixMicros(as_of)).BindText(event);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return absl::OkStatus();
      ASSIGN_OR_RETURN(
          statements.emplace_back(),
          ParseStored<v1::Statement>(select.ColumnBlob(0), connection, event));
    }
  }));
  return statements;
}

}  // namespace rollcall
