#ifndef ROLLCALL_TESTS_SUPPORT_TEST_POSTGRES_H_
#define ROLLCALL_TESTS_SUPPORT_TEST_POSTGRES_H_

// The PostgreSQL server the tests use, if any: scripts/test starts a
// throw-away one and sets ROLLCALL_TEST_POSTGRES to its connection string.
// Without it, the PostgreSQL variants of the tests are skipped and the
// SQLite ones run alone.

#include <optional>
#include <string>

namespace rollcall::testing {

// $ROLLCALL_TEST_POSTGRES, or nullopt if unset or empty.
std::optional<std::string> TestPostgres();

// Why the PostgreSQL tests are skipped (for GTEST_SKIP).
inline constexpr char kNoTestPostgres[] =
    "ROLLCALL_TEST_POSTGRES is not set: PostgreSQL tests skipped (scripts/test sets it)";

// The schema of the store kept in `dir`: a new, unused name the first time
// (recorded in the directory), the same name afterwards, so that reopening
// the directory reopens the same store.
std::string PostgresSchemaFor(const std::string& dir);

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_SUPPORT_TEST_POSTGRES_H_
