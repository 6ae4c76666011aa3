// The rollcall CLI against a real rollcalld: every test runs the binaries.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"

namespace rollcall::testing {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Actors(const std::vector<v1::Statement>& statements) {
  std::vector<std::string> actors;
  for (const auto& statement : statements) actors.push_back(statement.actor());
  return actors;
}

TEST_F(CliTest, ActorsAddGetAndListInTableAndJson) {
  CreateNigerFixture();
  const std::string table = RollcallOk({"actors", "list"});
  EXPECT_THAT(table, HasSubstr("NAME"));
  EXPECT_THAT(table, HasSubstr("actors/niger"));
  EXPECT_THAT(table, HasSubstr("regional-bloc"));

  const std::string view = RollcallOk({"actors", "get", "ecowas"});
  EXPECT_THAT(view, HasSubstr("Economic Community of West African States"));
  EXPECT_THAT(view, HasSubstr("cameo=IGOWAFWAS"));
  EXPECT_EQ(view, RollcallOk({"actors", "get", "actors/ecowas"}));

  const std::string json = RollcallOk({"actors", "list", "--output", "json"});
  EXPECT_THAT(Lines(json), SizeIs(5));
  EXPECT_THAT(json, HasSubstr("\"kind\":\"ACTOR_KIND_REGIONAL_BLOC\""));

  const std::string members = RollcallOk({"actors", "list", "--member-of", "ecowas"});
  EXPECT_THAT(members, HasSubstr("actors/niger"));
  EXPECT_THAT(members, Not(HasSubstr("actors/russia")));
  EXPECT_THAT(RollcallOk({"actors", "list", "--kind", "state"}),
              AllOf(HasSubstr("actors/russia"), Not(HasSubstr("ecowas  "))));
}

TEST_F(CliTest, ActorsUpdateChangesOnlyTheFlagsGiven) {
  CreateNigerFixture();
  RollcallOk({"actors", "update", "niger", "--alias", "République du Niger"});
  const std::string view = RollcallOk({"actors", "get", "niger"});
  EXPECT_THAT(view, HasSubstr("République du Niger"));
  EXPECT_THAT(view, HasSubstr("NER"));
  EXPECT_THAT(view, HasSubstr("actors/ecowas"));

  CommandResult stale =
      Rollcall({"actors", "update", "niger", "--name", "X", "--etag", "not-the-etag"});
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_THAT(stale.stderr_text, HasSubstr("rollcall: ABORTED: "));
}

TEST_F(CliTest, EventsAddGetAndListInTableAndJson) {
  CreateNigerFixture();
  EXPECT_THAT(RollcallOk({"events", "list"}),
              AllOf(HasSubstr("events/niger-coup-2023"), HasSubstr("2023-07-26"),
                    HasSubstr("Military coup")));
  EXPECT_THAT(RollcallOk({"events", "get", "niger-coup-2023"}),
              AllOf(HasSubstr("region=sahel"), HasSubstr("NER")));
  const std::string json = RollcallOk({"events", "list", "--output", "json"});
  ASSERT_THAT(Lines(json), SizeIs(1));
  EXPECT_THAT(json, HasSubstr("\"title\":\"Military coup in Niger\""));
  RollcallOk({"events", "update", "niger-coup-2023", "--summary",
              "The presidential guard detains President Bazoum."});
  EXPECT_THAT(RollcallOk({"events", "get", "events/niger-coup-2023"}),
              HasSubstr("detains President Bazoum"));
}

TEST_F(CliTest, StatementsAddGetAndListInTableAndJson) {
  CreateNigerFixture();
  const std::string long_french =
      "La CEDEAO condamne fermement la tentative de prise du pouvoir par la "
      "force et exige la libération immédiate du président élu.";
  const std::string json = RollcallOk({"statements",      "add",
                                       "--event",         "niger-coup-2023",
                                       "--actor",         "ecowas",
                                       "--stance",        "condemns",
                                       "--quote",         long_french,
                                       "--issue-time",    "2023-07-26T18:00:00Z",
                                       "--language",      "fr",
                                       "--speaker",       "Bola Tinubu",
                                       "--office",        "ECOWAS chair",
                                       "--action",        "demand-release",
                                       "--target",        "niger",
                                       "--source-url",    "https://example.org/ecowas",
                                       "--source-medium", "official-communique",
                                       "--label",         "batch=test",
                                       "--output",        "json"});
  const v1::Statement created = ParseStatement(json);
  ASSERT_THAT(created.name(), ::testing::StartsWith("statements/"));
  EXPECT_EQ(created.stance(), v1::STANCE_CONDEMNS);
  EXPECT_EQ(created.speaker().person_name(), "Bola Tinubu");
  ASSERT_EQ(created.actions_size(), 1);
  EXPECT_EQ(created.actions(0).kind(), v1::ACTION_KIND_DEMAND_RELEASE);
  EXPECT_THAT(created.actions(0).targets(), ElementsAre("actors/niger"));
  EXPECT_EQ(created.sources(0).medium(), v1::SOURCE_MEDIUM_OFFICIAL_COMMUNIQUE);

  const std::string id = created.name().substr(created.name().find('/') + 1);
  EXPECT_THAT(RollcallOk({"statements", "get", id}),
              AllOf(HasSubstr("Bola Tinubu (ECOWAS chair)"), HasSubstr("demand-release"),
                    HasSubstr(long_french)));

  const std::string table = RollcallOk({"statements", "list"});
  EXPECT_THAT(table,
              AllOf(HasSubstr("ISSUED"), HasSubstr("QUOTE"), HasSubstr("2023-07-26"),
                    HasSubstr("ecowas"), HasSubstr("condemns"), HasSubstr("\u2026")));
  EXPECT_THAT(table, Not(HasSubstr(long_french)));  // Truncated...
  EXPECT_TRUE(IsValidUtf8(table)) << table;         // ...between characters.
  EXPECT_THAT(ListStatements({}), SizeIs(1));
}

TEST_F(CliTest, AddWithTheSameRequestIdRecordsOneStatement) {
  CreateNigerFixture();
  const std::vector<std::string> add = {
      "statements",   "add",         "--event",      "niger-coup-2023",
      "--actor",      "ecowas",      "--stance",     "condemns",
      "--quote",      "We condemn.", "--issue-time", "2023-07-26",
      "--request-id", "manual-1",    "--output",     "json"};
  const v1::Statement first = ParseStatement(RollcallOk(add));
  const v1::Statement second = ParseStatement(RollcallOk(add));
  EXPECT_EQ(first.name(), second.name());
  EXPECT_THAT(ListStatements({}), SizeIs(1));
}

TEST_F(CliTest, StatementsListFiltersByEventAndStance) {
  CreateNigerFixture();
  AddStatement("ecowas", "condemns", "We condemn the coup.");
  AddStatement("united-nations", "condemns", "The Secretary-General condemns.");
  AddStatement("russia", "concerned", "We call for dialogue.");
  const auto condemnations =
      ListStatements({"--event", "niger-coup-2023", "--stance", "condemns"});
  // Same issue time: the server may list them in either order.
  EXPECT_THAT(Actors(condemnations),
              UnorderedElementsAre("actors/ecowas", "actors/united-nations"));
  const std::string table =
      RollcallOk({"statements", "list", "--event", "events/niger-coup-2023", "--stance",
                  "CONDEMNS"});
  EXPECT_THAT(table, Not(HasSubstr("russia")));
  EXPECT_THAT(Actors(ListStatements({"--text", "dialogue"})),
              ElementsAre("actors/russia"));
  EXPECT_THAT(Actors(ListStatements({"--bloc", "ecowas"})), ElementsAre("actors/ecowas"));
  EXPECT_THAT(ListStatements({"--filter",
                              "stance = CONCERNED OR stance = "
                              "CONDEMNS",
                              "--actor", "russia"}),
              SizeIs(1));
  EXPECT_THAT(
      Lines(RollcallOk({"statements", "list", "--limit", "2", "--output", "json"})),
      SizeIs(2));
}

TEST_F(CliTest, UpdateCreatesRevisionTwoAndHistoryShowsBoth) {
  CreateNigerFixture();
  const std::string name = AddStatement("russia", "neutral", "No comment.");
  const std::string json =
      RollcallOk({"statements", "update", name, "--stance", "concerned", "--quote",
                  "We call for restraint.", "--output", "json"});
  const v1::Statement updated = ParseStatement(json);
  EXPECT_EQ(updated.revision(), 2);
  EXPECT_EQ(updated.stance(), v1::STANCE_CONCERNED);
  EXPECT_EQ(updated.actor(), "actors/russia");

  const std::string history = RollcallOk({"statements", "history", name});
  EXPECT_THAT(history, AllOf(HasSubstr("REVISION"), HasSubstr("No comment."),
                             HasSubstr("We call for restraint.")));
  const auto revisions =
      Lines(RollcallOk({"statements", "history", name, "--output", "json"}));
  ASSERT_THAT(revisions, SizeIs(2));
  EXPECT_EQ(ParseStatement(revisions[0]).revision(), 1);
  EXPECT_EQ(ParseStatement(revisions[1]).revision(), 2);
}

TEST_F(CliTest, RetractHidesFromListAndShowRetractedShowsIt) {
  CreateNigerFixture();
  const std::string name = AddStatement("russia", "supports", "Misquoted.");
  AddStatement("ecowas", "condemns", "We condemn the coup.");
  CommandResult no_reason = Rollcall({"statements", "retract", name});
  EXPECT_EQ(no_reason.exit_code, 2);
  RollcallOk({"statements", "retract", name, "--reason", "misattributed"});
  EXPECT_THAT(Actors(ListStatements({})), ElementsAre("actors/ecowas"));
  const auto all = ListStatements({"--show-retracted"});
  ASSERT_THAT(all, SizeIs(2));
  EXPECT_THAT(RollcallOk({"statements", "list", "--show-retracted"}),
              HasSubstr("retracted"));
  EXPECT_THAT(RollcallOk({"statements", "get", name}), HasSubstr("misattributed"));
  EXPECT_THAT(RollcallOk({"statements", "history", name}),
              AllOf(HasSubstr("Misquoted."), HasSubstr("reason: misattributed")));
}

TEST_F(CliTest, ImportKeepsGoingAfterABadLineAndIsIdempotent) {
  const std::string file = dir_.File("small.jsonl");
  WriteFile(
      file,
      "# a small roll call\n"
      R"({"actor":{"name":"actors/ecowas","displayName":"ECOWAS","kind":"ACTOR_KIND_REGIONAL_BLOC"}})"
      "\n"
      R"({"event":{"name":"events/niger-coup-2023","title":"Coup in Niger","startTime":"2023-07-26T00:00:00Z"}})"
      "\n\n"
      "{this is not json\n"
      R"({"statement":{"event":"events/niger-coup-2023","actor":"actors/ecowas","stance":"STANCE_CONDEMNS","quote":"We condemn.","issueTime":"2023-07-26T12:00:00Z"}})"
      "\n"
      R"({"statement":{"event":"events/niger-coup-2023","actor":"actors/nobody","stance":"STANCE_CONDEMNS","quote":"Who?","issueTime":"2023-07-26T12:00:00Z"}})"
      "\n"
      R"({"statement":{"event":"events/niger-coup-2023","actor":"actors/ecowas","stance":"STANCE_CONDEMNS","quote":"Release him.","issueTime":"2023-07-30T12:00:00Z"},"requestId":"batch-1-2"})"
      "\n");
  CommandResult first = Rollcall({"import", file});
  EXPECT_EQ(first.exit_code, 1);
  EXPECT_THAT(first.stderr_text, HasSubstr(file + ":5: "));
  EXPECT_THAT(first.stderr_text, HasSubstr(file + ":7: "));
  EXPECT_THAT(Lines(first.stderr_text), SizeIs(2));
  EXPECT_THAT(first.stdout_text,
              HasSubstr("imported 1 actor, 1 event, 2 statements; 0 already "
                        "present; 2 errors"));
  ASSERT_THAT(ListStatements({}), SizeIs(2));

  CommandResult second = Rollcall({"import", file});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.stdout_text, HasSubstr("4 already present"));
  EXPECT_THAT(ListStatements({}), SizeIs(2));  // No duplicates.
}

