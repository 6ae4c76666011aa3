// export --format csv|plover and import of the same, against real servers:
// the Niger data set goes out of one server and into a fresh one.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "client/cli/csv.h"
#include "client/cli/plover_event.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace rollcall::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

const std::string kNigerData =
    std::string(ROLLCALL_SOURCE_DIR) + "/data/niger-coup-2023.jsonl";

// The rows of CSV text, header first.
std::vector<std::vector<std::string>> CsvRows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  cli::CsvReader reader(text);
  cli::CsvRecord record;
  while (reader.Next(&record)) {
    EXPECT_TRUE(record.status.ok()) << record.line << ": " << record.status;
    rows.push_back(record.cells);
  }
  return rows;
}

std::string Cell(const std::vector<std::string>& header,
                 const std::vector<std::string>& row, const std::string& column) {
  auto it = std::find(header.begin(), header.end(), column);
  EXPECT_NE(it, header.end()) << column;
  return it == header.end() ? "" : row[it - header.begin()];
}

// The rows without the server-assigned name column, sorted.
std::vector<std::vector<std::string>> Content(
    std::vector<std::vector<std::string>> rows) {
  EXPECT_FALSE(rows.empty());
  if (rows.empty()) return rows;
  EXPECT_EQ(rows[0][0], "name");
  for (auto& row : rows) row.erase(row.begin());
  std::sort(rows.begin() + 1, rows.end());
  return rows;
}

std::vector<cli::PloverEvent> PloverEvents(const std::string& text) {
  std::vector<cli::PloverEvent> events;
  for (const auto& line : Lines(text)) {
    cli::PloverEvent event;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &event).ok()) << line;
    events.push_back(event);
  }
  return events;
}

// The records without what a fresh server assigns anew: the statement's
// name, and so the id, and the action index (uncoded actions do not
// travel).
std::vector<std::string> PloverContent(std::vector<cli::PloverEvent> events) {
  std::vector<std::string> out;
  for (auto& event : events) {
    event.clear_id();
    event.mutable_rollcall()->clear_statement();
    event.mutable_rollcall()->clear_action_index();
    out.push_back(event.DebugString());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class ExchangeTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (ReadFile(kNigerData).empty()) GTEST_SKIP() << kNigerData << " is missing";
  }

  // A fresh server holding the Niger data set's actors and event only.
  std::unique_ptr<ServerProcess> FreshServerWithNigerActors(const TempDir& dir) {
    auto server = StartExtraServer(dir);
    std::string definitions;
    for (const auto& line : Lines(ReadFile(kNigerData))) {
      if (!absl::StartsWith(line, "{\"statement\"")) definitions += line + "\n";
    }
    WriteFile(dir.File("definitions.jsonl"), definitions);
    RollcallOk({"import", dir.File("definitions.jsonl")}, server.get());
    return server;
  }
};

TEST_F(ExchangeTest, CsvExportOfTheNigerDataSetRoundTripsThroughAFreshServer) {
  RollcallOk({"import", kNigerData});
  const std::string exported = RollcallOk({"export", "--format", "csv"});
  EXPECT_TRUE(IsValidUtf8(exported));
  const auto rows = CsvRows(exported);
  ASSERT_THAT(rows, SizeIs(1 + 21));
  const auto& header = rows[0];
  auto ecowas = std::find_if(rows.begin() + 1, rows.end(), [&](const auto& row) {
    return Cell(header, row, "actor") == "ecowas" &&
           Cell(header, row, "quote") == "attempted coup d'etat";
  });
  ASSERT_NE(ecowas, rows.end());
  EXPECT_EQ(Cell(header, *ecowas, "actor_name"),
            "Economic Community of West African States");
  EXPECT_EQ(Cell(header, *ecowas, "stance"), "condemns");
  EXPECT_EQ(Cell(header, *ecowas, "modality"), "asserted");
  EXPECT_EQ(Cell(header, *ecowas, "issue_time"), "2023-07-26T00:00:00Z");
  EXPECT_EQ(Cell(header, *ecowas, "issue_time_precision"), "day");
  EXPECT_EQ(Cell(header, *ecowas, "actions"), "condemn;demand-release;other");
  EXPECT_EQ(Cell(header, *ecowas, "action_targets"),
            "niger-coup-leaders;niger-coup-leaders;niger-coup-leaders");
  EXPECT_EQ(Cell(header, *ecowas, "labels"),
            "dataset=niger-coup-2023;source_basis=seed-article");
  EXPECT_EQ(Cell(header, *ecowas, "state"), "active");
  EXPECT_EQ(Cell(header, *ecowas, "revision"), "1");

  const std::string file = dir_.File("niger.csv");
  WriteFile(file, exported);
  TempDir other_dir;
  auto other = FreshServerWithNigerActors(other_dir);
  CommandResult imported = Rollcall({"import", file}, "", other.get());
  EXPECT_EQ(imported.exit_code, 0) << imported.stderr_text;
  EXPECT_THAT(imported.stdout_text,
              HasSubstr("21 statements; 0 already present; 0 errors"));
  const std::string again = RollcallOk({"export", "--format", "csv"}, other.get());
  EXPECT_EQ(Content(CsvRows(again)), Content(rows));

  // A second import records nothing twice.
  CommandResult twice = Rollcall({"import", file}, "", other.get());
  EXPECT_THAT(twice.stdout_text, HasSubstr("0 statements; 21 already present"));
  EXPECT_THAT(ListStatements({}, other.get()), SizeIs(21));
}

