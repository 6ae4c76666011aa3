// SqliteStore's deferred apply (schema v10, in a file of its own since
// v11): the statements table and its indexes follow the change log, and
// nothing a client can observe shows it.

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/time_util.h"
#include "server/store/pending_statements.h"
#include "server/store/schema.h"
#include "server/store/sqlite_db.h"
#include "server/store/sqlite_store.h"
#include "tests/store/store_test_support.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;

class DeferredApplyTest : public ::testing::Test {
 protected:
  // `apply_after` long keeps writes pending until a reader needs them.
  absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& dir, absl::Duration apply_after = absl::Milliseconds(20),
      int schema_version = kLatestSchemaVersion) {
    SqliteStoreOptions options;
    options.path = dir + "/rollcall.db";
    options.apply_after = apply_after;
    options.schema_version = schema_version;
    return SqliteStore::Open(options);
  }

  // What another process reading the file sees.
  int64_t Count(const std::string& dir, const std::string& sql) {
    absl::StatusOr<std::unique_ptr<Connection>> raw =
        Connection::Open(dir + "/rollcall.db", /*read_only=*/true);
    EXPECT_TRUE(raw.ok()) << raw.status();
    EXPECT_TRUE(AttachFile(**raw, dir + "/rollcall-applied.db", kAppliedSchema).ok());
    absl::StatusOr<Statement> select = (*raw)->Prepare(sql);
    EXPECT_TRUE(select.ok()) << select.status();
    EXPECT_TRUE(select->Step().value_or(false)) << sql;
    return select->ColumnInt(0);
  }

  TempDir dir_;
};

// The pending statements forgotten at once (the end of a bulk load) are
// gone from every index, and the set works as new afterwards.
TEST(PendingStatementsTest, ClearForgetsEveryEntryAndTheSetWorksAfter) {
  auto statement = [](const std::string& name, int64_t sequence) {
    v1::Statement s = MakeStatement("actors/niger", "events/niger-coup-2023");
    s.set_name(name);
    s.set_sequence(sequence);
    s.set_state(v1::STATEMENT_STATE_ACTIVE);
    s.set_quote(absl::StrCat("quote of ", name));
    return s;
  };
  const int64_t time = ToUnixMicros(MakeStatement("actors/niger", "").issue_time());
  PendingStatements pending;
  pending.Add(statement("statements/a", 1));
  pending.Add(statement("statements/b", 2));
  pending.Commit();
  ASSERT_EQ(pending.Candidates("actors/niger", "events/niger-coup-2023", time, time).size(),
            2u);
  pending.Clear();
  EXPECT_EQ(pending.size(), 0u);
  EXPECT_FALSE(pending.Contains("statements/a"));
  EXPECT_TRUE(
      pending.Candidates("actors/niger", "events/niger-coup-2023", time, time).empty());
  pending.Add(statement("statements/c", 3));
  pending.Add(statement("statements/d", 4));
  pending.ForgetThrough(3);
  EXPECT_FALSE(pending.Contains("statements/c"));
  EXPECT_TRUE(pending.Contains("statements/d"));
  EXPECT_EQ(pending.Candidates("actors/niger", "events/niger-coup-2023", time, time).size(),
            1u);
}

