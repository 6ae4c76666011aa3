#include "tests/support/test_certificates.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "tests/support/temp_dir.h"

namespace rollcall::testing {
namespace {

constexpr char kNewKey[] = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

absl::Status Run(const std::string& dir, const std::string& command) {
  const std::string log = absl::StrCat(dir, "/openssl.log");
  const std::string line =
      absl::StrCat("cd '", dir, "' && ", command, " >>'", log, "' 2>&1");
  if (std::system(line.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("openssl failed: ", command, "\n", ReadFile(log)));
  }
  return absl::OkStatus();
}

// Makes NAME.key and NAME.pem for `subject`, signed by the CA, with the
// extensions in NAME.ext.
absl::Status SignedCertificate(const std::string& dir, const std::string& name,
                               const std::string& subject,
                               const std::string& extensions) {
  if (!WriteFile(absl::StrCat(dir, "/", name, ".ext"), extensions)) {
    return absl::InternalError("cannot write the extensions file");
  }
  absl::Status status =
      Run(dir, absl::StrCat("openssl req ", kNewKey, " -keyout ", name, ".key -out ",
                            name, ".csr -subj '", subject, "'"));
  if (!status.ok()) return status;
  return Run(dir,
             absl::StrCat("openssl x509 -req -in ", name,
                          ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -out ",
                          name, ".pem -extfile ", name, ".ext"));
}

}  // namespace

absl::StatusOr<TestCertificates> MakeTestCertificates(const std::string& dir) {
  absl::Status status = Run(
      dir,
      absl::StrCat("openssl req -x509 ", kNewKey,
                   " -keyout ca.key -out ca.pem -days 1 -subj '/CN=Rollcall Test CA'"));
  if (!status.ok()) return status;
  status = SignedCertificate(dir, "server", "/CN=localhost",
                             "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                             "extendedKeyUsage=serverAuth\n");
  if (!status.ok()) return status;
  status =
      SignedCertificate(dir, "client", "/CN=newsroom", "extendedKeyUsage=clientAuth\n");
  if (!status.ok()) return status;
  return TestCertificates{dir + "/ca.pem", dir + "/server.pem", dir + "/server.key",
                          dir + "/client.pem", dir + "/client.key"};
}

}  // namespace rollcall::testing
