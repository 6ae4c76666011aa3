// PostgresStore: actors (with their memberships), events and statements.
// The rules are SqliteStore's (sqlite_actors_events.cc,
// sqlite_statements.cc); only the SQL differs.

#include <optional>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/store/duplicate_statement.h"
#include "server/store/postgres_rows.h"
#include "server/store/postgres_store.h"
#include "server/store/revision_rules.h"
#include "server/store/sql_builder.h"
#include "server/store/sqlite_rows.h"
#include "server/text/text_search.h"

namespace rollcall {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kStatementIdRandomChars = 15;

int PageSize(int requested) { return requested > 0 ? requested : kDefaultPageSize; }

PgParams ToParams(const std::vector<SqlValue>& values) {
  PgParams params;
  for (const SqlValue& value : values) {
    if (const int64_t* number = std::get_if<int64_t>(&value)) {
      params.Int(*number);
    } else {
      params.Text(std::get<std::string>(value));
    }
  }
  return params;
}

// Parses a stored proto (ParseStored) from PostgreSQL.
template <typename Message>
absl::StatusOr<Message> Parse(absl::string_view bytes, absl::string_view what) {
  return ParseStored<Message>(bytes, "PostgreSQL", what);
}

template <typename Message>
absl::StatusOr<Message> LoadByName(PgConnection& connection, absl::string_view table,
                                   absl::string_view kind, absl::string_view name) {
  ASSIGN_OR_RETURN(
      PgResult result,
      connection.Query(absl::StrCat("SELECT data FROM ", table, " WHERE name = ?"),
                       PgParams().Text(name)));
  if (result.rows() == 0) {
    return absl::NotFoundError(absl::StrCat(kind, " ", name, " not found"));
  }
  return Parse<Message>(result.Bytes(0, 0), name);
}

absl::StatusOr<bool> ActorExists(PgConnection& connection, absl::string_view name) {
  return connection.Exists("SELECT 1 FROM actors WHERE name = ?", PgParams().Text(name));
}

absl::StatusOr<int64_t> LoadRevision(PgConnection& connection, absl::string_view table,
                                     absl::string_view name) {
  ASSIGN_OR_RETURN(
      PgResult result,
      connection.Query(absl::StrCat("SELECT revision FROM ", table, " WHERE name = ?"),
                       PgParams().Text(name)));
  return result.rows() > 0 ? result.Int(0, 0) : 0;
}

absl::Status CheckMemberships(PgConnection& connection, const v1::Actor& actor) {
  for (int i = 0; i < actor.member_of_size(); ++i) {
    const std::string& organisation = actor.member_of(i).organisation();
    const std::string field = absl::StrCat("actor.member_of[", i, "].organisation");
    if (organisation == actor.name()) {
      return absl::FailedPreconditionError(
          absl::StrCat(field, ": ", actor.name(), " cannot be a member of itself"));
    }
    ASSIGN_OR_RETURN(bool exists, ActorExists(connection, organisation));
    if (!exists) return MissingReference(field, organisation);
  }
  return absl::OkStatus();
}

absl::Status WriteActor(PgConnection& connection, const v1::Actor& actor,
                        int64_t revision) {
  RETURN_IF_ERROR(
      connection
          .Query("INSERT INTO actors (name, kind, country_code, revision, data) "
                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                 "kind = excluded.kind, country_code = excluded.country_code, "
                 "revision = excluded.revision, data = excluded.data",
                 PgParams()
                     .Text(actor.name())
                     .Int(actor.kind())
                     .Text(actor.country_code())
                     .Int(revision)
                     .Bytes(SerializeStored(actor)))
          .status());
  RETURN_IF_ERROR(connection
                      .Query("DELETE FROM memberships WHERE member = ?",
                             PgParams().Text(actor.name()))
                      .status());
  for (const v1::Membership& membership : actor.member_of()) {
    PgParams params;
    params.Text(actor.name()).Text(membership.organisation());
    if (membership.has_start_time()) {
      params.Int(ToUnixMicros(membership.start_time()));
    } else {
      params.Null();
    }
    if (membership.has_end_time()) {
      params.Int(ToUnixMicros(membership.end_time()));
    } else {
      params.Null();
    }
    RETURN_IF_ERROR(connection
                        .Query("INSERT INTO memberships (member, organisation, "
                               "start_time_micros, end_time_micros) VALUES (?, ?, ?, ?)",
                               params)
                        .status());
  }
  return absl::OkStatus();
}

absl::Status WriteEvent(PgConnection& connection, const v1::Event& event,
                        int64_t revision) {
  return connection
      .Query(
          "INSERT INTO events (name, country_code, start_time_micros, labels, "
          "revision, data) VALUES (?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (name) DO "
          "UPDATE SET country_code = excluded.country_code, "
          "start_time_micros = excluded.start_time_micros, labels = excluded.labels, "
          "revision = excluded.revision, data = excluded.data",
          PgParams()
              .Text(event.name())
              .Text(event.country_code())
              .Int(ToUnixMicros(event.start_time()))
              .Text(LabelsJson(event.labels()))
              .Int(revision)
              .Bytes(SerializeStored(event)))
      .status();
}

// ---- Statements ---------------------------------------------------------

absl::Status CheckActor(PgConnection& connection, absl::string_view field,
                        absl::string_view actor) {
  ASSIGN_OR_RETURN(bool exists, ActorExists(connection, actor));
  return exists ? absl::OkStatus() : MissingReference(field, actor);
}

absl::StatusOr<v1::Statement> LoadStatement(PgConnection& connection,
                                            absl::string_view name) {
  return LoadByName<v1::Statement>(connection, "statements", "statement", name);
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

// ---- Actors ---------------------------------------------------------------

absl::StatusOr<v1::Actor> PostgresStore::CreateActor(const v1::Actor& actor) {
  v1::Actor created = actor;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(bool exists, ActorExists(txn.connection, actor.name()));
    if (exists) {
      return absl::AlreadyExistsError(
          absl::StrCat("actor ", actor.name(), " already exists"));
    }
    RETURN_IF_ERROR(CheckMemberships(txn.connection, created));
    StampFirstRevision(created, txn.commit_time);
    return WriteActor(txn.connection, created, 1);
  }));
  return created;
}

