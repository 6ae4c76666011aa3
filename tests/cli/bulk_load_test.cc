// rollcalld --bulk_load: the same JSONL file loaded once through the API
// (`rollcall import` against a real server) and once by the bulk load, then
// both stores served by real servers and compared through what a client
// sees: Get, List (filters, full-text search, positions), summaries, the
// change log replayed from the beginning, the duplicate check and request
// ids. Statement names are random on both paths and commit times are the
// loads' own, so statements are compared by their sequence.

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "rollcall/v1/actor_service.grpc.pb.h"
#include "rollcall/v1/event_service.grpc.pb.h"
#include "rollcall/v1/statement_service.grpc.pb.h"
#include "tests/cli/cli_fixture.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;

const std::string kNigerData =
    std::string(ROLLCALL_SOURCE_DIR) + "/data/niger-coup-2023.jsonl";
const std::string kEvent = "events/niger-coup-2023";
const char* const kActors[] = {"actors/ecowas",         "actors/african-union",
                               "actors/united-nations", "actors/france",
                               "actors/russia",         "actors/united-states",
                               "actors/nigeria",        "actors/benin"};
const char* const kStances[] = {"STANCE_CONDEMNS", "STANCE_SUPPORTS", "STANCE_NEUTRAL",
                                "STANCE_CONCERNED", "STANCE_CRITICISES"};
const char* const kWords[] = {
    "sanctions", "junta",    "constitutional", "order",    "release",  "president",
    "border",    "military", "dialogue",       "election", "transition", "troops",
    "aid",       "embassy",  "ultimatum",      "mediation", "sovereignty", "calm"};

// A statement line with a quote no other line comes near.
std::string StatementLine(int i) {
  std::string quote;
  for (int w = 0; w < 14; ++w) {
    absl::StrAppend(&quote, w > 0 ? " " : "", kWords[(i * 7 + w * (i % 5 + 1)) % 18],
                    (i * 31 + w * 17) % 97);
  }
  const int day = 1 + i % 28;
  return absl::StrCat(
      R"({"statement":{"event":")", kEvent, R"(","actor":")", kActors[i % 8],
      R"(","stance":")", kStances[(i / 8) % 5], R"(","quote":")", quote,
      R"(","summary":"Summary )", i, R"( of the reaction","language":"en","issueTime":"2023-08-)",
      day < 10 ? "0" : "", day, "T", 10 + i % 10, R"(:00:00Z","labels":{"batch":")", i % 3,
      R"("},"sources":[{"publisher":"Wire","url":"https://news.example/)", i, R"("}]}})");
}

// The Niger data set, then generated statements and lines each path must
// treat the same way: refused (bad JSON, two records on one line, a
// missing actor, a near-duplicate),
// already present (a repeated line, a repeated actor) or skipped.
std::string TestFile() {
  std::string file = ReadFile(kNigerData);
  std::vector<std::string> statements;
  for (int i = 0; i < 400; ++i) statements.push_back(StatementLine(i));
  for (int i = 0; i < 400; ++i) {
    absl::StrAppend(&file, statements[i], "\n");
    if (i == 10) absl::StrAppend(&file, "# a comment\n\n{\"statement\": {\"actor\": \n");
    if (i == 20) absl::StrAppend(&file, statements[5], "\n");  // same request id
    if (i == 30) {
      absl::StrAppend(&file, absl::StrReplaceAll(statements[30], {{"actors/", "actors/no-"}}),
                      "\n");
    }
    if (i == 40) {  // statement 40's words, another source: a near-duplicate
      absl::StrAppend(&file, absl::StrReplaceAll(statements[40], {{"news.example", "x.example"}}),
                      "\n");
    }
    if (i == 60) {  // two records on one line: refused, never split
      absl::StrAppend(&file, statements[60], ",", statements[61], "\n");
    }
    if (i == 50) {
      for (const auto& line : absl::StrSplit(ReadFile(kNigerData), '\n')) {
        if (absl::StartsWith(line, "{\"actor\"")) {
          absl::StrAppend(&file, line, "\n");
          break;
        }
      }
    }
  }
  return file;
}

