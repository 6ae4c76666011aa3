// Property: ListStatements (the SQL translation of a filter) returns exactly
// the statements for which the in-memory Matches is true, in order. Keeps
// the stores and the subscription matcher in agreement.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "gtest/gtest.h"
#include "server/common/time_util.h"
#include "server/filter/statement_filter.h"
#include "server/text/text_search.h"
#include "tests/store/store_test_support.h"

namespace rollcall::testing {
namespace {

constexpr int kStatements = 300;
constexpr int kFilters = 200;
constexpr int kPageSize = 7;

const std::vector<std::string> kEvents = {
    "events/niger-coup-2023", "events/gabon-coup-2023", "events/sudan-war-2023"};
const std::vector<std::string> kWords = {
    "Release", "bazoum", "DIALOGUE", "sanctions", "calm",    "Constitutional",
    "order",   "junta",  "Condamné", "État",      "الانقلاب"};
const std::vector<std::pair<std::string, std::string>> kLabels = {{"source", "afp"},
                                                                  {"source", "reuters"},
                                                                  {"lang", "fr"},
                                                                  {"lang", "en"},
                                                                  {"desk", "x"}};

template <typename T>
const T& Pick(absl::BitGen& bits, const std::vector<T>& values) {
  return values[absl::Uniform<size_t>(bits, 0, values.size())];
}

template <typename T>
std::vector<T> PickSome(absl::BitGen& bits, const std::vector<T>& values) {
  std::vector<T> out;
  const int n = absl::Uniform(absl::IntervalClosed, bits, 1, 3);
  for (int i = 0; i < n; ++i) out.push_back(Pick(bits, values));
  return out;
}

template <typename Enum>
std::vector<Enum> EnumRange(int first, int last) {
  std::vector<Enum> out;
  for (int i = first; i <= last; ++i) out.push_back(static_cast<Enum>(i));
  return out;
}

std::string Words(absl::BitGen& bits) {
  std::string out;
  for (int i = absl::Uniform(bits, 0, 4); i > 0; --i) {
    absl::StrAppend(&out, out.empty() ? "" : " ", Pick(bits, kWords));
  }
  return out;
}

class StatementFilterPropertyTest : public StoreTestBase {
 protected:
  void SeedActors() {
    SeedNigerRollCall(store());
    for (const std::string& event : kEvents) {
      if (event != "events/niger-coup-2023") {
        ASSERT_TRUE(store().CreateEvent(MakeEvent(event.substr(7))).ok());
      }
    }
    ASSERT_TRUE(
        store().CreateActor(MakeActor("junta", v1::ACTOR_KIND_ARMED_FORCES)).ok());
    v1::Actor mali = MakeActor("mali", v1::ACTOR_KIND_STATE, {"actors/ecowas"});
    *mali.mutable_member_of(0)->mutable_end_time() =
        ToTimestamp(absl::Now() - absl::Hours(1));
    ASSERT_TRUE(store().CreateActor(mali).ok());
    ActorQuery all;
    all.page_size = 100;
    absl::StatusOr<ActorPage> page = store().ListActors(all);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Actor& actor : page->actors) {
      actors_.push_back(actor.name());
      kinds_[actor.name()] = actor.kind();
    }
    for (const char* bloc : {"actors/ecowas", "actors/african-union"}) {
      ActorQuery members;
      members.filter.member_of = {bloc};
      absl::StatusOr<ActorPage> member_page = store().ListActors(members);
      ASSERT_TRUE(member_page.ok()) << member_page.status();
      for (const v1::Actor& actor : member_page->actors) {
        memberships_.insert({actor.name(), bloc});
      }
    }
    ASSERT_EQ(memberships_.count({"actors/mali", "actors/ecowas"}), 0u);
  }

  v1::Statement RandomStatement(absl::BitGen& bits) {
    v1::Statement s = MakeStatement(
        Pick(bits, actors_), Pick(bits, kEvents),
        absl::FromUnixSeconds(1690000000 + 3600 * absl::Uniform(bits, 0, 40)));
    s.set_stance(
        static_cast<v1::Stance>(absl::Uniform(absl::IntervalClosed, bits, 1, 5)));
    s.set_modality(
        static_cast<v1::Modality>(absl::Uniform(absl::IntervalClosed, bits, 0, 4)));
    for (int i = absl::Uniform(bits, 0, 3); i > 0; --i) {
      s.add_actions()->set_kind(
          static_cast<v1::ActionKind>(absl::Uniform(absl::IntervalClosed, bits, 1, 17)));
    }
    s.set_quote(Words(bits));
    s.set_summary(Words(bits));
    for (int i = absl::Uniform(bits, 0, 3); i > 0; --i) {
      const auto& [key, value] = Pick(bits, kLabels);
      (*s.mutable_labels())[key] = value;
    }
    return s;
  }

