// Every RPC of rollcall.v1 against a real server with a tokens file, called
// with no token, an unknown token, and a reader's, a writer's and an
// admin's token: each gets the code its role allows.

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "rollcall/v1/actor_service.grpc.pb.h"
#include "rollcall/v1/draft_service.grpc.pb.h"
#include "rollcall/v1/event_service.grpc.pb.h"
#include "rollcall/v1/statement_service.grpc.pb.h"
#include "server/common/time_util.h"
#include "server/server.h"
#include "tests/support/temp_dir.h"

namespace rollcall::testing {
namespace {

constexpr char kReaderToken[] = "reader-token-0123456789";
constexpr char kWriterToken[] = "writer-token-0123456789";
constexpr char kAdminToken[] = "admin-token-0123456789";

enum class Caller { kNoToken, kUnknownToken, kReader, kWriter, kAdmin };

std::string CallerName(Caller caller) {
  switch (caller) {
    case Caller::kNoToken:
      return "no token";
    case Caller::kUnknownToken:
      return "unknown token";
    case Caller::kReader:
      return "reader";
    case Caller::kWriter:
      return "writer";
    case Caller::kAdmin:
      return "admin";
  }
  return "";
}

std::unique_ptr<grpc::ClientContext> ContextFor(Caller caller) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const char* token = nullptr;
  switch (caller) {
    case Caller::kNoToken:
      break;
    case Caller::kUnknownToken:
      token = "not-a-token-of-this-server";
      break;
    case Caller::kReader:
      token = kReaderToken;
      break;
    case Caller::kWriter:
      token = kWriterToken;
      break;
    case Caller::kAdmin:
      token = kAdminToken;
      break;
  }
  if (token != nullptr)
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return context;
}

v1::Statement NigerStatement() {
  v1::Statement statement;
  statement.set_event("events/niger-coup-2023");
  statement.set_actor("actors/ecowas");
  statement.set_stance(v1::STANCE_CONDEMNS);
  statement.set_quote("We condemn the attempted coup d'etat.");
  statement.set_language("en");
  *statement.mutable_issue_time() = ToTimestamp(absl::FromUnixSeconds(1690400000));
  statement.add_sources()->set_url("https://example.org/niger");
  return statement;
}

class RoleAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string tokens = temp_dir_.File("tokens");
    ASSERT_TRUE(WriteFile(
        tokens, absl::StrCat("# name role token\n", "analyst reader ", kReaderToken, "\n",
                             "newsroom writer ", kWriterToken, "\n", "operator admin ",
                             kAdminToken, "\n")));
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.data_dir = temp_dir_.File("data");
    options.security.tokens_file = tokens;
    options.security.write_rate_per_second = write_rate_;
    options.security.write_burst = 2;
    auto server = RollcallServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto channel =
        grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    actors_ = v1::ActorService::NewStub(channel);
    events_ = v1::EventService::NewStub(channel);
    statements_ = v1::StatementService::NewStub(channel);
    drafts_ = v1::DraftService::NewStub(channel);
    CreateFixture();
  }

  void CreateFixture() {
    v1::CreateActorRequest actor;
    actor.set_actor_id("ecowas");
    actor.mutable_actor()->set_display_name("Economic Community of West African States");
    // The extractor finds ECOWAS by this alias whatever UpdateActor renames
    // it to.
    actor.mutable_actor()->add_aliases("ECOWAS");
    actor.mutable_actor()->set_kind(v1::ACTOR_KIND_REGIONAL_BLOC);
    v1::Actor created_actor;
    grpc::Status created =
        actors_->CreateActor(ContextFor(Caller::kAdmin).get(), actor, &created_actor);
    ASSERT_TRUE(created.ok()) << created.error_message();
    v1::CreateEventRequest event;
    event.set_event_id("niger-coup-2023");
    event.mutable_event()->set_title("Military coup in Niger");
    event.mutable_event()->set_country_code("NER");
    *event.mutable_event()->mutable_start_time() =
        ToTimestamp(absl::FromUnixSeconds(1690351200));
    v1::Event created_event;
    grpc::Status status =
        events_->CreateEvent(ContextFor(Caller::kAdmin).get(), event, &created_event);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // A new document for ExtractDrafts, in which the extractor finds ECOWAS
  // condemning the coup.
  v1::ExtractDraftsRequest NewDocument() {
    v1::ExtractDraftsRequest request;
    request.set_event("events/niger-coup-2023");
    request.mutable_document()->set_url(
        absl::StrCat("https://example.org/wire-", ++counter_));
    request.mutable_document()->set_text(
        "Niamey (AFP) - ECOWAS on Wednesday condemned the coup in Niger.\n");
    request.mutable_document()->set_language("en");
    return request;
  }

  // A pending draft, extracted with the admin token (every new document
  // reports the same reaction, so they add evidence to one draft until it
  // is reviewed).
  v1::Draft NewDraft() {
    v1::ExtractDraftsResponse response;
    grpc::Status status =
        drafts_->ExtractDrafts(ContextFor(Caller::kAdmin).get(), NewDocument(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.drafts_size(), 1) << response.DebugString();
    return response.drafts_size() > 0 ? response.drafts(0) : v1::Draft();
  }

  // A new statement, recorded with the admin token.
  std::string NewStatement() {
    v1::CreateStatementRequest request;
    *request.mutable_statement() = NigerStatement();
    request.set_request_id(absl::StrCat("fixture-", ++counter_));
    request.set_allow_duplicate(true);
    v1::Statement created;
    grpc::Status status =
        statements_->CreateStatement(ContextFor(Caller::kAdmin).get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created.name();
  }

  std::string UniqueId(const std::string& prefix) {
    return absl::StrCat(prefix, "-", ++counter_);
  }

  struct Rpc {
    std::string name;
    // The lowest caller admitted.
    Caller needs;
    std::function<grpc::Status(grpc::ClientContext*)> call;
  };

  std::vector<Rpc> AllRpcs();

  // Writes per second allowed to each token; 0: no limit.
  double write_rate_ = 0;
  TempDir temp_dir_;
  std::unique_ptr<RollcallServer> server_;
  std::unique_ptr<v1::ActorService::Stub> actors_;
  std::unique_ptr<v1::EventService::Stub> events_;
  std::unique_ptr<v1::StatementService::Stub> statements_;
  std::unique_ptr<v1::DraftService::Stub> drafts_;
  int counter_ = 0;
};

std::vector<RoleAccessTest::Rpc> RoleAccessTest::AllRpcs() {
  std::vector<Rpc> rpcs = {
      {"ActorService.CreateActor", Caller::kAdmin,
       [this](grpc::ClientContext* context) {
         v1::CreateActorRequest request;
         request.set_actor_id(UniqueId("actor"));
         request.mutable_actor()->set_display_name("An actor");
         request.mutable_actor()->set_kind(v1::ACTOR_KIND_STATE);
         v1::Actor response;
         return actors_->CreateActor(context, request, &response);
       }},
      {"ActorService.GetActor", Caller::kReader,
       [this](grpc::ClientContext* context) {
         v1::GetActorRequest request;
         request.set_name("actors/ecowas");
         v1::Actor response;
         return actors_->GetActor(context, request, &response);
       }},
      {"ActorService.ListActors", Caller::kReader,
       [this](grpc::ClientContext* context) {
         v1::ListActorsResponse response;
         return actors_->ListActors(context, v1::ListActorsRequest(), &response);
       }},
      {"ActorService.UpdateActor", Caller::kAdmin,
       [this](grpc::ClientContext* context) {
         v1::UpdateActorRequest request;
         request.mutable_actor()->set_name("actors/ecowas");
         request.mutable_actor()->set_display_name(UniqueId("ECOWAS"));
         request.mutable_update_mask()->add_paths("display_name");
         v1::Actor response;
         return actors_->UpdateActor(context, request, &response);
       }},
      {"EventService.CreateEvent", Caller::kAdmin,
       [this](grpc::ClientContext* context) {
         v1::CreateEventRequest request;
         request.set_event_id(UniqueId("event"));
         request.mutable_event()->set_title("An event");
         request.mutable_event()->set_country_code("NER");
         *request.mutable_event()->mutable_start_time() =
             ToTimestamp(absl::FromUnixSeconds(1690351200));
         v1::Event response;
         return events_->CreateEvent(context, request, &response);
       }},
      {"EventService.GetEvent", Caller::kReader,
       [this](grpc::ClientContext* context) {
         v1::GetEventRequest request;
         request.set_name("events/niger-coup-2023");
         v1::Event response;
         return events_->GetEvent(context, request, &response);
       }},
      {"EventService.ListEvents", Caller::kReader,
       [this](grpc::ClientContext* context) {
         v1::ListEventsResponse response;
         return events_->ListEvents(context, v1::ListEventsRequest(), &response);
       }},
      {"EventService.UpdateEvent", Caller::kAdmin,
       [this](grpc::ClientContext* context) {
         v1::UpdateEventRequest request;
         request.mutable_event()->set_name("events/niger-coup-2023");
         request.mutable_event()->set_title(UniqueId("Coup"));
         request.mutable_update_mask()->add_paths("title");
         v1::Event response;
         return events_->UpdateEvent(context, request, &response);
       }},
  };
  std::vector<Rpc> statement_rpcs = {
      {"StatementService.CreateStatement", Caller::kWriter,
       [this](grpc::ClientContext* context) {
         v1::CreateStatementRequest request;
         *request.mutable_statement() = NigerStatement();
         request.set_request_id(UniqueId("create"));
         request.set_allow_duplicate(true);
         v1::Statement response;
         return statements_->CreateStatement(context, request, &response);
       }},
      {"StatementService.BatchCreateStatements", Caller::kWriter,
       [this](grpc::ClientContext* context) {
         v1::BatchCreateStatementsRequest request;
         v1::CreateStatementRequest* item = request.add_requests();
         *item->mutable_statement() = NigerStatement();
         item->set_request_id(UniqueId("batch"));
         item->set_allow_duplicate(true);
         v1::BatchCreateStatementsResponse response;
         return statements_->BatchCreateStatements(context, request, &response);
       }},
      {"StatementService.IngestStatements", Caller::kWriter,
       [this](grpc::ClientContext* context) {
         auto stream = statements_->IngestStatements(context);
         v1::IngestStatementsRequest request;
         *request.mutable_request()->mutable_statement() = NigerStatement();
         request.mutable_request()->set_request_id(UniqueId("ingest"));
         request.mutable_request()->set_allow_duplicate(true);
         stream->Write(request);
         stream->WritesDone();
         v1::IngestStatementsResponse response;
         while (stream->Read(&response)) {
           if (response.has_error()) {
             return grpc::Status(grpc::StatusCode::INTERNAL, response.error().message());
           }
         }
         return stream->Finish();
       }},
      {"StatementService.GetStatement", Caller::kReader,
       [this, name = NewStatement()](grpc::ClientContext* context) {
         v1::GetStatementRequest request;
         request.set_name(name);
         v1::Statement response;
         return statements_->GetStatement(context, request, &response);
       }},
      {"StatementService.ListStatements", Caller::kReader,
       [this](grpc::ClientContext* context) {
         v1::ListStatementsResponse response;
         return statements_->ListStatements(context, v1::ListStatementsRequest(),
                                            &response);
       }},
      {"StatementService.UpdateStatement", Caller::kWriter,
       [this, name = NewStatement()](grpc::ClientContext* context) {
         v1::UpdateStatementRequest request;
         request.mutable_statement()->set_name(name);
         request.mutable_statement()->set_quote(UniqueId("We condemn"));
         request.mutable_update_mask()->add_paths("quote");
         v1::Statement response;
         return statements_->UpdateStatement(context, request, &response);
       }},
      {"StatementService.RetractStatement", Caller::kWriter,
       [this](grpc::ClientContext* context) {
         v1::RetractStatementRequest request;
         request.set_name(NewStatement());
         request.set_reason("misattributed");
         v1::Statement response;
         return statements_->RetractStatement(context, request, &response);
       }},
      {"StatementService.ListStatementRevisions", Caller::kReader,
       [this, name = NewStatement()](grpc::ClientContext* context) {
         v1::ListStatementRevisionsRequest request;
         request.set_name(name);
         v1::ListStatementRevisionsResponse response;
         return statements_->ListStatementRevisions(context, request, &response);
       }},
      {"StatementService.SubscribeStatements", Caller::kReader,
       [this](grpc::ClientContext* context) {
         v1::SubscribeStatementsRequest request;
         request.set_from_beginning(true);
         auto stream = statements_->SubscribeStatements(context, request);
         v1::SubscribeStatementsResponse response;
         // Admitted: the replay ends with caught_up; then stop listening.
         while (stream->Read(&response)) {
           if (response.has_caught_up()) {
             context->TryCancel();
             stream->Finish();
             return grpc::Status::OK;
           }
         }
         return stream->Finish();
       }},
      {"StatementService.SummarizeReactions", Caller::kReader,
       [this](grpc::ClientContext* context) {
         v1::SummarizeReactionsRequest request;
         request.set_event("events/niger-coup-2023");
         v1::SummarizeReactionsResponse response;
         return statements_->SummarizeReactions(context, request, &response);
       }},
  };
  rpcs.insert(rpcs.end(), statement_rpcs.begin(), statement_rpcs.end());
  std::vector<Rpc> draft_rpcs = {
      {"DraftService.ExtractDrafts", Caller::kWriter,
       [this](grpc::ClientContext* context) {
         v1::ExtractDraftsResponse response;
         return drafts_->ExtractDrafts(context, NewDocument(), &response);
       }},
      {"DraftService.GetDocument", Caller::kReader,
       [this, draft = NewDraft()](grpc::ClientContext* context) {
         v1::GetDocumentRequest request;
         request.set_name(draft.evidence(0).document());
         v1::Document response;
         return drafts_->GetDocument(context, request, &response);
       }},
      {"DraftService.GetDraft", Caller::kReader,
       [this, draft = NewDraft()](grpc::ClientContext* context) {
         v1::GetDraftRequest request;
         request.set_name(draft.name());
         v1::Draft response;
         return drafts_->GetDraft(context, request, &response);
       }},
      {"DraftService.ListDrafts", Caller::kReader,
       [this](grpc::ClientContext* context) {
         v1::ListDraftsResponse response;
         return drafts_->ListDrafts(context, v1::ListDraftsRequest(), &response);
       }},
      {"DraftService.AcceptDraft", Caller::kWriter,
       [this](grpc::ClientContext* context) {
         v1::AcceptDraftRequest request;
         request.set_name(NewDraft().name());
         request.set_allow_duplicate(true);
         v1::AcceptDraftResponse response;
         return drafts_->AcceptDraft(context, request, &response);
       }},
      {"DraftService.RejectDraft", Caller::kWriter,
       [this](grpc::ClientContext* context) {
         v1::RejectDraftRequest request;
         request.set_name(NewDraft().name());
         request.set_reason("not a reaction");
         v1::Draft response;
         return drafts_->RejectDraft(context, request, &response);
       }},
  };
  rpcs.insert(rpcs.end(), draft_rpcs.begin(), draft_rpcs.end());
  return rpcs;
}

grpc::StatusCode Expected(Caller caller, Caller needs) {
  if (caller == Caller::kNoToken || caller == Caller::kUnknownToken) {
    return grpc::StatusCode::UNAUTHENTICATED;
  }
  return static_cast<int>(caller) >= static_cast<int>(needs)
             ? grpc::StatusCode::OK
             : grpc::StatusCode::PERMISSION_DENIED;
}

TEST_F(RoleAccessTest, EveryRpcAnswersEachCallerAsItsRoleAllows) {
  const std::vector<Rpc> rpcs = AllRpcs();
  ASSERT_EQ(rpcs.size(), 24u);  // every method of the four services
  for (const Rpc& rpc : rpcs) {
    for (Caller caller : {Caller::kNoToken, Caller::kUnknownToken, Caller::kReader,
                          Caller::kWriter, Caller::kAdmin}) {
      grpc::Status status = rpc.call(ContextFor(caller).get());
      EXPECT_EQ(status.error_code(), Expected(caller, rpc.needs))
          << rpc.name << " as " << CallerName(caller) << ": " << status.error_message();
    }
  }
}

TEST_F(RoleAccessTest, RefusalsSayWhatIsMissingWithoutEchoingTheToken) {
  v1::ListActorsResponse list;
  grpc::Status none = actors_->ListActors(ContextFor(Caller::kNoToken).get(),
                                          v1::ListActorsRequest(), &list);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(none.error_message().find("authorization"), std::string::npos)
      << none.error_message();

  grpc::Status unknown = actors_->ListActors(ContextFor(Caller::kUnknownToken).get(),
                                             v1::ListActorsRequest(), &list);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(unknown.error_message().find("not-a-token"), std::string::npos);

  v1::CreateEventRequest request;
  request.set_event_id("denied");
  request.mutable_event()->set_title("Denied");
  request.mutable_event()->set_country_code("NER");
  *request.mutable_event()->mutable_start_time() =
      ToTimestamp(absl::FromUnixSeconds(1690351200));
  v1::Event event;
  grpc::Status denied =
      events_->CreateEvent(ContextFor(Caller::kWriter).get(), request, &event);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(denied.error_message().find("admin"), std::string::npos);
  EXPECT_NE(denied.error_message().find("newsroom"), std::string::npos);
  EXPECT_EQ(denied.error_message().find(kWriterToken), std::string::npos);
}

TEST_F(RoleAccessTest, HealthCheckNeedsNoToken) {
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("rollcall.v1.StatementService");
  grpc::health::v1::HealthCheckResponse response;
  auto channel =
      grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  grpc::Status status =
      grpc::health::v1::Health::NewStub(channel)->Check(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(RoleAccessTest, MalformedAuthorizationHeaderIsUnauthenticated) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Basic ", kAdminToken));
  v1::ListActorsResponse list;
  grpc::Status status = actors_->ListActors(&context, v1::ListActorsRequest(), &list);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

class WriteRateTest : public RoleAccessTest {
 protected:
  WriteRateTest() { write_rate_ = 0.01; }
};

TEST_F(WriteRateTest, WritesOverTheTokensRateAreResourceExhaustedWithWhenToRetry) {
  auto create = [this] {
    v1::CreateStatementRequest request;
    *request.mutable_statement() = NigerStatement();
    request.set_request_id(UniqueId("limited"));
    request.set_allow_duplicate(true);
    v1::Statement created;
    return statements_->CreateStatement(ContextFor(Caller::kWriter).get(), request,
                                        &created);
  };
  EXPECT_TRUE(create().ok());
  EXPECT_TRUE(create().ok());
  grpc::Status refused = create();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("write rate limit"), std::string::npos)
      << refused.error_message();
  EXPECT_NE(refused.error_message().find("retry after"), std::string::npos);
  // Reads are not limited.
  v1::ListStatementsResponse list;
  EXPECT_TRUE(statements_
                  ->ListStatements(ContextFor(Caller::kWriter).get(),
                                   v1::ListStatementsRequest(), &list)
                  .ok());
}

}  // namespace
}  // namespace rollcall::testing
