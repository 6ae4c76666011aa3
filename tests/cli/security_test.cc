// The CLI against a rollcalld that serves TLS and checks bearer tokens:
// --token, --token_file, $ROLLCALL_TOKEN, --tls_ca, and mutual TLS with
// --tls_cert/--tls_key.

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_fixture.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

namespace rollcall::testing {
namespace {

constexpr char kReaderToken[] = "reader-token-0123456789";
constexpr char kAdminToken[] = "admin-token-0123456789";

class CliSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RollcalldPath().empty() || RollcallPath().empty()) {
      GTEST_SKIP() << "rollcalld or rollcall is not built";
    }
    absl::StatusOr<TestCertificates> certificates = MakeTestCertificates(dir_.path());
    ASSERT_TRUE(certificates.ok()) << certificates.status();
    certificates_ = *certificates;
    ASSERT_TRUE(WriteFile(dir_.File("tokens"),
                          absl::StrCat("analyst reader ", kReaderToken, "\n",
                                       "operator admin ", kAdminToken, "\n")));
    ASSERT_TRUE(WriteFile(dir_.File("admin.token"), absl::StrCat(kAdminToken, "\n")));
  }

  void StartServer(bool mutual_tls) {
    std::vector<std::string> args = {"--tokens_file=" + dir_.File("tokens"),
                                     "--tls_cert=" + certificates_.server_cert,
                                     "--tls_key=" + certificates_.server_key};
    if (mutual_tls) args.push_back("--tls_client_ca=" + certificates_.ca_cert);
    server_ = std::make_unique<ServerProcess>(RollcalldPath(), dir_.File("data"),
                                              dir_.File("rollcalld.log"), args);
    absl::Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started;
  }

  CommandResult Rollcall(std::vector<std::string> args,
                         const std::map<std::string, std::string>& env = {}) {
    args.insert(args.begin(), {RollcallPath(), "--server", server_->address()});
    return RunCommand(args, "", env);
  }

  TempDir dir_;
  TestCertificates certificates_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(CliSecurityTest, TokenFileOverTlsIsServed) {
  StartServer(/*mutual_tls=*/false);
  CommandResult added = Rollcall({"--tls_ca", certificates_.ca_cert, "--token_file",
                                  dir_.File("admin.token"), "actors", "add", "ecowas",
                                  "--name", "ECOWAS", "--kind", "regional-bloc"});
  EXPECT_EQ(added.exit_code, 0) << added.stderr_text;
  CommandResult listed = Rollcall(
      {"--tls_ca", certificates_.ca_cert, "--token", kReaderToken, "actors", "list"});
  EXPECT_EQ(listed.exit_code, 0) << listed.stderr_text;
  EXPECT_NE(listed.stdout_text.find("ecowas"), std::string::npos) << listed.stdout_text;
}

TEST_F(CliSecurityTest, MissingOrTooWeakTokenIsReported) {
  StartServer(/*mutual_tls=*/false);
  CommandResult anonymous =
      Rollcall({"--tls_ca", certificates_.ca_cert, "actors", "list"});
  EXPECT_EQ(anonymous.exit_code, 1);
  EXPECT_NE(anonymous.stderr_text.find("UNAUTHENTICATED"), std::string::npos)
      << anonymous.stderr_text;
  CommandResult reader =
      Rollcall({"--tls_ca", certificates_.ca_cert, "actors", "add", "ecowas", "--name",
                "ECOWAS", "--kind", "regional-bloc"},
               {{"ROLLCALL_TOKEN", kReaderToken}});
  EXPECT_EQ(reader.exit_code, 1);
  EXPECT_NE(reader.stderr_text.find("PERMISSION_DENIED"), std::string::npos)
      << reader.stderr_text;
}

TEST_F(CliSecurityTest, PlaintextClientCannotReachATlsServer) {
  StartServer(/*mutual_tls=*/false);
  CommandResult plaintext =
      Rollcall({"--token", kReaderToken, "--timeout", "2", "actors", "list"});
  EXPECT_EQ(plaintext.exit_code, 1);
  EXPECT_NE(plaintext.stderr_text.find("cannot reach"), std::string::npos)
      << plaintext.stderr_text;
}

TEST_F(CliSecurityTest, MutualTlsNeedsTheClientCertificate) {
  StartServer(/*mutual_tls=*/true);
  CommandResult with_certificate = Rollcall(
      {"--tls_ca", certificates_.ca_cert, "--tls_cert", certificates_.client_cert,
       "--tls_key", certificates_.client_key, "--token", kReaderToken, "actors", "list"});
  EXPECT_EQ(with_certificate.exit_code, 0) << with_certificate.stderr_text;
  CommandResult without = Rollcall({"--tls_ca", certificates_.ca_cert, "--token",
                                    kReaderToken, "--timeout", "2", "actors", "list"});
  EXPECT_EQ(without.exit_code, 1);
}

TEST_F(CliSecurityTest, UnreadableTokenFileIsAUsageError) {
  StartServer(/*mutual_tls=*/false);
  CommandResult result =
      Rollcall({"--token_file", dir_.File("missing.token"), "actors", "list"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.stderr_text.find("--token_file"), std::string::npos)
      << result.stderr_text;
}

}  // namespace
}  // namespace rollcall::testing
