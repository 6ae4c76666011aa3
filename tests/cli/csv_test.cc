#include "client/cli/csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rollcall::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(CsvTest, QuotesOnlyCellsThatNeedIt) {
  EXPECT_EQ(CsvRow({"plain", "a,b", "say \"hi\"", "two\nlines", "", "é"}),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,é\r\n");
}

TEST(CsvTest, ReadsBackWhatItWrites) {
  const std::vector<std::string> cells = {"a,b", "say \"hi\"", "two\r\nlines", "", "نعم"};
  const std::string text = CsvRow({"h1", "h2", "h3", "h4", "h5"}) + CsvRow(cells);
  CsvReader reader(text);
  CsvRecord record;
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(record.line, 1);
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_TRUE(record.status.ok()) << record.status;
  EXPECT_EQ(record.line, 2);
  EXPECT_EQ(record.cells, cells);
  EXPECT_FALSE(reader.Next(&record));
}

TEST(CsvTest, ReportsAMalformedRowAndGoesOnAtTheNextLine) {
  CsvReader reader(
      "\xEF\xBB\xBF"
      "a,b\nx\"y,z\n\n1,\"2\"3\n4,\"5\n6\"\n7,\"never closed\n");
  CsvRecord record;
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_THAT(record.cells, ElementsAre("a", "b"));
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(record.line, 2);
  EXPECT_FALSE(record.status.ok());
  EXPECT_THAT(record.cells, IsEmpty());
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(record.line, 4);
  EXPECT_FALSE(record.status.ok());
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(record.line, 5);
  EXPECT_THAT(record.cells, ElementsAre("4", "5\n6"));
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(record.line, 7);
  EXPECT_FALSE(record.status.ok());
  EXPECT_FALSE(reader.Next(&record));
}

TEST(CsvTest, ListsEscapeTheirSeparator) {
  EXPECT_EQ(JoinList({"a;b", "c\\d", ""}, ';'), "a\\;b;c\\\\d;");
  EXPECT_THAT(SplitList("a\\;b;c\\\\d;", ';'), ElementsAre("a;b", "c\\d", ""));
  EXPECT_THAT(SplitList("", ';'), IsEmpty());
}

}  // namespace
}  // namespace rollcall::cli
