#include "tests/service/server_fixture.h"

#include <stdlib.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "server/common/time_util.h"

namespace rollcall::testing {

void ServerTest::SetUp() {
  data_dir_ = temp_dir_.File("data");
  StartServer("127.0.0.1:0");
}

void ServerTest::TearDown() {
  statements_.reset();
  events_.reset();
  actors_.reset();
  channel_.reset();
  server_.reset();
}

void ServerTest::StartServer(const std::string& listen) {
  ServerOptions options = options_;
  options.listen_address = listen;
  options.data_dir = data_dir_;
  auto server = RollcallServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  actors_ = v1::ActorService::NewStub(channel_);
  events_ = v1::EventService::NewStub(channel_);
  statements_ = v1::StatementService::NewStub(channel_);
}

void ServerTest::RestartServer() {
  const std::string address = server_->address();
  server_->Shutdown();
  server_.reset();
  StartServer(address);
}

std::unique_ptr<grpc::ClientContext> ServerTest::Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

v1::Actor ServerTest::CreateActorOrDie(const std::string& id, v1::ActorKind kind,
                                       const std::string& member_of) {
  v1::CreateActorRequest request;
  request.set_actor_id(id);
  request.mutable_actor()->set_display_name(absl::StrCat("Actor ", id));
  request.mutable_actor()->set_kind(kind);
  if (!member_of.empty()) {
    request.mutable_actor()->add_member_of()->set_organisation(member_of);
  }
  v1::Actor actor;
  grpc::Status status = actors_->CreateActor(Context().get(), request, &actor);
  EXPECT_TRUE(status.ok()) << id << ": " << status.error_message();
  return actor;
}

void ServerTest::CreateNigerFixture() {
  CreateActorOrDie("ecowas", v1::ACTOR_KIND_REGIONAL_BLOC);
  CreateActorOrDie("united-nations", v1::ACTOR_KIND_INTERNATIONAL_ORGANISATION);
  CreateActorOrDie("niger", v1::ACTOR_KIND_STATE, "actors/ecowas");
  CreateActorOrDie("benin", v1::ACTOR_KIND_STATE, "actors/ecowas");
  v1::CreateEventRequest request;
  request.set_event_id("niger-coup-2023");
  request.mutable_event()->set_title("Military coup in Niger");
  request.mutable_event()->set_country_code("NER");
  *request.mutable_event()->mutable_start_time() =
      ToTimestamp(absl::FromUnixSeconds(1690351200));  // 2023-07-26T06:00:00Z
  v1::Event event;
  grpc::Status status = events_->CreateEvent(Context().get(), request, &event);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

v1::Statement ServerTest::MakeStatement(const std::string& actor, v1::Stance stance) {
  v1::Statement statement;
  statement.set_event("events/niger-coup-2023");
  statement.set_actor(actor);
  statement.set_stance(stance);
  statement.set_quote("We condemn the attempted coup d'etat.");
  statement.set_language("en");
  *statement.mutable_issue_time() = ToTimestamp(absl::FromUnixSeconds(1690400000));
  v1::Source* source = statement.add_sources();
  source->set_publisher("AFP");
  source->set_url("https://example.org/niger");
  (*statement.mutable_labels())["dataset"] = "test";
  return statement;
}

v1::Statement ServerTest::CreateStatementOrDie(const v1::Statement& statement,
                                               const std::string& request_id) {
  v1::CreateStatementRequest request;
  *request.mutable_statement() = statement;
  request.set_request_id(request_id);
  request.set_allow_duplicate(true);
  v1::Statement created;
  grpc::Status status = statements_->CreateStatement(Context().get(), request, &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return created;
}

}  // namespace rollcall::testing