TEST_F(DeferredApplyTest, ReadsSeeEveryAcknowledgedWriteUnderConcurrentLoad) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> opened = Open(dir_.path());
  ASSERT_TRUE(opened.ok()) << opened.status();
  SqliteStore& store = **opened;
  SeedNigerRollCall(store);
  std::atomic<bool> writing{true};
  // Readers listing all the while, so that applies and reads interleave.
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (writing.load()) {
        StatementQuery query;
        query.filter.actors = {"actors/ecowas"};
        EXPECT_TRUE(store.ListStatements(query).ok());
      }
    });
  }
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 60; ++i) {
        const std::string word = absl::StrCat("w", t, "x", i);
        v1::Statement statement = MakeStatement("actors/ecowas", "events/niger-coup-2023");
        statement.set_quote(absl::StrCat("Statement ", word, " of the load."));
        absl::StatusOr<v1::Statement> created = store.CreateStatement(Request(statement));
        ASSERT_TRUE(created.ok()) << created.status();
        // Acknowledged: every read from now on sees it.
        absl::StatusOr<v1::Statement> got = store.GetStatement(created->name());
        ASSERT_TRUE(got.ok()) << got.status();
        EXPECT_EQ(got->SerializeAsString(), created->SerializeAsString());
        EXPECT_THAT(NamesMatching(store, word), ::testing::ElementsAre(created->name()));
        if (i % 3 == 0) {
          absl::StatusOr<v1::Statement> corrected =
              store.UpdateStatement(created->name(), [&](v1::Statement& s) {
                s.set_quote(absl::StrCat("Corrected ", word, "c."));
                return absl::OkStatus();
              });
          ASSERT_TRUE(corrected.ok()) << corrected.status();
          EXPECT_TRUE(NamesMatching(store, word).empty());
          EXPECT_THAT(NamesMatching(store, word + "c"),
                      ::testing::ElementsAre(created->name()));
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  writing = false;
  for (std::thread& reader : readers) reader.join();
  StatementQuery all;
  all.page_size = 1000;
  EXPECT_EQ(store.ListStatements(all)->statements.size(), 240u);
}

TEST_F(DeferredApplyTest, DuplicateCheckRetriesAndUpdatesSeeWritesNotYetApplied) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> opened = Open(dir_.path(), absl::Hours(1));
  ASSERT_TRUE(opened.ok()) << opened.status();
  SqliteStore& store = **opened;
  SeedNigerRollCall(store);
  v1::Statement statement = MakeStatement("actors/ecowas", "events/niger-coup-2023");
  statement.set_quote("We condemn the coup and demand the release of President Bazoum.");
  absl::StatusOr<v1::Statement> first = store.CreateStatement(CheckedRequest(statement, "r1"));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(Count(dir_.path(), "SELECT count(*) FROM statements"), 0)
      << "the write is committed but not applied yet";

  // The duplicate check finds the pending statement.
  v1::Statement again = statement;
  again.set_quote("We condemn the coup and demand the release of president Bazoum!");
  absl::StatusOr<v1::Statement> duplicate = store.CreateStatement(CheckedRequest(again));
  EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(duplicate.status().message(), HasSubstr(first->name()));
  // A retry returns it; a request id reused for another request is refused.
  absl::StatusOr<v1::Statement> retry = store.CreateStatement(CheckedRequest(statement, "r1"));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), first->name());
  EXPECT_EQ(store.CreateStatement(CheckedRequest(again, "r1")).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Retracted while still pending: no longer a duplicate's original.
  absl::StatusOr<v1::Statement> retracted =
      store.UpdateStatement(first->name(), [](v1::Statement& s) {
        s.set_state(v1::STATEMENT_STATE_RETRACTED);
        s.mutable_retraction()->set_reason("withdrawn");
        return absl::OkStatus();
      });
  ASSERT_TRUE(retracted.ok()) << retracted.status();
  EXPECT_EQ(retracted->revision(), 2);
  absl::StatusOr<v1::Statement> second = store.CreateStatement(CheckedRequest(again));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(Count(dir_.path(), "SELECT count(*) FROM statements"), 0);

  // A list waits for the applier: everything, at its latest revision.
  StatementQuery query;
  query.filter.actors = {"actors/ecowas"};
  absl::StatusOr<StatementPage> page = store.ListStatements(query);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->statements.size(), 1u) << "the retracted one is not listed by default";
  EXPECT_EQ(page->statements[0].name(), second->name());
  EXPECT_EQ(Count(dir_.path(), "SELECT count(*) FROM statements"), 2);
  EXPECT_EQ(Count(dir_.path(), "SELECT sequence FROM applied_position"), store.HeadSequence());
  EXPECT_EQ(store.GetStatement(first->name())->state(), v1::STATEMENT_STATE_RETRACTED);
}

