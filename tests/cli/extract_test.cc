// Black-box tests of `rollcall extract` and `rollcall drafts` against a
// real rollcalld: files, stdin and HTML, RSS feeds, bad feeds, and the
// list/get/accept/reject round trip.

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/drafts_fixture.h"
#include "tests/support/temp_dir.h"

namespace rollcall::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

std::set<std::string> Actors(const std::vector<v1::Draft>& drafts) {
  std::set<std::string> actors;
  for (const v1::Draft& draft : drafts) actors.insert(draft.statement().actor());
  return actors;
}

std::set<std::string> Documents(const std::vector<v1::Draft>& drafts) {
  std::set<std::string> documents;
  for (const v1::Draft& draft : drafts) {
    for (const v1::DraftEvidence& evidence : draft.evidence()) {
      documents.insert(evidence.document());
    }
  }
  return documents;
}

class ExtractTest : public DraftsCliTest {};

TEST_F(ExtractTest, TextFileGivesPendingDraftsWithEvidenceAsJson) {
  const std::string path = dir_.File("ecowas.txt");
  ASSERT_TRUE(WriteFile(path, kEcowasAuArticle));
  const std::vector<v1::Draft> drafts = ParseDrafts(
      RollcallOk({"extract", path, "--event", "niger-coup-2023", "--url",
                  "https://news.example/ecowas", "--publisher", "AFP", "--published",
                  "2023-07-27T08:00:00Z", "--medium", "wire", "--output", "json"}));
  ASSERT_THAT(drafts, Not(IsEmpty()));
  EXPECT_THAT(Actors(drafts), Contains("actors/ecowas"));
  for (const v1::Draft& draft : drafts) {
    EXPECT_THAT(draft.name(), HasSubstr("drafts/"));
    EXPECT_EQ(draft.state(), v1::DRAFT_STATE_PENDING);
    EXPECT_EQ(draft.statement().event(), "events/niger-coup-2023");
    ASSERT_THAT(draft.evidence(), SizeIs(1));
    ASSERT_THAT(draft.evidence(0).sentences(), Not(IsEmpty()));
    // Evidence quotes the article verbatim.
    EXPECT_THAT(std::string(kEcowasAuArticle),
                HasSubstr(draft.evidence(0).sentences(0).text()));
    ASSERT_THAT(draft.statement().sources(), SizeIs(1));
    EXPECT_EQ(draft.statement().sources(0).url(), "https://news.example/ecowas");
  }
  // They are recorded: drafts list shows them, statements list does not.
  EXPECT_THAT(ListDrafts({"--event", "niger-coup-2023"}), SizeIs(drafts.size()));
  EXPECT_THAT(ListStatements({}), IsEmpty());
}

TEST_F(ExtractTest, TableNamesTheDocumentAndEachDraftsActor) {
  const std::string path = dir_.File("ecowas.txt");
  ASSERT_TRUE(WriteFile(path, kEcowasAuArticle));
  const std::string table =
      RollcallOk({"extract", path, "--event", "niger-coup-2023", "--title", "Coup"});
  EXPECT_THAT(table, HasSubstr("documents/"));
  EXPECT_THAT(table, HasSubstr("\"Coup\""));
  for (const char* column : {"ACTOR", "STANCE", "ACTIONS", "SPEAKER", "CONF",
                             "DUPLICATE OF", "QUOTE", "ecowas"}) {
    EXPECT_THAT(table, HasSubstr(column));
  }
}

TEST_F(ExtractTest, HtmlFileIsSentAsHtmlAndItsScriptIsNotRead) {
  const std::string path = dir_.File("au.html");
  ASSERT_TRUE(WriteFile(path, kAuPage));
  const std::vector<v1::Draft> drafts = ParseDrafts(
      RollcallOk({"extract", path, "--event", "niger-coup-2023", "--output", "json"}));
  ASSERT_THAT(drafts, Not(IsEmpty()));
  EXPECT_THAT(Actors(drafts), Contains("actors/african-union"));
  for (const v1::Draft& draft : drafts) {
    for (const v1::TextSpan& sentence : draft.evidence(0).sentences()) {
      EXPECT_THAT(sentence.text(), Not(HasSubstr("<")));
      EXPECT_THAT(sentence.text(), Not(HasSubstr("nothing to read")));
    }
  }
}

TEST_F(ExtractTest, StdinDryRunRecordsNothing) {
  CommandResult result = Rollcall(
      {"extract", "-", "--event", "niger-coup-2023", "--dry-run", "--output", "json"},
      kRussiaUnArticle);
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  const std::vector<v1::Draft> drafts = ParseDrafts(result.stdout_text);
  ASSERT_THAT(drafts, Not(IsEmpty()));
  EXPECT_THAT(Actors(drafts), Contains("actors/russia"));
  for (const v1::Draft& draft : drafts) EXPECT_EQ(draft.name(), "");
  EXPECT_THAT(ListDrafts(), IsEmpty());
}

TEST_F(ExtractTest, RssFeedFileExtractsEachItem) {
  const std::string path = dir_.File("wire.rss");
  ASSERT_TRUE(WriteFile(
      path, RssFeed({{"a", "https://news.example/a", "ECOWAS", kEcowasAuArticle},
                     {"b", "https://news.example/b", "Russia", kRussiaUnArticle}})));
  const std::string table = RollcallOk({"extract", path, "--event", "niger-coup-2023"});
  EXPECT_THAT(table, HasSubstr("https://news.example/a"));
  EXPECT_THAT(table, HasSubstr("https://news.example/b"));
  const std::vector<v1::Draft> drafts = ListDrafts();
  EXPECT_THAT(Documents(drafts), SizeIs(2));
  EXPECT_THAT(Actors(drafts), Contains("actors/ecowas"));
  EXPECT_THAT(Actors(drafts), Contains("actors/russia"));
  for (const v1::Draft& draft : drafts) {
    ASSERT_THAT(draft.statement().sources(), SizeIs(1));
    EXPECT_EQ(draft.statement().sources(0).publisher(), "Sahel Wire");
  }
}

