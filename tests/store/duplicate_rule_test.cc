// The duplicate rule's arithmetic: QuoteWords against a plain set-based
// Jaccard index, its size bound, and MostSimilarQuote's choice (the store
// suites check the rule end to end on both stores).

#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/store/duplicate_statement.h"
#include "server/text/quote_similarity.h"
#include "server/text/text_search.h"

namespace rollcall {
namespace {

double ReferenceJaccard(const std::vector<std::string>& a,
                        const std::vector<std::string>& b) {
  const std::set<std::string> sa(a.begin(), a.end());
  const std::set<std::string> sb(b.begin(), b.end());
  if (sa.empty() || sb.empty()) return 0;
  size_t common = 0;
  for (const std::string& word : sa) common += sb.count(word);
  return static_cast<double>(common) /
         static_cast<double>(sa.size() + sb.size() - common);
}

std::vector<std::string> RandomWords(std::mt19937& random, int vocabulary) {
  std::vector<std::string> words(random() % 40);
  for (std::string& word : words) word = absl::StrCat("w", random() % vocabulary);
  return words;
}

TEST(QuoteWordsTest, SimilarityIsTheJaccardIndexOfTheDistinctWords) {
  std::mt19937 random(7);
  for (int i = 0; i < 5000; ++i) {
    // A small vocabulary makes repeated words and large overlaps common.
    const int vocabulary = 1 + static_cast<int>(random() % 60);
    const std::vector<std::string> a = RandomWords(random, vocabulary);
    const std::vector<std::string> b = RandomWords(random, vocabulary);
    const QuoteWords wa(a);
    const QuoteWords wb(b);
    const double expected = ReferenceJaccard(a, b);
    ASSERT_EQ(wa.SimilarityTo(wb), expected) << "case " << i;
    ASSERT_EQ(wb.SimilarityTo(wa), expected) << "case " << i;
    ASSERT_EQ(QuoteSimilarity(a, b), expected) << "case " << i;
    // The size bound never rules out a pair that reaches the threshold.
    for (double threshold : {0.5, 0.8, 0.9, 1.0}) {
      if (expected >= threshold) {
        ASSERT_TRUE(wa.MayReach(wb, threshold)) << "case " << i << " at " << threshold;
      }
    }
  }
}

TEST(QuoteWordsTest, SizeBoundHoldsExactlyAtTheThreshold) {
  // Eight of ten words in common, nothing else: 8 / 10, the threshold.
  std::vector<std::string> ten;
  for (int i = 0; i < 10; ++i) ten.push_back(absl::StrCat("w", i));
  const std::vector<std::string> eight(ten.begin(), ten.begin() + 8);
  const QuoteWords a(ten);
  const QuoteWords b(eight);
  EXPECT_TRUE(a.MayReach(b, kNearIdenticalQuoteSimilarity));
  EXPECT_GE(a.SimilarityTo(b), kNearIdenticalQuoteSimilarity);
  // Seven of ten cannot reach it, whatever the words.
  const QuoteWords c(std::vector<std::string>(ten.begin(), ten.begin() + 7));
  EXPECT_FALSE(a.MayReach(c, kNearIdenticalQuoteSimilarity));
}

TEST(QuoteWordsTest, RepeatedWordsCountOnceAndNoWordsIsNeverSimilar) {
  const QuoteWords repeated({"coup", "coup", "niger", "coup"});
  const QuoteWords once({"niger", "coup"});
  EXPECT_EQ(repeated.size(), 2u);
  EXPECT_EQ(repeated.SimilarityTo(once), 1.0);
  const QuoteWords none({});
  EXPECT_EQ(none.SimilarityTo(once), 0.0);
  EXPECT_EQ(once.SimilarityTo(none), 0.0);
}

TEST(MostSimilarQuoteTest, PicksTheMostSimilarCandidateAndTheFirstOnATie) {
  const std::string quote =
      "We condemn the unconstitutional change of government in Niger and call for "
      "the release of President Bazoum";
  const std::vector<DuplicateCandidate> candidates = {
      {"statements/unrelated", "Nous condamnons le coup d'Etat"},
      {"statements/reworded",
       "We condemn the unconstitutional change of government in Niger, and call for "
       "the immediate release of President Bazoum."},
      {"statements/same",
       "we condemn the unconstitutional change of government in niger "
       "and call for the release of president bazoum"},
      {"statements/same-again",
       "WE CONDEMN the unconstitutional change of government in "
       "Niger and call for the release of President Bazoum!"},
  };
  const std::optional<NearDuplicate> best = MostSimilarQuote(quote, candidates);
  ASSERT_TRUE(best.has_value());
  EXPECT_EQ(best->name, "statements/same");
  EXPECT_EQ(best->similarity, 1.0);
  // The same again (the candidates' words now come from the cache).
  const std::optional<NearDuplicate> again = MostSimilarQuote(quote, candidates);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->name, "statements/same");
}

TEST(MostSimilarQuoteTest, AgreesWithTheReferenceOverManyCandidates) {
  // More candidates than the words cache keeps in one generation, compared
  // twice, so that some come from the cache, some from its older
  // generation and some are tokenized again.
  std::mt19937 random(11);
  std::vector<DuplicateCandidate> candidates;
  for (int i = 0; i < 6000; ++i) {
    std::string text;
    for (int w = 0; w < 12; ++w) absl::StrAppend(&text, " word", random() % 200);
    candidates.push_back({absl::StrCat("statements/s", i), text});
  }
  int near_identical = 0;
  for (int round = 0; round < 2; ++round) {
    for (int q = 0; q < 20; ++q) {
      // A candidate's quote with up to four words appended: near-identical
      // to it (and perhaps to others), or not.
      std::string quote = candidates[random() % candidates.size()].quote;
      for (int extra = static_cast<int>(random() % 5); extra > 0; --extra) {
        absl::StrAppend(&quote, " other", random() % 1000);
      }
      std::optional<NearDuplicate> expected;
      const std::vector<std::string> tokens = SearchTokens(quote);
      for (const DuplicateCandidate& candidate : candidates) {
        const double similarity = ReferenceJaccard(tokens, SearchTokens(candidate.quote));
        if (similarity >= kNearIdenticalQuoteSimilarity &&
            (!expected.has_value() || similarity > expected->similarity)) {
          expected = NearDuplicate{candidate.name, similarity};
        }
      }
      const std::optional<NearDuplicate> found = MostSimilarQuote(quote, candidates);
      ASSERT_EQ(found.has_value(), expected.has_value()) << quote;
      near_identical += found.has_value() ? 1 : 0;
      if (found.has_value()) {
        EXPECT_EQ(found->name, expected->name);
        EXPECT_EQ(found->similarity, expected->similarity);
      }
    }
  }
  // Both outcomes were exercised.
  EXPECT_GT(near_identical, 0);
  EXPECT_LT(near_identical, 40);
}

}  // namespace
}  // namespace rollcall