TEST_F(DeferredApplyTest, CommittedButUnappliedWritesAreAppliedAfterACrash) {
  TempDir copy;
  std::vector<std::string> names;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> opened = Open(dir_.path(), absl::Hours(1));
    ASSERT_TRUE(opened.ok()) << opened.status();
    SqliteStore& store = **opened;
    SeedNigerRollCall(store);
    for (int i = 0; i < 50; ++i) {
      v1::Statement statement = MakeStatement("actors/niger", "events/niger-coup-2023");
      statement.set_quote(absl::StrCat("Pending q", i, "z before the crash."));
      absl::StatusOr<v1::Statement> created = store.CreateStatement(Request(statement));
      ASSERT_TRUE(created.ok()) << created.status();
      names.push_back(created->name());
    }
    ASSERT_TRUE(store
                    .UpdateStatement(names[7],
                                     [](v1::Statement& s) {
                                       s.set_quote("Corrected after the fact.");
                                       return absl::OkStatus();
                                     })
                    .ok());
    // What a SIGKILL now leaves on disk: both database files and their WALs.
    for (const char* file : {"/rollcall.db", "/rollcall.db-wal", "/rollcall-applied.db",
                             "/rollcall-applied.db-wal"}) {
      if (!std::filesystem::exists(dir_.path() + file)) continue;
      std::filesystem::copy_file(dir_.path() + file, copy.path() + file);
    }
  }
  EXPECT_EQ(Count(copy.path(), "SELECT count(*) FROM statements"), 0);
  EXPECT_EQ(Count(copy.path(), "SELECT sequence FROM applied_position"), 0);
  absl::StatusOr<std::unique_ptr<SqliteStore>> reopened = Open(copy.path());
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->HeadSequence(), 51);
  StatementQuery query;
  query.filter.actors = {"actors/niger"};
  query.page_size = 100;
  EXPECT_EQ((*reopened)->ListStatements(query)->statements.size(), 50u);
  EXPECT_THAT(NamesMatching(**reopened, "q7z"), ::testing::IsEmpty());
  EXPECT_THAT(NamesMatching(**reopened, "corrected"), ::testing::ElementsAre(names[7]));
  EXPECT_THAT(NamesMatching(**reopened, "q8z"), ::testing::ElementsAre(names[8]));
  reopened->reset();
  absl::StatusOr<std::unique_ptr<Connection>> raw =
      Connection::Open(copy.path() + "/rollcall-applied.db", /*read_only=*/false);
  ASSERT_TRUE(raw.ok());
  EXPECT_TRUE((*raw)
                  ->Execute("INSERT INTO statement_text (statement_text, rank) "
                            "VALUES ('integrity-check', 1)")
                  .ok());
}

TEST_F(DeferredApplyTest, VersionEightStoreIsMigratedAndServedAsBefore) {
  std::vector<std::string> names;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> old = Open(dir_.path(), absl::Milliseconds(20), 8);
    ASSERT_TRUE(old.ok()) << old.status();
    SeedNigerRollCall(**old);
    for (int i = 0; i < 20; ++i) {
      v1::Statement statement = MakeStatement("actors/ecowas", "events/niger-coup-2023",
                                              absl::FromUnixSeconds(1690372800 + i * 60));
      statement.set_quote(absl::StrCat("Version eight statement v", i, "e."));
      absl::StatusOr<v1::Statement> created = (*old)->CreateStatement(CheckedRequest(statement));
      ASSERT_TRUE(created.ok()) << created.status();
      names.push_back(created->name());
    }
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path(), absl::Hours(1));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(Count(dir_.path(), "SELECT max(version) FROM schema_version"), kLatestSchemaVersion);
  EXPECT_EQ(Count(dir_.path(), "SELECT sequence FROM applied_position"), 20);
  // The old statements are duplicates' originals, retries and lists as before.
  v1::Statement again = MakeStatement("actors/ecowas", "events/niger-coup-2023",
                                      absl::FromUnixSeconds(1690372800 + 5 * 60));
  again.set_quote("Version eight statement v5e!");
  EXPECT_EQ((*store)->CreateStatement(CheckedRequest(again)).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(NamesMatching(**store, "v5e"), ::testing::ElementsAre(names[5]));
  v1::Statement fresh = MakeStatement("actors/ecowas", "events/niger-coup-2023");
  fresh.set_quote("A new statement n1w after the migration.");
  absl::StatusOr<v1::Statement> created = (*store)->CreateStatement(CheckedRequest(fresh));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->sequence(), 21);
  EXPECT_THAT(NamesMatching(**store, "n1w"), ::testing::ElementsAre(created->name()));
}

}  // namespace
}  // namespace rollcall::testing
