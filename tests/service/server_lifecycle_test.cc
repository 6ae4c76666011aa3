// The server around the services: health, shutdown, refusing bad data.

#include <filesystem>
#include <fstream>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/service/server_fixture.h"

namespace rollcall::testing {
namespace {

using ServerLifecycleTest = ServerTest;

TEST_F(ServerLifecycleTest, RefusesToStartOnADamagedDatabaseFileNamingIt) {
  const std::string path = server_->database_path();
  server_.reset();
  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << "this is not a database, just some bytes that replaced it";
  }
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.data_dir = data_dir_;
  auto server = RollcallServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find(path), std::string::npos) << server.status();
}

TEST_F(ServerLifecycleTest, AStoreThatIsNeitherEmptyNorPostgresIsRefusedNamingTheFlag) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.store = "mysql://rollcall@db/rollcall";
  auto server = RollcallServer::Start(options);
  ASSERT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(server.status().message().find("--store"), std::string::npos) << server.status();
}

TEST_F(ServerLifecycleTest, AnUnreachablePostgresIsUnavailable) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.store = "postgresql://rollcall@127.0.0.1:1/rollcall?connect_timeout=2";
  auto server = RollcallServer::Start(options);
  ASSERT_EQ(server.status().code(), absl::StatusCode::kUnavailable) << server.status();
  EXPECT_NE(server.status().message().find("cannot connect to PostgreSQL"), std::string::npos)
      << server.status();
}

TEST_F(ServerLifecycleTest, BusyPortIsReportedAsUnavailable) {
  ServerOptions options;
  options.listen_address = server_->address();
  std::string other = data_dir_ + "/other";
  options.data_dir = other;
  auto server = RollcallServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(ServerLifecycleTest, HealthReportsServingThenNotServingOnShutdown) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  for (const std::string service : {"", "rollcall.v1.StatementService"}) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(health->Check(Context().get(), request, &response).ok());
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  }
  // A Watch stream sees the switch to NOT_SERVING when shutdown begins.
  grpc::ClientContext watch_context;
  grpc::health::v1::HealthCheckRequest request;
  auto watch = health->Watch(&watch_context, request);
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  std::thread stopper([&] { server_->Shutdown(absl::Seconds(2)); });
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  watch_context.TryCancel();
  stopper.join();
}

}  // namespace
}  // namespace rollcall::testing
