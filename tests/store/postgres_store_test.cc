// PostgresStore beyond the shared conformance suite: several stores (as in
// several rollcalld instances) on one schema, creates resolved together in
// one group, schema versions, and an unreachable database. Skipped without
// ROLLCALL_TEST_POSTGRES.

#include "server/store/postgres_store.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/pg_db.h"
#include "tests/store/store_test_support.h"
#include "tests/support/test_postgres.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;

class PostgresStoreTest : public PostgresStoreFixture {};

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

// Concurrent creates share groups, which are resolved together: each must
// still see the creates committed or grouped before it. Sixteen writers at
// once: a retry of one request id gets one statement, the same quote from
// several writers is recorded once (the others refused naming it), and the
// log holds exactly the created statements, gap-free.
TEST_F(PostgresStoreTest, ConcurrentCreatesKeepIdempotencyAndTheDuplicateCheck) {
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_TRUE(store != nullptr);
  SeedNigerRollCall(*store);
  constexpr int kWriters = 16;
  const v1::Statement retried = MakeStatement("actors/niger", "events/niger-coup-2023");
  std::vector<std::string> retried_names(kWriters), quoted_names(kWriters);
  std::vector<absl::Status> quoted_status(kWriters);
  std::atomic<int> unique_created{0};
  std::atomic<int> ready{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      ++ready;
      while (ready.load() < kWriters) std::this_thread::yield();
      absl::StatusOr<v1::Statement> first =
          store->CreateStatement(Request(retried, "the-same-request"));
      ASSERT_TRUE(first.ok()) << first.status();
      retried_names[w] = first->name();
      absl::StatusOr<v1::Statement> quoted = store->CreateStatement(
          CheckedRequest(Quoted("actors/ecowas", kQuote), absl::StrCat("quoted-", w)));
      quoted_status[w] = quoted.status();
      if (quoted.ok()) quoted_names[w] = quoted->name();
      absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>> each =
          store->CreateEachStatement(
              {Request(retried, absl::StrCat("each-", w)),
               Request(retried, absl::StrCat("each-", w)),
               Request(Quoted("actors/niger", absl::StrCat("Writer ", w, " speaks")))});
      ASSERT_TRUE(each.ok()) << each.status();
      ASSERT_EQ(each->size(), 3u);
      for (const absl::StatusOr<v1::Statement>& result : *each) {
        ASSERT_TRUE(result.ok()) << result.status();
      }
      EXPECT_EQ((*each)[0]->name(), (*each)[1]->name()) << "a retry inside one batch";
      unique_created += 2;
    });
  }
  for (std::thread& writer : writers) writer.join();
  std::string recorded;
  for (int w = 0; w < kWriters; ++w) {
    EXPECT_EQ(retried_names[w], retried_names[0]);
    if (quoted_status[w].ok()) {
      EXPECT_TRUE(recorded.empty()) << "the same quote was recorded twice";
      recorded = quoted_names[w];
    }
  }
  ASSERT_FALSE(recorded.empty());
  for (int w = 0; w < kWriters; ++w) {
    if (quoted_status[w].ok()) continue;
    EXPECT_EQ(quoted_status[w].code(), absl::StatusCode::kAlreadyExists) << quoted_status[w];
    EXPECT_THAT(quoted_status[w].message(), HasSubstr(recorded));
  }
  ExpectGapFreeLog(*store, 1 + 1 + unique_created.load());
  EXPECT_EQ(store->HeadSequence(), 1 + 1 + unique_created.load());
}

