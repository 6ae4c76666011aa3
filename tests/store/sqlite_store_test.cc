// SQLite-specific behaviour: migrations, damaged files, WAL, error mapping.

#include "server/store/sqlite_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/names.h"
#include "server/store/schema.h"
#include "server/store/sqlite_db.h"
#include "server/text/text_search.h"
#include "tests/store/store_test_support.h"

namespace rollcall::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string DatabasePath() const { return dir_.path() + "/rollcall.db"; }

  absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      int schema_version = kLatestSchemaVersion) {
    SqliteStoreOptions options;
    options.path = DatabasePath();
    options.schema_version = schema_version;
    return SqliteStore::Open(options);
  }

  // A store with the Niger roll call and `n` statements, then closed.
  void WriteStore(int n, int schema_version = kLatestSchemaVersion) {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open(schema_version);
    ASSERT_TRUE(store.ok()) << store.status();
    SeedNigerRollCall(**store);
    for (int i = 0; i < n; ++i) {
      v1::Statement statement = MakeStatement("actors/ecowas", "events/niger-coup-2023");
      statement.set_summary(std::string(200, 'x'));
      ASSERT_TRUE(
          (*store)->CreateStatement(Request(statement, absl::StrCat("r", i))).ok());
    }
  }

  // The log file, with the applied file attached as the store attaches it
  // (once a store of the latest schema has made it).
  std::unique_ptr<Connection> RawConnection() {
    absl::StatusOr<std::unique_ptr<Connection>> connection =
        Connection::Open(DatabasePath(), /*read_only=*/false);
    EXPECT_TRUE(connection.ok()) << connection.status();
    if (!connection.ok()) return nullptr;
    if (std::filesystem::exists(AppliedFilePath(DatabasePath()))) {
      EXPECT_TRUE(
          AttachFile(**connection, AppliedFilePath(DatabasePath()), kAppliedSchema).ok());
    }
    return *std::move(connection);
  }

  TempDir dir_;
};

TEST_F(SqliteStoreTest, VersionThreeFileIsUpgradedOnOpenKeepsItsDataAndIndexesItsText) {
  // Statements as v1-v3 stored them (the row layout that has search_text),
  // written by hand the way those versions wrote them.
  {
    std::unique_ptr<Connection> raw = RawConnection();
    ASSERT_TRUE(Migrate(*raw, 3).ok());
    const std::vector<std::pair<std::string, std::string>> quotes = {
        {"statements/s1", "We demand the release of President Bazoum"},
        {"statements/s2", "La CEDEAO condamne le coup d'État"},
        {"statements/s3", "Nous appelons au dialogue"}};
    int64_t sequence = 0;
    for (const auto& [name, quote] : quotes) {
      v1::Statement statement = MakeStatement("actors/ecowas", "events/niger-coup-2023");
      statement.set_name(name);
      statement.set_quote(quote);
      statement.set_revision(1);
      statement.set_sequence(++sequence);
      statement.set_state(v1::STATEMENT_STATE_ACTIVE);
      std::string data;
      ASSERT_TRUE(statement.SerializeToString(&data));
      absl::StatusOr<Statement> insert = raw->Prepare(
          "INSERT INTO statements (name, event, actor, actor_kind, stance, modality, "
          "state, "
          "issue_time_micros, action_mask, search_text, labels_json, revision, sequence, "
          "data) "
          "VALUES (?, ?, ?, 2, ?, 1, ?, ?, 0, ?, '{}', 1, ?, ?)");
      ASSERT_TRUE(insert.ok()) << insert.status();
      insert->BindText(name)
          .BindText(statement.event())
          .BindText(statement.actor())
          .BindInt(statement.stance())
          .BindInt(statement.state())
          .BindInt(sequence * 1000000)
          .BindText(absl::AsciiStrToLower(quote))
          .BindInt(sequence)
          .BindBlob(data);
      ASSERT_TRUE(insert->Run().ok());
      absl::StatusOr<Statement> change = raw->Prepare(
          "INSERT INTO changes (sequence, statement, revision, kind, commit_time_micros, "
          "data) "
          "VALUES (?, ?, 1, 1, ?, ?)");
      ASSERT_TRUE(change.ok()) << change.status();
      change->BindInt(sequence).BindText(name).BindInt(sequence * 1000000).BindBlob(data);
      ASSERT_TRUE(change->Run().ok());
    }
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open();
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->HeadSequence(), 3);
  StatementQuery query;
  query.filter.actors = {"actors/ecowas"};
  EXPECT_EQ((*store)->ListStatements(query)->statements.size(), 3u);
  // The full-text index covers the old rows, and new writes keep it current.
  auto names_for = [&](absl::string_view term) {
    StatementQuery search;
    search.filter.texts = {ParseSearchPhrase(term).value().ToString()};
    absl::StatusOr<StatementPage> page = (*store)->ListStatements(search);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> names;
    if (page.ok()) {
      for (const v1::Statement& s : page->statements) names.push_back(s.name());
    }
    return names;
  };
  EXPECT_THAT(names_for("etat"), ElementsAre("statements/s2"));
  EXPECT_THAT(names_for("release"), ElementsAre("statements/s1"));
  SeedNigerRollCall(**store);  // the actor and event an update checks
  absl::StatusOr<v1::Statement> updated =
      (*store)->UpdateStatement("statements/s1", [](v1::Statement& s) {
        s.set_quote("We call for dialogue");
        return absl::OkStatus();
      });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_TRUE(names_for("release").empty());
  EXPECT_THAT(names_for("call for dialogue"), ElementsAre("statements/s1"));
  store->reset();

  std::unique_ptr<Connection> raw = RawConnection();
  EXPECT_EQ(SchemaVersion(*raw).value_or(-1), kLatestSchemaVersion);
  absl::StatusOr<Statement> indexes = raw->Prepare(
      "SELECT count(*) FROM applied.sqlite_master WHERE name = "
      "'statements_by_event_stance_time'");
  ASSERT_TRUE(indexes.ok() && *indexes->Step());
  EXPECT_EQ(indexes->ColumnInt(0), 1);
}