// The numbers of the lines an error report names ("FILE:LINE: ...").
std::set<int> ReportedLines(const std::string& errors, const std::string& file) {
  std::set<int> lines;
  for (const auto& line : absl::StrSplit(errors, '\n')) {
    if (!absl::StartsWith(line, file + ":")) continue;
    std::vector<std::string> parts = absl::StrSplit(line.substr(file.size() + 1), ':');
    int number = 0;
    if (!parts.empty() && absl::SimpleAtoi(parts[0], &number)) lines.insert(number);
  }
  return lines;
}

// `json` with the entries of each "labels" object in key order (a proto
// map's JSON lists them in no fixed order).
std::string SortLabels(const std::string& json) {
  static const std::regex kLabels(R"re("labels":\{([^{}]*)\})re");
  static const std::regex kEntry(R"re("(?:[^"\\]|\\.)*":"(?:[^"\\]|\\.)*")re");
  std::string out;
  auto tail = json.cbegin();
  for (std::sregex_iterator it(json.begin(), json.end(), kLabels), end; it != end; ++it) {
    out.append(tail, (*it)[0].first);
    const std::string body = (*it)[1].str();
    std::vector<std::string> entries;
    for (std::sregex_iterator e(body.begin(), body.end(), kEntry); e != end; ++e) {
      entries.push_back(e->str());
    }
    std::sort(entries.begin(), entries.end());
    absl::StrAppend(&out, "\"labels\":{", absl::StrJoin(entries, ","), "}");
    tail = (*it)[0].second;
  }
  out.append(tail, json.cend());
  return out;
}

