#ifndef ROLLCALL_SERVER_STORE_POSTGRES_ROWS_H_
#define ROLLCALL_SERVER_STORE_POSTGRES_ROWS_H_

// Rows of PostgresStore, shared by its resources (postgres_actors_events.cc,
// postgres_statements.cc) and its creates (postgres_creates.cc). The
// writes run on the writer's connection inside the write transaction.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/statement.pb.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/pg_db.h"
#include "server/store/sql_builder.h"
#include "server/store/sqlite_rows.h"
#include "server/store/store.h"

namespace rollcall {

// The columns of a statement's row derived from its fields: its text
// search terms (TsVectorLiteral), its labels as JSON and its action mask.
// A create computes them before its write, so that the group's transaction
// (holding the log_head lock) does not wait for them.
struct DerivedColumns {
  std::string quote_terms;
  std::string summary_terms;
  std::string labels;
  int64_t action_mask = 0;
};
DerivedColumns DeriveColumns(const v1::Statement& statement);

// Writes the current revision's row, its change in the log and (if
// `request` has a request_id) the request, in one round trip. `data` is
// the statement's stored serialization (WriteTxn::NextChange).
absl::Status WriteStatementRow(PgConnection& connection, const v1::Statement& statement,
                               v1::ChangeKind kind, absl::Time commit_time,
                               v1::ActorKind actor_kind, absl::string_view data,
                               const NewStatement* request);

// A list's page size: `requested`, or the default if it is not positive.
int PostgresPageSize(int requested);

// The parameters of a filter's SQL (sql_builder.h), in order.
PgParams ToPgParams(const std::vector<SqlValue>& values);

// Parses a stored proto (ParseStored) read from PostgreSQL.
template <typename Message>
absl::StatusOr<Message> ParsePg(absl::string_view bytes, absl::string_view what) {
  return ParseStored<Message>(bytes, "PostgreSQL", what);
}

// The stored proto of `name` in `table` (actors, events, statements), or
// NOT_FOUND naming it as a `kind`.
template <typename Message>
absl::StatusOr<Message> PgLoadByName(PgConnection& connection, absl::string_view table,
                                     absl::string_view kind, absl::string_view name) {
  ASSIGN_OR_RETURN(
      PgResult result,
      connection.Query(absl::StrCat("SELECT data FROM ", table, " WHERE name = ?"),
                       PgParams().Text(name)));
  if (result.rows() == 0) {
    return absl::NotFoundError(absl::StrCat(kind, " ", name, " not found"));
  }
  return ParsePg<Message>(result.Bytes(0, 0), name);
}

absl::StatusOr<bool> PgActorExists(PgConnection& connection, absl::string_view name);

// The revision of `name` in `table`, or 0 if it has no row.
absl::StatusOr<int64_t> PgLoadRevision(PgConnection& connection, absl::string_view table,
                                       absl::string_view name);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_POSTGRES_ROWS_H_
