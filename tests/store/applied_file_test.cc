// The applied file (schema v11): the statements table, its indexes and the
// full-text index in a file of their own, written by the applier on its own
// connection, rebuilt from the change log whenever it cannot be trusted.

#include "server/store/applied_file.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/schema.h"
#include "server/store/sqlite_db.h"
#include "server/store/sqlite_store.h"
#include "tests/store/store_test_support.h"

namespace rollcall::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::UnorderedElementsAreArray;

class AppliedFileTest : public ::testing::Test {
 protected:
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& dir, absl::Duration apply_after = absl::Milliseconds(20),
      int schema_version = kLatestSchemaVersion) {
    SqliteStoreOptions options;
    options.path = dir + "/rollcall.db";
    options.apply_after = apply_after;
    options.schema_version = schema_version;
    return SqliteStore::Open(options);
  }

  // `n` statements by ECOWAS, each quote with its own word "k<i>z", plus
  // the roll call's actors and event.
  static std::vector<std::string> Write(SqliteStore& store, int n, const std::string& tag) {
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i) {
      v1::Statement statement = MakeStatement("actors/ecowas", "events/niger-coup-2023");
      statement.set_quote(absl::StrCat("Statement ", tag, i, "z of the load."));
      absl::StatusOr<v1::Statement> created = store.CreateStatement(Request(statement));
      EXPECT_TRUE(created.ok()) << created.status();
      if (created.ok()) names.push_back(created->name());
    }
    return names;
  }

  // A value read from the closed store's files, the applied one attached.
  static int64_t Query(const std::string& dir, const std::string& sql) {
    absl::StatusOr<std::unique_ptr<Connection>> raw =
        Connection::Open(dir + "/rollcall.db", /*read_only=*/true);
    EXPECT_TRUE(raw.ok()) << raw.status();
    if (std::filesystem::exists(dir + "/rollcall-applied.db")) {
      EXPECT_TRUE(AttachFile(**raw, dir + "/rollcall-applied.db", kAppliedSchema).ok());
    }
    absl::StatusOr<Statement> select = (*raw)->Prepare(sql);
    EXPECT_TRUE(select.ok()) << select.status();
    if (!select.ok()) return -1;
    EXPECT_TRUE(select->Step().value_or(false)) << sql;
    return select->ColumnInt(0);
  }

  // The applied file's secondary indexes on the statements table, by name.
  static std::vector<std::string> AppliedIndexes(const std::string& dir) {
    absl::StatusOr<std::unique_ptr<Connection>> raw =
        Connection::Open(dir + "/rollcall-applied.db", /*read_only=*/true);
    EXPECT_TRUE(raw.ok()) << raw.status();
    if (!raw.ok()) return {};
    absl::StatusOr<Statement> select = (*raw)->Prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'statements' "
        "AND sql IS NOT NULL ORDER BY name");
    EXPECT_TRUE(select.ok()) << select.status();
    std::vector<std::string> names;
    while (select.ok() && select->Step().value_or(false)) names.push_back(select->ColumnText(0));
    return names;
  }
  static constexpr const char* kIndexes[] = {"statements_by_actor_time",
                                             "statements_by_event_stance_time",
                                             "statements_by_time"};

  static void CopyFiles(const std::string& from, const std::string& to,
                        const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      if (!std::filesystem::exists(from + "/" + name)) continue;
      std::filesystem::copy_file(from + "/" + name, to + "/" + name,
                                 std::filesystem::copy_options::overwrite_existing);
    }
  }

  TempDir dir_;
};

