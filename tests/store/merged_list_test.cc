// Lists by event alone and by issue time alone (applied file format 2): the
// statements table has no index by (event, issue time) nor by (stance,
// issue time), so a list by event merges one ordered range per (event,
// stance, state), and one by stance walks the time index
// (server/store/sqlite_list.h). Each list, in either
// order and across pages of every size, must return exactly the matching
// statements in (issue time, name) order, as a sort of them all would.

#include <algorithm>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/time_util.h"
#include "server/store/applied_file.h"
#include "server/store/sqlite_db.h"
#include "server/store/sqlite_store.h"
#include "tests/store/store_test_support.h"

namespace rollcall::testing {
namespace {

constexpr char kNiger[] = "events/niger-coup-2023";
constexpr char kGabon[] = "events/gabon-coup-2023";

class MergedListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteStoreOptions options;
    options.path = dir_.File("rollcall.db");
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    SeedNigerRollCall(*store_);
    ASSERT_TRUE(store_->CreateEvent(MakeEvent("gabon-coup-2023")).ok());
    // Three statements share each issue time (ties broken by name), every
    // stance (unspecified included) on both events, every seventh
    // retracted.
    for (int i = 0; i < 90; ++i) {
      v1::Statement statement =
          MakeStatement(i % 4 == 0 ? "actors/ecowas" : "actors/niger", i % 3 ? kNiger : kGabon,
                        absl::FromUnixSeconds(1690372800) + absl::Hours((i * 37) % 30));
      statement.set_stance(static_cast<v1::Stance>(i % 6));
      statement.set_quote(absl::StrCat("Statement number w", i, "z."));
      absl::StatusOr<v1::Statement> created = store_->CreateStatement(Request(statement));
      ASSERT_TRUE(created.ok()) << created.status();
      if (i % 7 == 3) {
        created = store_->UpdateStatement(created->name(), [](v1::Statement& s) {
          s.set_state(v1::STATEMENT_STATE_RETRACTED);
          return absl::OkStatus();
        });
        ASSERT_TRUE(created.ok()) << created.status();
      }
      all_.push_back(*created);
    }
  }

  // Every page of `query` at `page_size`, followed by its cursors.
  std::vector<std::string> ListAll(StatementQuery query, int page_size) {
    query.page_size = page_size;
    std::vector<std::string> names;
    for (int pages = 0; pages < 200; ++pages) {
      absl::StatusOr<StatementPage> page = store_->ListStatements(query);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_LE(page->statements.size(), static_cast<size_t>(page_size));
      for (const v1::Statement& s : page->statements) names.push_back(s.name());
      if (!page->next.has_value()) break;
      query.after = page->next;
    }
    return names;
  }

  // The statements `matches` accepts, sorted as the list orders them.
  std::vector<std::string> Expected(const std::function<bool(const v1::Statement&)>& matches,
                                    bool descending) {
    std::vector<const v1::Statement*> found;
    for (const v1::Statement& s : all_) {
      if (matches(s)) found.push_back(&s);
    }
    std::sort(found.begin(), found.end(), [](const v1::Statement* a, const v1::Statement* b) {
      return std::make_tuple(ToUnixMicros(a->issue_time()), a->name()) <
             std::make_tuple(ToUnixMicros(b->issue_time()), b->name());
    });
    if (descending) std::reverse(found.begin(), found.end());
    std::vector<std::string> names;
    for (const v1::Statement* s : found) names.push_back(s->name());
    return names;
  }

  // Checks `query` in both orders at several page sizes against `matches`.
  void CheckList(const StatementQuery& query,
                 const std::function<bool(const v1::Statement&)>& matches) {
    for (bool descending : {false, true}) {
      const std::vector<std::string> expected = Expected(matches, descending);
      ASSERT_FALSE(expected.empty());
      for (int page_size : {1, 4, 7, 50, 1000}) {
        SCOPED_TRACE(absl::StrCat(descending ? "descending" : "ascending", ", pages of ",
                                  page_size));
        StatementQuery ordered = query;
        ordered.descending = descending;
        EXPECT_EQ(ListAll(ordered, page_size), expected);
      }
    }
  }

  static bool Active(const v1::Statement& s) {
    return s.state() == v1::STATEMENT_STATE_ACTIVE;
  }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
  std::vector<v1::Statement> all_;
};

TEST_F(MergedListTest, ListByTimeAloneOrByStanceWalksTheTimeIndex) {
  CheckList(StatementQuery{}, Active);
  StatementQuery retracted_too;
  retracted_too.include_retracted = true;
  CheckList(retracted_too, [](const v1::Statement&) { return true; });
  StatementQuery window;
  window.filter.issue_time_min_micros = ToUnixMicros(absl::FromUnixSeconds(1690372800) +
                                                     absl::Hours(4));
  window.filter.issue_time_max_micros = ToUnixMicros(absl::FromUnixSeconds(1690372800) +
                                                     absl::Hours(21));
  CheckList(window, [&window](const v1::Statement& s) {
    const int64_t t = ToUnixMicros(s.issue_time());
    return Active(s) && t >= *window.filter.issue_time_min_micros &&
           t < *window.filter.issue_time_max_micros;
  });
  StatementQuery stances;
  stances.filter.stances = {v1::STANCE_SUPPORTS, v1::STANCE_CONDEMNS};
  CheckList(stances, [](const v1::Statement& s) {
    return Active(s) &&
           (s.stance() == v1::STANCE_SUPPORTS || s.stance() == v1::STANCE_CONDEMNS);
  });
  StatementQuery bloc;
  bloc.filter.blocs = {"actors/ecowas"};
  CheckList(bloc, [](const v1::Statement& s) { return Active(s); });
}

