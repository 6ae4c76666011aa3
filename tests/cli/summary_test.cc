// rollcall summary over the shipped data: the actor directory and the Niger
// roll call, by bloc and by actor, now and as of before a correction.

#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "client/cli/csv.h"
#include "rollcall/v1/statement_service.pb.h"
#include "tests/cli/cli_fixture.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SummaryCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (const char* file : {"/data/actors.jsonl", "/data/niger-coup-2023.jsonl"}) {
      CommandResult imported =
          Rollcall({"import", std::string(ROLLCALL_SOURCE_DIR) + file});
      ASSERT_EQ(imported.exit_code, 0) << file << ": " << imported.stderr_text;
    }
  }

  v1::SummarizeReactionsResponse SummaryJson(const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"summary", "--event", "events/niger-coup-2023",
                                     "--output", "json"};
    args.insert(args.end(), flags.begin(), flags.end());
    v1::SummarizeReactionsResponse summary;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(RollcallOk(args), &summary).ok());
    return summary;
  }
};

TEST_F(SummaryCliTest, ByBlocShowsEcowasAndTheAuWithTheirStancesAndTheirMembers) {
  const std::string out =
      RollcallOk({"summary", "--event", "events/niger-coup-2023", "--by", "bloc"});
  // Members as of the coup (26 July 2023): ECOWAS still had fifteen.
  // A bloc's position on the coup (and its latest stance), its members' positions.
  EXPECT_THAT(out, HasSubstr("\necowas: against (condemns); 15 members: neutral 1, "
                             "said nothing 14\n"));
  EXPECT_THAT(out, HasSubstr("\nafrican-union: against (condemns); 55 members:"));
  // France supported the deposed government, then condemned: against.
  EXPECT_THAT(out, HasSubstr("\neuropean-union: against (condemns); 27 members: against 1,"));
  EXPECT_THAT(out, HasSubstr("concerned → against"));  // the EU's course
  EXPECT_THAT(out, HasSubstr("  said nothing: burkina-faso, cape-verde, cote-divoire,"));
  EXPECT_THAT(out, HasSubstr(" and 175 more\n"));  // the UN's silent members, cut

  const v1::SummarizeReactionsResponse summary = SummaryJson({});
  const v1::BlocRollup* ecowas = nullptr;
  for (const v1::BlocRollup& bloc : summary.blocs()) {
    if (bloc.bloc() == "actors/ecowas") ecowas = &bloc;
  }
  ASSERT_NE(ecowas, nullptr);
  EXPECT_EQ(ecowas->bloc_stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(ecowas->reacting_members(), ::testing::ElementsAre("actors/benin"));
  EXPECT_EQ(ecowas->silent_members_size(), 14);
}

// The first two days' roll call: who is for the coup and who against.
TEST_F(SummaryCliTest, FirstDaysPositionsSayWhoIsForAndWhoIsAgainst) {
  const std::string filter = "issue_time < \"2023-07-28T00:00:00Z\"";
  const v1::SummarizeReactionsResponse summary = SummaryJson({"--filter", filter});
  std::map<v1::Position, std::set<std::string>> by_position;
  for (const v1::ActorReaction& reaction : summary.reactions()) {
    by_position[reaction.position()].insert(reaction.actor().substr(7));
  }
  using Set = std::set<std::string>;
  EXPECT_EQ(by_position[v1::POSITION_AGAINST],
            (Set{"ecowas", "african-union", "united-nations", "france", "united-states",
                 "niger-ruling-coalition", "niger-government"}));
  EXPECT_EQ(by_position[v1::POSITION_FOR], (Set{"niger-coup-leaders", "niger-armed-forces"}));
  EXPECT_EQ(by_position[v1::POSITION_CONCERNED], (Set{"european-union", "russia"}));
  EXPECT_EQ(by_position[v1::POSITION_NEUTRAL], (Set{"benin"}));
  EXPECT_EQ(by_position.size(), 4u) << "no actor unclear";

  const std::string out = RollcallOk(
      {"summary", "--event", "niger-coup-2023", "--by", "actor", "--filter", filter});
  EXPECT_THAT(out, HasSubstr("\nSides: initiator niger-coup-leaders; target niger-government\n"));
  EXPECT_THAT(out, HasSubstr("\nPositions: against 7, for 2, concerned 2, neutral 1\n"));
  EXPECT_THAT(out, HasSubstr("LATEST “QUOTE” OR SUMMARY:"));
  auto row = [&](const std::string& actor) {
    const size_t at = out.find("\n" + actor + " ");
    return at == std::string::npos ? std::string()
                                   : out.substr(at + 1, out.find('\n', at + 1) - at - 1);
  };
  // A stance is shown with its target; a summary is labelled, never quoted.
  EXPECT_THAT(row("france"), HasSubstr(" against "));
  EXPECT_THAT(row("france"), HasSubstr(" supports niger-government "));
  EXPECT_THAT(row("france"), HasSubstr(" summary: "));
  EXPECT_THAT(row("france"), Not(HasSubstr("“")));
  EXPECT_THAT(row("niger-armed-forces"), HasSubstr(" for "));
  EXPECT_THAT(row("niger-armed-forces"), HasSubstr(" supports niger-coup-leaders "));
  EXPECT_THAT(row("niger-armed-forces"), HasSubstr("“"));  // its words, quoted
}

TEST_F(SummaryCliTest, StatementListsQuoteOnlyQuotes) {
  const std::string out = RollcallOk({"statements", "list", "--actor", "france"});
  EXPECT_THAT(out, HasSubstr("“QUOTE” OR SUMMARY:"));
  EXPECT_THAT(out, HasSubstr(" supports niger-government "));
  EXPECT_THAT(out, HasSubstr(" summary: "));
  EXPECT_THAT(out, Not(HasSubstr("“France")));
  const std::string un = RollcallOk({"statements", "list", "--actor", "united-nations"});
  EXPECT_THAT(un, HasSubstr("“"));
  EXPECT_THAT(un, Not(HasSubstr(" summary: ")));

  const std::string event = RollcallOk({"events", "get", "niger-coup-2023"});
  EXPECT_THAT(event, HasSubstr("initiator niger-coup-leaders"));
  EXPECT_THAT(event, HasSubstr("target niger-government"));
}

// Exports and lists carry each statement's position as the server derives
// it, beside its stance and the stance's target.
TEST_F(SummaryCliTest, ExportsAndListsCarryEachStatementsPosition) {
  const std::string csv =
      RollcallOk({"export", "--format", "csv", "--event", "niger-coup-2023"});
  rollcall::cli::CsvReader reader(csv);
  rollcall::cli::CsvRecord header;
  ASSERT_TRUE(reader.Next(&header));
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < header.cells.size(); ++i) column[header.cells[i]] = i;
  ASSERT_EQ(column.count("position"), 1u);
  std::map<std::string, std::set<std::string>> positions;  // "actor stance toward"
  rollcall::cli::CsvRecord row;
  int rows = 0;
  while (reader.Next(&row)) {
    ++rows;
    positions[row.cells[column["actor"]] + " " + row.cells[column["stance"]] + " " +
              row.cells[column["stance_toward"]]]
        .insert(row.cells[column["position"]]);
  }
  EXPECT_EQ(rows, 21);
  using Set = std::set<std::string>;
  EXPECT_EQ(positions["france supports niger-government"], Set{"against"});
  EXPECT_EQ(positions["niger-armed-forces supports niger-coup-leaders"], Set{"for"});
  EXPECT_EQ(positions["niger-coup-leaders supports "], Set{"for"});
  EXPECT_EQ(positions["ecowas neutral "], Set{"neutral"});
  EXPECT_EQ(positions["russia concerned "], Set{"concerned"});

  const std::string jsonl = RollcallOk({"export", "--event", "niger-coup-2023"});
  EXPECT_THAT(jsonl, HasSubstr("\"stanceToward\":\"actors/niger-government\""));
  int with_position = 0;
  for (size_t at = 0; (at = jsonl.find("\"position\":\"POSITION_", at)) != std::string::npos;
       ++at) {
    ++with_position;
  }
  EXPECT_EQ(with_position, 21) << "every statement line";

  const std::string plover = RollcallOk(
      {"export", "--format", "plover", "--event", "niger-coup-2023"});
  EXPECT_THAT(plover, HasSubstr("\"position\":\"against\""));

  const std::string list = RollcallOk({"statements", "list", "--actor", "niger-armed-forces"});
  EXPECT_THAT(list, HasSubstr(" POSITION "));
  EXPECT_THAT(list, HasSubstr(" for  "));
}