  StatementQuery RandomQuery(absl::BitGen& bits) {
    StatementQuery q;
    StatementFilter& f = q.filter;
    auto maybe = [&]() { return absl::Bernoulli(bits, 0.25); };
    if (maybe()) f.events = PickSome(bits, kEvents);
    if (maybe()) f.actors = PickSome(bits, actors_);
    if (maybe())
      f.blocs = PickSome(
          bits, std::vector<std::string>{"actors/ecowas", "actors/african-union"});
    if (maybe()) f.actor_kinds = PickSome(bits, EnumRange<v1::ActorKind>(1, 8));
    if (maybe()) f.stances = PickSome(bits, EnumRange<v1::Stance>(1, 5));
    if (maybe()) f.actions = PickSome(bits, EnumRange<v1::ActionKind>(1, 17));
    if (maybe()) f.modalities = PickSome(bits, EnumRange<v1::Modality>(1, 4));
    if (maybe()) f.states = PickSome(bits, EnumRange<v1::StatementState>(1, 2));
    if (maybe()) {
      f.issue_time_min_micros = absl::ToUnixMicros(
          absl::FromUnixSeconds(1690000000 + 3600 * absl::Uniform(bits, 0, 40)));
    }
    if (maybe()) {
      f.issue_time_max_micros = absl::ToUnixMicros(
          absl::FromUnixSeconds(1690000000 + 3600 * absl::Uniform(bits, 0, 40)));
    }
    if (maybe()) {
      // Terms as the parser leaves them: a word, a two-word phrase, or a
      // prefix ("rel*"), in the index's tokens.
      for (const std::string& word : PickSome(bits, kWords)) {
        std::string term = word;
        const int form = absl::Uniform(bits, 0, 3);
        if (form == 1) absl::StrAppend(&term, " ", Pick(bits, kWords));
        if (form == 2) term = absl::StrCat(word.substr(0, 3), "*");
        absl::StatusOr<SearchPhrase> phrase = ParseSearchPhrase(term);
        if (phrase.ok()) f.texts.push_back(phrase->ToString());
      }
    }
    if (maybe()) f.labels = PickSome(bits, kLabels);
    q.include_retracted = absl::Bernoulli(bits, 0.5);
    q.descending = absl::Bernoulli(bits, 0.5);
    q.page_size = kPageSize;
    return q;
  }

  ActorFacts Facts() const {
    ActorFacts facts;
    facts.kind_of = [this](absl::string_view actor) {
      auto it = kinds_.find(std::string(actor));
      return it == kinds_.end() ? v1::ACTOR_KIND_UNSPECIFIED : it->second;
    };
    facts.is_member = [this](absl::string_view actor, absl::string_view bloc) {
      return memberships_.count({std::string(actor), std::string(bloc)}) > 0;
    };
    return facts;
  }

  std::vector<std::string> Expected(const StatementQuery& q,
                                    const std::vector<v1::Statement>& all) const {
    std::vector<std::pair<int64_t, std::string>> keys;
    const ActorFacts facts = Facts();
    for (const v1::Statement& s : all) {
      if (q.filter.states.empty() && !q.include_retracted &&
          s.state() != v1::STATEMENT_STATE_ACTIVE) {
        continue;
      }
      if (Matches(q.filter, s, facts))
        keys.push_back({ToUnixMicros(s.issue_time()), s.name()});
    }
    std::sort(keys.begin(), keys.end());
    if (q.descending) std::reverse(keys.begin(), keys.end());
    std::vector<std::string> names;
    for (const auto& key : keys) names.push_back(key.second);
    return names;
  }

  std::vector<std::string> Listed(StatementQuery q) {
    std::vector<std::string> names;
    for (int pages = 0; pages < 1000; ++pages) {
      absl::StatusOr<StatementPage> page = store().ListStatements(q);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_LE(page->statements.size(), static_cast<size_t>(kPageSize));
      for (const v1::Statement& s : page->statements) names.push_back(s.name());
      if (!page->next.has_value()) break;
      q.after = page->next;
    }
    return names;
  }

  std::vector<std::string> actors_;
  std::map<std::string, v1::ActorKind> kinds_;
  std::set<std::pair<std::string, std::string>> memberships_;
};

TEST_P(StatementFilterPropertyTest, ListStatementsReturnsExactlyWhatMatchesAccepts) {
  SeedActors();
  absl::BitGen bits;
  std::vector<v1::Statement> all;
  for (int i = 0; i < kStatements; ++i) {
    absl::StatusOr<v1::Statement> created =
        store().CreateStatement(Request(RandomStatement(bits)));
    ASSERT_TRUE(created.ok()) << created.status();
    if (absl::Bernoulli(bits, 0.1)) {
      created = store().UpdateStatement(created->name(), [](v1::Statement& s) {
        s.set_state(v1::STATEMENT_STATE_RETRACTED);
        return absl::OkStatus();
      });
      ASSERT_TRUE(created.ok()) << created.status();
    }
    all.push_back(*created);
  }
  int non_empty = 0;
  for (int i = 0; i < kFilters; ++i) {
    const StatementQuery query = RandomQuery(bits);
    const std::vector<std::string> expected = Expected(query, all);
    if (!expected.empty()) ++non_empty;
    ASSERT_EQ(Listed(query), expected) << "filter: " << query.filter.Canonical()
                                       << " include_retracted=" << query.include_retracted
                                       << " descending=" << query.descending;
  }
  EXPECT_GT(non_empty, kFilters / 4) << "the random filters should not all be empty";
}

INSTANTIATE_TEST_SUITE_P(Stores, StatementFilterPropertyTest, ::testing::ValuesIn(AllStoreFactories()),
                         FactoryName);

}  // namespace
}  // namespace rollcall::testing
