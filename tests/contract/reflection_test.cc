// What a grpcurl-style tool does with nothing but the server's address: list
// the services through reflection, fetch their descriptors, build a request
// from JSON, call the method generically and print the answer as JSON; and
// ask the standard health service. Against a real rollcalld process.

#include <chrono>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/descriptor_database.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/proto_buffer_writer.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace rollcall::testing {
namespace {

namespace pb = ::google::protobuf;
namespace reflection = ::grpc::reflection::v1alpha;
using ::testing::IsSupersetOf;

class ReflectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(ROLLCALLD_PATH, dir_.File("data"),
                                              dir_.File("rollcalld.log"));
    absl::Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started;
    channel_ =
        grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  }

  // One request on the reflection stream, as grpcurl sends them.
  reflection::ServerReflectionResponse Ask(
      const reflection::ServerReflectionRequest& request) {
    reflection::ServerReflectionResponse response;
    EXPECT_TRUE(stream_->Write(request));
    EXPECT_TRUE(stream_->Read(&response));
    return response;
  }

  void OpenReflectionStream() {
    stub_ = reflection::ServerReflection::NewStub(channel_);
    context_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    stream_ = stub_->ServerReflectionInfo(&context_);
  }

  // Fetches the file defining `symbol` and every file it depends on into
  // `database_` (the server sends each file once per stream).
  void LoadSymbol(const std::string& symbol) {
    reflection::ServerReflectionRequest request;
    request.set_file_containing_symbol(symbol);
    reflection::ServerReflectionResponse response = Ask(request);
    ASSERT_TRUE(response.has_file_descriptor_response())
        << symbol << ": " << response.ShortDebugString();
    for (const std::string& bytes :
         response.file_descriptor_response().file_descriptor_proto()) {
      pb::FileDescriptorProto file;
      ASSERT_TRUE(file.ParseFromString(bytes));
      database_.Add(file);
    }
  }

  // Calls `method` ("/pkg.Service/Method") with a request built from JSON,
  // and returns the status and the response as JSON.
  std::pair<grpc::Status, std::string> CallWithJson(const pb::MethodDescriptor& method,
                                                    const std::string& request_json) {
    std::unique_ptr<pb::Message> request(
        factory_.GetPrototype(method.input_type())->New());
    pb::util::Status parsed = pb::util::JsonStringToMessage(request_json, request.get());
    EXPECT_TRUE(parsed.ok()) << parsed;
    grpc::ByteBuffer request_bytes;
    bool own_buffer = false;
    grpc::Status serialized =
        grpc::GenericSerialize<grpc::ProtoBufferWriter, pb::Message>(
            *request, &request_bytes, &own_buffer);
    EXPECT_TRUE(serialized.ok()) << serialized.error_message();

    grpc::GenericStub generic(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::ByteBuffer response_bytes;
    std::promise<grpc::Status> done;
    generic.UnaryCall(
        &context, absl::StrCat("/", method.service()->full_name(), "/", method.name()),
        grpc::StubOptions(), &request_bytes, &response_bytes,
        [&done](grpc::Status status) { done.set_value(std::move(status)); });
    grpc::Status status = done.get_future().get();
    if (!status.ok()) return {status, ""};

    std::unique_ptr<pb::Message> response(
        factory_.GetPrototype(method.output_type())->New());
    grpc::Status deserialized =
        grpc::GenericDeserialize<grpc::ProtoBufferReader, pb::Message>(&response_bytes,
                                                                       response.get());
    EXPECT_TRUE(deserialized.ok()) << deserialized.error_message();
    std::string json;
    EXPECT_TRUE(pb::util::MessageToJsonString(*response, &json).ok());
    return {status, json};
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<reflection::ServerReflection::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<reflection::ServerReflectionRequest,
                                           reflection::ServerReflectionResponse>>
      stream_;
  pb::SimpleDescriptorDatabase database_;
  pb::DynamicMessageFactory factory_;
};

TEST_F(ReflectionTest, ListsEveryServiceIncludingHealthAndReflection) {
  OpenReflectionStream();
  reflection::ServerReflectionRequest request;
  request.set_list_services("");
  reflection::ServerReflectionResponse response = Ask(request);
  ASSERT_TRUE(response.has_list_services_response()) << response.ShortDebugString();
  std::set<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.insert(service.name());
  }
  EXPECT_THAT(names,
              IsSupersetOf({"rollcall.v1.ActorService", "rollcall.v1.EventService",
                            "rollcall.v1.StatementService", "rollcall.v1.DraftService",
                            "grpc.health.v1.Health",
                            "grpc.reflection.v1alpha.ServerReflection"}));
}

