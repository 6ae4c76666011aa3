// TLS and mutual TLS against a real server, with certificates made by
// openssl at test time.

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "rollcall/v1/actor_service.grpc.pb.h"
#include "server/server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

namespace rollcall::testing {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TestCertificates> certificates =
        MakeTestCertificates(temp_dir_.path());
    ASSERT_TRUE(certificates.ok()) << certificates.status();
    certificates_ = *certificates;
  }

  void StartServer(bool require_client_certificates) {
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.data_dir = temp_dir_.File("data");
    options.security.tls_cert_file = certificates_.server_cert;
    options.security.tls_key_file = certificates_.server_key;
    if (require_client_certificates) {
      options.security.tls_client_ca_file = certificates_.ca_cert;
    }
    auto server = RollcallServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  grpc::Status ListActors(const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
    grpc::ChannelArguments arguments;
    arguments.SetSslTargetNameOverride("localhost");
    auto channel = grpc::CreateCustomChannel(server_->address(), credentials, arguments);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::ListActorsResponse response;
    return v1::ActorService::NewStub(channel)->ListActors(
        &context, v1::ListActorsRequest(), &response);
  }

  grpc::SslCredentialsOptions TrustingTheCa(bool with_client_certificate) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = ReadFile(certificates_.ca_cert);
    if (with_client_certificate) {
      ssl.pem_cert_chain = ReadFile(certificates_.client_cert);
      ssl.pem_private_key = ReadFile(certificates_.client_key);
    }
    return ssl;
  }

  TempDir temp_dir_;
  TestCertificates certificates_;
  std::unique_ptr<RollcallServer> server_;
};

TEST_F(TlsTest, ClientTrustingTheCaIsServed) {
  StartServer(/*require_client_certificates=*/false);
  grpc::Status status = ListActors(grpc::SslCredentials(TrustingTheCa(false)));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(TlsTest, PlaintextClientIsNotServed) {
  StartServer(/*require_client_certificates=*/false);
  EXPECT_EQ(ListActors(grpc::InsecureChannelCredentials()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, ClientNotTrustingTheServersCaIsNotConnected) {
  StartServer(/*require_client_certificates=*/false);
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(certificates_.client_cert);  // not the CA
  EXPECT_EQ(ListActors(grpc::SslCredentials(ssl)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsServesOnlyClientsWithACertificateFromTheCa) {
  StartServer(/*require_client_certificates=*/true);
  grpc::Status with_certificate = ListActors(grpc::SslCredentials(TrustingTheCa(true)));
  EXPECT_TRUE(with_certificate.ok()) << with_certificate.error_message();
  EXPECT_EQ(ListActors(grpc::SslCredentials(TrustingTheCa(false))).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace rollcall::testing
