// PostgresStore beyond the shared conformance suite: several stores (as in
// several rollcalld instances) on one schema, schema versions, and an
// unreachable database. Skipped without ROLLCALL_TEST_POSTGRES.

#include "server/store/postgres_store.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/pg_db.h"
#include "tests/store/store_test_support.h"
#include "tests/support/test_postgres.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TestPostgres().has_value()) GTEST_SKIP() << kNoTestPostgres;
    options_.conninfo = *TestPostgres();
    options_.schema = PostgresSchemaFor(dir_.path());
  }
  std::unique_ptr<PostgresStore> OpenOrDie() {
    absl::StatusOr<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(options_);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  TempDir dir_;
  PostgresStoreOptions options_;
};

// A session whose commits return before their WAL is flushed
// (synchronous_commit = off, here set for the store's connections only, so
// the shared test server is untouched) is refused unless accepted.
TEST_F(PostgresStoreTest, SynchronousCommitOffIsRefusedUnlessAccepted) {
  const std::string unsafe_setting = "options=-csynchronous_commit%3Doff";
  options_.conninfo += (options_.conninfo.find('?') == std::string::npos ? "?" : "&") +
                       unsafe_setting;
  absl::StatusOr<std::unique_ptr<PostgresStore>> refused = PostgresStore::Open(options_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("synchronous_commit = off"));
  EXPECT_THAT(refused.status().message(), HasSubstr("--postgres_accept_unsafe_durability"));

  options_.accept_unsafe_durability = true;
  std::unique_ptr<PostgresStore> accepted = OpenOrDie();
  ASSERT_NE(accepted, nullptr);
}

// Writers on two stores of one schema; meanwhile a reader on a third keeps
// reading the log. Every read must be a gap-free prefix 1..k: a change is
// never visible before every change with a smaller sequence.
TEST_F(PostgresStoreTest, InstancesShareOneLogWhoseOrderIsTheOrderOfVisibility) {
  std::vector<std::unique_ptr<PostgresStore>> stores;
  for (int i = 0; i < 3; ++i) stores.push_back(OpenOrDie());
  ASSERT_TRUE(stores[2] != nullptr);
  absl::Mutex mu;
  int64_t heard = 0;  // the reader store's commit listener
  stores[2]->SetCommitListener([&](int64_t head) {
    absl::MutexLock lock(&mu);
    heard = std::max(heard, head);
  });
  SeedNigerRollCall(*stores[0]);

  constexpr int kWritersPerStore = 4;
  constexpr int kCreatesPerWriter = 25;
  std::atomic<bool> writing{true};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (writing.load()) {
      absl::StatusOr<std::vector<LoggedChange>> changes =
          stores[2]->ReadChanges(0, 100000);
      ASSERT_TRUE(changes.ok()) << changes.status();
      for (size_t i = 0; i < changes->size(); ++i) {
        ASSERT_EQ((*changes)[i].sequence, static_cast<int64_t>(i + 1))
            << "a change became visible before an earlier one";
      }
      ++reads;
    }
  });
  std::vector<std::thread> writers;
  for (int store = 0; store < 2; ++store) {
    for (int w = 0; w < kWritersPerStore; ++w) {
      writers.emplace_back([&, store] {
        for (int i = 0; i < kCreatesPerWriter; ++i) {
          absl::StatusOr<v1::Statement> created = stores[store]->CreateStatement(
              Request(MakeStatement("actors/niger", "events/niger-coup-2023")));
          ASSERT_TRUE(created.ok()) << created.status();
        }
      });
    }
  }
  for (std::thread& writer : writers) writer.join();
  writing = false;
  reader.join();
  EXPECT_GT(reads.load(), 0);

  const int64_t total = 2 * kWritersPerStore * kCreatesPerWriter;
  absl::StatusOr<std::vector<LoggedChange>> changes = stores[2]->ReadChanges(0, 100000);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(static_cast<int64_t>(changes->size()), total);
  for (size_t i = 1; i < changes->size(); ++i) {
    EXPECT_GE((*changes)[i].commit_time_micros, (*changes)[i - 1].commit_time_micros);
  }
  // The third store wrote nothing, yet hears of every commit.
  {
    absl::MutexLock lock(&mu);
    auto heard_all = [&] { return heard == total; };
    EXPECT_TRUE(mu.AwaitWithTimeout(absl::Condition(&heard_all), absl::Seconds(10)))
        << "heard of head " << heard << " of " << total;
  }
  // Not under `mu`: HeadSequence may tell the commit listener, which takes it.
  EXPECT_EQ(stores[2]->HeadSequence(), total);
}

TEST_F(PostgresStoreTest, SchemaOfANewerVersionIsRefusedNamingBothVersions) {
  OpenOrDie().reset();
  absl::StatusOr<std::unique_ptr<PgConnection>> admin = PgConnection::Open(
      options_.conninfo,
      absl::StrCat("SET search_path TO ", QuoteIdentifier(options_.schema)));
  ASSERT_TRUE(admin.ok()) << admin.status();
  ASSERT_TRUE((*admin)->Execute("UPDATE schema_version SET version = 99").ok());
  absl::StatusOr<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(options_);
  ASSERT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("version 99"));
  EXPECT_THAT(store.status().message(), HasSubstr("newer than version 2"));
}

// A version 1 schema (before documents and drafts) is what version 2 is
// without its new tables; opening it adds them and keeps the record.
TEST_F(PostgresStoreTest, VersionOneSchemaGainsTheDraftTablesAndKeepsItsStatements) {
  {
    std::unique_ptr<PostgresStore> store = OpenOrDie();
    ASSERT_TRUE(store != nullptr);
    SeedNigerRollCall(*store);
    ASSERT_TRUE(store->CreateStatement(Request(MakeStatement("actors/ecowas",
                                                             "events/niger-coup-2023")))
                    .ok());
  }
  absl::StatusOr<std::unique_ptr<PgConnection>> admin = PgConnection::Open(
      options_.conninfo,
      absl::StrCat("SET search_path TO ", QuoteIdentifier(options_.schema)));
  ASSERT_TRUE(admin.ok()) << admin.status();
  ASSERT_TRUE((*admin)
                  ->Execute("DROP TABLE draft_documents, drafts, documents; "
                            "UPDATE schema_version SET version = 1")
                  .ok());
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_TRUE(store != nullptr);
  EXPECT_EQ(store->HeadSequence(), 1);
  NewExtraction extraction;
  extraction.document.set_text("ECOWAS condemned the coup.");
  extraction.document.set_event("events/niger-coup-2023");
  extraction.drafts.emplace_back().draft.mutable_statement()->set_actor("actors/ecowas");
  absl::StatusOr<RecordedExtraction> recorded = store->RecordExtraction(extraction);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_TRUE(store->GetDraft(recorded->drafts[0].name()).ok());
  absl::StatusOr<PgResult> version = (*admin)->Query("SELECT version FROM schema_version");
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(version->Int(0, 0), 2);
}

TEST_F(PostgresStoreTest, AnUnreachableDatabaseIsUnavailable) {
  options_.conninfo = "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2";
  absl::StatusOr<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(options_);
  ASSERT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(store.status().message(), HasSubstr("cannot connect to PostgreSQL"));
}

}  // namespace
}  // namespace rollcall::testing
