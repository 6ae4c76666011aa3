#include "server/store/schema.h"

#include "absl/strings/str_cat.h"
#include "rollcall/v1/statement.pb.h"
#include "server/common/status_macros.h"
#include "server/store/sqlite_rows.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

// A step of the schema: SQL, then optionally code for what SQL cannot do
// (reading the stored protos), in the same transaction.
struct Migration {
  const char* sql;
  absl::Status (*then)(Connection&) = nullptr;
};

// v4's backfill: the new quote and summary columns from each stored
// statement (the full-text index of v5 is built from them).
absl::Status CopyQuoteAndSummary(Connection& connection) {
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT rowid, data FROM statements"));
  ASSIGN_OR_RETURN(Statement update,
                   connection.Prepare("UPDATE statements SET quote = ?, summary = ? "
                                      "WHERE rowid = ?"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return absl::OkStatus();
    ASSIGN_OR_RETURN(
        v1::Statement statement,
        ParseStored<v1::Statement>(select.ColumnBlob(1), connection, "a statement"));
    RETURN_IF_ERROR(update.BindText(statement.quote())
                        .BindText(statement.summary())
                        .BindInt(select.ColumnInt(0))
                        .Run());
    update.Reset();
  }
}

// v6's backfill: each change's event, from the statement it records.
absl::Status CopyChangeEvents(Connection& connection) {
  ASSIGN_OR_RETURN(Statement select, connection.Prepare("SELECT sequence, data FROM changes"));
  ASSIGN_OR_RETURN(Statement update,
                   connection.Prepare("UPDATE changes SET event = ? WHERE sequence = ?"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return absl::OkStatus();
    ASSIGN_OR_RETURN(v1::Statement statement,
                     ParseStored<v1::Statement>(select.ColumnBlob(1), connection, "a change"));
    RETURN_IF_ERROR(update.BindText(statement.event()).BindInt(select.ColumnInt(0)).Run());
    update.Reset();
  }
}

// Migration i (0-based) takes a file from version i to version i + 1.
// Never edit a released migration: append a new one.
const Migration kMigrations[] = {
    // v1: the tables. Each resource is stored as its serialized proto (data)
    // plus the columns that filtering and ordering need.
    {R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (0);
CREATE TABLE actors (
  name TEXT PRIMARY KEY,
  kind INTEGER NOT NULL,
  country_code TEXT NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL);
CREATE TABLE memberships (
  member TEXT NOT NULL,
  organisation TEXT NOT NULL,
  start_time_micros INTEGER,
  end_time_micros INTEGER);
CREATE TABLE events (
  name TEXT PRIMARY KEY,
  country_code TEXT NOT NULL,
  start_time_micros INTEGER NOT NULL,
  labels_json TEXT NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL);
CREATE TABLE statements (
  name TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_kind INTEGER NOT NULL,
  stance INTEGER NOT NULL,
  modality INTEGER NOT NULL,
  state INTEGER NOT NULL,
  issue_time_micros INTEGER NOT NULL,
  action_mask INTEGER NOT NULL,
  search_text TEXT NOT NULL,
  labels_json TEXT NOT NULL,
  revision INTEGER NOT NULL,
  sequence INTEGER NOT NULL,
  data BLOB NOT NULL);
CREATE TABLE changes (
  sequence INTEGER PRIMARY KEY,
  statement TEXT NOT NULL,
  revision INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  commit_time_micros INTEGER NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (statement, revision));
CREATE TABLE requests (
  request_id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  statement TEXT NOT NULL);
)sql"},
    // v2: secondary indexes.
    {R"sql(
CREATE INDEX statements_by_event_time ON statements (event, issue_time_micros, name);
CREATE INDEX statements_by_actor_time ON statements (actor, issue_time_micros, name);
CREATE INDEX statements_by_time ON statements (issue_time_micros, name);
CREATE INDEX statements_by_stance_time ON statements (stance, issue_time_micros);
CREATE INDEX memberships_by_organisation ON memberships (organisation, member);
CREATE INDEX memberships_by_member ON memberships (member);
CREATE INDEX events_by_start_time ON events (start_time_micros DESC, name);
CREATE INDEX changes_by_commit_time ON changes (commit_time_micros);
)sql"},
    // v3: "event + stance", the roll call's most common question, read
    // newest first without scanning the event's other statements.
    {R"sql(
CREATE INDEX statements_by_event_stance_time
  ON statements (event, stance, state, issue_time_micros, name);
)sql"},
    // v4: quote and summary as columns, for the full-text index.
    {R"sql(
ALTER TABLE statements ADD COLUMN quote TEXT NOT NULL DEFAULT '';
ALTER TABLE statements ADD COLUMN summary TEXT NOT NULL DEFAULT '';
)sql",
     CopyQuoteAndSummary},
    // v5: full-text search over quote and summary (FTS5, external content:
    // the index holds no second copy of the text), kept in step by
    // triggers; the ASCII-only search_text column it replaces goes.
    {R"sql(
ALTER TABLE statements DROP COLUMN search_text;
CREATE VIRTUAL TABLE statement_text USING fts5(
  quote, summary, content = 'statements', content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER statement_text_insert AFTER INSERT ON statements BEGIN
  INSERT INTO statement_text (rowid, quote, summary)
    VALUES (new.rowid, new.quote, new.summary);
END;
CREATE TRIGGER statement_text_update AFTER UPDATE OF quote, summary ON statements
  WHEN old.quote IS NOT new.quote OR old.summary IS NOT new.summary BEGIN
  INSERT INTO statement_text (statement_text, rowid, quote, summary)
    VALUES ('delete', old.rowid, old.quote, old.summary);
  INSERT INTO statement_text (rowid, quote, summary)
    VALUES (new.rowid, new.quote, new.summary);
END;
CREATE TRIGGER statement_text_delete AFTER DELETE ON statements BEGIN
  INSERT INTO statement_text (statement_text, rowid, quote, summary)
    VALUES ('delete', old.rowid, old.quote, old.summary);
END;
INSERT INTO statement_text (statement_text) VALUES ('rebuild');
)sql"},
    // v6: each change's event, so that an event's record as of a past time
    // (SummarizeReactions) reads only that event's changes.
    {R"sql(
ALTER TABLE changes ADD COLUMN event TEXT NOT NULL DEFAULT '';
)sql",
     CopyChangeEvents},
    {R"sql(
CREATE INDEX changes_by_event_time ON changes (event, commit_time_micros);
)sql"},
    // v8: the store keeps the full-text index in step itself, once per
    // committed group of writes, instead of a trigger per row: FTS5 flushes
    // its pending terms at every statement that writes to it, which cost
    // more than the rest of a create together.
    {R"sql(
DROP TRIGGER statement_text_insert;
DROP TRIGGER statement_text_update;
DROP TRIGGER statement_text_delete;
)sql"},
    // v9: documents and the drafts extracted from them (draft_tables.h).
    // New tables only.
    {R"sql(
CREATE TABLE documents (
  name TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  doc_key TEXT NOT NULL,
  create_time_micros INTEGER NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (event, doc_key));
CREATE TABLE drafts (
  create_order INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  event TEXT NOT NULL,
  state INTEGER NOT NULL,
  actor TEXT NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL);
CREATE INDEX drafts_by_event_state ON drafts (event, state, create_order);
CREATE INDEX drafts_by_actor ON drafts (actor, create_order);
CREATE TABLE draft_documents (
  document TEXT NOT NULL,
  draft TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (document, draft));
CREATE INDEX draft_documents_by_draft ON draft_documents (draft);
)sql"},
    // v10: the statements table, its indexes and the full-text index are
    // brought up to date behind the change log (SqliteStore's deferred
    // apply); this is the last sequence they reflect. Self-contained.
    {R"sql(
CREATE TABLE applied_position (sequence INTEGER NOT NULL);
INSERT INTO applied_position (sequence) SELECT coalesce(max(sequence), 0) FROM changes;
)sql"},
    // v11: the statements table, its indexes, the full-text index and
    // applied_position move to the applied file (applied_file.h), which the
    // store builds from the change log at its first open; an actor's kind,
    // copied onto its statements' rows there, changes through
    // actor_kind_changes, which the applier follows.
    {R"sql(
DROP TABLE statement_text;
DROP TABLE statements;
DROP TABLE applied_position;
CREATE TABLE actor_kind_changes (
  id INTEGER PRIMARY KEY,
  actor TEXT NOT NULL,
  kind INTEGER NOT NULL);
)sql"},
};

static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kLatestSchemaVersion,
              "kLatestSchemaVersion must equal the number of migrations");

