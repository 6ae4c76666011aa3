#ifndef ROLLCALL_SERVER_STORE_SQLITE_LIST_H_
#define ROLLCALL_SERVER_STORE_SQLITE_LIST_H_

// How SqliteStore reads one page of ListStatements: which of the
// statements table's indexes serves the filter, and the SQL.
//
// The table (the applied file's, format 2 on) has three secondary indexes:
// (actor, issue time, name), (stance, issue time) and (event, stance,
// state, issue time, name). A filter naming actors reads the first; any
// other filter reads ordered ranges of one of the other two, merged in the
// list's order (MergedStatementListSql): by event, one range per
// (event, stance, state) present; otherwise one range per stance present.
// Free text reads the full-text index first (then sorts the matches),
// unless the word is common and nothing narrows the list (WalkTimeIndex):
// then the ranges by stance are walked and each row tested.

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "server/store/sql_builder.h"
#include "server/store/sqlite_db.h"
#include "server/store/store.h"

namespace rollcall {

// The SQL of one page of `query` (page_size already set), selecting (data,
// issue_time_micros, name) in the list's order, page_size + 1 rows at
// most; nullopt if no index range can hold a match (the page is empty).
// Reads the table's distinct stances (or an event's (stance, state) pairs)
// through `connection`: call it in the read's transaction.
absl::StatusOr<std::optional<SqlQuery>> SqliteStatementListSql(Connection& connection,
                                                               const StatementQuery& query,
                                                               int64_t now_micros);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_SQLITE_LIST_H_