absl::StatusOr<v1::Actor> PostgresStore::GetActor(absl::string_view name) {
  v1::Actor actor;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(actor, LoadByName<v1::Actor>(connection, "actors", "actor", name));
    return absl::OkStatus();
  }));
  return actor;
}

absl::StatusOr<ActorPage> PostgresStore::ListActors(const ActorQuery& query) {
  const int page_size = PageSize(query.page_size);
  SqlWhere where(SqlDialect::kPostgres);
  where.AddIn("kind", EnumValues(query.filter.kinds));
  where.AddIn("country_code", TextValues(query.filter.country_codes));
  if (!query.filter.member_of.empty()) {
    std::vector<SqlValue> params = TextValues(query.filter.member_of);
    params.emplace_back(absl::ToUnixMicros(absl::Now()));
    where.Add(
        absl::StrCat("name IN (SELECT member FROM memberships WHERE organisation IN (",
                     Placeholders(query.filter.member_of.size()), ") AND ",
                     kCurrentMembership, ")"),
        std::move(params));
  }
  if (query.after_name.has_value()) where.Add("name > ?", {*query.after_name});
  std::vector<SqlValue> params = where.params();
  params.emplace_back(int64_t{page_size} + 1);
  ActorPage page;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(PgResult result,
                     connection.Query(absl::StrCat("SELECT data FROM actors", where.Sql(),
                                                   " ORDER BY name LIMIT ?"),
                                      ToParams(params)));
    page = ActorPage();
    for (int row = 0; row < result.rows(); ++row) {
      if (static_cast<int>(page.actors.size()) == page_size) {
        page.next_after_name = page.actors.back().name();
        break;
      }
      ASSIGN_OR_RETURN(page.actors.emplace_back(),
                       Parse<v1::Actor>(result.Bytes(row, 0), "an actor"));
    }
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<v1::Actor> PostgresStore::UpdateActor(absl::string_view name,
                                                     const Mutation<v1::Actor>& mutate) {
  v1::Actor updated;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    PgConnection& connection = txn.connection;
    ASSIGN_OR_RETURN(const v1::Actor current,
                     LoadByName<v1::Actor>(connection, "actors", "actor", name));
    ASSIGN_OR_RETURN(const int64_t revision, LoadRevision(connection, "actors", name));
    updated = current;
    RETURN_IF_ERROR(mutate(updated));
    StampRevision(updated, current, revision + 1, txn.commit_time);
    RETURN_IF_ERROR(CheckMemberships(connection, updated));
    if (updated.kind() != current.kind()) {
      // actor_kind is denormalised onto statements for filtering.
      RETURN_IF_ERROR(connection
                          .Query("UPDATE statements SET actor_kind = ? WHERE actor = ?",
                                 PgParams().Int(updated.kind()).Text(updated.name()))
                          .status());
    }
    return WriteActor(connection, updated, revision + 1);
  }));
  return updated;
}