TEST_F(ExchangeTest, CsvCellsWithCommasQuotesNewlinesAndAnyScriptRoundTrip) {
  CreateNigerFixture();
  const std::string quote = "He said, \"go home\"\nنرفض الانقلاب";
  const std::string summary = "Le Secrétaire général condamne; « fermement », dit-il.";
  RollcallOk({"statements",
              "add",
              "--event",
              "niger-coup-2023",
              "--actor",
              "ecowas",
              "--stance",
              "condemns",
              "--quote",
              quote,
              "--summary",
              summary,
              "--issue-time",
              "2023-07-26T14:30:00Z",
              "--language",
              "ar",
              "--action",
              "demand-release",
              "--target",
              "niger",
              "--source-url",
              "https://example.org/a?x=1,2",
              "--source-publisher",
              "Agence \"X\"",
              "--label",
              "note=a;b=c"});
  const std::string exported = RollcallOk({"export", "--format", "csv"});
  EXPECT_THAT(exported, HasSubstr("\"He said, \"\"go home\"\"\n"));
  const std::string file = dir_.File("hand.csv");
  WriteFile(file, exported);

  TempDir other_dir;
  auto other = StartExtraServer(other_dir);
  RollcallOk({"actors", "add", "ecowas", "--name", "ECOWAS", "--kind", "regional-bloc"},
             other.get());
  RollcallOk({"actors", "add", "niger", "--name", "Niger", "--kind", "state"},
             other.get());
  RollcallOk(
      {"events", "add", "niger-coup-2023", "--title", "Coup", "--start", "2023-07-26"},
      other.get());
  RollcallOk({"import", file}, other.get());
  const auto statements = ListStatements({}, other.get());
  ASSERT_THAT(statements, SizeIs(1));
  EXPECT_EQ(statements[0].quote(), quote);
  EXPECT_EQ(statements[0].summary(), summary);
  ASSERT_THAT(statements[0].sources(), SizeIs(1));
  EXPECT_EQ(statements[0].sources(0).url(), "https://example.org/a?x=1,2");
  EXPECT_EQ(statements[0].sources(0).publisher(), "Agence \"X\"");
  EXPECT_EQ(statements[0].labels().at("note"), "a;b=c");
  ASSERT_THAT(statements[0].actions(), SizeIs(1));
  EXPECT_THAT(statements[0].actions(0).targets(), ElementsAre("actors/niger"));
}

TEST_F(ExchangeTest, MalformedCsvRowsAreReportedWithTheirLineAndTheImportGoesOn) {
  CreateNigerFixture();
  const std::string file = dir_.File("sheet.csv");
  WriteFile(file,
            "event,actor,stance,issue_time,quote\r\n"
            "niger-coup-2023,ecowas,condemns,2023-07-26,\"two\r\nlines\"\r\n"
            "niger-coup-2023,ecowas,furious,2023-07-27,Bad stance.\r\n"
            "niger-coup-2023,ecowas,condemns,2023-07-28,a \"stray\" quote\r\n"
            "niger-coup-2023,ecowas,condemns\r\n"
            "niger-coup-2023,russia,supports,2023-07-29,Last row.\r\n");
  CommandResult result = Rollcall({"import", file});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.stderr_text, HasSubstr(file + ":4: INVALID_ARGUMENT: invalid value "
                                                   "\"furious\" for stance"));
  EXPECT_THAT(result.stderr_text,
              HasSubstr(file + ":5: INVALID_ARGUMENT: malformed CSV"));
  EXPECT_THAT(result.stderr_text,
              HasSubstr(file + ":6: INVALID_ARGUMENT: the row has 3"));
  EXPECT_THAT(Lines(result.stderr_text), SizeIs(3));
  EXPECT_THAT(result.stdout_text, HasSubstr("2 statements; 0 already present; 3 errors"));
  const auto statements = ListStatements({});
  ASSERT_THAT(statements, SizeIs(2));
  EXPECT_EQ(statements[0].quote(), "two\r\nlines");
  EXPECT_EQ(statements[0].issue_time_precision(), v1::TIME_PRECISION_DAY);

  // A header naming an unknown column stops the import at line 1.
  WriteFile(file, "event,actor,quot\nniger-coup-2023,ecowas,x\n");
  result = Rollcall({"import", file});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.stderr_text,
              HasSubstr(file + ":1: INVALID_ARGUMENT: unknown column"));
}

