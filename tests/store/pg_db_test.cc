// The libpq wrapper against a real PostgreSQL (ROLLCALL_TEST_POSTGRES):
// parameters and results round-trip, errors map to canonical codes, and
// COMMIT of a failed transaction is never mistaken for success.

#include "server/store/pg_db.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_postgres.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;

TEST(NumberPlaceholdersTest, NumbersEachQuestionMarkInOrder) {
  EXPECT_EQ(NumberPlaceholders("SELECT ? WHERE a = ? AND b IN (?, ?)"),
            "SELECT $1 WHERE a = $2 AND b IN ($3, $4)");
  EXPECT_EQ(QuoteIdentifier("rollcall.a\"b"), "\"rollcall.a\"\"b\"");
}

class PgConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TestPostgres().has_value()) GTEST_SKIP() << kNoTestPostgres;
    const std::string schema = PostgresSchemaFor(dir_.path());
    auto connection = PgConnection::Open(*TestPostgres(), "");
    ASSERT_TRUE(connection.ok()) << connection.status();
    connection_ = *std::move(connection);
    ASSERT_TRUE(connection_->Execute(absl::StrCat("CREATE SCHEMA ", schema)).ok());
    ASSERT_TRUE(connection_->Execute(absl::StrCat("SET search_path TO ", schema)).ok());
    ASSERT_TRUE(
        connection_->Execute("CREATE TABLE t (name text PRIMARY KEY, n bigint, b bytea)")
            .ok());
  }

  TempDir dir_;
  std::unique_ptr<PgConnection> connection_;
};

TEST_F(PgConnectionTest, ValuesRoundTripInBinaryIncludingBytesAndNulls) {
  const std::string bytes("\0\1\2\xff", 4);
  ASSERT_TRUE(connection_
                  ->Query("INSERT INTO t (name, n, b) VALUES (?, ?, ?)",
                          PgParams().Text("niger").Int(-1234567890123).Bytes(bytes))
                  .ok());
  ASSERT_TRUE(connection_
                  ->Query("INSERT INTO t (name, n, b) VALUES (?, ?, NULL)",
                          PgParams().Text("benin").Null())
                  .ok());
  auto rows = connection_->Query("SELECT name, n, b FROM t ORDER BY name");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->rows(), 2);
  EXPECT_EQ(rows->Text(0, 0), "benin");
  EXPECT_TRUE(rows->IsNull(0, 1));
  EXPECT_EQ(rows->Text(1, 0), "niger");
  EXPECT_EQ(rows->Int(1, 1), -1234567890123);
  EXPECT_EQ(rows->Bytes(1, 2), bytes);
  // Text results (several statements in one round trip) read alike.
  auto text =
      connection_->ExecuteForRows("SELECT 1; SELECT n FROM t WHERE name = 'niger'");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->Int(0, 0), -1234567890123);
}

TEST_F(PgConnectionTest, ErrorsMapToCanonicalCodes) {
  ASSERT_TRUE(
      connection_->Query("INSERT INTO t (name) VALUES (?)", PgParams().Text("x")).ok());
  EXPECT_EQ(connection_->Query("INSERT INTO t (name) VALUES (?)", PgParams().Text("x"))
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(
      connection_->Query("SELECT ?::jsonb", PgParams().Text("{not json")).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(connection_->Execute("SELEKT 1").code(), absl::StatusCode::kInternal);
}

TEST_F(PgConnectionTest, CommitOfAFailedTransactionIsAnErrorNotASuccess) {
  ASSERT_TRUE(connection_->Execute("BEGIN").ok());
  ASSERT_TRUE(
      connection_->Query("INSERT INTO t (name) VALUES (?)", PgParams().Text("a")).ok());
  ASSERT_FALSE(connection_->Execute("SELECT 1/0").ok());
  const absl::Status commit = connection_->Commit();
  EXPECT_EQ(commit.code(), absl::StatusCode::kAborted) << commit;
  auto rows = connection_->Query("SELECT count(*) FROM t");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->Int(0, 0), 0) << "nothing of the failed transaction is kept";
}

TEST_F(PgConnectionTest, ManyDistinctQueriesKeepWorkingPastThePreparedLimit) {
  for (int i = 0; i < 600; ++i) {
    auto rows = connection_->Query(absl::StrCat("SELECT ?::bigint + ", i % 300),
                                   PgParams().Int(1));
    ASSERT_TRUE(rows.ok()) << i << ": " << rows.status();
    EXPECT_EQ(rows->Int(0, 0), 1 + i % 300);
  }
}

TEST_F(PgConnectionTest, ABrokenConnectionIsUnavailableThenReconnects) {
  auto admin = PgConnection::Open(*TestPostgres(), "");
  ASSERT_TRUE(admin.ok());
  auto pid = connection_->Query("SELECT pg_backend_pid()::bigint");
  ASSERT_TRUE(pid.ok());
  ASSERT_TRUE(
      (*admin)
          ->Query("SELECT pg_terminate_backend(?::int)", PgParams().Int(pid->Int(0, 0)))
          .ok());
  const absl::Status status = connection_->Query("SELECT 1::bigint").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_TRUE(connection_->broken());
  ASSERT_TRUE(connection_->EnsureConnected().ok());
  auto rows = connection_->Query("SELECT 2::bigint");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->Int(0, 0), 2);
}

TEST_F(PgConnectionTest, APipelineOnALostConnectionReconnectsWithItsSetup) {
  // A connection whose setup puts it in the test's schema.
  auto schema = connection_->Query("SELECT current_schema()::text");
  ASSERT_TRUE(schema.ok()) << schema.status();
  auto connection = PgConnection::Open(
      *TestPostgres(), absl::StrCat("SET search_path TO ", schema->Text(0, 0)));
  ASSERT_TRUE(connection.ok()) << connection.status();
  const std::vector<PgStatement> count = {{"SELECT count(*) FROM t", {}},
                                          {"SELECT pg_backend_pid()::bigint", {}}};
  auto first = (*connection)->Pipeline(count);
  ASSERT_TRUE(first.ok()) << first.status();
  // Its backend ends, and a query finds it gone.
  ASSERT_TRUE(connection_
                  ->Query("SELECT pg_terminate_backend(?::int)",
                          PgParams().Int((*first)[1].Int(0, 0)))
                  .ok());
  EXPECT_EQ((*connection)->Query("SELECT 1::bigint").status().code(),
            absl::StatusCode::kUnavailable);
  // A pipeline on the lost connection cannot be sent; the connection starts
  // afresh, in its schema again, and nothing is left for the caller to redo.
  EXPECT_FALSE((*connection)->Pipeline(count).ok());
  ASSERT_TRUE((*connection)->EnsureConnected().ok());
  auto rows = (*connection)->Query("SELECT count(*) FROM t");
  ASSERT_TRUE(rows.ok()) << "the setup ran again: " << rows.status();
  EXPECT_EQ(rows->Int(0, 0), 0);
  auto again = (*connection)->Pipeline(count);
  ASSERT_TRUE(again.ok()) << again.status();
}

}  // namespace
}  // namespace rollcall::testing