TEST_F(AppliedFileTest, AppliedFileHoldsTheStatementsAndTheLogFileNoLonger) {
  std::vector<std::string> names;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path());
    ASSERT_TRUE(store.ok()) << store.status();
    SeedNigerRollCall(**store);
    names = Write(**store, 30, "k");
    EXPECT_THAT(NamesMatching(**store), UnorderedElementsAreArray(names));
  }
  EXPECT_TRUE(std::filesystem::exists(dir_.File("rollcall-applied.db")));
  EXPECT_EQ(Query(dir_.path(), "SELECT count(*) FROM main.sqlite_master WHERE name IN "
                               "('statements', 'statement_text', 'applied_position')"),
            0);
  EXPECT_EQ(Query(dir_.path(), "SELECT count(*) FROM applied.statements"), 30);
  EXPECT_EQ(Query(dir_.path(), "SELECT sequence FROM applied.applied_position"), 30);
  EXPECT_EQ(Query(dir_.path(), "SELECT commit_time_micros FROM applied.applied_position"),
            Query(dir_.path(), "SELECT commit_time_micros FROM changes WHERE sequence = 30"));
}

// v8, v9 and v10 stores kept the statements table in the log's file; the
// migration drops it there and the first open builds the applied file.
TEST_F(AppliedFileTest, OlderStoresAreMigratedAndTheirAppliedFileBuiltFromTheLog) {
  for (int version : {8, 9, 10}) {
    SCOPED_TRACE(version);
    TempDir dir;
    std::vector<std::string> names;
    {
      absl::StatusOr<std::unique_ptr<SqliteStore>> old =
          Open(dir.path(), absl::Milliseconds(20), version);
      ASSERT_TRUE(old.ok()) << old.status();
      SeedNigerRollCall(**old);
      names = Write(**old, 20, "m");
      ASSERT_TRUE((*old)
                      ->UpdateStatement(names[3],
                                        [](v1::Statement& s) {
                                          s.set_quote("Corrected m3 as c3w.");
                                          return absl::OkStatus();
                                        })
                      .ok());
    }
    ASSERT_FALSE(std::filesystem::exists(dir.File("rollcall-applied.db")));
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir.path(), absl::Hours(1));
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ(Query(dir.path(), "SELECT max(version) FROM schema_version"),
              kLatestSchemaVersion);
    EXPECT_EQ(Query(dir.path(), "SELECT count(*) FROM main.sqlite_master WHERE name = "
                                "'statements'"),
              0);
    EXPECT_THAT(NamesMatching(**store), UnorderedElementsAreArray(names));
    // Today's applied file (format 2): three secondary indexes, and lists
    // by event alone merged from them.
    EXPECT_THAT(AppliedIndexes(dir.path()), ElementsAreArray(kIndexes));
    StatementQuery by_event;
    by_event.filter.events = {"events/niger-coup-2023"};
    by_event.page_size = 7;
    std::vector<std::string> listed;
    for (int pages = 0; pages < 10; ++pages) {
      absl::StatusOr<StatementPage> page = (*store)->ListStatements(by_event);
      ASSERT_TRUE(page.ok()) << page.status();
      for (const v1::Statement& s : page->statements) listed.push_back(s.name());
      if (!page->next.has_value()) break;
      by_event.after = page->next;
    }
    EXPECT_THAT(listed, UnorderedElementsAreArray(names));
    EXPECT_THAT(NamesMatching(**store, "m5z"), ElementsAre(names[5]));
    EXPECT_THAT(NamesMatching(**store, "c3w"), ElementsAre(names[3]));
    EXPECT_TRUE(NamesMatching(**store, "m3z").empty());
    // The old statements are the duplicate check's candidates.
    v1::Statement again = MakeStatement("actors/ecowas", "events/niger-coup-2023");
    again.set_quote("Statement m7z of the load!");
    EXPECT_EQ((*store)->CreateStatement(CheckedRequest(again)).status().code(),
              absl::StatusCode::kAlreadyExists);
  }
}

TEST_F(AppliedFileTest, MissingOrDamagedAppliedFileIsRebuiltFromTheLog) {
  std::vector<std::string> names;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path());
    ASSERT_TRUE(store.ok()) << store.status();
    SeedNigerRollCall(**store);
    names = Write(**store, 25, "d");
  }
  std::filesystem::remove(dir_.File("rollcall-applied.db"));
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path(), absl::Hours(1));
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_THAT(NamesMatching(**store), UnorderedElementsAreArray(names));
    EXPECT_THAT(NamesMatching(**store, "d12z"), ElementsAre(names[12]));
  }
  {
    std::ofstream garbage(dir_.File("rollcall-applied.db"), std::ios::trunc);
    garbage << std::string(8192, 'x');
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path(), absl::Hours(1));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_THAT(NamesMatching(**store), UnorderedElementsAreArray(names));
  EXPECT_THAT(NamesMatching(**store, "d20z"), ElementsAre(names[20]));
}

