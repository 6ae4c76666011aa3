#ifndef ROLLCALL_SERVER_STORE_SQL_BUILDER_H_
#define ROLLCALL_SERVER_STORE_SQL_BUILDER_H_

// Builds SELECT statements from filters with bound parameters only: user
// strings never become SQL text.

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/store/sqlite_db.h"
#include "server/store/store.h"

namespace rollcall {

using SqlValue = std::variant<int64_t, std::string>;

// The two stores' SQL differs only in full-text search and labels.
enum class SqlDialect { kSqlite, kPostgres };

// A conjunction of conditions, each with its parameters.
class SqlWhere {
 public:
  explicit SqlWhere(SqlDialect dialect = SqlDialect::kSqlite) : dialect_(dialect) {}
  // Adds `condition`, whose `?` placeholders take `params` in order.
  void Add(std::string condition, std::vector<SqlValue> params = {});
  // Adds `column IN (?, ...)` if `values` is non-empty.
  void AddIn(absl::string_view column, const std::vector<SqlValue>& values);
  // Adds that the labels column (JSON text in SQLite, jsonb in PostgreSQL)
  // holds every (key, value) pair.
  void AddLabels(absl::string_view column,
                 const std::vector<std::pair<std::string, std::string>>& labels);

  // " WHERE a AND b" (empty if there are no conditions).
  std::string Sql() const;
  const std::vector<SqlValue>& params() const { return params_; }

 private:
  SqlDialect dialect_;
  std::vector<std::string> conditions_;
  std::vector<SqlValue> params_;
};

// "?, ?, ?" for `n` parameters.
std::string Placeholders(size_t n);

// Binds `params` in order.
void BindAll(Statement& statement, const std::vector<SqlValue>& params);

template <typename Enum>
std::vector<SqlValue> EnumValues(const std::vector<Enum>& values) {
  std::vector<SqlValue> out;
  for (Enum value : values) out.emplace_back(static_cast<int64_t>(value));
  return out;
}

std::vector<SqlValue> TextValues(const std::vector<std::string>& values);

// SQL text and parameters for one page of ListStatements, selecting
// (data, issue_time_micros, name). A bloc membership counts if it has not
// ended by `now_micros`. Fetches page_size + 1 rows so the caller can tell
// whether another page follows.
struct SqlQuery {
  std::string sql;
  std::vector<SqlValue> params;
};
//
// `index` (SQLite), if not empty, is the index SQLite must read (INDEXED
// BY): statements_by_time makes it read the statements in issue-time order
// and test each against the conditions, stopping at the page's end,
// instead of collecting every match and sorting them.
SqlQuery StatementListSql(const StatementQuery& query, int64_t now_micros,
                          SqlDialect dialect = SqlDialect::kSqlite,
                          absl::string_view index = "");

// A list merged from ordered index ranges (SQLite). The applied file
// (format 2 on) has no index by (event, issue time): a list by event reads
// one ordered range per arm instead (each arm an equality on the leading
// columns of `index`, "event = ? AND stance = ? AND state = ?" on
// statements_by_event_stance_time), and SQLite merges the arms in the list's
// order (a compound SELECT with ORDER BY is a merge of its arms, each read
// only as far as the page needs). The rows, their order and the page
// are those of StatementListSql's query. `arms` must not be empty.
struct ListArm {
  std::string condition;  // e.g. "event = ? AND stance = ? AND state = ?"
  std::vector<SqlValue> params;
};
SqlQuery MergedStatementListSql(const StatementQuery& query, int64_t now_micros,
                                absl::string_view index, const std::vector<ListArm>& arms);

// The FTS5 query for the filter's free-text terms (all of them), or "" if
// it has none.
std::string FreeTextQuery(const StatementFilter& filter);

// The condition that a memberships row holds at `?` (one parameter: now).
inline constexpr absl::string_view kCurrentMembership =
    "(end_time_micros IS NULL OR end_time_micros > ?)";

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_SQL_BUILDER_H_
