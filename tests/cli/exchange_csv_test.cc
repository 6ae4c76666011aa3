#include "client/cli/exchange_csv.h"

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace rollcall::cli {
namespace {

using ::testing::HasSubstr;

v1::Statement Parse(const std::string& json) {
  v1::Statement statement;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &statement).ok());
  return statement;
}

TEST(ExchangeCsvTest, EveryColumnAnImportReadsComesBack) {
  const v1::Statement statement = Parse(R"json({
    "name": "statements/s1", "event": "events/niger-coup-2023", "actor": "actors/ecowas",
    "speaker": {"personName": "Omar Touray", "office": "President; ECOWAS Commission"},
    "jointWith": ["actors/african-union"], "stance": "STANCE_CONDEMNS",
    "stanceToward": "actors/niger-coup-leaders", "modality": "MODALITY_HYPOTHETICAL",
    "actions": [
      {"kind": "ACTION_KIND_ULTIMATUM", "targets": ["actors/a", "actors/b"],
       "description": "Restore; within a week", "deadline": "2023-08-06T00:00:00Z"},
      {"kind": "ACTION_KIND_IMPOSE_SANCTIONS", "effectiveFrom": "2023-07-30T12:00:00.500Z"}],
    "quote": "Line one,\n\"two\"", "summary": "Résumé", "language": "fr",
    "issueTime": "2023-07-30T15:00:00Z", "issueTimePrecision": "TIME_PRECISION_HOUR",
    "sources": [
      {"publisher": "ECOWAS", "medium": "SOURCE_MEDIUM_OFFICIAL_COMMUNIQUE"},
      {"url": "https://example.org/x;y", "excerpt": "\\ back"}],
    "labels": {"b": "2", "a": "x=y;z"}})json");
  const std::vector<std::string> header = StatementCsvHeader();
  ASSERT_TRUE(CheckStatementCsvHeader(header).ok());
  const std::vector<std::string> row =
      StatementToCsv(statement, {{"actors/ecowas", "ECOWAS"}});
  absl::StatusOr<v1::Statement> back = StatementFromCsv(header, row);
  ASSERT_TRUE(back.ok()) << back.status();
  std::string difference;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&difference);
  EXPECT_TRUE(differencer.Compare(statement, *back)) << difference;
}

TEST(ExchangeCsvTest, BadRowsNameTheColumn) {
  const std::vector<std::string> header = {"actions", "action_targets", "modality"};
  EXPECT_THAT(StatementFromCsv(header, {"condemn;other", "a", ""}).status().message(),
              HasSubstr("action_targets: 1 entries separated by ';', expected 2"));
  EXPECT_THAT(StatementFromCsv(header, {"condemn", "", "maybe"}).status().message(),
              HasSubstr("for modality"));
  EXPECT_THAT(StatementFromCsv(header, {"condemn"}).status().message(),
              HasSubstr("the row has 1 cells, the header 3"));
  EXPECT_THAT(CheckStatementCsvHeader({"quote", "quote"}).message(), HasSubstr("twice"));
  EXPECT_THAT(CheckStatementCsvHeader({"quot"}).message(), HasSubstr("unknown column"));
}

}  // namespace
}  // namespace rollcall::cli