// An applied file that is behind its log, but bound to it, is caught up by
// the applier when it is at most `max_behind` changes behind, and rebuilt
// from the log when it is further behind (a build is then faster than the
// applier's catching up).
TEST_F(AppliedFileTest, AppliedFileFarBehindItsLogIsRebuiltANearOneKept) {
  TempDir saved;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path());
    ASSERT_TRUE(store.ok()) << store.status();
    SeedNigerRollCall(**store);
    Write(**store, 10, "a");
  }
  const int64_t applied_then = Query(dir_.path(), "SELECT sequence FROM applied_position");
  CopyFiles(dir_.path(), saved.path(), {"rollcall-applied.db"});
  std::vector<std::string> later;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path());
    ASSERT_TRUE(store.ok()) << store.status();
    later = Write(**store, 20, "b");
  }
  const int64_t head = Query(dir_.path(), "SELECT max(sequence) FROM changes");
  ASSERT_EQ(head - applied_then, 20);
  const std::string applied = dir_.File("rollcall-applied.db");
  const std::string log = dir_.File("rollcall.db");
  // 20 behind, at most 20 allowed: kept as it is, for the applier.
  CopyFiles(saved.path(), dir_.path(), {"rollcall-applied.db"});
  {
    absl::StatusOr<std::unique_ptr<Connection>> kept =
        OpenAppliedFile(applied, log, "", StartupCheck::kQuick, /*max_behind=*/20);
    ASSERT_TRUE(kept.ok()) << kept.status();
  }
  EXPECT_EQ(Query(dir_.path(), "SELECT sequence FROM applied_position"), applied_then);
  // At most 19 allowed: rebuilt, bound to the log's last change.
  {
    absl::StatusOr<std::unique_ptr<Connection>> rebuilt =
        OpenAppliedFile(applied, log, "", StartupCheck::kQuick, /*max_behind=*/19);
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  }
  EXPECT_EQ(Query(dir_.path(), "SELECT sequence FROM applied_position"), head);
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path(), absl::Hours(1));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_THAT(NamesMatching(**store, "b17z"), ElementsAre(later[17]));
  EXPECT_EQ(NamesMatching(**store).size(), 30u);
}

// A log restored from a backup beside the applied file of the store it was
// taken from: the file has applied changes the log no longer has (ahead),
// or, once the restored store is written again, other changes under the
// same sequences (another log). Either way it is rebuilt, never trusted.
TEST_F(AppliedFileTest, AppliedFileAheadOfItsLogOrFromAnotherLogIsRebuilt) {
  TempDir saved;
  std::vector<std::string> first;
  std::vector<std::string> later;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path());
    ASSERT_TRUE(store.ok()) << store.status();
    SeedNigerRollCall(**store);
    first = Write(**store, 10, "a");
  }
  CopyFiles(dir_.path(), saved.path(), {"rollcall.db"});
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path());
    ASSERT_TRUE(store.ok()) << store.status();
    later = Write(**store, 5, "b");
    EXPECT_EQ(NamesMatching(**store).size(), 15u);
  }
  CopyFiles(dir_.path(), saved.path(), {"rollcall-applied.db"});
  // Ahead: the applied file has changes 11-15, the log ends at 10.
  CopyFiles(saved.path(), dir_.path(), {"rollcall.db"});
  std::filesystem::remove(dir_.File("rollcall.db-wal"));
  std::vector<std::string> other;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path());
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ((*store)->HeadSequence(), 10);
    EXPECT_THAT(NamesMatching(**store), UnorderedElementsAreArray(first));
    EXPECT_TRUE(NamesMatching(**store, "b2z").empty());
    // Written again: changes 11-15 are now other statements.
    other = Write(**store, 5, "c");
  }
  // Another log: the saved applied file applied 11-15 of the first history.
  CopyFiles(saved.path(), dir_.path(), {"rollcall-applied.db"});
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->HeadSequence(), 15);
  std::vector<std::string> expected = first;
  expected.insert(expected.end(), other.begin(), other.end());
  EXPECT_THAT(NamesMatching(**store), UnorderedElementsAreArray(expected));
  EXPECT_TRUE(NamesMatching(**store, "b2z").empty());
  EXPECT_THAT(NamesMatching(**store, "c2z"), ElementsAre(other[2]));
}

