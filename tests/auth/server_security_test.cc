// The listening rule: who may serve which address with which options.

#include "server/auth/server_security.h"

#include "gtest/gtest.h"
#include "server/server.h"
#include "tests/support/temp_dir.h"

namespace rollcall {
namespace {

TEST(ServerSecurityTest, RecognisesLoopbackAddresses) {
  for (const char* address :
       {"localhost:50051", "127.0.0.1:0", "127.1.2.3:80", "[::1]:50051", "unix:/tmp/s"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
  for (const char* address :
       {"0.0.0.0:50051", "[::]:50051", ":50051", "10.0.0.7:50051", "example.org:50051"}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

TEST(ServerSecurityTest, NonLoopbackWithoutAuthenticationNeedsInsecure) {
  SecurityOptions options;
  absl::StatusOr<ListeningCredentials> refused =
      MakeListeningCredentials(options, "0.0.0.0:0");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("--insecure"), std::string::npos);

  options.insecure = true;
  absl::StatusOr<ListeningCredentials> allowed =
      MakeListeningCredentials(options, "0.0.0.0:0");
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_NE(allowed->description.find("no authentication"), std::string::npos);
}

TEST(ServerSecurityTest, LoopbackWithoutTokensSaysItServesLoopbackOnly) {
  absl::StatusOr<ListeningCredentials> credentials =
      MakeListeningCredentials(SecurityOptions(), "localhost:0");
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_NE(credentials->description.find("loopback only"), std::string::npos);
}

TEST(ServerSecurityTest, TokensOffLoopbackNeedTls) {
  testing::TempDir dir;
  SecurityOptions options;
  options.tokens_file = dir.File("tokens");
  ASSERT_TRUE(testing::WriteFile(options.tokens_file, "a reader aaaaaaaaaaaaaaaa1\n"));
  options.insecure = true;  // does not let tokens travel in clear text
  absl::StatusOr<ListeningCredentials> refused =
      MakeListeningCredentials(options, "0.0.0.0:0");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("--tls_cert"), std::string::npos);
}

TEST(ServerSecurityTest, InconsistentTlsFlagsAreRefused) {
  SecurityOptions options;
  options.tls_cert_file = "server.pem";
  EXPECT_EQ(MakeListeningCredentials(options, "localhost:0").status().code(),
            absl::StatusCode::kInvalidArgument);
  SecurityOptions ca_only;
  ca_only.tls_client_ca_file = "ca.pem";
  EXPECT_EQ(MakeListeningCredentials(ca_only, "localhost:0").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ServerSecurityTest, ServerRefusesToStartOnAnOpenAddressWithoutAuthentication) {
  testing::TempDir dir;
  ServerOptions options;
  options.listen_address = "0.0.0.0:0";
  options.data_dir = dir.File("data");
  auto server = RollcallServer::Start(options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rollcall
