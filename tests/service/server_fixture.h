#ifndef ROLLCALL_TESTS_SERVICE_SERVER_FIXTURE_H_
#define ROLLCALL_TESTS_SERVICE_SERVER_FIXTURE_H_

// A real RollcallServer on 127.0.0.1:0 over a fresh data directory, and
// stubs on a real channel to it.

#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "rollcall/v1/actor_service.grpc.pb.h"
#include "rollcall/v1/event_service.grpc.pb.h"
#include "rollcall/v1/statement_service.grpc.pb.h"
#include "server/server.h"
#include "tests/support/temp_dir.h"

namespace rollcall::testing {

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Stops the server and starts a new one on the same data directory.
  void RestartServer();

  // A context with a 10 s deadline.
  static std::unique_ptr<grpc::ClientContext> Context();

  // Creates actors/ecowas (bloc), actors/niger (state, member of ECOWAS),
  // actors/united-nations and events/niger-coup-2023.
  void CreateNigerFixture();

  // A valid statement by `actor` on events/niger-coup-2023.
  static v1::Statement MakeStatement(const std::string& actor,
                                     v1::Stance stance = v1::STANCE_CONDEMNS);

  v1::Actor CreateActorOrDie(const std::string& id, v1::ActorKind kind,
                             const std::string& member_of = "");
  // Records `statement` even if it duplicates one (allow_duplicate): tests
  // record MakeStatement's statement many times on purpose.
  v1::Statement CreateStatementOrDie(const v1::Statement& statement,
                                     const std::string& request_id = "");

  TempDir temp_dir_;
  std::string data_dir_;
  // Options for the next (re)start; listen_address and data_dir are set by
  // the fixture.
  ServerOptions options_;
  std::unique_ptr<RollcallServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ActorService::Stub> actors_;
  std::unique_ptr<v1::EventService::Stub> events_;
  std::unique_ptr<v1::StatementService::Stub> statements_;

 private:
  void StartServer(const std::string& listen);
};

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_SERVICE_SERVER_FIXTURE_H_
