#ifndef ROLLCALL_SERVER_STORE_SQLITE_LIST_H_
#define ROLLCALL_SERVER_STORE_SQLITE_LIST_H_

// How SqliteStore reads one page of ListStatements: which of the
// statements table's indexes serves the filter, and the SQL.
//
// The table (the applied file's, format 2 on) has three secondary indexes:
// (actor, issue time, name), (issue time, name) and (event, stance, state,
// issue time, name). A filter naming actors reads the first; one naming
// events reads ordered ranges of the last, one per (event, stance, state)
// the events hold that the filter allows, merged in the list's order
// (MergedStatementListSql); any other walks the time index in the list's
// order, testing each row, until the page is full. Free text reads the
// full-text index first (then sorts the matches), unless the word is
// common and nothing narrows the list (WalkTimeIndex): then the time
// index is walked.

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
// Reads the events' (stance, state) pairs through `connection`: call it in
// the read's transaction.
absl::StatusOr<std::optional<SqlQuery>> SqliteStatementListSql(Connection& connection,
                                                               const StatementQuery& query,
                                                               int64_t now_micros);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_SQLITE_LIST_H_
