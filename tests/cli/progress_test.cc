// The progress line (client/cli/progress.h) and how the CLI marks quotes
// and summaries (client/cli/provenance.h): pure parts, no server.

#include "client/cli/progress.h"

#include <sstream>

#include "client/cli/provenance.h"
#include "gtest/gtest.h"

namespace rollcall::cli {
namespace {

TEST(ProgressTest, LineGivesCountRateShareAndTimeLeft) {
  EXPECT_EQ(Progress::Line("importing", "records", 12344, absl::Seconds(2), 0.9, 0.4),
            "importing: 12,344 records, 6,172/s, 90% of the file read, about 3 s left");
  EXPECT_EQ(Progress::Line("importing", "records", 30000, absl::Seconds(100), 1, 0.25),
            "importing: 30,000 records, 300/s, 100% of the file read, "
            "about 5 min 0 s left");
  // Not a file (exports): count and rate only.
  EXPECT_EQ(Progress::Line("exporting", "statements read", 2000, absl::Seconds(1), -1, -1),
            "exporting: 2,000 statements read, 2,000/s");
  // Too early for a rate or a time left.
  EXPECT_EQ(Progress::Line("importing", "records", 1, absl::ZeroDuration(), 0, 0.5),
            "importing: 1 records, 0% of the file read");
  EXPECT_EQ(Progress::Line("importing", "records", 9, absl::Milliseconds(500), 0.1, 0.01),
            "importing: 9 records, 18/s, 10% of the file read");
  EXPECT_EQ(Progress::Line("importing", "records", 9, absl::Seconds(2), 0.1, 0.001),
            "importing: 9 records, 5/s, 10% of the file read");
}

TEST(ProgressTest, DrawsInPlaceAndErasesItself) {
  std::ostringstream out;
  {
    Progress progress("importing", "records", true, out);
    progress.Update(1, 0.5);
    progress.Update(2, 0.6);  // within 100 ms: not drawn
    progress.Clear();
    progress.Update(3, 0.7);  // after a Clear: drawn again
  }  // Finish()ed by the destructor
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("\r\033[K", 0), 0u);
  EXPECT_NE(text.find("importing: 1 records"), std::string::npos);
  EXPECT_EQ(text.find("importing: 2 records"), std::string::npos);
  EXPECT_NE(text.find("importing: 3 records"), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 4), "\r\033[K") << "the line is erased at the end";
}

TEST(ProgressTest, DisabledPrintsNothing) {
  std::ostringstream out;
  Progress progress("importing", "records", false, out);
  progress.Update(1, 0.5);
  progress.Clear();
  progress.Finish();
  EXPECT_EQ(out.str(), "");
}

TEST(ProvenanceTest, QuotesAreQuotedAndSummariesLabelled) {
  EXPECT_EQ(Words("attempted coup d'etat", "ECOWAS condemned it", 60),
            "“attempted coup d'etat”");
  EXPECT_EQ(Words("", "France backs President Bazoum", 60),
            "summary: France backs President Bazoum");
  // Cut inside the marks, so a long quote still closes.
  EXPECT_EQ(Words("We condemn the coup", "", 10), "“We cond…”");
  EXPECT_EQ(StanceWithTarget(v1::STANCE_SUPPORTS, "actors/niger-government"),
            "supports niger-government");
  EXPECT_EQ(StanceWithTarget(v1::STANCE_CONDEMNS, ""), "condemns");

  v1::StatementDigest digest;
  digest.set_excerpt("The same Abuja summit said that if its demands were not met");
  EXPECT_EQ(Words(digest, 80),
            "summary: The same Abuja summit said that if its demands were not met");
  digest.set_excerpt_is_quote(true);
  digest.set_excerpt("attempted coup d'etat");
  EXPECT_EQ(Words(digest, 80), "“attempted coup d'etat”");
}

}  // namespace
}  // namespace rollcall::cli
