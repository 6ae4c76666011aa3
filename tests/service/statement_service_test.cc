// StatementService over a real server and channel.

#include <functional>
#include <set>
#include <thread>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/time_util.h"
#include "tests/service/server_fixture.h"

namespace rollcall::testing {
namespace {

class StatementServiceTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateNigerFixture();
  }

  std::vector<v1::Statement> ListAll(v1::ListStatementsRequest request, int page_size) {
    std::vector<v1::Statement> all;
    request.set_page_size(page_size);
    do {
      v1::ListStatementsResponse response;
      grpc::Status status =
          statements_->ListStatements(Context().get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const v1::Statement& s : response.statements()) all.push_back(s);
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return all;
  }

  grpc::Status Create(const v1::Statement& statement, v1::Statement* out,
                      const std::string& request_id = "") {
    v1::CreateStatementRequest request;
    *request.mutable_statement() = statement;
    request.set_request_id(request_id);
    return statements_->CreateStatement(Context().get(), request, out);
  }
};

TEST_F(StatementServiceTest, CreateAssignsNameRevisionSequenceAndKeepsContent) {
  v1::Statement created = CreateStatementOrDie(MakeStatement("actors/ecowas"));
  EXPECT_EQ(created.name().rfind("statements/", 0), 0u);
  EXPECT_EQ(created.revision(), 1);
  EXPECT_EQ(created.sequence(), 1);
  EXPECT_EQ(created.state(), v1::STATEMENT_STATE_ACTIVE);
  EXPECT_EQ(created.quote(), "We condemn the attempted coup d'etat.");

  v1::GetStatementRequest get;
  get.set_name(created.name());
  v1::Statement fetched;
  ASSERT_TRUE(statements_->GetStatement(Context().get(), get, &fetched).ok());
  EXPECT_EQ(fetched.SerializeAsString(), created.SerializeAsString());

  v1::Statement second = CreateStatementOrDie(MakeStatement("actors/niger"));
  EXPECT_EQ(second.sequence(), 2);
}

TEST_F(StatementServiceTest, EveryBadFieldIsInvalidArgumentNamingTheField) {
  using Mutate = std::function<void(v1::Statement&)>;
  const std::vector<std::pair<std::string, Mutate>> cases = {
      {"statement.event", [](v1::Statement& s) { s.clear_event(); }},
      {"statement.event", [](v1::Statement& s) { s.set_event("niger-coup"); }},
      {"statement.actor", [](v1::Statement& s) { s.set_actor("actors/Bad Name"); }},
      {"statement.stance", [](v1::Statement& s) { s.clear_stance(); }},
      {"statement.stance",
       [](v1::Statement& s) { s.set_stance(static_cast<v1::Stance>(42)); }},
      {"statement.quote", [](v1::Statement& s) { s.clear_quote(); }},
      {"statement.quote", [](v1::Statement& s) { s.set_quote(std::string(40000, 'x')); }},
      {"statement.quote",
       [](v1::Statement& s) { s.set_quote(std::string("junta\0seized", 12)); }},
      {"statement.labels.region",
       [](v1::Statement& s) { (*s.mutable_labels())["region"] = std::string("sa\0hel", 6); }},
      {"statement.issue_time", [](v1::Statement& s) { s.clear_issue_time(); }},
      {"statement.issue_time",
       [](v1::Statement& s) { s.mutable_issue_time()->set_nanos(-1); }},
      {"statement.language",
       [](v1::Statement& s) { s.set_language("english language"); }},
      {"statement.joint_with[0]",
       [](v1::Statement& s) { s.add_joint_with("actors/ecowas"); }},
      {"statement.actions[0].kind", [](v1::Statement& s) { s.add_actions(); }},
      {"statement.actions[0].description",
       [](v1::Statement& s) { s.add_actions()->set_kind(v1::ACTION_KIND_OTHER); }},
      {"statement.actions[0].targets[0]",
       [](v1::Statement& s) {
         auto* a = s.add_actions();
         a->set_kind(v1::ACTION_KIND_DEMAND_RELEASE);
         a->add_targets("bazoum");
       }},
      {"statement.actions[0].codings[0].codebook_version",
       [](v1::Statement& s) {
         auto* a = s.add_actions();
         a->set_kind(v1::ACTION_KIND_CONDEMN);
         auto* c = a->add_codings();
         c->set_scheme("cameo");
         c->set_code("111");
       }},
      {"statement.actions[0].effective_to",
       [](v1::Statement& s) {
         auto* a = s.add_actions();
         a->set_kind(v1::ACTION_KIND_IMPOSE_SANCTIONS);
         a->mutable_effective_from()->set_seconds(2000);
         a->mutable_effective_to()->set_seconds(1000);
       }},
      {"statement.sources[0].url",
       [](v1::Statement& s) { s.mutable_sources(0)->set_url("javascript:alert(1)"); }},
      {"statement.sources[1]", [](v1::Statement& s) { s.add_sources(); }},
      {"statement.labels",
       [](v1::Statement& s) { (*s.mutable_labels())["Bad Key"] = "v"; }},
  };
  for (const auto& [field, mutate] : cases) {
    v1::Statement statement = MakeStatement("actors/ecowas");
    mutate(statement);
    v1::Statement out;
    grpc::Status status = Create(statement, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_EQ(status.error_message().rfind(field + ":", 0), 0u)
        << "expected the message to name " << field
        << ", got: " << status.error_message();
  }
  v1::ListStatementsRequest list;
  list.set_show_retracted(true);
  EXPECT_TRUE(ListAll(list, 100).empty()) << "rejected creates must write nothing";
}

TEST_F(StatementServiceTest, MissingActorOrEventIsFailedPrecondition) {
  v1::Statement out;
  grpc::Status status = Create(MakeStatement("actors/atlantis"), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("actors/atlantis"), std::string::npos);

  v1::Statement statement = MakeStatement("actors/ecowas");
  statement.set_event("events/unknown-event");
  status = Create(statement, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("events/unknown-event"), std::string::npos);

  statement = MakeStatement("actors/ecowas");
  statement.add_joint_with("actors/atlantis");
  EXPECT_EQ(Create(statement, &out).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(StatementServiceTest,
       RetryWithSameRequestIdReturnsFirstStatementEvenAfterRestart) {
  v1::Statement first = CreateStatementOrDie(MakeStatement("actors/ecowas"), "req-1");
  v1::Statement again = CreateStatementOrDie(MakeStatement("actors/ecowas"), "req-1");
  EXPECT_EQ(again.name(), first.name());
  RestartServer();
  v1::Statement after_restart =
      CreateStatementOrDie(MakeStatement("actors/ecowas"), "req-1");
  EXPECT_EQ(after_restart.name(), first.name());

  v1::ListStatementsRequest list;
  EXPECT_EQ(ListAll(list, 10).size(), 1u);

  // The same id for different content is a client bug, not a retry.
  v1::Statement out;
  grpc::Status status = Create(MakeStatement("actors/niger"), &out, "req-1");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("request_id", 0), 0u) << status.error_message();
}

TEST_F(StatementServiceTest, BatchCreateIsAllOrNothing) {
  v1::BatchCreateStatementsRequest batch;
  for (const char* actor : {"actors/ecowas", "actors/niger", "actors/atlantis"}) {
    *batch.add_requests()->mutable_statement() = MakeStatement(actor);
  }
  v1::BatchCreateStatementsResponse response;
  grpc::Status status =
      statements_->BatchCreateStatements(Context().get(), batch, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("requests[2]"), std::string::npos)
      << status.error_message();
  v1::ListStatementsRequest list;
  EXPECT_TRUE(ListAll(list, 10).empty());

  batch.mutable_requests(2)->mutable_statement()->set_actor("actors/united-nations");
  batch.mutable_requests(1)->mutable_statement()->clear_stance();
  status = statements_->BatchCreateStatements(Context().get(), batch, &response);
  EXPECT_EQ(status.error_message().rfind("requests[1].statement.stance:", 0), 0u)
      << status.error_message();

  batch.mutable_requests(1)->mutable_statement()->set_stance(v1::STANCE_CONCERNED);
  ASSERT_TRUE(statements_->BatchCreateStatements(Context().get(), batch, &response).ok());
  ASSERT_EQ(response.statements_size(), 3);
  EXPECT_EQ(response.statements(0).sequence(), 1);
  EXPECT_EQ(response.statements(2).sequence(), 3);
  EXPECT_EQ(response.statements(2).actor(), "actors/united-nations");
}

TEST_F(StatementServiceTest, IngestStreamAnswersEachItemInOrderWithPerItemErrors) {
  grpc::ClientContext context;
  auto stream = statements_->IngestStatements(&context);
  const std::vector<std::string> actors = {"actors/ecowas", "actors/atlantis",
                                           "actors/niger"};
  for (size_t i = 0; i < actors.size(); ++i) {
    v1::IngestStatementsRequest request;
    *request.mutable_request()->mutable_statement() = MakeStatement(actors[i]);
    request.mutable_request()->set_request_id("ingest-" + std::to_string(i));
    ASSERT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  std::vector<v1::IngestStatementsResponse> responses;
  v1::IngestStatementsResponse response;
  while (stream->Read(&response)) responses.push_back(response);
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(responses.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(responses[i].index(), i);
  EXPECT_TRUE(responses[0].has_statement());
  ASSERT_TRUE(responses[1].has_error());
  EXPECT_EQ(responses[1].error().code(),
            static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(responses[1].error().message(),
            "request.statement.actor: actors/atlantis does not exist");
  EXPECT_TRUE(responses[2].has_statement());
  EXPECT_EQ(responses[2].statement().sequence(), 2);
}

// A producer that sends everything before reading: the server reads ahead
// of its commits (up to its window), commits what arrived together, and
// still answers each item in order, on its own terms.
TEST_F(StatementServiceTest, PipelinedIngestAnswersThousandsOfItemsInOrderEachOnItsOwn) {
  constexpr int kItems = 3000;
  grpc::ClientContext context;
  auto stream = statements_->IngestStatements(&context);
  // Read concurrently: the server stops reading when too many answers wait.
  std::vector<v1::IngestStatementsResponse> responses;
  std::thread reader([&] {
    v1::IngestStatementsResponse response;
    while (stream->Read(&response)) responses.push_back(response);
  });
  auto expected_code = [](int i) {
    if (i % 100 == 5) return grpc::StatusCode::FAILED_PRECONDITION;  // missing actor
    if (i % 100 == 7) return grpc::StatusCode::INVALID_ARGUMENT;     // no stance
    if (i % 100 == 9) return grpc::StatusCode::ALREADY_EXISTS;       // repeats item i-1
    return grpc::StatusCode::OK;
  };
  for (int i = 0; i < kItems; ++i) {
    v1::IngestStatementsRequest request;
    v1::Statement statement =
        MakeStatement(expected_code(i) == grpc::StatusCode::FAILED_PRECONDITION
                          ? "actors/atlantis"
                          : "actors/ecowas");
    const int quoted = expected_code(i) == grpc::StatusCode::ALREADY_EXISTS ? i - 1 : i;
    statement.set_quote(absl::StrCat("Item number ", quoted, " of the ingest stream"));
    // Three days apart, in 64 bits: 3,000 items span 25 years.
    statement.mutable_issue_time()->set_seconds(int64_t{1690372800} +
                                                quoted * int64_t{86400 * 3});
    if (expected_code(i) == grpc::StatusCode::INVALID_ARGUMENT) statement.clear_stance();
    *request.mutable_request()->mutable_statement() = statement;
    request.mutable_request()->set_request_id(absl::StrCat("pipelined-", i));
    ASSERT_TRUE(stream->Write(request)) << i;
  }
  stream->WritesDone();
  reader.join();
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(responses.size(), static_cast<size_t>(kItems));
  int64_t last_sequence = 0;
  int created = 0;
  for (int i = 0; i < kItems; ++i) {
    const v1::IngestStatementsResponse& response = responses[i];
    ASSERT_EQ(response.index(), i);
    const grpc::StatusCode want = expected_code(i);
    if (want == grpc::StatusCode::OK) {
      ASSERT_TRUE(response.has_statement()) << i << ": " << response.error().message();
      EXPECT_EQ(response.statement().sequence(), last_sequence + 1) << "in order, gap-free";
      last_sequence = response.statement().sequence();
      ++created;
      continue;
    }
    ASSERT_TRUE(response.has_error()) << i;
    EXPECT_EQ(response.error().code(), static_cast<int>(want)) << i;
    EXPECT_THAT(response.error().message(), ::testing::StartsWith("request.statement."))
        << i;
  }
  // Everything answered as recorded is stored, and only that.
  v1::ListStatementsRequest list;
  list.set_page_size(1000);
  int listed = 0;
  while (true) {
    grpc::ClientContext list_context;
    v1::ListStatementsResponse page;
    ASSERT_TRUE(statements_->ListStatements(&list_context, list, &page).ok());
    listed += page.statements_size();
    if (page.next_page_token().empty()) break;
    list.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(listed, created);
}

// A client that goes away with items in flight leaves the server serving.
TEST_F(StatementServiceTest, IngestClientThatCancelsMidStreamLeavesTheServerServing) {
  for (int round = 0; round < 5; ++round) {
    grpc::ClientContext context;
    auto stream = statements_->IngestStatements(&context);
    for (int i = 0; i < 200; ++i) {
      v1::IngestStatementsRequest request;
      *request.mutable_request()->mutable_statement() = MakeStatement("actors/ecowas");
      request.mutable_request()->set_allow_duplicate(true);
      if (!stream->Write(request)) break;
    }
    context.TryCancel();
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  v1::Statement out;
  EXPECT_TRUE(Create(MakeStatement("actors/niger"), &out).ok());
}

// The name in the google.rpc.ResourceInfo detail of `status`, or "".
std::string ConflictingResourceIn(const std::string& serialized_status) {
  google::rpc::Status details;
  if (!details.ParseFromString(serialized_status)) return "";
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::ResourceInfo info;
    if (detail.UnpackTo(&info)) {
      EXPECT_EQ(info.resource_type(), "type.googleapis.com/rollcall.v1.Statement");
      return info.resource_name();
    }
  }
  return "";
}

TEST_F(StatementServiceTest,
       NearDuplicateIsAlreadyExistsNamingTheExistingInMessageAndDetail) {
  v1::Statement original = MakeStatement("actors/ecowas");
  original.set_quote(
      "ECOWAS condemns in the strongest terms the attempted seizure of power in Niger.");
  v1::Statement existing;
  ASSERT_TRUE(Create(original, &existing).ok());
  v1::Statement reworded = original;
  reworded.set_quote(
      "Ecowas condemns, in the strongest terms, the attempted seizure of power in "
      "Niger");
  reworded.mutable_issue_time()->set_seconds(original.issue_time().seconds() + 3 * 3600);

  v1::Statement out;
  grpc::Status status = Create(reworded, &out, "dup-1");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(status.error_message(),
            "statement.quote: near-identical to " + existing.name() +
                " by actors/ecowas on events/niger-coup-2023 (similarity 1.00); set "
                "allow_duplicate to record it anyway");
  EXPECT_EQ(ConflictingResourceIn(status.error_details()), existing.name());

  v1::BatchCreateStatementsRequest batch;
  *batch.add_requests()->mutable_statement() = MakeStatement("actors/niger");
  *batch.add_requests()->mutable_statement() = reworded;
  v1::BatchCreateStatementsResponse response;
  status = statements_->BatchCreateStatements(Context().get(), batch, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(status.error_message().rfind(
                "requests[1].statement.quote: near-identical to " + existing.name(), 0),
            0u)
      << status.error_message();
  EXPECT_EQ(ConflictingResourceIn(status.error_details()), existing.name());

  grpc::ClientContext context;
  auto stream = statements_->IngestStatements(&context);
  v1::IngestStatementsRequest item;
  *item.mutable_request()->mutable_statement() = reworded;
  ASSERT_TRUE(stream->Write(item));
  item.mutable_request()->set_allow_duplicate(true);
  ASSERT_TRUE(stream->Write(item));
  stream->WritesDone();
  std::vector<v1::IngestStatementsResponse> answers(2);
  ASSERT_TRUE(stream->Read(&answers[0]));
  ASSERT_TRUE(stream->Read(&answers[1]));
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_TRUE(answers[0].has_error());
  EXPECT_EQ(answers[0].error().code(),
            static_cast<int>(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(ConflictingResourceIn(answers[0].error().SerializeAsString()),
            existing.name());
  ASSERT_TRUE(answers[1].has_statement()) << "allow_duplicate records it anyway";
  EXPECT_NE(answers[1].statement().name(), existing.name());

  v1::CreateStatementRequest retry;
  *retry.mutable_statement() = reworded;
  retry.set_request_id("dup-1");
  retry.set_allow_duplicate(true);
  ASSERT_TRUE(statements_->CreateStatement(Context().get(), retry, &out).ok())
      << "the refused request recorded nothing, not even its request_id";
}

TEST_F(StatementServiceTest, ListFiltersByEventStanceBlocAndTimeAndPagesWithoutGaps) {
  const std::vector<std::pair<std::string, v1::Stance>> plan = {
      {"actors/ecowas", v1::STANCE_CONDEMNS},
      {"actors/niger", v1::STANCE_SUPPORTS},
      {"actors/benin", v1::STANCE_CONCERNED},
      {"actors/united-nations", v1::STANCE_CONDEMNS},
      {"actors/ecowas", v1::STANCE_CONDEMNS},
      {"actors/benin", v1::STANCE_CONDEMNS}};
  for (size_t i = 0; i < plan.size(); ++i) {
    v1::Statement statement = MakeStatement(plan[i].first, plan[i].second);
    statement.mutable_issue_time()->set_seconds(1690400000 + 3600 * static_cast<int>(i));
    CreateStatementOrDie(statement);
  }
  v1::ListStatementsRequest request;
  request.set_filter("event = \"events/niger-coup-2023\" AND stance = condemns");
  std::vector<v1::Statement> condemnations = ListAll(request, 2);
  ASSERT_EQ(condemnations.size(), 4u);
  for (size_t i = 1; i < condemnations.size(); ++i) {
    EXPECT_LT(ToUnixMicros(condemnations[i - 1].issue_time()),
              ToUnixMicros(condemnations[i].issue_time()));
  }

  request.set_filter("bloc = \"actors/ecowas\"");
  EXPECT_EQ(ListAll(request, 2).size(), 5u) << "ECOWAS itself and its members";

  request.set_filter(
      "issue_time >= \"2023-07-26T20:33:20Z\" AND issue_time < \"2023-07-26T22:33:20Z\"");
  EXPECT_EQ(ListAll(request, 10).size(), 2u);

  request.set_filter("");
  request.set_order_by("issue_time desc");
  std::vector<v1::Statement> newest_first = ListAll(request, 4);
  ASSERT_EQ(newest_first.size(), 6u);
  EXPECT_EQ(newest_first.front().actor(), "actors/benin");
  EXPECT_EQ(newest_first.back().actor(), "actors/ecowas");
}

TEST_F(StatementServiceTest, MalformedFilterOrderOrPageSizeIsInvalidArgument) {
  for (const auto& [filter, order_by, page_size, field] :
       std::vector<std::tuple<std::string, std::string, int, std::string>>{
           {"stance = ANGRY", "", 0, "filter"},
           {"event = ", "", 0, "filter"},
           {"", "quote", 0, "order_by"},
           {"", "", -1, "page_size"}}) {
    v1::ListStatementsRequest request;
    request.set_filter(filter);
    request.set_order_by(order_by);
    request.set_page_size(page_size);
    v1::ListStatementsResponse response;
    grpc::Status status =
        statements_->ListStatements(Context().get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << filter;
    EXPECT_EQ(status.error_message().rfind(field + ":", 0), 0u) << status.error_message();
  }
}

TEST_F(StatementServiceTest, UpdateMakesNewRevisionAndStaleEtagIsAborted) {
  v1::Statement created = CreateStatementOrDie(MakeStatement("actors/ecowas"));
  v1::UpdateStatementRequest update;
  update.mutable_statement()->set_name(created.name());
  update.mutable_statement()->set_etag(created.etag());
  update.mutable_statement()->set_quote("We strongly condemn the attempted coup d'etat.");
  update.mutable_statement()->set_stance(v1::STANCE_SUPPORTS);  // not in the mask
  update.mutable_update_mask()->add_paths("quote");
  v1::Statement updated;
  ASSERT_TRUE(statements_->UpdateStatement(Context().get(), update, &updated).ok());
  EXPECT_EQ(updated.revision(), 2);
  EXPECT_EQ(updated.sequence(), 2);
  EXPECT_EQ(updated.stance(), v1::STANCE_CONDEMNS);
  EXPECT_EQ(updated.quote(), "We strongly condemn the attempted coup d'etat.");

  grpc::Status stale = statements_->UpdateStatement(Context().get(), update, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);

  update.mutable_statement()->clear_etag();
  update.mutable_update_mask()->set_paths(0, "actor");
  update.mutable_statement()->set_actor("actors/atlantis");
  EXPECT_EQ(statements_->UpdateStatement(Context().get(), update, &updated).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  update.mutable_update_mask()->set_paths(0, "sequence");
  EXPECT_EQ(statements_->UpdateStatement(Context().get(), update, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  update.mutable_update_mask()->set_paths(0, "stance");
  update.mutable_statement()->set_stance(v1::STANCE_UNSPECIFIED);
  EXPECT_EQ(statements_->UpdateStatement(Context().get(), update, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::GetStatementRequest get;
  get.set_name(created.name());
  v1::Statement current;
  ASSERT_TRUE(statements_->GetStatement(Context().get(), get, &current).ok());
  EXPECT_EQ(current.revision(), 2) << "failed updates must not write";
}

TEST_F(StatementServiceTest, RetractionKeepsHistoryAndHidesFromDefaultList) {
  v1::Statement created = CreateStatementOrDie(MakeStatement("actors/ecowas"));
  v1::UpdateStatementRequest update;
  update.mutable_statement()->set_name(created.name());
  update.mutable_statement()->set_summary("ECOWAS condemns the coup.");
  update.mutable_update_mask()->add_paths("summary");
  v1::Statement updated;
  ASSERT_TRUE(statements_->UpdateStatement(Context().get(), update, &updated).ok());

  v1::RetractStatementRequest retract;
  retract.set_name(created.name());
  v1::Statement retracted;
  grpc::Status no_reason =
      statements_->RetractStatement(Context().get(), retract, &retracted);
  EXPECT_EQ(no_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(no_reason.error_message().rfind("reason:", 0), 0u);
  retract.set_reason("quote misattributed");
  ASSERT_TRUE(statements_->RetractStatement(Context().get(), retract, &retracted).ok());
  EXPECT_EQ(retracted.state(), v1::STATEMENT_STATE_RETRACTED);
  EXPECT_EQ(retracted.retraction().reason(), "quote misattributed");
  EXPECT_TRUE(retracted.retraction().has_retract_time());
  EXPECT_EQ(
      statements_->RetractStatement(Context().get(), retract, &retracted).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(statements_->UpdateStatement(Context().get(), update, &updated).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::ListStatementsRequest list;
  EXPECT_TRUE(ListAll(list, 10).empty());
  list.set_show_retracted(true);
  EXPECT_EQ(ListAll(list, 10).size(), 1u);

  v1::ListStatementRevisionsRequest history;
  history.set_name(created.name());
  history.set_page_size(2);
  std::vector<v1::Statement> revisions;
  do {
    v1::ListStatementRevisionsResponse response;
    ASSERT_TRUE(
        statements_->ListStatementRevisions(Context().get(), history, &response).ok());
    for (const auto& r : response.statements()) revisions.push_back(r);
    history.set_page_token(response.next_page_token());
  } while (!history.page_token().empty());
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[0].revision(), 1);
  EXPECT_EQ(revisions[0].summary(), "");
  EXPECT_EQ(revisions[1].summary(), "ECOWAS condemns the coup.");
  EXPECT_EQ(revisions[2].state(), v1::STATEMENT_STATE_RETRACTED);
  EXPECT_EQ(revisions[2].sequence(), 3);
}

TEST_F(StatementServiceTest, RestartLosesNothingAndSequencesContinue) {
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i)
    names.push_back(CreateStatementOrDie(MakeStatement("actors/niger")).name());
  RestartServer();
  v1::ListStatementsRequest list;
  std::vector<v1::Statement> all = ListAll(list, 7);
  std::set<std::string> listed;
  for (const auto& s : all) listed.insert(s.name());
  EXPECT_EQ(listed, std::set<std::string>(names.begin(), names.end()));
  EXPECT_EQ(CreateStatementOrDie(MakeStatement("actors/niger")).sequence(), 21);
}

TEST_F(StatementServiceTest, ConcurrentCreatesGetDistinctGapFreeSequences) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::vector<int64_t>> sequences(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        sequences[t].push_back(
            CreateStatementOrDie(MakeStatement("actors/ecowas")).sequence());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<int64_t> all;
  for (const auto& per_thread : sequences) {
    EXPECT_TRUE(std::is_sorted(per_thread.begin(), per_thread.end()));
    all.insert(per_thread.begin(), per_thread.end());
  }
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kPerThread);
}

}  // namespace
}  // namespace rollcall::testing
