// SqliteStore: actors (with their memberships) and events.

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/store/revision_rules.h"
#include "server/store/sql_builder.h"
#include "server/store/sqlite_rows.h"
#include "server/store/sqlite_store.h"

namespace rollcall {
namespace {

constexpr int kDefaultPageSize = 50;

int PageSize(int requested) { return requested > 0 ? requested : kDefaultPageSize; }

// Loads one stored resource by name; NOT_FOUND "{kind} {name} not found".
template <typename Message>
absl::StatusOr<Message> LoadByName(Connection& connection, absl::string_view table,
                                   absl::string_view kind, absl::string_view name) {
  ASSIGN_OR_RETURN(Statement select, connection.Prepare(absl::StrCat(
                                         "SELECT data FROM ", table, " WHERE name = ?")));
  select.BindText(name);
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return absl::NotFoundError(absl::StrCat(kind, " ", name, " not found"));
  return ParseStored<Message>(select.ColumnBlob(0), connection, name);
}

// Checks that every member_of organisation exists and is not the actor.
absl::Status CheckMemberships(Connection& connection, const v1::Actor& actor) {
  for (int i = 0; i < actor.member_of_size(); ++i) {
    const std::string& organisation = actor.member_of(i).organisation();
    const std::string field = absl::StrCat("actor.member_of[", i, "].organisation");
    if (organisation == actor.name()) {
      return absl::FailedPreconditionError(
          absl::StrCat(field, ": ", actor.name(), " cannot be a member of itself"));
    }
    ASSIGN_OR_RETURN(
        bool exists,
        RowExists(connection, "SELECT 1 FROM actors WHERE name = ?", organisation));
    if (!exists) return MissingReference(field, organisation);
  }
  return absl::OkStatus();
}

// Writes the actor row and replaces its memberships.
absl::Status WriteActor(Connection& connection, const v1::Actor& actor,
                        int64_t revision) {
  ASSIGN_OR_RETURN(
      Statement upsert,
      connection.Prepare("INSERT OR REPLACE INTO actors (name, kind, "
                         "country_code, revision, data) VALUES (?, ?, ?, ?, ?)"));
  upsert.BindText(actor.name())
      .BindInt(actor.kind())
      .BindText(actor.country_code())
      .BindInt(revision)
      .BindBlob(SerializeStored(actor));
  RETURN_IF_ERROR(upsert.Run());
  ASSIGN_OR_RETURN(Statement clear,
                   connection.Prepare("DELETE FROM memberships WHERE member = ?"));
  RETURN_IF_ERROR(clear.BindText(actor.name()).Run());
  for (const v1::Membership& membership : actor.member_of()) {
    ASSIGN_OR_RETURN(Statement insert,
                     connection.Prepare("INSERT INTO memberships (member, organisation, "
                                        "start_time_micros, end_time_micros) "
                                        "VALUES (?, ?, ?, ?)"));
    insert.BindText(actor.name()).BindText(membership.organisation());
    if (membership.has_start_time()) {
      insert.BindInt(ToUnixMicros(membership.start_time()));
    } else {
      insert.BindNull();
    }
    if (membership.has_end_time()) {
      insert.BindInt(ToUnixMicros(membership.end_time()));
    } else {
      insert.BindNull();
    }
    RETURN_IF_ERROR(insert.Run());
  }
  return absl::OkStatus();
}

absl::Status WriteEvent(Connection& connection, const v1::Event& event,
                        int64_t revision) {
  ASSIGN_OR_RETURN(
      Statement upsert,
      connection.Prepare("INSERT OR REPLACE INTO events (name, country_code, "
                         "start_time_micros, labels_json, revision, data) "
                         "VALUES (?, ?, ?, ?, ?, ?)"));
  upsert.BindText(event.name())
      .BindText(event.country_code())
      .BindInt(ToUnixMicros(event.start_time()))
      .BindText(LabelsJson(event.labels()))
      .BindInt(revision)
      .BindBlob(SerializeStored(event));
  return upsert.Run();
}

absl::StatusOr<int64_t> LoadRevision(Connection& connection, absl::string_view table,
                                     absl::string_view name) {
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare(
                       absl::StrCat("SELECT revision FROM ", table, " WHERE name = ?")));
  select.BindText(name);
  ASSIGN_OR_RETURN(bool row, select.Step());
  return row ? select.ColumnInt(0) : 0;
}

}  // namespace

absl::StatusOr<v1::Actor> SqliteStore::CreateActor(const v1::Actor& actor) {
  v1::Actor created = actor;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(
        bool exists,
        RowExists(txn.connection, "SELECT 1 FROM actors WHERE name = ?", actor.name()));
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

absl::StatusOr<v1::Actor> SqliteStore::GetActor(absl::string_view name) {
  v1::Actor actor;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(actor, LoadByName<v1::Actor>(connection, "actors", "actor", name));
    return absl::OkStatus();
  }));
  return actor;
}