TEST_F(SummaryCliTest, AsOfBeforeACorrectionShowsTheOldVersion) {
  const std::string before =
      absl::FormatTime(absl::RFC3339_full, absl::Now(), absl::UTCTimeZone());
  // Correct the United Nations' statement: condemns → criticises.
  const auto un = ListStatements({"--actor", "united-nations"});
  ASSERT_EQ(un.size(), 1u);
  RollcallOk({"statements", "update", un[0].name(), "--stance", "criticises"});

  const std::string now =
      RollcallOk({"summary", "--event", "niger-coup-2023", "--by", "actor"});
  const std::string then = RollcallOk(
      {"summary", "--event", "niger-coup-2023", "--by", "actor", "--as-of", before});
  auto un_row = [](const std::string& table) {
    const size_t at = table.find("\nunited-nations ");
    return at == std::string::npos
               ? std::string()
               : table.substr(at + 1, table.find('\n', at + 1) - at - 1);
  };
  EXPECT_THAT(un_row(now), HasSubstr(" criticises "));
  EXPECT_THAT(un_row(then), HasSubstr(" condemns "));
  EXPECT_THAT(then, HasSubstr("as of " + before.substr(0, 19)));
}

TEST_F(SummaryCliTest, TimelineAndErrors) {
  const v1::SummarizeReactionsResponse summary = SummaryJson({"--timeline", "day"});
  ASSERT_GT(summary.timeline_size(), 2);
  // 26 July 2023 ends with the first day's statements; the last point has all 21.
  EXPECT_GT(summary.timeline(0).statement_count(), 0);
  EXPECT_EQ(summary.timeline(summary.timeline_size() - 1).statement_count(), 21);

  CommandResult missing = Rollcall({"summary", "--event", "no-such-event"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.stderr_text, HasSubstr("NOT_FOUND"));
  CommandResult bad =
      Rollcall({"summary", "--event", "niger-coup-2023", "--by", "stance"});
  EXPECT_EQ(bad.exit_code, 2);
}

// A store loaded before events had sides gets them from the data set with
// import --update.
TEST_F(CliTest, ImportUpdateGivesAnExistingEventItsSides) {
  RollcallOk({"events", "add", "niger-coup-2023", "--title", "Military coup in Niger",
              "--start", "2023-07-26", "--country", "NER"});
  const std::string file = std::string(ROLLCALL_SOURCE_DIR) + "/data/niger-coup-2023.jsonl";
  EXPECT_THAT(RollcallOk({"import", "--update", file}), HasSubstr("; 1 updated; "));
  const std::string event = RollcallOk({"events", "get", "niger-coup-2023"});
  EXPECT_THAT(event, HasSubstr("initiator niger-coup-leaders"));
  EXPECT_THAT(event, HasSubstr("target niger-government"));
  // And the CLI's flags replace them.
  RollcallOk({"events", "update", "niger-coup-2023", "--initiator", "niger-armed-forces"});
  const std::string replaced = RollcallOk({"events", "get", "niger-coup-2023"});
  EXPECT_THAT(replaced, HasSubstr("initiator niger-armed-forces"));
  EXPECT_THAT(replaced, Not(HasSubstr("niger-government")));
}

}  // namespace
}  // namespace rollcall::testing