TEST_F(ExtractTest, FeedThatIsNotXmlIsAClearError) {
  const std::string path = dir_.File("broken.rss");
  ASSERT_TRUE(WriteFile(path, "<html><body>Service unavailable</body>"));
  CommandResult result = Rollcall({"extract", path, "--event", "niger-coup-2023"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.stderr_text,
              HasSubstr("broken.rss: the feed is not well-formed XML"));
  EXPECT_THAT(Lines(result.stderr_text), SizeIs(1));
  EXPECT_EQ(result.stdout_text, "");
  EXPECT_THAT(ListDrafts(), IsEmpty());
}

TEST_F(ExtractTest, UnreadableSourceAndUnknownEvent) {
  CommandResult missing =
      Rollcall({"extract", dir_.File("nope.txt"), "--event", "niger-coup-2023"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.stderr_text, HasSubstr("cannot read"));
  const std::string path = dir_.File("ecowas.txt");
  ASSERT_TRUE(WriteFile(path, kEcowasAuArticle));
  CommandResult unknown = Rollcall({"extract", path, "--event", "no-such-event"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.stderr_text, HasSubstr("NOT_FOUND"));
  CommandResult bad_flag = Rollcall(
      {"extract", path, "--event", "niger-coup-2023", "--published", "last week"});
  EXPECT_EQ(bad_flag.exit_code, 2);
  EXPECT_THAT(bad_flag.stderr_text, HasSubstr("--published"));
}

TEST_F(ExtractTest, DraftsListGetAcceptRejectRoundTrip) {
  const std::string path = dir_.File("ecowas.txt");
  ASSERT_TRUE(WriteFile(path, kEcowasAuArticle));
  RollcallOk({"extract", path, "--event", "niger-coup-2023", "--published", "2023-07-27",
              "--url", "https://news.example/ecowas"});
  std::vector<v1::Draft> pending = ListDrafts({"--state", "pending"});
  ASSERT_THAT(pending, SizeIs(::testing::Ge(2u)));
  const v1::Draft& first = pending[0];
  const v1::Draft& second = pending[1];
  const std::string first_id = first.name().substr(first.name().find('/') + 1);

  // get takes a short id and prints the draft as list does.
  const std::vector<v1::Draft> got =
      ParseDrafts(RollcallOk({"drafts", "get", first_id, "--output", "json"}));
  ASSERT_THAT(got, SizeIs(1));
  EXPECT_EQ(got[0].SerializeAsString(), first.SerializeAsString());
  EXPECT_THAT(RollcallOk({"drafts", "get", first_id}), HasSubstr("from documents/"));

  // accept with a correction: the statement is recorded with it.
  const v1::Statement accepted =
      ParseStatement(RollcallOk({"drafts", "accept", first_id, "--actor", "ecowas",
                                 "--stance", "criticises", "--output", "json"}));
  EXPECT_EQ(accepted.actor(), "actors/ecowas");
  EXPECT_EQ(accepted.stance(), v1::STANCE_CRITICISES);
  const std::vector<v1::Statement> statements = ListStatements({});
  ASSERT_THAT(statements, SizeIs(1));
  EXPECT_EQ(statements[0].name(), accepted.name());
  // The statement JSON is exactly what statements get prints.
  EXPECT_EQ(
      Lines(RollcallOk({"drafts", "accept", first_id, "--output", "json"})),
      Lines(RollcallOk({"statements", "get", accepted.name(), "--output", "json"})));
  const v1::Draft now_accepted =
      ParseDrafts(RollcallOk({"drafts", "get", first.name(), "--output", "json"}))[0];
  EXPECT_EQ(now_accepted.state(), v1::DRAFT_STATE_ACCEPTED);
  EXPECT_EQ(now_accepted.statement_name(), accepted.name());

  // reject needs a reason; a rejected draft cannot be accepted.
  EXPECT_EQ(Rollcall({"drafts", "reject", second.name()}).exit_code, 2);
  const std::vector<v1::Draft> rejected =
      ParseDrafts(RollcallOk({"drafts", "reject", second.name(), "--reason",
                              "not a reaction", "--output", "json"}));
  ASSERT_THAT(rejected, SizeIs(1));
  EXPECT_EQ(rejected[0].state(), v1::DRAFT_STATE_REJECTED);
  EXPECT_EQ(rejected[0].reject_reason(), "not a reaction");
  CommandResult refused = Rollcall({"drafts", "accept", second.name()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.stderr_text, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(ListDrafts({"--state", "rejected"}), SizeIs(1));
  EXPECT_THAT(ListDrafts({"--state", "accepted", "--actor", "ecowas"}), SizeIs(1));
  EXPECT_THAT(ListStatements({}), SizeIs(1));

  CommandResult bad_state = Rollcall({"drafts", "list", "--state", "maybe"});
  EXPECT_EQ(bad_state.exit_code, 2);
  CommandResult missing = Rollcall({"drafts", "get", "no-such-draft"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.stderr_text, HasSubstr("NOT_FOUND"));
}

}  // namespace
}  // namespace rollcall::testing