TEST_F(SqliteStoreTest, VersionEightFileGainsTheDraftTablesAndKeepsItsStatements) {
  WriteStore(3, /*schema_version=*/8);
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open();
  ASSERT_TRUE(store.ok()) << store.status();
  StatementQuery query;
  absl::StatusOr<StatementPage> page = (*store)->ListStatements(query);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->statements.size(), 3u);
  EXPECT_EQ((*store)->HeadSequence(), 3);
  NewExtraction extraction;
  extraction.document.set_text("ECOWAS condemned the coup.");
  extraction.document.set_event("events/niger-coup-2023");
  extraction.drafts.emplace_back().draft.mutable_statement()->set_actor("actors/ecowas");
  absl::StatusOr<RecordedExtraction> recorded = (*store)->RecordExtraction(extraction);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  ASSERT_EQ(recorded->drafts.size(), 1u);
  EXPECT_TRUE((*store)->GetDraft(recorded->drafts[0].name()).ok());
  store->reset();
  std::unique_ptr<Connection> raw = RawConnection();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(SchemaVersion(*raw).value_or(-1), kLatestSchemaVersion);
}

TEST_F(SqliteStoreTest, MigrateCreatesAnEmptyFileAtTheRequestedVersion) {
  std::unique_ptr<Connection> raw = RawConnection();
  EXPECT_EQ(SchemaVersion(*raw).value_or(-1), 0);
  ASSERT_TRUE(Migrate(*raw, 1).ok());
  EXPECT_EQ(SchemaVersion(*raw).value_or(-1), 1);
  ASSERT_TRUE(Migrate(*raw, 2).ok());
  EXPECT_EQ(SchemaVersion(*raw).value_or(-1), 2);
  ASSERT_TRUE(Migrate(*raw, 3).ok());
  EXPECT_EQ(SchemaVersion(*raw).value_or(-1), 3);
  ASSERT_TRUE(Migrate(*raw, kLatestSchemaVersion).ok());
  EXPECT_EQ(SchemaVersion(*raw).value_or(-1), kLatestSchemaVersion);
  EXPECT_EQ(Migrate(*raw, kLatestSchemaVersion + 1).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, FileFromANewerVersionIsRefusedNamingBothVersions) {
  WriteStore(1);
  ASSERT_TRUE(RawConnection()->Execute("UPDATE schema_version SET version = 99").ok());
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open();
  ASSERT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(store.status().message());
  EXPECT_THAT(message, HasSubstr(DatabasePath()));
  EXPECT_THAT(message, HasSubstr("99"));
  EXPECT_THAT(message, HasSubstr(absl::StrCat(kLatestSchemaVersion)));
}

TEST_F(SqliteStoreTest, GarbageFileIsRefusedWithDataLossNamingTheFile) {
  {
    std::ofstream out(DatabasePath(), std::ios::binary);
    for (int i = 0; i < 1000; ++i) out << "not a database, just some text ";
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open();
  ASSERT_EQ(store.status().code(), absl::StatusCode::kDataLoss) << store.status();
  EXPECT_THAT(std::string(store.status().message()), HasSubstr(DatabasePath()));
}

TEST_F(SqliteStoreTest, TruncatedFileIsRefusedWithDataLossNamingTheFile) {
  WriteStore(400);
  const auto size = std::filesystem::file_size(DatabasePath());
  ASSERT_GT(size, 64u * 1024u);
  ASSERT_FALSE(std::filesystem::exists(DatabasePath() + "-wal"))
      << "closing the last connection checkpoints the log into the file";
  std::filesystem::resize_file(DatabasePath(), size / 2);
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open();
  ASSERT_EQ(store.status().code(), absl::StatusCode::kDataLoss) << store.status();
  EXPECT_THAT(std::string(store.status().message()), HasSubstr(DatabasePath()));
}

TEST_F(SqliteStoreTest, DamagedPageIsRefusedWithDataLoss) {
  WriteStore(400);
  {
    std::fstream file(DatabasePath(), std::ios::binary | std::ios::in | std::ios::out);
    // Overwrite the b-tree page headers of pages 2 to 9 (page size 4096).
    const std::string junk(16, '\x5a');
    for (int page = 1; page < 9; ++page) {
      file.seekp(page * 4096);
      file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open();
  ASSERT_EQ(store.status().code(), absl::StatusCode::kDataLoss) << store.status();
  EXPECT_THAT(std::string(store.status().message()), HasSubstr(DatabasePath()));
}

TEST_F(SqliteStoreTest, FileIsInWalModeAndReadsProceedWhileTheWriteLockIsHeld) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open();
  ASSERT_TRUE(store.ok()) << store.status();
  SeedNigerRollCall(**store);
  EXPECT_TRUE(std::filesystem::exists(DatabasePath() + "-wal"));
  std::unique_ptr<Connection> raw = RawConnection();
  absl::StatusOr<Statement> mode = raw->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok() && *mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");

  // Another connection holds the write lock: readers are not blocked.
  ASSERT_TRUE(raw->Execute("BEGIN IMMEDIATE").ok());
  EXPECT_TRUE((*store)->GetActor("actors/niger").ok());
  EXPECT_TRUE((*store)->ListActors(ActorQuery()).ok());
  ASSERT_TRUE(raw->Execute("ROLLBACK").ok());
}

TEST_F(SqliteStoreTest, StatementNamesAreValidResourceIds) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = Open();
  ASSERT_TRUE(store.ok());
  SeedNigerRollCall(**store);
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<v1::Statement> created = (*store)->CreateStatement(
        Request(MakeStatement("actors/niger", "events/niger-coup-2023")));
    ASSERT_TRUE(created.ok());
    EXPECT_TRUE(ParseName(created->name(), kStatementsCollection, "name").ok())
        << created->name();
  }
}

// Group commit: writes that arrive while a commit is in progress are
// committed together, in one transaction, when it ends; a failing write in
// the group is undone alone.
TEST_F(SqliteStoreTest, WritesQueuedBehindACommitAreCommittedTogetherFailuresAlone) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> opened = Open();
  ASSERT_TRUE(opened.ok()) << opened.status();
  SqliteStore& store = **opened;
  SeedNigerRollCall(store);
  absl::StatusOr<v1::Statement> first =
      store.CreateStatement(Request(MakeStatement("actors/niger", "events/niger-coup-2023")));
  ASSERT_TRUE(first.ok()) << first.status();
  absl::Mutex mu;
  std::vector<int64_t> heads;
  store.SetCommitListener([&](int64_t head) {
    absl::MutexLock lock(&mu);
    heads.push_back(head);
  });

  // A correction whose mutation holds the writer until released.
  absl::Notification in_commit;
  absl::Notification release;
  std::thread holder([&] {
    absl::StatusOr<v1::Statement> updated =
        store.UpdateStatement(first->name(), [&](v1::Statement& statement) {
          in_commit.Notify();
          release.WaitForNotification();
          statement.set_summary("held");
          return absl::OkStatus();
        });
    EXPECT_TRUE(updated.ok()) << updated.status();
  });
  in_commit.WaitForNotification();

  constexpr int kWriters = 12;
  constexpr int kFailing = 5;  // refers to an actor that does not exist
  std::vector<absl::StatusOr<v1::Statement>> results(
      kWriters, absl::UnknownError("not run"));
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      v1::Statement statement = MakeStatement(
          i == kFailing ? "actors/nobody" : "actors/ecowas", "events/niger-coup-2023");
      statement.set_quote(absl::StrCat("Queued statement number w", i, "x."));
      results[i] = store.CreateStatement(Request(statement));
    });
  }
  while (store.QueuedWrites() < kWriters) absl::SleepFor(absl::Milliseconds(1));
  release.Notify();
  holder.join();
  for (std::thread& writer : writers) writer.join();

  {
    absl::MutexLock lock(&mu);
    EXPECT_THAT(heads, ElementsAre(2, 2 + kWriters - 1))
        << "one commit for the held write, one for the whole queue";
  }
  std::set<int64_t> sequences;
  for (int i = 0; i < kWriters; ++i) {
    if (i == kFailing) {
      EXPECT_EQ(results[i].status().code(), absl::StatusCode::kFailedPrecondition);
      continue;
    }
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status();
    sequences.insert(results[i]->sequence());
    absl::StatusOr<v1::Statement> stored = store.GetStatement(results[i]->name());
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(stored->SerializeAsString(), results[i]->SerializeAsString());
    // The full-text index holds the committed writes of the group...
    StatementQuery query;
    query.filter.texts = {absl::StrCat("w", i, "x")};
    absl::StatusOr<StatementPage> found = store.ListStatements(query);
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_EQ(found->statements.size(), 1u) << i;
    EXPECT_EQ(found->statements[0].name(), results[i]->name());
  }
  EXPECT_EQ(sequences.size(), static_cast<size_t>(kWriters - 1));
  EXPECT_EQ(*sequences.begin(), 3);
  EXPECT_EQ(*sequences.rbegin(), 2 + kWriters - 1) << "gap-free despite the failure";
  // ...and nothing of the failed one.
  StatementQuery query;
  query.filter.texts = {absl::StrCat("w", kFailing, "x")};
  absl::StatusOr<StatementPage> found = store.ListStatements(query);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->statements.empty());
  EXPECT_EQ(store.HeadSequence(), 2 + kWriters - 1);
}

