// PostgresStore: actors (with their memberships) and events. The rules are
// SqliteStore's (sqlite_actors_events.cc); only the SQL differs.

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

namespace rollcall {
namespace {

absl::Status CheckMemberships(PgConnection& connection, const v1::Actor& actor) {
  for (int i = 0; i < actor.member_of_size(); ++i) {
    const std::string& organisation = actor.member_of(i).organisation();
    const std::string field = absl::StrCat("actor.member_of[", i, "].organisation");
    if (organisation == actor.name()) {
      return absl::FailedPreconditionError(
          absl::StrCat(field, ": ", actor.name(), " cannot be a member of itself"));
    }
    ASSIGN_OR_RETURN(bool exists, PgActorExists(connection, organisation));
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

}  // namespace

// ---- Actors ---------------------------------------------------------------

absl::StatusOr<v1::Actor> PostgresStore::CreateActor(const v1::Actor& actor) {
  v1::Actor created = actor;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(bool exists, PgActorExists(txn.connection, actor.name()));
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
    ASSIGN_OR_RETURN(actor, PgLoadByName<v1::Actor>(connection, "actors", "actor", name));
    return absl::OkStatus();
  }));
  return actor;
}

absl::StatusOr<ActorPage> PostgresStore::ListActors(const ActorQuery& query) {
  const int page_size = PostgresPageSize(query.page_size);
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
                                      ToPgParams(params)));
    page = ActorPage();
    for (int row = 0; row < result.rows(); ++row) {
      if (static_cast<int>(page.actors.size()) == page_size) {
        page.next_after_name = page.actors.back().name();
        break;
      }
      ASSIGN_OR_RETURN(page.actors.emplace_back(),
                       ParsePg<v1::Actor>(result.Bytes(row, 0), "an actor"));
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
                     PgLoadByName<v1::Actor>(connection, "actors", "actor", name));
    ASSIGN_OR_RETURN(const int64_t revision, PgLoadRevision(connection, "actors", name));
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
    ASSIGN_OR_RETURN(event, PgLoadByName<v1::Event>(connection, "events", "event", name));
    return absl::OkStatus();
  }));
  return event;
}

absl::StatusOr<EventPage> PostgresStore::ListEvents(const EventQuery& query) {
  const int page_size = PostgresPageSize(query.page_size);
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
                         ToPgParams(params)));
    page = EventPage();
    for (int row = 0; row < result.rows(); ++row) {
      if (static_cast<int>(page.events.size()) == page_size) {
        const v1::Event& last = page.events.back();
        page.next = EventCursor{ToUnixMicros(last.start_time()), last.name()};
        break;
      }
      ASSIGN_OR_RETURN(page.events.emplace_back(),
                       ParsePg<v1::Event>(result.Bytes(row, 0), "an event"));
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
                     PgLoadByName<v1::Event>(txn.connection, "events", "event", name));
    ASSIGN_OR_RETURN(const int64_t revision,
                     PgLoadRevision(txn.connection, "events", name));
    updated = current;
    RETURN_IF_ERROR(mutate(updated));
    StampRevision(updated, current, revision + 1, txn.commit_time);
    return WriteEvent(txn.connection, updated, revision + 1);
  }));
  return updated;
}
}  // namespace rollcall
