// PostgresStore's schema and its migrations (postgres_schema.h).

#include "server/store/postgres_schema.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

// Migration i (0-based) takes a schema from version i to i + 1. Never edit
// a released migration: append a new one. Names compare byte by byte
// (COLLATE "C"), as in SQLite, so pages and cursors order alike.
const char* const kPostgresMigrations[] = {
    R"sql(
CREATE TABLE log_head (
  id bigint PRIMARY KEY CHECK (id = 1),
  head bigint NOT NULL,
  last_commit_micros bigint NOT NULL);
INSERT INTO log_head (id, head, last_commit_micros) VALUES (1, 0, 0);
CREATE TABLE actors (
  name text COLLATE "C" PRIMARY KEY,
  kind bigint NOT NULL,
  country_code text NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL);
CREATE TABLE memberships (
  member text COLLATE "C" NOT NULL,
  organisation text COLLATE "C" NOT NULL,
  start_time_micros bigint,
  end_time_micros bigint);
CREATE INDEX memberships_by_organisation ON memberships (organisation, member);
CREATE INDEX memberships_by_member ON memberships (member);
CREATE TABLE events (
  name text COLLATE "C" PRIMARY KEY,
  country_code text NOT NULL,
  start_time_micros bigint NOT NULL,
  labels jsonb NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL);
CREATE INDEX events_by_start_time ON events (start_time_micros DESC, name);
CREATE TABLE statements (
  name text COLLATE "C" PRIMARY KEY,
  event text COLLATE "C" NOT NULL,
  actor text COLLATE "C" NOT NULL,
  actor_kind bigint NOT NULL,
  stance bigint NOT NULL,
  modality bigint NOT NULL,
  state bigint NOT NULL,
  issue_time_micros bigint NOT NULL,
  action_mask bigint NOT NULL,
  quote text NOT NULL,
  summary text NOT NULL,
  quote_terms tsvector NOT NULL,
  summary_terms tsvector NOT NULL,
  labels jsonb NOT NULL,
  revision bigint NOT NULL,
  sequence bigint NOT NULL,
  data bytea NOT NULL);
CREATE INDEX statements_by_event_time ON statements (event, issue_time_micros, name);
CREATE INDEX statements_by_actor_time ON statements (actor, issue_time_micros, name);
CREATE INDEX statements_by_time ON statements (issue_time_micros, name);
CREATE INDEX statements_by_stance_time ON statements (stance, issue_time_micros);
CREATE INDEX statements_by_event_stance_time
  ON statements (event, stance, state, issue_time_micros, name);
CREATE INDEX statements_by_quote_terms ON statements USING gin (quote_terms);
CREATE INDEX statements_by_summary_terms ON statements USING gin (summary_terms);
CREATE TABLE changes (
  sequence bigint PRIMARY KEY,
  statement text COLLATE "C" NOT NULL,
  revision bigint NOT NULL,
  kind bigint NOT NULL,
  commit_time_micros bigint NOT NULL,
  event text COLLATE "C" NOT NULL,
  data bytea NOT NULL,
  UNIQUE (statement, revision));
CREATE INDEX changes_by_commit_time ON changes (commit_time_micros);
CREATE INDEX changes_by_event_time ON changes (event, commit_time_micros);
CREATE TABLE requests (
  request_id text COLLATE "C" PRIMARY KEY,
  fingerprint text NOT NULL,
  statement text NOT NULL);
)sql",
    // v2: documents and the drafts extracted from them (draft_tables.h).
    // New tables only.
    R"sql(
CREATE TABLE documents (
  name text COLLATE "C" PRIMARY KEY,
  event text COLLATE "C" NOT NULL,
  doc_key text NOT NULL,
  create_time_micros bigint NOT NULL,
  data bytea NOT NULL,
  UNIQUE (event, doc_key));
CREATE TABLE drafts (
  create_order bigserial PRIMARY KEY,
  name text COLLATE "C" NOT NULL UNIQUE,
  event text COLLATE "C" NOT NULL,
  state bigint NOT NULL,
  actor text COLLATE "C" NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL);
CREATE INDEX drafts_by_event_state ON drafts (event, state, create_order);
CREATE INDEX drafts_by_actor ON drafts (actor, create_order);
CREATE TABLE draft_documents (
  document text COLLATE "C" NOT NULL,
  draft text COLLATE "C" NOT NULL,
  position bigint NOT NULL,
  PRIMARY KEY (document, draft));
