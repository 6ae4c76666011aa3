#ifndef ROLLCALL_SERVER_STORE_POSTGRES_ROWS_H_
#define ROLLCALL_SERVER_STORE_POSTGRES_ROWS_H_

// Statement rows of PostgresStore, shared by its resources
// (postgres_resources.cc) and its creates (postgres_creates.cc). Each runs
// on the writer's connection inside the write transaction.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/statement.pb.h"
#include "server/store/pg_db.h"
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

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_POSTGRES_ROWS_H_