absl::StatusOr<ActorPage> SqliteStore::ListActors(const ActorQuery& query) {
  const int page_size = PageSize(query.page_size);
  SqlWhere where;
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
  ActorPage page;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(Statement select, connection.Prepare(absl::StrCat(
                                           "SELECT data FROM actors", where.Sql(),
                                           " ORDER BY name LIMIT ?")));
    BindAll(select, where.params());
    select.BindInt(int64_t{page_size} + 1);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return absl::OkStatus();
      if (static_cast<int>(page.actors.size()) == page_size) {
        page.next_after_name = page.actors.back().name();
        return absl::OkStatus();
      }
      ASSIGN_OR_RETURN(
          page.actors.emplace_back(),
          ParseStored<v1::Actor>(select.ColumnBlob(0), connection, "an actor"));
    }
  }));
  return page;
}

absl::StatusOr<v1::Actor> SqliteStore::UpdateActor(absl::string_view name,
                                                   const Mutation<v1::Actor>& mutate) {
  v1::Actor updated;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    Connection& connection = txn.connection;
    ASSIGN_OR_RETURN(const v1::Actor current,
                     LoadByName<v1::Actor>(connection, "actors", "actor", name));
    ASSIGN_OR_RETURN(const int64_t revision, LoadRevision(connection, "actors", name));
    updated = current;
    RETURN_IF_ERROR(mutate(updated));
    StampRevision(updated, current, revision + 1, txn.commit_time);
    RETURN_IF_ERROR(CheckMemberships(connection, updated));
    if (updated.kind() != current.kind() && txn.pending != nullptr) {
      // actor_kind is denormalised onto statements for filtering; the
      // applier copies the change into the applied file.
      ASSIGN_OR_RETURN(Statement rekind,
                       connection.Prepare("INSERT INTO actor_kind_changes (actor, kind) "
                                          "VALUES (?, ?)"));
      RETURN_IF_ERROR(rekind.BindText(updated.name()).BindInt(updated.kind()).Run());
      txn.actor_kinds_changed = true;
    } else if (updated.kind() != current.kind()) {
      ASSIGN_OR_RETURN(Statement rekind,
                       connection.Prepare("UPDATE statements SET actor_kind = ? "
                                          "WHERE actor = ?"));
      RETURN_IF_ERROR(rekind.BindInt(updated.kind()).BindText(updated.name()).Run());
    }
    return WriteActor(connection, updated, revision + 1);
  }));
  return updated;
}

absl::StatusOr<v1::Event> SqliteStore::CreateEvent(const v1::Event& event) {
  v1::Event created = event;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(
        bool exists,
        RowExists(txn.connection, "SELECT 1 FROM events WHERE name = ?", event.name()));
    if (exists) {
      return absl::AlreadyExistsError(
          absl::StrCat("event ", event.name(), " already exists"));
    }
    StampFirstRevision(created, txn.commit_time);
    return WriteEvent(txn.connection, created, 1);
  }));
  return created;
}

absl::StatusOr<v1::Event> SqliteStore::GetEvent(absl::string_view name) {
  v1::Event event;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(event, LoadByName<v1::Event>(connection, "events", "event", name));
    return absl::OkStatus();
  }));
  return event;
}

absl::StatusOr<EventPage> SqliteStore::ListEvents(const EventQuery& query) {
  const int page_size = PageSize(query.page_size);
  SqlWhere where;
  where.AddIn("country_code", TextValues(query.filter.country_codes));
  where.AddLabels("labels_json", query.filter.labels);
  if (query.after.has_value()) {
    where.Add("(start_time_micros < ? OR (start_time_micros = ? AND name > ?))",
              {query.after->start_time_micros, query.after->start_time_micros,
               query.after->name});
  }
  EventPage page;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(Statement select,
                     connection.Prepare(absl::StrCat(
                         "SELECT data, start_time_micros FROM events", where.Sql(),
                         " ORDER BY start_time_micros DESC, name LIMIT ?")));
    BindAll(select, where.params());
    select.BindInt(int64_t{page_size} + 1);
    while (true) {
      ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return absl::OkStatus();
      if (static_cast<int>(page.events.size()) == page_size) {
        const v1::Event& last = page.events.back();
        page.next = EventCursor{ToUnixMicros(last.start_time()), last.name()};
        return absl::OkStatus();
      }
      ASSIGN_OR_RETURN(
          page.events.emplace_back(),
          ParseStored<v1::Event>(select.ColumnBlob(0), connection, "an event"));
    }
  }));
  return page;
}

absl::StatusOr<v1::Event> SqliteStore::UpdateEvent(absl::string_view name,
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

}  // namespace rollcall
