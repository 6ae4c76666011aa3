#include "client/cli/output.h"

#include <sstream>

#include "gtest/gtest.h"

namespace rollcall::cli {
namespace {

TEST(TruncateTest, KeepsShortTextAndFlattensNewlines) {
  EXPECT_EQ(Truncate("We condemn\nthe coup.", 60), "We condemn the coup.");
}

TEST(TruncateTest, CutsBetweenCharactersAndAddsAnEllipsis) {
  // 2-byte (é) and Arabic code points around the cut.
  EXPECT_EQ(Truncate("libération immédiate", 5), "libé\u2026");
  const std::string arabic = "نحن ندين الانقلاب";
  const std::string cut = Truncate(arabic, 4);
  EXPECT_EQ(DisplayWidth(cut), 4u);
  EXPECT_EQ(cut, "نحن\u2026");
}

TEST(DisplayWidthTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(DisplayWidth("CEDEAO"), 6u);
  EXPECT_EQ(DisplayWidth("Union européenne"), 16u);
}

TEST(TableTest, AlignsColumnsByCharacters) {
  Table table({"NAME", "QUOTE"});
  table.AddRow({"é", "a"});
  table.AddRow({"ab", "b"});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(), "NAME  QUOTE\né     a\nab    b\n");
}

TEST(FieldViewTest, AlignsValuesAndSkipsEmptyOnes) {
  FieldView view;
  view.Add("name", "actors/ecowas");
  view.Add("country", "");
  view.Add("aliases", "CEDEAO");
  std::ostringstream out;
  view.Print(out);
  EXPECT_EQ(out.str(), "name:    actors/ecowas\naliases: CEDEAO\n");
}

}  // namespace
}  // namespace rollcall::cli