// ---- Events ---------------------------------------------------------------

absl::StatusOr<v1::Event> PostgresStore::CreateEvent(const v1::Event& event) {
  v1::Event created = event;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(bool exists,
                     txn.connection.Exists("SELECT 1 FROM events WHERE name = ?",
                                           PgParams().Text(event.name())));
    if (exists) {
      return absl::AlreadyExistsError(
          absl::StrCat("event ", event.name(), " already exists"));
    }
    StampFirstRevision(created, txn.commit_time);
    return WriteEvent(txn.connection, created, 1);
  }));
  return created;
}

absl::StatusOr<v1::Event> PostgresStore::GetEvent(absl::string_view name) {
  v1::Event event;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(event, LoadByName<v1::Event>(connection, "events", "event", name));
    return absl::OkStatus();
  }));
  return event;
}

absl::StatusOr<EventPage> PostgresStore::ListEvents(const EventQuery& query) {
  const int page_size = PageSize(query.page_size);
  SqlWhere where(SqlDialect::kPostgres);
  where.AddIn("country_code", TextValues(query.filter.country_codes));
  where.AddLabels("labels", query.filter.labels);
  if (query.after.has_value()) {
    where.Add("(start_time_micros < ? OR (start_time_micros = ? AND name > ?))",
              {query.after->start_time_micros, query.after->start_time_micros,
               query.after->name});
  }
  std::vector<SqlValue> params = where.params();
  params.emplace_back(int64_t{page_size} + 1);
  EventPage page;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(
        PgResult result,
        connection.Query(absl::StrCat("SELECT data FROM events", where.Sql(),
                                      " ORDER BY start_time_micros DESC, name LIMIT ?"),
                         ToParams(params)));
    page = EventPage();
    for (int row = 0; row < result.rows(); ++row) {
      if (static_cast<int>(page.events.size()) == page_size) {
        const v1::Event& last = page.events.back();
        page.next = EventCursor{ToUnixMicros(last.start_time()), last.name()};
        break;
      }
      ASSIGN_OR_RETURN(page.events.emplace_back(),
                       Parse<v1::Event>(result.Bytes(row, 0), "an event"));
    }
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<v1::Event> PostgresStore::UpdateEvent(absl::string_view name,
                                                     const Mutation<v1::Event>& mutate) {
  v1::Event updated;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Event current,
                     LoadByName<v1::Event>(txn.connection, "events", "event", name));
    ASSIGN_OR_RETURN(const int64_t revision,
                     LoadRevision(txn.connection, "events", name));
    updated = current;
    RETURN_IF_ERROR(mutate(updated));
    StampRevision(updated, current, revision + 1, txn.commit_time);
    return WriteEvent(txn.connection, updated, revision + 1);
  }));
  return updated;
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
  if (bounded.page_size <= 0) bounded.page_size = kDefaultPageSize;
  const SqlQuery sql =
      StatementListSql(bounded, absl::ToUnixMicros(absl::Now()), SqlDialect::kPostgres);
  StatementPage page;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(PgResult result, connection.Query(sql.sql, ToParams(sql.params)));
    page = StatementPage();
    for (int row = 0; row < result.rows(); ++row) {
      if (static_cast<int>(page.statements.size()) == bounded.page_size) {
        const v1::Statement& last = page.statements.back();
        page.next = StatementCursor{ToUnixMicros(last.issue_time()), last.name()};
        break;
      }
      ASSIGN_OR_RETURN(page.statements.emplace_back(),
                       Parse<v1::Statement>(result.Bytes(row, 0), result.Bytes(row, 2)));
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
  if (page_size <= 0) page_size = kDefaultPageSize;
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
                           Parse<v1::Statement>(result.Bytes(row, 0), name));
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
                       Parse<v1::Statement>(result.Bytes(row, 0), event));
    }
    return absl::OkStatus();
  }));
  return statements;
}

}  // namespace rollcall
