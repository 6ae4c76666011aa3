#ifndef ROLLCALL_TESTS_SUPPORT_TEST_CERTIFICATES_H_
#define ROLLCALL_TESTS_SUPPORT_TEST_CERTIFICATES_H_

// Certificates made with the openssl command at test time: a CA, a server
// certificate for localhost and 127.0.0.1, and a client certificate, all
// signed by the CA and valid for a day.

#include <string>

#include "absl/status/statusor.h"

namespace rollcall::testing {

struct TestCertificates {
  std::string ca_cert;  // paths of PEM files
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;
};

// Writes the files into `dir`. INTERNAL, with openssl's output, on failure.
absl::StatusOr<TestCertificates> MakeTestCertificates(const std::string& dir);

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_SUPPORT_TEST_CERTIFICATES_H_
