// Helpers of PostgresStore's resources (postgres_rows.h).

#include "server/store/postgres_rows.h"

#include <variant>

#include "absl/strings/str_cat.h"

namespace rollcall {
namespace {

constexpr int kDefaultPageSize = 50;

}  // namespace

int PostgresPageSize(int requested) { return requested > 0 ? requested : kDefaultPageSize; }

PgParams ToPgParams(const std::vector<SqlValue>& values) {
  PgParams params;
  for (const SqlValue& value : values) {
    if (const int64_t* number = std::get_if<int64_t>(&value)) {
      params.Int(*number);
    } else {
      params.Text(std::get<std::string>(value));
    }
  }
  return params;
}

absl::StatusOr<bool> PgActorExists(PgConnection& connection, absl::string_view name) {
  return connection.Exists("SELECT 1 FROM actors WHERE name = ?", PgParams().Text(name));
}

absl::StatusOr<int64_t> PgLoadRevision(PgConnection& connection, absl::string_view table,
                                       absl::string_view name) {
  ASSIGN_OR_RETURN(
      PgResult result,
      connection.Query(absl::StrCat("SELECT revision FROM ", table, " WHERE name = ?"),
                       PgParams().Text(name)));
  return result.rows() > 0 ? result.Int(0, 0) : 0;
}

}  // namespace rollcall
