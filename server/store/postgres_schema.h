#ifndef ROLLCALL_SERVER_STORE_POSTGRES_SCHEMA_H_
#define ROLLCALL_SERVER_STORE_POSTGRES_SCHEMA_H_

// PostgresStore's schema (its tables and their migrations) and the server
// settings its durability rests on. Private to PostgresStore.

#include <string>

#include "absl/status/status.h"
#include "server/store/pg_db.h"

namespace rollcall {

// The schema version this rollcalld writes.
int PostgresSchemaVersion();

// Creates `schema` or upgrades it to PostgresSchemaVersion(), in one
// transaction holding an advisory lock: instances starting together
// migrate once. FAILED_PRECONDITION if the schema is newer.
absl::Status MigratePostgresSchema(PgConnection& connection, const std::string& schema);

// FAILED_PRECONDITION if the writer's session would acknowledge commits
// that are not flushed (fsync or synchronous_commit off), unless
// `accept_unsafe` (then a warning).
absl::Status CheckPostgresDurability(PgConnection& connection, bool accept_unsafe);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_POSTGRES_SCHEMA_H_