// A server's view, with statement names replaced by "S<sequence>" and the
// times only a load decides (create, update, commit) removed.
class View {
 public:
  explicit View(const std::string& address)
      : channel_(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
        statements_(v1::StatementService::NewStub(channel_)),
        actors_(v1::ActorService::NewStub(channel_)),
        events_(v1::EventService::NewStub(channel_)) {}

  // Every page of a listing, normalized. Statements issued at the same
  // time are listed in the order of their (random) names, so the listing
  // is checked to be in issue-time order and then compared with ties put
  // in sequence order; each statement carries its position.
  std::string ListAll(const std::string& filter, const std::string& order_by = "") {
    std::vector<std::tuple<int64_t, int64_t, std::string>> listed;
    v1::ListStatementsRequest request;
    request.set_filter(filter);
    request.set_order_by(order_by);
    request.set_page_size(37);
    const bool descending = !order_by.empty();
    while (true) {
      v1::ListStatementsResponse response;
      grpc::ClientContext context;
      grpc::Status status = statements_->ListStatements(&context, request, &response);
      EXPECT_TRUE(status.ok()) << filter << ": " << status.error_message();
      if (!status.ok()) break;
      EXPECT_EQ(response.positions_size(), response.statements_size());
      for (int i = 0; i < response.statements_size(); ++i) {
        const v1::Statement& statement = response.statements(i);
        names_[statement.name()] = absl::StrCat("S", statement.sequence());
        const int64_t time = statement.issue_time().seconds();
        if (!listed.empty()) {
          EXPECT_TRUE(descending ? time <= std::get<0>(listed.back())
                                 : time >= std::get<0>(listed.back()))
              << filter << ": out of issue-time order";
        }
        listed.emplace_back(time, statement.sequence(),
                            absl::StrCat(v1::Position_Name(response.positions(i)), " ",
                                         Normal(statement)));
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    std::sort(listed.begin(), listed.end());
    std::string out;
    for (const auto& entry : listed) absl::StrAppend(&out, std::get<2>(entry), "\n");
    return out;
  }

  std::string Get(const std::string& name) {
    v1::GetStatementRequest request;
    request.set_name(name);
    v1::Statement statement;
    grpc::ClientContext context;
    grpc::Status status = statements_->GetStatement(&context, request, &statement);
    EXPECT_TRUE(status.ok()) << name << ": " << status.error_message();
    return Normal(statement);
  }

  std::string Summary(const std::string& filter) {
    v1::SummarizeReactionsRequest request;
    request.set_event(kEvent);
    request.set_filter(filter);
    request.mutable_as_of_time()->set_seconds(1900000000);  // 2030
    request.mutable_timeline_interval()->set_seconds(86400);
    v1::SummarizeReactionsResponse response;
    grpc::ClientContext context;
    grpc::Status status = statements_->SummarizeReactions(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return Normal(response);
  }

  // The change log from its beginning, until the replay is caught up.
  std::string CatchUp() {
    v1::SubscribeStatementsRequest request;
    request.set_from_beginning(true);
    grpc::ClientContext context;
    auto reader = statements_->SubscribeStatements(&context, request);
    std::string out;
    v1::SubscribeStatementsResponse response;
    while (reader->Read(&response)) {
      for (v1::StatementChange& change : *response.mutable_changes()) {
        absl::StrAppend(&out, Normal(change), "\n");
      }
      if (response.has_caught_up()) break;
    }
    context.TryCancel();
    return out;
  }

  std::string ActorsAndEvents() {
    v1::ListActorsRequest actors;
    actors.set_page_size(1000);
    v1::ListActorsResponse actor_page;
    grpc::ClientContext a;
    EXPECT_TRUE(actors_->ListActors(&a, actors, &actor_page).ok());
    v1::ListEventsRequest events;
    events.set_page_size(1000);
    v1::ListEventsResponse event_page;
    grpc::ClientContext e;
    EXPECT_TRUE(events_->ListEvents(&e, events, &event_page).ok());
    return Normal(actor_page) + "\n" + Normal(event_page);
  }

  // Creates `line`'s statement; the status code.
  grpc::StatusCode Create(const std::string& line) {
    v1::CreateStatementRequest request;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &request).ok());
    v1::Statement created;
    grpc::ClientContext context;
    return statements_->CreateStatement(&context, request, &created).error_code();
  }

  const std::map<std::string, std::string>& names() const { return names_; }

 private:
  std::string Normal(const google::protobuf::Message& message) const {
    std::string json;
    google::protobuf::util::MessageToJsonString(message, &json);
    for (const auto& [name, alias] : names_) json = absl::StrReplaceAll(json, {{name, alias}});
    static const std::regex kTimes(R"re("(createTime|updateTime|commitTime)":"[^"]*",?)re");
    return SortLabels(std::regex_replace(json, kTimes, ""));
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::StatementService::Stub> statements_;
  std::unique_ptr<v1::ActorService::Stub> actors_;
  std::unique_ptr<v1::EventService::Stub> events_;
  std::map<std::string, std::string> names_;
};

// Where two long texts first differ, for a readable failure.
std::string FirstDifference(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  if (i == a.size() && i == b.size()) return "";
  const size_t from = i < 300 ? 0 : i - 300;
  return absl::StrCat("at byte ", i, ":\n  bulk: ...", a.substr(from, 600), "\n  api:  ...",
                      b.substr(from, 600));
}
#define EXPECT_SAME(bulk_text, api_text) \
  EXPECT_EQ(FirstDifference(bulk_text, api_text), "")

// The names of the files in `directory`.
std::set<std::string> FilesIn(const std::string& directory) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

// Runs `sql` on the database file `path`: the first column of its rows,
// one a line, or "error: " and SQLite's message.
std::string SqliteCheck(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    out = absl::StrCat("error: ", sqlite3_errmsg(db));
  } else {
    char* error = nullptr;
    auto collect = +[](void* text, int columns, char** values, char**) {
      if (columns > 0) absl::StrAppend(static_cast<std::string*>(text), values[0], "\n");
      return 0;
    };
    if (sqlite3_exec(db, sql.c_str(), collect, &out, &error) != SQLITE_OK) {
      out = absl::StrCat("error: ", error != nullptr ? error : "");
    }
    sqlite3_free(error);
    if (absl::EndsWith(out, "\n")) out.pop_back();
  }
  sqlite3_close(db);
  return out;
}

class BulkLoadTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (ReadFile(kNigerData).empty()) GTEST_SKIP() << kNigerData << " is missing";
  }

  // rollcalld --bulk_load=FILE --data_dir=DIR [--bulk_load_transaction=N].
  CommandResult BulkLoad(const std::string& file, const std::string& data_dir,
                         int statements_per_transaction = 0) {
    std::vector<std::string> command = {RollcalldPath(), "--bulk_load=" + file,
                                        "--data_dir=" + data_dir, "--log_level=warn"};
    if (statements_per_transaction > 0) {
      command.push_back(absl::StrCat("--bulk_load_transaction=", statements_per_transaction));
    }
    return RunCommand(command);
  }
};

TEST_F(BulkLoadTest, ServesExactlyWhatTheApiImportServes) {
  const std::string file = dir_.File("load.jsonl");
  ASSERT_TRUE(WriteFile(file, TestFile()));
  // Through the API: the fixture's server, on an empty store.
  CommandResult imported = Rollcall({"import", file});
  EXPECT_EQ(imported.exit_code, 1) << imported.stderr_text;  // the refused lines
  // The bulk load, then a server on its store. Transactions of 100
  // statements: the refused lines fall in different ones, and the
  // statements table and full-text index are built a transaction at a time.
  const std::string bulk_dir = dir_.File("bulk");
  CommandResult loaded = BulkLoad(file, bulk_dir, 100);
  EXPECT_EQ(loaded.exit_code, 1) << loaded.stderr_text;
  EXPECT_THAT(loaded.stdout_text, HasSubstr(": 421 statements,"));
  EXPECT_THAT(loaded.stdout_text, HasSubstr("2 already present"));
  EXPECT_THAT(loaded.stdout_text, HasSubstr("4 lines refused"));
  // The same lines refused, for the same reasons.
  EXPECT_EQ(ReportedLines(loaded.stderr_text, file), ReportedLines(imported.stderr_text, file))
      << "import:\n" << imported.stderr_text << "bulk load:\n" << loaded.stderr_text;
  EXPECT_EQ(ReportedLines(loaded.stderr_text, file).size(), 4u) << loaded.stderr_text;
  EXPECT_THAT(loaded.stderr_text, HasSubstr("ALREADY_EXISTS"));       // near-duplicate
  EXPECT_THAT(loaded.stderr_text, HasSubstr("FAILED_PRECONDITION"));  // missing actor
  EXPECT_THAT(loaded.stderr_text, HasSubstr("INVALID_ARGUMENT"));     // bad JSON
  // Only the store's two files are left (the applied file is the load's
  // side file, adopted), and SQLite finds their tables, their indexes and
  // the full-text index (checked against the statements table's text)
  // consistent.
  const std::set<std::string> store_files = {"rollcall.db", "rollcall-applied.db"};
  EXPECT_EQ(FilesIn(bulk_dir), store_files);
  EXPECT_EQ(SqliteCheck(bulk_dir + "/rollcall.db", "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(SqliteCheck(bulk_dir + "/rollcall-applied.db", "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(SqliteCheck(bulk_dir + "/rollcall-applied.db",
                        "INSERT INTO statement_text (statement_text, rank) "
                        "VALUES ('integrity-check', 1)"),
            "");

  ServerProcess bulk_server(RollcalldPath(), bulk_dir, dir_.File("bulk.log"));
  ASSERT_TRUE(bulk_server.Start().ok()) << bulk_server.Log();
  View api(server_->address());
  View bulk(bulk_server.address());

  // Listing everything first teaches each view its names.
  const std::string all_api = api.ListAll("");
  EXPECT_SAME(bulk.ListAll(""), all_api);
  ASSERT_EQ(api.names().size(), 400u + 21u);  // the generated ones and the data set's
  EXPECT_SAME(bulk.ActorsAndEvents(), api.ActorsAndEvents());
  for (const std::string& filter :
       {std::string("text : \"sanctions\""), std::string("text : \"junta\" AND stance = CONDEMNS"),
        std::string("actor = \"actors/france\" AND issue_time >= \"2023-08-10T00:00:00Z\""),
        absl::StrCat("event = \"", kEvent, "\" AND stance = SUPPORTS"),
        std::string("labels.batch = \"1\"")}) {
    EXPECT_SAME(bulk.ListAll(filter), api.ListAll(filter)) << filter;
    EXPECT_SAME(bulk.ListAll(filter, "issue_time desc"), api.ListAll(filter, "issue_time desc"))
        << filter;
    EXPECT_SAME(bulk.Summary(filter), api.Summary(filter)) << filter;
  }
  EXPECT_FALSE(api.ListAll("text : \"sanctions\"").empty());
  // Each statement by name, on its own server.
  std::map<std::string, std::string> api_by_alias, bulk_by_alias;
  for (const auto& [name, alias] : api.names()) api_by_alias[alias] = api.Get(name);
  for (const auto& [name, alias] : bulk.names()) bulk_by_alias[alias] = bulk.Get(name);
  ASSERT_EQ(bulk_by_alias.size(), api_by_alias.size());
  for (const auto& [alias, text] : api_by_alias) EXPECT_SAME(bulk_by_alias[alias], text);
  // The change log, replayed from the beginning.
  const std::string log = api.CatchUp();
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 400 + 21);
  EXPECT_SAME(bulk.CatchUp(), log);

  // The duplicate check sees the loaded statements: statement 7's words
  // again are refused by both.
  const std::string again =
      absl::StrReplaceAll(StatementLine(7), {{"news.example", "y.example"}});
  EXPECT_EQ(api.Create(again), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(bulk.Create(again), grpc::StatusCode::ALREADY_EXISTS);
  // Request ids: importing the file again through the API records nothing.
  CommandResult reimported = Rollcall({"import", file}, "", &bulk_server);
  EXPECT_THAT(reimported.stdout_text, HasSubstr(", 0 statements;"))
      << reimported.stdout_text;
  View after(bulk_server.address());
  EXPECT_SAME(after.ListAll(""), all_api);
}

TEST_F(BulkLoadTest, RefusesAStoreThatExists) {
  const std::string file = dir_.File("load.jsonl");
  ASSERT_TRUE(WriteFile(file, TestFile()));
  // The fixture's server has created its store.
  CommandResult loaded = BulkLoad(file, server_->data_dir());
  EXPECT_EQ(loaded.exit_code, 1);
  EXPECT_THAT(loaded.stderr_text, HasSubstr("exists"));
  EXPECT_THAT(loaded.stderr_text, HasSubstr("no store was created"));
  EXPECT_TRUE(Rollcall({"statements", "list", "--output", "json"}).stdout_text.empty());
}

TEST_F(BulkLoadTest, AnInterruptedLoadLeavesNoStore) {
  const std::string file = dir_.File("big.jsonl");
  std::string text = ReadFile(kNigerData);
  for (int i = 0; i < 5000; ++i) absl::StrAppend(&text, StatementLine(i), "\n");
  ASSERT_TRUE(WriteFile(file, text));
  const std::string data_dir = dir_.File("interrupted");
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string load = "--bulk_load=" + file;
    const std::string dir = "--data_dir=" + data_dir;
    execl(RollcalldPath().c_str(), RollcalldPath().c_str(), load.c_str(), dir.c_str(),
          "--log_level=off", static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_GT(pid, 0);
  // Killed while it loads (a crash, from the data's view).
  while (!std::filesystem::exists(data_dir + "/rollcall.db.loading")) usleep(10000);
  usleep(200000);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the load ended before it was killed";
  EXPECT_FALSE(std::filesystem::exists(data_dir + "/rollcall.db"));
  // A server started there finds no store, and a new load starts afresh.
  CommandResult loaded = BulkLoad(file, data_dir);
  EXPECT_EQ(loaded.exit_code, 0) << loaded.stderr_text;
  EXPECT_THAT(loaded.stdout_text, HasSubstr(": 5021 statements,"));
  EXPECT_EQ(FilesIn(data_dir), (std::set<std::string>{"rollcall.db", "rollcall-applied.db"}));
}

}  // namespace
}  // namespace rollcall::testing