// A value PostgreSQL refuses (a NUL character in a text) fails the insert
// of a whole group; the group's creates are then made one by one, so only
// that write fails, and no sequence is lost.
TEST_F(PostgresStoreTest, ACreatePostgresRefusesFailsAloneAndLeavesNoGap) {
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_TRUE(store != nullptr);
  SeedNigerRollCall(*store);
  const v1::Statement refused = Quoted("actors/niger", std::string("nul\0inside", 10));
  absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>> each =
      store->CreateEachStatement(
          {Request(Quoted("actors/niger", "first")), Request(refused, "refused"),
           Request(Quoted("actors/ecowas", "second"), "second")});
  ASSERT_TRUE(each.ok()) << each.status();
  ASSERT_EQ(each->size(), 3u);
  ASSERT_TRUE((*each)[0].ok()) << (*each)[0].status();
  EXPECT_EQ((*each)[1].status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE((*each)[2].ok()) << (*each)[2].status();
  EXPECT_EQ((*each)[0]->sequence(), 1);
  EXPECT_EQ((*each)[2]->sequence(), 2);

  absl::Status batch =
      store->CreateStatements({Request(Quoted("actors/niger", "third")), Request(refused)})
          .status();
  EXPECT_EQ(batch.code(), absl::StatusCode::kInvalidArgument) << batch;
  absl::StatusOr<v1::Statement> after =
      store->CreateStatement(Request(Quoted("actors/niger", "fourth")));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->sequence(), 3);
  // The request id of the write that succeeded is recorded; the refused one's not.
  absl::StatusOr<v1::Statement> retry =
      store->CreateStatement(Request(Quoted("actors/ecowas", "second"), "second"));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), (*each)[2]->name());
  ExpectGapFreeLog(*store, 3);
  EXPECT_EQ(store->HeadSequence(), 3);
}