absl::Status ApplyMigration(Connection& connection, int to_version) {
  ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(connection, true));
  const Migration& migration = kMigrations[to_version - 1];
  RETURN_IF_ERROR(connection.Execute(migration.sql));
  if (migration.then != nullptr) RETURN_IF_ERROR(migration.then(connection));
  ASSIGN_OR_RETURN(Statement update,
                   connection.Prepare("UPDATE schema_version SET version = ?"));
  RETURN_IF_ERROR(update.BindInt(to_version).Run());
  return transaction.Commit();
}

}  // namespace

absl::StatusOr<int> SchemaVersion(Connection& connection) {
  ASSIGN_OR_RETURN(Statement exists,
                   connection.Prepare("SELECT count(*) FROM sqlite_master WHERE "
                                      "type = 'table' AND name = 'schema_version'"));
  ASSIGN_OR_RETURN(bool row, exists.Step());
  if (!row || exists.ColumnInt(0) == 0) return 0;
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT max(version) FROM schema_version"));
  ASSIGN_OR_RETURN(row, select.Step());
  if (!row || select.ColumnIsNull(0)) {
    return absl::DataLossError(absl::StrCat("database file ", connection.path(),
                                            " has an empty schema_version table"));
  }
  return static_cast<int>(select.ColumnInt(0));
}

absl::Status Migrate(Connection& connection, int target_version) {
  if (target_version < 0 || target_version > kLatestSchemaVersion) {
    return absl::InvalidArgumentError(absl::StrCat("schema version ", target_version,
                                                   " is not between 0 and ",
                                                   kLatestSchemaVersion));
  }
  ASSIGN_OR_RETURN(int version, SchemaVersion(connection));
  if (version > kLatestSchemaVersion || version > target_version) {
    return absl::FailedPreconditionError(
        absl::StrCat("database file ", connection.path(), " has schema version ", version,
                     ", newer than version ", target_version,
                     " that this rollcalld expects "
                     "(it knows up to ",
                     kLatestSchemaVersion, "); use a newer rollcalld"));
  }
  for (int next = version + 1; next <= target_version; ++next) {
    absl::Status status = ApplyMigration(connection, next);
    if (!status.ok()) {
      return absl::Status(status.code(), absl::StrCat("migrating ", connection.path(),
                                                      " to schema version ", next, ": ",
                                                      status.message()));
    }
    spdlog::info("migrated {} to schema version {}", connection.path(), next);
  }
  return absl::OkStatus();
}

}  // namespace rollcall
