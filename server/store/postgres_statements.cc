// PostgresStore: statements other than their creation (postgres_creates.cc):
// reading, listing, updating, revisions. The rules are SqliteStore's
// (sqlite_statements.cc); only the SQL differs.

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/store/postgres_rows.h"
#include "server/store/postgres_store.h"
#include "server/store/revision_rules.h"
#include "server/store/sql_builder.h"
#include "server/store/sqlite_rows.h"
#include "server/text/text_search.h"

namespace rollcall {
namespace {

absl::Status CheckActor(PgConnection& connection, absl::string_view field,
                        absl::string_view actor) {
  ASSIGN_OR_RETURN(bool exists, PgActorExists(connection, actor));
  return exists ? absl::OkStatus() : MissingReference(field, actor);
}

absl::StatusOr<v1::Statement> LoadStatement(PgConnection& connection,
                                            absl::string_view name) {
  return PgLoadByName<v1::Statement>(connection, "statements", "statement", name);
}

absl::Status CheckOtherReferences(PgConnection& connection,
                                  const v1::Statement& statement) {
  for (int i = 0; i < statement.joint_with_size(); ++i) {
    RETURN_IF_ERROR(CheckActor(connection, absl::StrCat("statement.joint_with[", i, "]"),
                               statement.joint_with(i)));
  }
  if (!statement.stance_toward().empty()) {
    RETURN_IF_ERROR(
        CheckActor(connection, "statement.stance_toward", statement.stance_toward()));
  }
  for (int i = 0; i < statement.actions_size(); ++i) {
    const v1::Action& action = statement.actions(i);
    for (int j = 0; j < action.targets_size(); ++j) {
      RETURN_IF_ERROR(CheckActor(
          connection, absl::StrCat("statement.actions[", i, "].targets[", j, "]"),
          action.targets(j)));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ActorKind> CheckReferences(PgConnection& connection,
                                              const v1::Statement& statement) {
  // The event and the actor in one round trip.
  ASSIGN_OR_RETURN(
      PgResult kind,
      connection.Query("SELECT (SELECT 1::bigint FROM events WHERE name = ?), "
                       "(SELECT kind FROM actors WHERE name = ?)",
                       PgParams().Text(statement.event()).Text(statement.actor())));
  if (kind.IsNull(0, 0)) return MissingReference("statement.event", statement.event());
  if (kind.IsNull(0, 1)) return MissingReference("statement.actor", statement.actor());
  RETURN_IF_ERROR(CheckOtherReferences(connection, statement));
  return static_cast<v1::ActorKind>(kind.Int(0, 1));
}


}  // namespace

absl::Status WriteStatementRow(PgConnection& connection, const v1::Statement& statement,
                               v1::ChangeKind kind, absl::Time commit_time,
                               v1::ActorKind actor_kind, absl::string_view data,
                               const NewStatement* request) {
  const bool record_request = request != nullptr && !request->request_id.empty();
  return connection
      .Query(
          "WITH change AS (INSERT INTO changes (sequence, statement, revision, kind, "
          "commit_time_micros, data, event) VALUES (?, ?, ?, ?, ?, ?, ?)), "
          "request AS (INSERT INTO requests (request_id, fingerprint, statement) "
          "SELECT ?, ?, ? WHERE ?::bigint = 1) "
          "INSERT INTO statements (name, event, actor, actor_kind, stance, modality, "
          "state, issue_time_micros, action_mask, quote, summary, quote_terms, "
          "summary_terms, labels, revision, sequence, data) VALUES (?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?::tsvector, ?::tsvector, ?::jsonb, ?, ?, ?) "
          "ON CONFLICT (name) DO UPDATE SET event = excluded.event, "
          "actor = excluded.actor, actor_kind = excluded.actor_kind, "
          "stance = excluded.stance, modality = excluded.modality, "
          "state = excluded.state, issue_time_micros = excluded.issue_time_micros, "
          "action_mask = excluded.action_mask, quote = excluded.quote, "
          "summary = excluded.summary, quote_terms = excluded.quote_terms, "
          "summary_terms = excluded.summary_terms, labels = excluded.labels, "
          "revision = excluded.revision, sequence = excluded.sequence, "
          "data = excluded.data",
          PgParams()
              .Int(statement.sequence())
              .Text(statement.name())
              .Int(statement.revision())
              .Int(kind)
              .Int(absl::ToUnixMicros(commit_time))
              .Bytes(data)
              .Text(statement.event())
              .Text(record_request ? request->request_id : "")
              .Text(record_request ? request->fingerprint : "")
              .Text(statement.name())
              .Int(record_request ? 1 : 0)
              .Text(statement.name())
              .Text(statement.event())
              .Text(statement.actor())
              .Int(actor_kind)
              .Int(statement.stance())
              // The filter treats an unspecified modality as asserted.
              .Int(statement.modality() == v1::MODALITY_UNSPECIFIED
                       ? v1::MODALITY_ASSERTED
                       : statement.modality())
              .Int(statement.state())
              .Int(ToUnixMicros(statement.issue_time()))
              .Int(ActionMask(statement))
              .Text(statement.quote())
              .Text(statement.summary())
              .Text(TsVectorLiteral(statement.quote()))
              .Text(TsVectorLiteral(statement.summary()))
              .Text(LabelsJson(statement.labels()))
              .Int(statement.revision())
              .Int(statement.sequence())
              .Bytes(data))
      .status();
}
// ---- Statements -----------------------------------------------------------

absl::StatusOr<v1::Statement> PostgresStore::GetStatement(absl::string_view name) {
  v1::Statement statement;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(statement, LoadStatement(connection, name));
    return absl::OkStatus();
  }));
  return statement;
}

absl::StatusOr<StatementPage> PostgresStore::ListStatements(const StatementQuery& query) {
  StatementQuery bounded = query;
  bounded.page_size = PostgresPageSize(bounded.page_size);
  const SqlQuery sql =
      StatementListSql(bounded, absl::ToUnixMicros(absl::Now()), SqlDialect::kPostgres);
  StatementPage page;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(PgResult result, connection.Query(sql.sql, ToPgParams(sql.params)));
    page = StatementPage();
    for (int row = 0; row < result.rows(); ++row) {
      if (static_cast<int>(page.statements.size()) == bounded.page_size) {
        const v1::Statement& last = page.statements.back();
        page.next = StatementCursor{ToUnixMicros(last.issue_time()), last.name()};
        break;
      }
      ASSIGN_OR_RETURN(page.statements.emplace_back(),
                       ParsePg<v1::Statement>(result.Bytes(row, 0), result.Bytes(row, 2)));
    }
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<v1::Statement> PostgresStore::UpdateStatement(
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
                     CheckReferences(txn.connection, updated));
    const std::string data = txn.NextChange(updated);
    return WriteStatementRow(
        txn.connection, updated,
        retracted ? v1::CHANGE_KIND_RETRACTED : v1::CHANGE_KIND_UPDATED, txn.commit_time,
        actor_kind, data, /*request=*/nullptr);
  }));
  return updated;
}