// The store, not a trigger, keeps the full-text index in step (schema v8),
// once per group: after concurrent creates and corrections of the same
// statements, some in one group, FTS5's own check finds the index equal to
// the rows.
TEST_F(SqliteStoreTest, FullTextIndexMatchesTheRowsAfterConcurrentCorrections) {
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> opened = Open();
    ASSERT_TRUE(opened.ok()) << opened.status();
    SqliteStore& store = **opened;
    SeedNigerRollCall(store);
    std::vector<std::thread> writers;
    for (int t = 0; t < 8; ++t) {
      writers.emplace_back([&, t] {
        for (int i = 0; i < 10; ++i) {
          v1::Statement statement = MakeStatement("actors/ecowas", "events/niger-coup-2023");
          statement.set_quote(absl::StrCat("Writer t", t, " first words ", i));
          absl::StatusOr<v1::Statement> created = store.CreateStatement(Request(statement));
          ASSERT_TRUE(created.ok()) << created.status();
          for (int n = 0; n < 2; ++n) {
            ASSERT_TRUE(store
                            .UpdateStatement(created->name(),
                                             [&](v1::Statement& s) {
                                               s.set_quote(absl::StrCat("Corrected t", t,
                                                                        " ", i, " ", n));
                                               s.set_summary(n == 0 ? "" : "summary");
                                               return absl::OkStatus();
                                             })
                            .ok());
          }
        }
      });
    }
    for (std::thread& writer : writers) writer.join();
    StatementQuery query;
    query.filter.texts = {"first"};
    EXPECT_TRUE(store.ListStatements(query)->statements.empty());
    query.filter.texts = {"corrected"};
    query.page_size = 1000;
    EXPECT_EQ(store.ListStatements(query)->statements.size(), 80u);
  }
  std::unique_ptr<Connection> raw = RawConnection();
  EXPECT_TRUE(
      raw->Execute("INSERT INTO statement_text (statement_text, rank) "
                   "VALUES ('integrity-check', 1)")
          .ok());
}