TEST_F(ExchangeTest, PloverExportHasOneRecordPerCodedActionAndRoundTrips) {
  RollcallOk({"import", kNigerData});
  const std::string exported = RollcallOk({"export", "--format", "plover"});
  const auto events = PloverEvents(exported);
  ASSERT_FALSE(events.empty());
  std::vector<cli::PloverEvent> ecowas;
  for (const auto& event : events) {
    if (event.actor().id() == "ecowas" && event.quote() == "attempted coup d'etat") {
      ecowas.push_back(event);
    }
  }
  ASSERT_THAT(ecowas, SizeIs(3));
  const char* types[] = {"ACCUSE", "REQUEST", "THREATEN"};
  const char* cameo[] = {"111", "1053", "130"};
  for (int i = 0; i < 3; ++i) {
    const auto& event = ecowas[i];
    EXPECT_EQ(event.event_type(), types[i]);
    EXPECT_EQ(event.cameo_code(), cameo[i]);
    EXPECT_EQ(event.plover_version(), "2.0");
    EXPECT_EQ(event.cameo_version(), "1.1b3");
    EXPECT_EQ(event.date(), "2023-07-26");
    EXPECT_EQ(event.date_precision(), "day");
    EXPECT_EQ(event.modality(), "asserted");
    EXPECT_EQ(event.actor().cameo(), "IGOWAFWAS");
    ASSERT_THAT(event.recipients(), SizeIs(1));
    EXPECT_EQ(event.recipients(0).id(), "niger-coup-leaders");
    EXPECT_EQ(event.recipients(0).country(), "NER");
    EXPECT_THAT(event.contexts(), ElementsAre("coup"));
    EXPECT_EQ(event.rollcall().action_index(), i);
    EXPECT_EQ(event.rollcall().stance(), "condemns");
    const std::string statement_id = event.rollcall().statement().substr(11);
    EXPECT_EQ(event.id(), statement_id + "-" + std::to_string(i));
  }
  EXPECT_THAT(ecowas[0].modes(), ElementsAre("disapprove"));
  EXPECT_EQ(ecowas[1].rollcall().action(), "demand-release");

  const std::string file = dir_.File("niger.plover.jsonl");
  WriteFile(file, exported);
  TempDir other_dir;
  auto other = FreshServerWithNigerActors(other_dir);
  CommandResult imported = Rollcall({"import", file}, "", other.get());
  EXPECT_EQ(imported.exit_code, 0) << imported.stderr_text;
  const std::string again = RollcallOk({"export", "--format", "plover"}, other.get());
  EXPECT_EQ(PloverContent(PloverEvents(again)), PloverContent(events));
  CommandResult twice = Rollcall({"import", "--format", "plover", file}, "", other.get());
  EXPECT_THAT(twice.stdout_text, HasSubstr(" 0 statements;"));
}

TEST_F(ExchangeTest, BadPloverLinesAreReportedAndAnUnknownFormatIsAUsageError) {
  CreateNigerFixture();
  const std::string file = dir_.File("events.plover.jsonl");
  WriteFile(
      file,
      R"({"id":"a-0","date":"2023-07-26","actor":{"id":"ecowas"},"event_type":"ACCUSE",)"
      R"("plover_version":"2.0",)"
      R"("rollcall":{"statement":"statements/a","event":"niger-coup-2023",)"
      R"("stance":"condemns","action":"condemn"},"summary":"Condemned."})"
      "\n{not json\n"
      R"({"id":"b-0","date":"2023-07-26","actor":{"id":"ecowas"},"event_type":"ACCUSE",)"
      R"("rollcall":{"statement":"statements/b","event":"niger-coup-2023",)"
      R"("action":"condemn"},"summary":"No stance."})"
      "\n");
  CommandResult result = Rollcall({"import", file});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.stderr_text, HasSubstr(file + ":2: INVALID_ARGUMENT: not a PLOVER"));
  EXPECT_THAT(result.stderr_text, HasSubstr(file + ":3: INVALID_ARGUMENT: the record has "
                                                   "no rollcall.stance"));
  EXPECT_THAT(result.stdout_text, HasSubstr("1 statement; 0 already present; 2 errors"));
  const auto statements = ListStatements({});
  ASSERT_THAT(statements, SizeIs(1));
  EXPECT_EQ(statements[0].issue_time_precision(), v1::TIME_PRECISION_DAY);
  ASSERT_THAT(statements[0].actions(), SizeIs(1));
  ASSERT_THAT(statements[0].actions(0).codings(), SizeIs(1));
  EXPECT_EQ(statements[0].actions(0).codings(0).code(), "ACCUSE");

  EXPECT_EQ(Rollcall({"export", "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(Rollcall({"import", "--format", "xml", file}).exit_code, 2);
}

}  // namespace
}  // namespace rollcall::testing