absl::StatusOr<RevisionPage> PostgresStore::ListStatementRevisions(absl::string_view name,
                                                                   int64_t after_revision,
                                                                   int page_size) {
  page_size = PostgresPageSize(page_size);
  RevisionPage page;
  RETURN_IF_ERROR(Read(
      [&](PgConnection& connection) -> absl::Status {
        ASSIGN_OR_RETURN(bool exists,
                         connection.Exists("SELECT 1 FROM statements WHERE name = ?",
                                           PgParams().Text(name)));
        if (!exists)
          return absl::NotFoundError(absl::StrCat("statement ", name, " not found"));
        ASSIGN_OR_RETURN(
            PgResult result,
            connection.Query(
                "SELECT data FROM changes WHERE statement = ? AND revision > ? "
                "ORDER BY revision LIMIT ?",
                PgParams().Text(name).Int(after_revision).Int(page_size + 1)));
        page = RevisionPage();
        for (int row = 0; row < result.rows(); ++row) {
          if (static_cast<int>(page.revisions.size()) == page_size) {
            page.next_after_revision = page.revisions.back().revision();
            break;
          }
          ASSIGN_OR_RETURN(page.revisions.emplace_back(),
                           ParsePg<v1::Statement>(result.Bytes(row, 0), name));
        }
        return absl::OkStatus();
      },
      /*snapshot=*/true));
  return page;
}

absl::StatusOr<std::vector<v1::Statement>> PostgresStore::StatementsAsOf(
    absl::string_view event, absl::Time as_of) {
  std::vector<v1::Statement> statements;
  const int64_t as_of_micros = absl::ToUnixMicros(as_of);
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    // As in SqliteStore: the latest revision at as_of of every statement
    // that was on the event at some revision by then, kept if that revision
    // is still on it.
    ASSIGN_OR_RETURN(
        PgResult result,
        connection.Query(
            "SELECT c.data FROM changes c JOIN ("
            "  SELECT statement, max(revision) AS revision FROM changes"
            "  WHERE commit_time_micros <= ? AND statement IN ("
            "    SELECT statement FROM changes"
            "    WHERE event = ? AND commit_time_micros <= ?)"
            "  GROUP BY statement) latest"
            " ON c.statement = latest.statement AND c.revision = latest.revision"
            " WHERE c.event = ? ORDER BY c.sequence",
            PgParams().Int(as_of_micros).Text(event).Int(as_of_micros).Text(event)));
    statements.clear();
    for (int row = 0; row < result.rows(); ++row) {
      ASSIGN_OR_RETURN(statements.emplace_back(),
                       ParsePg<v1::Statement>(result.Bytes(row, 0), event));
    }
    return absl::OkStatus();
  }));
  return statements;
}

}  // namespace rollcall