TEST_F(CliTest, ExportThenImportIntoAFreshServerGivesTheSameStatements) {
  CreateNigerFixture();
  RollcallOk({"statements", "add", "--event", "niger-coup-2023", "--actor", "ecowas",
              "--stance", "condemns", "--quote", "We condemn.", "--issue-time",
              "2023-07-26", "--action", "demand-release", "--target", "niger",
              "--speaker", "Bola Tinubu"});
  AddStatement("united-nations", "condemns", "Le Secrétaire général condamne.");
  const std::string retracted = AddStatement("russia", "supports", "Wrong.");
  RollcallOk({"statements", "retract", retracted, "--reason", "fabricated"});

  const std::string exported = RollcallOk({"export"});
  EXPECT_THAT(Lines(exported), SizeIs(5 + 1 + 2));
  const std::string file = dir_.File("export.jsonl");
  WriteFile(file, exported);

  TempDir other_dir;
  auto other = StartExtraServer(other_dir);
  CommandResult imported = Rollcall({"import", file}, "", other.get());
  EXPECT_EQ(imported.exit_code, 0) << imported.stderr_text;
  EXPECT_THAT(imported.stdout_text, HasSubstr("5 actors, 1 event, 2 statements"));

  auto comparable = [](std::vector<v1::Statement> statements) {
    std::vector<std::string> out;
    for (auto& s : statements) {
      for (auto* field : {s.mutable_name(), s.mutable_etag()}) field->clear();
      s.clear_create_time();
      s.clear_update_time();
      s.clear_sequence();
      out.push_back(s.DebugString());
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(comparable(ListStatements({})), comparable(ListStatements({}, other.get())));
  // Importing the export again changes nothing.
  Rollcall({"import", file}, "", other.get());
  EXPECT_THAT(ListStatements({}, other.get()), SizeIs(2));
}

TEST_F(CliTest, ServerComesFromTheFlagOrTheEnvironment) {
  CreateNigerFixture();
  const std::string cli = RollcallPath();
  CommandResult from_env =
      RunCommand({cli, "events", "list"}, "", {{"ROLLCALL_SERVER", server_->address()}});
  EXPECT_EQ(from_env.exit_code, 0) << from_env.stderr_text;
  EXPECT_THAT(from_env.stdout_text, HasSubstr("events/niger-coup-2023"));

  // The flag wins over the variable, and may follow the subcommand.
  CommandResult flag_wins =
      RunCommand({cli, "events", "list", "--server", server_->address()}, "",
                 {{"ROLLCALL_SERVER", "127.0.0.1:1"}});
  EXPECT_EQ(flag_wins.exit_code, 0) << flag_wins.stderr_text;
  EXPECT_THAT(flag_wins.stdout_text, HasSubstr("events/niger-coup-2023"));
}

TEST_F(CliTest, UnreachableServerFailsWithOneLine) {
  const std::string cli = RollcallPath();
  CommandResult result =
      RunCommand({cli, "--server", "127.0.0.1:1", "statements", "list"}, "",
                 {{"ROLLCALL_SERVER", ""}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(Lines(result.stderr_text), SizeIs(1));
  EXPECT_THAT(result.stderr_text,
              HasSubstr("rollcall: cannot reach rollcalld at 127.0.0.1:1 "
                        "(UNAVAILABLE: "));
  EXPECT_EQ(result.stdout_text, "");
}

TEST_F(CliTest, ErrorsAreOneLineWithTheCodeAndExitOne) {
  CommandResult missing = Rollcall({"statements", "get", "abc"});
  EXPECT_EQ(missing.exit_code, 1);
  ASSERT_THAT(Lines(missing.stderr_text), SizeIs(1));
  EXPECT_THAT(missing.stderr_text, HasSubstr("rollcall: NOT_FOUND: "));

  CommandResult usage = Rollcall({"statements", "list", "--stance", "angry"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.stderr_text, HasSubstr("condemns, criticises, concerned"));
  EXPECT_EQ(Rollcall({"statements", "frobnicate"}).exit_code, 2);
}

TEST_F(CliTest, MissingFieldsWithoutATerminalFailNamingEveryFlag) {
  CreateNigerFixture();
  CommandResult result =
      Rollcall({"statements", "add", "--event", "niger-coup-2023", "--actor", "ecowas"});
  EXPECT_NE(result.exit_code, 0);
  ASSERT_THAT(Lines(result.stderr_text), SizeIs(1));
  EXPECT_THAT(result.stderr_text,
              AllOf(HasSubstr("--stance"), HasSubstr("--issue-time"),
                    HasSubstr("--quote or --summary"), Not(HasSubstr("--actor"))));
  EXPECT_THAT(ListStatements({}), SizeIs(0));
}

TEST_F(CliTest, PromptAsksForMissingFieldsOnATerminal) {
  CreateNigerFixture();
  PtyResult result = RunInPty(
      {RollcallPath(), "--server", server_->address(), "statements", "add", "--event",
       "niger-coup-2023", "--actor", "african-union", "--issue-time", "2023-07-26"},
      {{"Stance (condemns, criticises, concerned, neutral, supports):", "furious"},
       {"Stance (", "condemns"},
       {"Quote", "The African Union condemns the coup attempt."},
       {"Source URL", "https://au.int/en/pressreleases"}});
  ASSERT_EQ(result.error, "") << result.transcript;
  EXPECT_EQ(result.exit_code, 0) << result.transcript;
  EXPECT_THAT(result.transcript, HasSubstr("invalid value \"furious\""));
  const auto statements = ListStatements({"--actor", "african-union"});
  ASSERT_THAT(statements, SizeIs(1));
  EXPECT_EQ(statements[0].stance(), v1::STANCE_CONDEMNS);
  EXPECT_EQ(statements[0].quote(), "The African Union condemns the coup attempt.");
  ASSERT_EQ(statements[0].sources_size(), 1);
  EXPECT_EQ(statements[0].sources(0).url(), "https://au.int/en/pressreleases");
}

TEST_F(CliTest, ServerRestartLosesNothing) {
  CreateNigerFixture();
  const std::string name = AddStatement("ecowas", "condemns", "We condemn.");
  RollcallOk({"statements", "update", name, "--summary", "ECOWAS condemns."});
  ASSERT_TRUE(server_->Restart().ok()) << server_->Log();
  const auto statements = ListStatements({});
  ASSERT_THAT(statements, SizeIs(1));
  EXPECT_EQ(statements[0].revision(), 2);
  EXPECT_EQ(statements[0].summary(), "ECOWAS condemns.");
  EXPECT_THAT(Lines(RollcallOk({"actors", "list", "--output", "json"})), SizeIs(5));
  // A killed server (no clean shutdown) loses nothing either.
  server_->Kill();
  ASSERT_TRUE(server_->Start().ok()) << server_->Log();
  EXPECT_THAT(ListStatements({}), SizeIs(1));
}

TEST_F(CliTest, NigerDataSetListsTheCondemnations) {
  const std::string data =
      std::string(ROLLCALL_SOURCE_DIR) + "/data/niger-coup-2023.jsonl";
  if (ReadFile(data).empty()) GTEST_SKIP() << data << " is missing";
  CommandResult imported = Rollcall({"import", data});
  ASSERT_EQ(imported.exit_code, 0) << imported.stderr_text;
  const auto condemnations =
      ListStatements({"--event", "events/niger-coup-2023", "--stance", "condemns"});
  const auto actors = Actors(condemnations);
  for (const char* actor :
       {"actors/ecowas", "actors/african-union", "actors/united-nations"}) {
    EXPECT_NE(std::find(actors.begin(), actors.end(), actor), actors.end()) << actor;
  }
  for (const auto& statement : condemnations) {
    EXPECT_EQ(statement.stance(), v1::STANCE_CONDEMNS);
  }
  CommandResult again = Rollcall({"import", data});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(ListStatements({"--event", "niger-coup-2023", "--stance", "condemns"}).size(),
            condemnations.size());
}

}  // namespace
}  // namespace rollcall::testing
