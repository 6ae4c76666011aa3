// Every StatementFilter field and the keyset pagination of ListStatements,
// run against every Store implementation.

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/time_util.h"
#include "server/text/text_search.h"
#include "tests/store/store_test_support.h"

namespace rollcall::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

absl::Time Day(int day) { return absl::FromUnixSeconds(1690329600 + day * 86400); }

class StoreFilterTest : public StoreTestBase {
 protected:
  void SetUp() override {
    StoreTestBase::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    SeedNigerRollCall(store());
    ASSERT_TRUE(store().CreateEvent(MakeEvent("gabon-coup-2023")).ok());
  }

  // Creates a statement whose summary is `tag`, after `adjust`.
  std::string Add(const std::string& tag, const std::string& actor, int day,
                  const std::function<void(v1::Statement&)>& adjust = nullptr) {
    v1::Statement statement = MakeStatement(actor, "events/niger-coup-2023", Day(day));
    statement.set_summary(tag);
    if (adjust) adjust(statement);
    absl::StatusOr<v1::Statement> created = store().CreateStatement(Request(statement));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->name() : "";
  }

  // The summaries (tags) of every statement the query lists, paging through.
  std::vector<std::string> Tags(StatementQuery query) {
    std::vector<std::string> tags;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<StatementPage> page = store().ListStatements(query);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const v1::Statement& s : page->statements) tags.push_back(s.summary());
      if (!page->next.has_value()) break;
      query.after = page->next;
    }
    return tags;
  }
  std::vector<std::string> Tags(const StatementFilter& filter) {
    StatementQuery query;
    query.filter = filter;
    return Tags(query);
  }
};

TEST_P(StoreFilterTest, EventsAndActorsFilterByName) {
  Add("ecowas", "actors/ecowas", 1);
  Add("france", "actors/france", 2);
  Add("gabon", "actors/france", 3,
      [](v1::Statement& s) { s.set_event("events/gabon-coup-2023"); });
  StatementFilter filter;
  filter.events = {"events/gabon-coup-2023"};
  EXPECT_THAT(Tags(filter), ElementsAre("gabon"));
  filter = StatementFilter();
  filter.actors = {"actors/ecowas", "actors/france"};
  EXPECT_THAT(Tags(filter), ElementsAre("ecowas", "france", "gabon"));
  filter.events = {"events/niger-coup-2023"};
  EXPECT_THAT(Tags(filter), ElementsAre("ecowas", "france"));
}

TEST_P(StoreFilterTest, BlocsIncludeTheBlocAndItsCurrentMembersOnly) {
  Add("ecowas", "actors/ecowas", 1);
  Add("niger", "actors/niger", 2);
  Add("benin", "actors/benin", 3);
  Add("france", "actors/france", 4);
  StatementFilter filter;
  filter.blocs = {"actors/ecowas"};
  EXPECT_THAT(Tags(filter), ElementsAre("ecowas", "niger", "benin"));
  ASSERT_TRUE(store()
                  .UpdateActor("actors/benin",
                               [](v1::Actor& a) {
                                 *a.mutable_member_of(0)->mutable_end_time() =
                                     ToTimestamp(absl::Now() - absl::Hours(24));
                                 return absl::OkStatus();
                               })
                  .ok());
  EXPECT_THAT(Tags(filter), ElementsAre("ecowas", "niger")) << "benin left ecowas";
  filter.blocs = {"actors/african-union"};
  EXPECT_THAT(Tags(filter), ElementsAre("niger"));
}

TEST_P(StoreFilterTest, ActorKindsFollowActorUpdates) {
  Add("ecowas", "actors/ecowas", 1);
  Add("niger", "actors/niger", 2);
  StatementFilter filter;
  filter.actor_kinds = {v1::ACTOR_KIND_REGIONAL_BLOC};
  EXPECT_THAT(Tags(filter), ElementsAre("ecowas"));
  ASSERT_TRUE(store()
                  .UpdateActor("actors/niger",
                               [](v1::Actor& a) {
                                 a.set_kind(v1::ACTOR_KIND_REGIONAL_BLOC);
                                 return absl::OkStatus();
                               })
                  .ok());
  EXPECT_THAT(Tags(filter), ElementsAre("ecowas", "niger"));
}