// The applier writes only the applied file, and group commits only the
// log: holding the applied file's write lock elsewhere stops neither
// writes nor reads of the log, only lists (which wait for the applier).
TEST_F(AppliedFileTest, WritesDoNotWaitForTheAppliedFilesWriteLock) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path(), absl::Hours(1));
  ASSERT_TRUE(store.ok()) << store.status();
  SeedNigerRollCall(**store);
  Write(**store, 3, "w");
  EXPECT_EQ(NamesMatching(**store).size(), 3u);
  absl::StatusOr<std::unique_ptr<Connection>> other =
      Connection::Open(dir_.File("rollcall-applied.db"), /*read_only=*/false);
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE((*other)->Execute("BEGIN IMMEDIATE").ok());
  const absl::Time start = absl::Now();
  std::vector<std::string> names = Write(**store, 20, "x");
  ASSERT_EQ(names.size(), 20u);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5)) << "the writes waited for the lock";
  absl::StatusOr<v1::Statement> got = (*store)->GetStatement(names[4]);
  ASSERT_TRUE(got.ok()) << got.status();
  std::atomic<bool> listed{false};
  std::thread lister([&] {
    EXPECT_EQ(NamesMatching(**store).size(), 23u);
    listed = true;
  });
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_FALSE(listed.load()) << "a list must wait until the table holds every write";
  ASSERT_TRUE((*other)->Execute("COMMIT").ok());
  lister.join();
  EXPECT_TRUE(listed.load());
}

// Only the writer forgets pending statements, up to the position its own
// transaction reads: with the applier applying all the while, a near
// duplicate of a statement just acknowledged is always refused, whether
// that statement is pending or applied by then.
TEST_F(AppliedFileTest, DuplicateCheckFindsEveryStatementWhileTheApplierRuns) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> opened = Open(dir_.path(), absl::Microseconds(1));
  ASSERT_TRUE(opened.ok()) << opened.status();
  SqliteStore& store = **opened;
  SeedNigerRollCall(store);
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 60; ++i) {
        v1::Statement statement = MakeStatement(
            "actors/ecowas", "events/niger-coup-2023",
            absl::FromUnixSeconds(int64_t{1690372800} + int64_t{t * 1000 + i} * 86400 * 3));
        statement.set_quote(absl::StrCat("Writer ", t, " says number ", i, " loudly today."));
        absl::StatusOr<v1::Statement> created = store.CreateStatement(CheckedRequest(statement));
        ASSERT_TRUE(created.ok()) << created.status();
        if (i % 2 == 1) absl::SleepFor(absl::Microseconds(500 * t));
        statement.set_quote(absl::StrCat("writer ", t, " says number ", i, " loudly today!"));
        absl::StatusOr<v1::Statement> again = store.CreateStatement(CheckedRequest(statement));
        EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists)
            << "near-duplicate of " << created->name() << " recorded as "
            << (again.ok() ? again->name() : "");
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(NamesMatching(store).size(), 240u);
}