// What a create costs must not grow with the store: the writer reaches
// every row it checks through a key or statements_by_actor_time, never by
// scanning a table (as hashing `requests` for a group's request ids did)
// nor through the event indexes (statements_by_event_stance_time scans
// every statement of the event). Its plans are made once, while the
// store is empty, and kept as it grows; PostgreSQL's statistics count the
// scans of every connection (only the writer touches these two tables here).
TEST_F(PostgresStoreTest, CreatesReachRowsThroughKeysAndTheActorIndexOnly) {
  std::unique_ptr<PostgresStore> store = OpenOrDie();
  ASSERT_TRUE(store != nullptr);
  SeedNigerRollCall(*store);
  constexpr int kBatches = 30, kBatchSize = 40;
  int created = 0;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<NewStatement> batch;
    for (int i = 0; i < kBatchSize; ++i) {
      const std::string words = Words(b * kBatchSize + i);
      batch.push_back(CheckedRequest(
          Quoted(i % 2 == 0 ? "actors/niger" : "actors/ecowas", words),
          absl::StrCat("request-", b, "-", i)));
    }
    absl::StatusOr<std::vector<v1::Statement>> written = store->CreateStatements(batch);
    ASSERT_TRUE(written.ok()) << written.status();
    created += kBatchSize;
    absl::StatusOr<v1::Statement> retried = store->CreateStatement(batch[0]);
    ASSERT_TRUE(retried.ok()) << retried.status();
    EXPECT_EQ(retried->name(), (*written)[0].name()) << "a retried request id";
  }
  absl::StatusOr<std::unique_ptr<PgConnection>> stats =
      PgConnection::Open(options_.conninfo, "");
  ASSERT_TRUE(stats.ok()) << stats.status();
  const PgParams schema = PgParams().Text(options_.schema);
  // The writer's counts reach the statistics within seconds of its last
  // transaction; wait until they count every row.
  int64_t inserted = 0;
  for (int attempt = 0; attempt < 300 && inserted < created; ++attempt) {
    absl::StatusOr<PgResult> rows = (*stats)->Query(
        "SELECT n_tup_ins FROM pg_stat_user_tables WHERE schemaname = ? AND "
        "relname = 'statements'",
        schema);
    ASSERT_TRUE(rows.ok()) << rows.status();
    inserted = rows->rows() == 1 ? rows->Int(0, 0) : 0;
    if (inserted < created) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(inserted, created);
  // The migration scanned each table once per index it built (on an empty
  // table); no create scanned it since.
  absl::StatusOr<PgResult> tables = (*stats)->Query(
      "SELECT s.relname, s.seq_scan, (SELECT count(*) FROM pg_index i WHERE "
      "i.indrelid = s.relid) FROM pg_stat_user_tables s WHERE s.schemaname = ? AND "
      "s.relname IN ('statements', 'requests') ORDER BY s.relname",
      schema);
  ASSERT_TRUE(tables.ok()) << tables.status();
  ASSERT_EQ(tables->rows(), 2);
  for (int row = 0; row < 2; ++row) {
    EXPECT_EQ(tables->Int(row, 1), tables->Int(row, 2))
        << tables->Text(row, 0) << " was scanned";
  }
  absl::StatusOr<PgResult> indexes = (*stats)->Query(
      "SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE schemaname = ? "
      "AND relname = 'statements' ORDER BY indexrelname",
      schema);
  ASSERT_TRUE(indexes.ok()) << indexes.status();
  for (int row = 0; row < indexes->rows(); ++row) {
    const std::string index = indexes->Text(row, 0);
    if (index == "statements_by_actor_time") {
      EXPECT_GE(indexes->Int(row, 1), kBatches * kBatchSize) << index;
    } else if (index != "statements_pkey") {
      EXPECT_EQ(indexes->Int(row, 1), 0) << index << " was used by a create";
    }
  }
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

// A role with only USAGE on the schema and SELECT, INSERT, UPDATE and
// DELETE on its tables (what docs/DEPLOY.md asks for once the schema
// exists) opens an existing store, writes and searches: opening creates
// nothing that exists (PostgreSQL asks for CREATE even for CREATE ... IF
// NOT EXISTS of an existing schema).
TEST_F(PostgresStoreTest, ARoleWithoutCreateOpensAnExistingStoreAndWrites) {
  OpenOrDie().reset();  // creates the schema as its owner
  absl::StatusOr<std::unique_ptr<PgConnection>> admin = PgConnection::Open(
      options_.conninfo,
      absl::StrCat("SET search_path TO ", QuoteIdentifier(options_.schema)));
  ASSERT_TRUE(admin.ok()) << admin.status();
  const std::string role_name = absl::StrCat(options_.schema, "_dml");
  const std::string role = QuoteIdentifier(role_name);
  const std::string schema = QuoteIdentifier(options_.schema);
  ASSERT_TRUE((*admin)
                  ->Execute(absl::StrCat("CREATE ROLE ", role, " LOGIN; GRANT USAGE ON SCHEMA ",
                                         schema, " TO ", role,
                                         "; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL "
                                         "TABLES IN SCHEMA ",
                                         schema, " TO ", role))
                  .ok());
  std::string conninfo = options_.conninfo;
  const size_t user = conninfo.find("postgres@");
  ASSERT_NE(user, std::string::npos) << conninfo;
  conninfo.replace(user, 8, role_name);
  {
    std::unique_ptr<PostgresStore> store = OpenOrDie(conninfo);
    ASSERT_TRUE(store != nullptr);
    ASSERT_TRUE(store->CreateActor(MakeActor("ecowas", v1::ACTOR_KIND_REGIONAL_BLOC)).ok());
    ASSERT_TRUE(store->CreateEvent(MakeEvent("niger-coup-2023")).ok());
    absl::StatusOr<v1::Statement> written =
        store->CreateStatement(Request(Quoted("actors/ecowas", kQuote), "request-1"));
    ASSERT_TRUE(written.ok()) << written.status();
    EXPECT_THAT(NamesMatching(*store, "restoration"), ::testing::ElementsAre(written->name()));
    // A retry of the request is answered with the same statement.
    absl::StatusOr<v1::Statement> retried =
        store->CreateStatement(Request(Quoted("actors/ecowas", kQuote), "request-1"));
    ASSERT_TRUE(retried.ok()) << retried.status();
    EXPECT_EQ(retried->name(), written->name());
  }
  EXPECT_TRUE(
      (*admin)->Execute(absl::StrCat("DROP OWNED BY ", role, "; DROP ROLE ", role)).ok());
}

TEST_F(PostgresStoreTest, AnUnreachableDatabaseIsUnavailable) {
  options_.conninfo = "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=2";
  absl::StatusOr<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(options_);
  ASSERT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(store.status().message(), HasSubstr("cannot connect to PostgreSQL"));
}

}  // namespace
}  // namespace rollcall::testing