TEST_P(StoreFilterTest, StancesActionsAndModalitiesFilterByValue) {
  Add("condemns", "actors/ecowas", 1);
  Add("sanctions", "actors/ecowas", 2, [](v1::Statement& s) {
    s.set_stance(v1::STANCE_CONCERNED);
    s.add_actions()->set_kind(v1::ACTION_KIND_CONDEMN);
    s.add_actions()->set_kind(v1::ACTION_KIND_IMPOSE_SANCTIONS);
    s.set_modality(v1::MODALITY_FUTURE);
  });
  Add("dialogue", "actors/ecowas", 3, [](v1::Statement& s) {
    s.set_stance(v1::STANCE_NEUTRAL);
    s.add_actions()->set_kind(v1::ACTION_KIND_CALL_FOR_DIALOGUE);
    s.set_modality(v1::MODALITY_ASSERTED);
  });
  StatementFilter filter;
  filter.stances = {v1::STANCE_CONDEMNS, v1::STANCE_NEUTRAL};
  EXPECT_THAT(Tags(filter), ElementsAre("condemns", "dialogue"));
  filter = StatementFilter();
  filter.actions = {v1::ACTION_KIND_IMPOSE_SANCTIONS, v1::ACTION_KIND_CALL_FOR_DIALOGUE};
  EXPECT_THAT(Tags(filter), ElementsAre("sanctions", "dialogue"));
  filter.actions = {v1::ACTION_KIND_ULTIMATUM};
  EXPECT_TRUE(Tags(filter).empty());
  filter = StatementFilter();
  filter.modalities = {v1::MODALITY_ASSERTED};
  EXPECT_THAT(Tags(filter), ElementsAre("condemns", "dialogue"))
      << "an unspecified modality counts as asserted";
  filter.modalities = {v1::MODALITY_FUTURE};
  EXPECT_THAT(Tags(filter), ElementsAre("sanctions"));
}

TEST_P(StoreFilterTest, RetractedStatementsAreListedOnlyWhenAsked) {
  Add("active", "actors/ecowas", 1);
  const std::string retracted = Add("retracted", "actors/ecowas", 2);
  ASSERT_TRUE(store()
                  .UpdateStatement(retracted,
                                   [](v1::Statement& s) {
                                     s.set_state(v1::STATEMENT_STATE_RETRACTED);
                                     return absl::OkStatus();
                                   })
                  .ok());
  StatementQuery query;
  EXPECT_THAT(Tags(query), ElementsAre("active"));
  query.include_retracted = true;
  EXPECT_THAT(Tags(query), ElementsAre("active", "retracted"));
  query = StatementQuery();
  query.filter.states = {v1::STATEMENT_STATE_RETRACTED};
  EXPECT_THAT(Tags(query), ElementsAre("retracted"));
}

TEST_P(StoreFilterTest, IssueTimeRangeIncludesMinAndExcludesMax) {
  Add("day1", "actors/ecowas", 1);
  Add("day2", "actors/ecowas", 2);
  Add("day3", "actors/ecowas", 3);
  StatementFilter filter;
  filter.issue_time_min_micros = absl::ToUnixMicros(Day(2));
  EXPECT_THAT(Tags(filter), ElementsAre("day2", "day3"));
  filter.issue_time_max_micros = absl::ToUnixMicros(Day(3));
  EXPECT_THAT(Tags(filter), ElementsAre("day2"));
}

TEST_P(StoreFilterTest, TextTermsMustAllOccurInQuoteOrSummaryIgnoringCase) {
  Add("release", "actors/ecowas", 1,
      [](v1::Statement& s) { s.set_quote("We DEMAND the Release of President Bazoum"); });
  Add("dialogue", "actors/ecowas", 2,
      [](v1::Statement& s) { s.set_quote("Nous appelons au dialogue"); });
  StatementFilter filter;
  filter.texts = {"release", "bazoum"};
  EXPECT_THAT(Tags(filter), ElementsAre("release"));
  filter.texts = {"dialogue"};  // in a quote and in a summary (the tag)
  EXPECT_THAT(Tags(filter), ElementsAre("dialogue"));
  filter.texts = {"release", "dialogue"};
  EXPECT_TRUE(Tags(filter).empty());
  filter.texts = {"release or dialogue"};
  EXPECT_TRUE(Tags(filter).empty()) << "a term is a phrase, not a query";
  filter.texts = {"demand the release"};
  EXPECT_THAT(Tags(filter), ElementsAre("release"));
  filter.texts = {"demand release"};
  EXPECT_TRUE(Tags(filter).empty()) << "a phrase's words must be consecutive";
  filter.texts = {"rele"};
  EXPECT_TRUE(Tags(filter).empty()) << "words, not substrings";
  filter.texts = {"rele*"};
  EXPECT_THAT(Tags(filter), ElementsAre("release"));
}

TEST_P(StoreFilterTest, TextSearchKeepsFrenchAndArabicWordsAndFoldsAccents) {
  Add("fr", "actors/ecowas", 1, [](v1::Statement& s) {
    s.set_quote("La CEDEAO condamne fermement la tentative de coup d'État.");
  });
  Add("ar", "actors/ecowas", 2,
      [](v1::Statement& s) { s.set_quote("أدان الاتحاد الأفريقي الانقلاب في النيجر"); });
  auto tags_for = [&](absl::string_view term) {
    StatementFilter filter;
    filter.texts = {ParseSearchPhrase(term).value().ToString()};
    return Tags(filter);
  };
  EXPECT_THAT(tags_for("État"), ElementsAre("fr"));
  EXPECT_THAT(tags_for("etat"), ElementsAre("fr"));
  EXPECT_THAT(tags_for("CONDAMNE fermement"), ElementsAre("fr"));
  EXPECT_THAT(tags_for("condamn*"), ElementsAre("fr"));
  EXPECT_THAT(tags_for("الانقلاب"), ElementsAre("ar"));
  EXPECT_THAT(tags_for("الانقلاب في النيجر"), ElementsAre("ar"));
  EXPECT_TRUE(tags_for("النيجر الانقلاب").empty());
}