CREATE INDEX draft_documents_by_draft ON draft_documents (draft);
)sql",
};
constexpr int kPostgresSchemaVersion =
    sizeof(kPostgresMigrations) / sizeof(kPostgresMigrations[0]);

// Any number from outside; it only has to be the same in every instance.
constexpr int64_t kMigrationLockKey = 0x726f6c6c63616c6c;  // "rollcall"

}  // namespace

int PostgresSchemaVersion() { return kPostgresSchemaVersion; }

absl::Status MigratePostgresSchema(PgConnection& connection, const std::string& schema) {
  RETURN_IF_ERROR(connection.Execute("BEGIN"));
  absl::Status status = [&]() -> absl::Status {
    RETURN_IF_ERROR(
        connection
            .Query("SELECT pg_advisory_xact_lock(?)", PgParams().Int(kMigrationLockKey))
            .status());
    // Created only if missing: PostgreSQL checks the CREATE privilege even
    // for CREATE ... IF NOT EXISTS of something that exists, and a user
    // with only SELECT, INSERT, UPDATE and DELETE opens an existing store
    // (docs/DEPLOY.md).
    ASSIGN_OR_RETURN(PgResult missing,
                     connection.Query("SELECT to_regnamespace(?) IS NULL, "
                                      "to_regclass('schema_version') IS NULL",
                                      PgParams().Text(QuoteIdentifier(schema))));
    if (missing.Int(0, 0) != 0) {
      RETURN_IF_ERROR(connection.Execute(
          absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", QuoteIdentifier(schema))));
    }
    if (missing.Int(0, 1) != 0) {
      RETURN_IF_ERROR(connection.Execute(
          "CREATE TABLE IF NOT EXISTS schema_version (version bigint NOT NULL)"));
    }
    ASSIGN_OR_RETURN(
        PgResult result,
        connection.Query("SELECT coalesce(max(version), 0) FROM schema_version"));
    const int64_t version = result.Int(0, 0);
    if (version > kPostgresSchemaVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat("PostgreSQL schema ", schema, " has schema version ", version,
                       ", newer than version ", kPostgresSchemaVersion,
                       " that this rollcalld expects; use a newer rollcalld"));
    }
    for (int64_t next = version + 1; next <= kPostgresSchemaVersion; ++next) {
      RETURN_IF_ERROR(connection.Execute(kPostgresMigrations[next - 1]));
      spdlog::info("migrated PostgreSQL schema {} to version {}", schema, next);
    }
    if (version < kPostgresSchemaVersion) {
      RETURN_IF_ERROR(connection.Execute("DELETE FROM schema_version"));
      RETURN_IF_ERROR(connection
                          .Query("INSERT INTO schema_version (version) VALUES (?)",
                                 PgParams().Int(kPostgresSchemaVersion))
                          .status());
    }
    return connection.Execute("COMMIT");
  }();
  if (!status.ok()) (void)connection.Execute("ROLLBACK");
  return status;
}

// The settings a commit's durability rests on, as the writer's session sees
// them (server, database and role settings included).
absl::Status CheckPostgresDurability(PgConnection& connection, bool accept_unsafe) {
  ASSIGN_OR_RETURN(PgResult settings,
                   connection.Query("SELECT current_setting('fsync'), "
                                    "current_setting('synchronous_commit'), "
                                    "current_setting('full_page_writes')"));
  if (settings.rows() != 1) {
    return absl::InternalError("reading the durability settings gave no row");
  }
  const std::string fsync = settings.Text(0, 0);
  const std::string synchronous_commit = settings.Text(0, 1);
  if (settings.Text(0, 2) == "off") {
    spdlog::warn(
        "PostgreSQL runs with full_page_writes = off: a page torn by a power cut "
        "cannot be repaired unless the file system writes whole pages atomically");
  }
  std::string unsafe;
  if (fsync == "off") {
    unsafe = "fsync = off: PostgreSQL does not flush its writes to the disk";
  } else if (synchronous_commit == "off") {
    unsafe = "synchronous_commit = off: a commit returns before its WAL is flushed";
  }
  if (unsafe.empty()) return absl::OkStatus();
  const std::string message = absl::StrCat(
      "PostgreSQL runs with ", unsafe,
      ", so a write rollcalld acknowledges can be lost in a crash or power cut");
  if (accept_unsafe) {
    spdlog::warn("{} (accepted: --postgres_accept_unsafe_durability)", message);
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat(message,
                   "; set it on in postgresql.conf (or for the database or role), or "
                   "start with --postgres_accept_unsafe_durability to accept the risk"));
}

}  // namespace rollcall