TEST_F(MergedListTest, ListByEventAloneMergesEveryStanceAndState) {
  StatementQuery niger;
  niger.filter.events = {kNiger};
  CheckList(niger, [](const v1::Statement& s) { return Active(s) && s.event() == kNiger; });
  StatementQuery retracted_too = niger;
  retracted_too.include_retracted = true;
  CheckList(retracted_too, [](const v1::Statement& s) { return s.event() == kNiger; });
  StatementQuery retracted_only = niger;
  retracted_only.filter.states = {v1::STATEMENT_STATE_RETRACTED};
  CheckList(retracted_only, [](const v1::Statement& s) {
    return s.event() == kNiger && s.state() == v1::STATEMENT_STATE_RETRACTED;
  });
  StatementQuery both;
  both.filter.events = {kGabon, kNiger, kGabon};
  CheckList(both, Active);
  StatementQuery concerned;
  concerned.filter.events = {kGabon};
  concerned.filter.stances = {v1::STANCE_CONCERNED, v1::STANCE_UNSPECIFIED};
  CheckList(concerned, [](const v1::Statement& s) {
    return Active(s) && s.event() == kGabon &&
           (s.stance() == v1::STANCE_CONCERNED || s.stance() == v1::STANCE_UNSPECIFIED);
  });
  StatementQuery words = niger;
  words.filter.texts = {"statement"};
  CheckList(words, [](const v1::Statement& s) { return Active(s) && s.event() == kNiger; });
}

TEST_F(MergedListTest, ListOfAnEventWithoutStatementsIsEmpty) {
  ASSERT_TRUE(store_->CreateEvent(MakeEvent("quiet-2024")).ok());
  StatementQuery quiet;
  quiet.filter.events = {"events/quiet-2024"};
  absl::StatusOr<StatementPage> page = store_->ListStatements(quiet);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(page->statements.empty());
  EXPECT_FALSE(page->next.has_value());
}

// An applied file of format 1 (five secondary indexes, FTS5 column sizes)
// is rebuilt in today's format at the next open, and serves the same lists.
TEST(AppliedFileFormatTest, FormatOneAppliedFileIsRebuiltWithoutTheDroppedIndexes) {
  TempDir dir;
  SqliteStoreOptions options;
  options.path = dir.File("rollcall.db");
  std::vector<std::string> names;
  {
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    SeedNigerRollCall(**store);
    for (int i = 0; i < 12; ++i) {
      v1::Statement statement = MakeStatement("actors/ecowas", kNiger);
      statement.set_quote(absl::StrCat("Format test f", i, "z."));
      absl::StatusOr<v1::Statement> created = (*store)->CreateStatement(Request(statement));
      ASSERT_TRUE(created.ok()) << created.status();
      names.push_back(created->name());
    }
  }
  {
    // What format 1 had beside today's structures.
    absl::StatusOr<std::unique_ptr<Connection>> raw =
        Connection::Open(dir.File("rollcall-applied.db"), /*read_only=*/false);
    ASSERT_TRUE(raw.ok()) << raw.status();
    ASSERT_TRUE((*raw)
                    ->Execute("CREATE INDEX statements_by_stance_time ON statements "
                              "(stance, issue_time_micros); "
                              "CREATE INDEX statements_by_event_time ON statements "
                              "(event, issue_time_micros, name); "
                              "PRAGMA user_version = 1")
                    .ok());
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<std::unique_ptr<Connection>> raw =
      Connection::Open(dir.File("rollcall-applied.db"), /*read_only=*/true);
  ASSERT_TRUE(raw.ok()) << raw.status();
  absl::StatusOr<Statement> indexes = (*raw)->Prepare(
      "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE "
      "type = 'index' AND tbl_name = 'statements' AND sql IS NOT NULL ORDER BY name)");
  ASSERT_TRUE(indexes.ok()) << indexes.status();
  ASSERT_TRUE(indexes->Step().value_or(false));
  EXPECT_EQ(indexes->ColumnText(0),
            "statements_by_actor_time statements_by_event_stance_time "
            "statements_by_time");
  absl::StatusOr<Statement> format = (*raw)->Prepare("PRAGMA user_version");
  ASSERT_TRUE(format.ok() && format->Step().value_or(false));
  EXPECT_EQ(format->ColumnInt(0), kAppliedFileFormat);
  EXPECT_THAT(NamesMatching(**store), ::testing::UnorderedElementsAreArray(names));
  EXPECT_THAT(NamesMatching(**store, "f7z"), ::testing::ElementsAre(names[7]));
}

}  // namespace
}  // namespace rollcall::testing