// actor_kind is copied onto the statements' rows in the applied file: a
// change of an actor's kind reaches them through the applier, and a list
// issued after the change was acknowledged sees it, across a restart too.
TEST_F(AppliedFileTest, ActorKindChangeIsSeenByTheNextList) {
  std::vector<std::string> names;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path(), absl::Hours(1));
    ASSERT_TRUE(store.ok()) << store.status();
    SeedNigerRollCall(**store);
    names = Write(**store, 4, "e");
    StatementQuery query;
    query.filter.actor_kinds = {v1::ACTOR_KIND_INTERNATIONAL_ORGANISATION};
    EXPECT_TRUE((*store)->ListStatements(query)->statements.empty());
    ASSERT_TRUE((*store)
                    ->UpdateActor("actors/ecowas",
                                  [](v1::Actor& actor) {
                                    actor.set_kind(v1::ACTOR_KIND_INTERNATIONAL_ORGANISATION);
                                    return absl::OkStatus();
                                  })
                    .ok());
    absl::StatusOr<StatementPage> page = (*store)->ListStatements(query);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->statements.size(), 4u);
  }
  EXPECT_EQ(Query(dir_.path(), "SELECT count(*) FROM applied.statements WHERE actor_kind = " +
                                   std::to_string(v1::ACTOR_KIND_INTERNATIONAL_ORGANISATION)),
            4);
  std::filesystem::remove(dir_.File("rollcall-applied.db"));
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path(), absl::Hours(1));
  ASSERT_TRUE(store.ok()) << store.status();
  StatementQuery query;
  query.filter.actor_kinds = {v1::ACTOR_KIND_INTERNATIONAL_ORGANISATION};
  EXPECT_EQ((*store)->ListStatements(query)->statements.size(), 4u);
}

// A bulk load builds the applied file bound to its log: the store opens
// on it as it is (the same file, not a rebuild) and serves every statement.
TEST_F(AppliedFileTest, BulkLoadedStoreOpensOnItsAppliedFileWithoutARebuild) {
  std::vector<std::string> names;
  {
    SqliteStoreOptions options;
    options.path = dir_.File("rollcall.db");
    options.bulk_load = true;
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    SeedNigerRollCall(**store);
    std::vector<NewStatement> requests;
    for (int i = 0; i < 40; ++i) {
      v1::Statement statement = MakeStatement("actors/niger", "events/niger-coup-2023");
      statement.set_quote(absl::StrCat("Loaded statement u", i, "z."));
      requests.push_back(Request(statement, absl::StrCat("load-", i)));
    }
    absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>> created =
        (*store)->CreateEachStatement(requests);
    ASSERT_TRUE(created.ok()) << created.status();
    for (const absl::StatusOr<v1::Statement>& statement : *created) {
      ASSERT_TRUE(statement.ok()) << statement.status();
      names.push_back(statement->name());
    }
    ASSERT_TRUE((*store)->FinishBulkLoad().ok());
  }
  {
    // A mark a rebuild would not keep.
    absl::StatusOr<std::unique_ptr<Connection>> raw =
        Connection::Open(dir_.File("rollcall-applied.db"), /*read_only=*/false);
    ASSERT_TRUE(raw.ok()) << raw.status();
    ASSERT_TRUE((*raw)->Execute("CREATE TABLE kept_mark (x)").ok());
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(dir_.path(), absl::Hours(1));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(Query(dir_.path(),
                  "SELECT count(*) FROM applied.sqlite_master WHERE name = 'kept_mark'"),
            1)
      << "the applied file was built again";
  // The bulk load's applied file has the structures a build from the log
  // makes (AppliedFileSchema).
  EXPECT_THAT(AppliedIndexes(dir_.path()), ElementsAreArray(kIndexes));
  EXPECT_THAT(NamesMatching(**store), UnorderedElementsAreArray(names));
  EXPECT_THAT(NamesMatching(**store, "u17z"), ElementsAre(names[17]));
  EXPECT_EQ(Query(dir_.path(), "SELECT sequence FROM applied.applied_position"), 40);
  // A retry of a loaded request returns the loaded statement.
  v1::Statement again = MakeStatement("actors/niger", "events/niger-coup-2023");
  again.set_quote("Loaded statement u3z.");
  absl::StatusOr<v1::Statement> retry = (*store)->CreateStatement(Request(again, "load-3"));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), names[3]);
}

}  // namespace
}  // namespace rollcall::testing