TEST_P(StoreFilterTest, LabelsMustAllMatchIncludingUnusualKeys) {
  Add("both", "actors/ecowas", 1, [](v1::Statement& s) {
    (*s.mutable_labels())["source"] = "afp";
    (*s.mutable_labels())["odd\"key"] = "x'); DROP TABLE statements; --";
  });
  Add("one", "actors/ecowas", 2,
      [](v1::Statement& s) { (*s.mutable_labels())["source"] = "afp"; });
  StatementFilter filter;
  filter.labels = {{"source", "afp"}};
  EXPECT_THAT(Tags(filter), ElementsAre("both", "one"));
  filter.labels.push_back({"odd\"key", "x'); DROP TABLE statements; --"});
  EXPECT_THAT(Tags(filter), ElementsAre("both"));
  filter.labels = {{"source", "reuters"}};
  EXPECT_TRUE(Tags(filter).empty());
}

TEST_P(StoreFilterTest, PagesCoverEveryStatementOnceInBothOrders) {
  std::vector<std::string> ascending;
  for (int i = 0; i < 23; ++i) {
    // Several statements share an issue time, so ties are broken by name.
    Add(absl::StrCat("s", i), "actors/ecowas", i / 4);
  }
  for (bool descending : {false, true}) {
    StatementQuery query;
    query.descending = descending;
    query.page_size = 5;
    std::vector<std::string> names;
    std::vector<int64_t> times;
    int pages = 0;
    while (true) {
      absl::StatusOr<StatementPage> page = store().ListStatements(query);
      ASSERT_TRUE(page.ok()) << page.status();
      ++pages;
      EXPECT_LE(page->statements.size(), 5u);
      for (const v1::Statement& s : page->statements) {
        names.push_back(s.name());
        times.push_back(ToUnixMicros(s.issue_time()));
      }
      if (!page->next.has_value()) break;
      query.after = page->next;
    }
    EXPECT_EQ(pages, 5);
    ASSERT_EQ(names.size(), 23u);
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 23u)
        << "no duplicates";
    for (size_t i = 1; i < names.size(); ++i) {
      const auto previous = std::make_pair(times[i - 1], names[i - 1]);
      const auto current = std::make_pair(times[i], names[i]);
      if (descending) {
        EXPECT_GT(previous, current);
      } else {
        EXPECT_LT(previous, current);
      }
    }
  }
}

// A word in more statements than the store's "common word" threshold is
// listed by walking the issue-time index (sqlite_statements.cc): the same
// statements, in the same order, page after page, as any other plan.
TEST_P(StoreFilterTest, ACommonWordListsEveryMatchInOrderAcrossPages) {
  std::vector<NewStatement> requests;
  std::set<std::string> expected;
  for (int i = 0; i < 700; ++i) {
    v1::Statement statement =
        MakeStatement(i % 3 == 0 ? "actors/niger" : "actors/ecowas", "events/niger-coup-2023",
                      Day(i % 40));
    const bool common = i % 7 != 0;
    statement.set_summary(absl::StrCat(common ? "sanctions announced " : "talks held ", i));
    requests.push_back(Request(statement));
    if (common) expected.insert(statement.summary());
  }
  ASSERT_TRUE(store().CreateStatements(requests).ok());
  for (bool descending : {false, true}) {
    StatementQuery query;
    query.filter.texts = {"sanctions"};
    query.descending = descending;
    query.page_size = 45;
    std::vector<std::pair<int64_t, std::string>> keys;
    std::set<std::string> seen;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<StatementPage> page = store().ListStatements(query);
      ASSERT_TRUE(page.ok()) << page.status();
      for (const v1::Statement& s : page->statements) {
        keys.emplace_back(ToUnixMicros(s.issue_time()), s.name());
        EXPECT_TRUE(seen.insert(s.summary()).second) << "listed twice: " << s.summary();
      }
      if (!page->next.has_value()) break;
      query.after = page->next;
    }
    EXPECT_EQ(seen, expected);
    for (size_t i = 1; i < keys.size(); ++i) {
      EXPECT_TRUE(descending ? keys[i - 1] > keys[i] : keys[i - 1] < keys[i]) << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreFilterTest, ::testing::ValuesIn(AllStoreFactories()),
                         FactoryName);

}  // namespace
}  // namespace rollcall::testing