// An index built in runs (CreateIndexesInRuns: a page cache far smaller
// than what is sorted, so SQLite's sorter merges several sorted runs) holds
// every row, in order; SQLite's integrity check agrees; and the
// connection's page cache is set as asked afterwards.
TEST_F(SqliteStoreTest, IndexesBuiltInRunsHoldEveryRowInOrder) {
  absl::StatusOr<std::unique_ptr<Connection>> opened =
      Connection::Open(DatabasePath(), /*read_only=*/false);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Connection& db = **opened;
  constexpr int kRows = 200000;  // about 12 MB of keys: three runs or more
  ASSERT_TRUE(db.Execute("CREATE TABLE t (k TEXT NOT NULL, v INTEGER NOT NULL)").ok());
  ASSERT_TRUE(db.Execute(absl::StrCat("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                                      "SELECT i + 1 FROM n WHERE i < ", kRows, ") "
                                      "INSERT INTO t SELECT hex(randomblob(24)), i FROM n"))
                  .ok());
  absl::Status built = CreateIndexesInRuns(
      db, {"CREATE INDEX t_by_k ON t (k, v)", "CREATE INDEX t_by_v ON t (v)"}, 8192);
  ASSERT_TRUE(built.ok()) << built;

  absl::StatusOr<Statement> check = db.Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  ASSERT_TRUE(check->Step().value_or(false));
  EXPECT_EQ(check->ColumnText(0), "ok");
  absl::StatusOr<Statement> cache = db.Prepare("PRAGMA cache_size");
  ASSERT_TRUE(cache.ok());
  ASSERT_TRUE(cache->Step().value_or(false));
  EXPECT_EQ(cache->ColumnInt(0), -8192);

  absl::StatusOr<Statement> walk = db.Prepare("SELECT k FROM t INDEXED BY t_by_k ORDER BY k");
  ASSERT_TRUE(walk.ok());
  int rows = 0;
  std::string previous;
  while (walk->Step().value_or(false)) {
    std::string key(walk->ColumnText(0));
    ASSERT_LE(previous, key) << "row " << rows;
    previous = std::move(key);
    ++rows;
  }
  EXPECT_EQ(rows, kRows);
}

TEST(SqliteErrorTest, ResultCodesMapToCanonicalCodes) {
  EXPECT_EQ(SqliteError(SQLITE_FULL, "f.db", "commit", "full").code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(SqliteError(SQLITE_CORRUPT, "f.db", "read", "bad").code(),
            absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(SqliteError(SQLITE_NOTADB, "f.db", "read", "x").message()),
              HasSubstr("f.db"));
  EXPECT_EQ(SqliteError(SQLITE_BUSY, "f.db", "begin", "busy").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(SqliteError(SQLITE_IOERR_FSYNC, "f.db", "commit", "io").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(SqliteError(SQLITE_CONSTRAINT_PRIMARYKEY, "f.db", "insert", "pk").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(SqliteError(SQLITE_CONSTRAINT_NOTNULL, "f.db", "insert", "null").code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace rollcall::testing