TEST_F(ReflectionTest, DescriptorsFromReflectionAloneAreEnoughToCallTheServer) {
  OpenReflectionStream();
  for (const char* service :
       {"rollcall.v1.ActorService", "rollcall.v1.StatementService"}) {
    LoadSymbol(service);
  }
  pb::DescriptorPool pool(&database_);
  const pb::ServiceDescriptor* actors =
      pool.FindServiceByName("rollcall.v1.ActorService");
  const pb::ServiceDescriptor* statements =
      pool.FindServiceByName("rollcall.v1.StatementService");
  ASSERT_NE(actors, nullptr);
  ASSERT_NE(statements, nullptr);

  // The streaming method is described as streaming, with its message types.
  const pb::MethodDescriptor* subscribe =
      statements->FindMethodByName("SubscribeStatements");
  ASSERT_NE(subscribe, nullptr);
  EXPECT_TRUE(subscribe->server_streaming());
  EXPECT_FALSE(subscribe->client_streaming());
  EXPECT_EQ(subscribe->output_type()->full_name(),
            "rollcall.v1.SubscribeStatementsResponse");
  const pb::MethodDescriptor* ingest = statements->FindMethodByName("IngestStatements");
  ASSERT_NE(ingest, nullptr);
  EXPECT_TRUE(ingest->client_streaming() && ingest->server_streaming());

  // grpcurl -d '{"actorId": "ecowas", ...}' ... rollcall.v1.ActorService/CreateActor
  const pb::MethodDescriptor* create = actors->FindMethodByName("CreateActor");
  ASSERT_NE(create, nullptr);
  auto [created, created_json] = CallWithJson(
      *create,
      R"({"actorId": "ecowas", "actor": {"displayName": "ECOWAS", "kind": "ACTOR_KIND_REGIONAL_BLOC"}})");
  ASSERT_TRUE(created.ok()) << created.error_message();
  EXPECT_THAT(created_json, ::testing::HasSubstr(R"("name":"actors/ecowas")"));
  EXPECT_THAT(created_json, ::testing::HasSubstr(R"("kind":"ACTOR_KIND_REGIONAL_BLOC")"));

  // Errors come back with their canonical code and a message naming the field.
  auto [missing, missing_json] =
      CallWithJson(*actors->FindMethodByName("GetActor"), R"({"name": "actors/nobody"})");
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  auto [invalid, invalid_json] =
      CallWithJson(*create, R"({"actorId": "x", "actor": {}})");
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(invalid.error_message(), ::testing::HasSubstr("actor."));
}

TEST_F(ReflectionTest, DraftServiceIsDescribedAndCallableFromReflectionAlone) {
  OpenReflectionStream();
  LoadSymbol("rollcall.v1.DraftService");
  pb::DescriptorPool pool(&database_);
  const pb::ServiceDescriptor* drafts = pool.FindServiceByName("rollcall.v1.DraftService");
  ASSERT_NE(drafts, nullptr);
  // ExtractDrafts is a raw method in the server; reflection describes it
  // with its message types all the same.
  const pb::MethodDescriptor* extract = drafts->FindMethodByName("ExtractDrafts");
  ASSERT_NE(extract, nullptr);
  EXPECT_EQ(extract->input_type()->full_name(), "rollcall.v1.ExtractDraftsRequest");
  EXPECT_EQ(extract->output_type()->full_name(), "rollcall.v1.ExtractDraftsResponse");
  auto [missing, missing_json] = CallWithJson(
      *extract,
      R"({"event": "events/nowhere", "document": {"text": "ECOWAS condemned the coup."}})");
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND) << missing.error_message();
  auto [empty, empty_json] =
      CallWithJson(*extract, R"({"event": "events/nowhere", "document": {"text": ""}})");
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(empty.error_message(), ::testing::HasSubstr("document.text: is empty"));
  auto [listed, listed_json] =
      CallWithJson(*drafts->FindMethodByName("ListDrafts"), R"({"filter": "state = PENDING"})");
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  EXPECT_EQ(listed_json, "{}");
}

TEST_F(ReflectionTest, HealthReportsServingForTheServerAndEachService) {
  OpenReflectionStream();
  LoadSymbol("grpc.health.v1.Health");
  pb::DescriptorPool pool(&database_);
  const pb::ServiceDescriptor* health = pool.FindServiceByName("grpc.health.v1.Health");
  ASSERT_NE(health, nullptr);
  const pb::MethodDescriptor* check = health->FindMethodByName("Check");
  ASSERT_NE(check, nullptr);
  for (const char* service : {"", "rollcall.v1.StatementService", "rollcall.v1.DraftService"}) {
    auto [status, json] =
        CallWithJson(*check, absl::StrCat(R"({"service": ")", service, R"("})"));
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    EXPECT_EQ(json, R"({"status":"SERVING"})") << service;
  }
  auto [unknown, json] = CallWithJson(*check, R"({"service": "no.such.Service"})");
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace rollcall::testing
