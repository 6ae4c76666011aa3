// A property of the statement filter parser: the canonical text does not
// depend on how a filter is spelled or ordered.

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "server/filter/statement_filter.h"

namespace rollcall {
namespace {

StatementFilter MustParse(absl::string_view text) {
  absl::StatusOr<StatementFilter> filter = ParseStatementFilter(text, "filter");
  EXPECT_TRUE(filter.ok()) << text << ": " << filter.status();
  return filter.ok() ? *filter : StatementFilter{};
}

// A random restriction group in two spellings: the values in one order and
// in another, with keywords and enum values in random case.
struct Group {
  std::vector<std::string> first;
  std::vector<std::string> second;
  bool alternatives = true;
};

class RandomFilters {
 public:
  explicit RandomFilters(uint32_t seed) : random_(seed) {}

  // Returns the filter's groups, each on a different field.
  std::vector<Group> Next() {
    std::vector<Group> groups;
    const std::vector<std::string> fields = {"event",  "actor",  "bloc",
                                             "stance", "action", "modality",
                                             "text",   "labels", "issue_time"};
    for (const std::string& field : fields) {
      if (Uniform(3) == 0) continue;
      Group group;
      group.alternatives = field != "text" && field != "labels" && field != "issue_time";
      const int count = 1 + Uniform(3);
      for (int i = 0; i < count; ++i) {
        group.first.push_back(RandomRestriction(field));
      }
      group.second = group.first;
      std::shuffle(group.second.begin(), group.second.end(), random_);
      groups.push_back(std::move(group));
    }
    return groups;
  }

  // Joins the groups' spellings into a filter, groups in the given order.
  std::string Text(const std::vector<Group>& groups, bool second) {
    std::vector<std::string> terms;
    for (const Group& group : groups) {
      const std::vector<std::string>& values = second ? group.second : group.first;
      if (!group.alternatives) {
        for (const std::string& value : values) terms.push_back(value);
        continue;
      }
      std::string joined = absl::StrJoin(values, Pick({" OR ", " or "}));
      terms.push_back(Uniform(2) == 0 ? joined : absl::StrCat("(", joined, ")"));
    }
    if (second) std::shuffle(terms.begin(), terms.end(), random_);
    return absl::StrJoin(terms, Pick({" AND ", " and ", " And "}));
  }

  int Uniform(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }

 private:
  std::string Pick(const std::vector<std::string>& choices) {
    return choices[Uniform(static_cast<int>(choices.size()))];
  }

  std::string RandomRestriction(const std::string& field) {
    if (field == "event" || field == "actor" || field == "bloc") {
      std::string id = Pick({"ecowas", "african-union", "niger-coup-2023"});
      std::string value =
          Uniform(2) == 0
              ? id
              : absl::StrCat("\"", field == "event" ? "events/" : "actors/", id, "\"");
      return absl::StrCat(field, " = ", value);
    }
    if (field == "stance" || field == "action" || field == "modality") {
      std::string value =
          field == "stance" ? Pick({"condemns", "STANCE_SUPPORTS", "Neutral"})
          : field == "action"
              ? Pick({"demand_release", "ULTIMATUM", "action_kind_close_borders"})
              : Pick({"asserted", "FUTURE", "Negated"});
      return absl::StrCat(field, " = ", value);
    }
    if (field == "text") {
      return Pick({"\"Release\"", "text : \"junta\"", "text = \"say \\\"no\\\"\""});
    }
    if (field == "labels") {
      return absl::StrCat("labels.", Pick({"a", "source_batch", "k-1"}), " = \"",
                          Pick({"afp", "x y", ""}), "\"");
    }
    return absl::StrCat("issue_time ", Pick({">=", ">", "<", "<=", "="}), " \"2023-07-",
                        10 + Uniform(20), "\"");
  }

  std::mt19937 random_;
};

TEST(StatementFilterTest, CanonicalOfReorderedRandomFiltersIsEqual) {
  RandomFilters random(20230726);
  for (int i = 0; i < 500; ++i) {
    std::vector<Group> groups = random.Next();
    const std::string text = random.Text(groups, /*second=*/false);
    const std::string reordered = random.Text(groups, /*second=*/true);
    StatementFilter filter = MustParse(text);
    EXPECT_EQ(filter.Canonical(), MustParse(reordered).Canonical())
        << text << "\nreordered: " << reordered;
    EXPECT_EQ(filter.Empty(), groups.empty()) << text;
    if (groups.empty()) continue;
    // Dropping a group must change the canonical text, or the property
    // above would hold trivially.
    groups.erase(groups.begin() + random.Uniform(static_cast<int>(groups.size())));
    EXPECT_NE(filter.Canonical(),
              MustParse(random.Text(groups, /*second=*/false)).Canonical())
        << text;
  }
}

}  // namespace
}  // namespace rollcall
