#include "tests/support/test_postgres.h"

#include <cstdlib>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/support/temp_dir.h"

namespace rollcall::testing {

std::optional<std::string> TestPostgres() {
  const char* url = std::getenv("ROLLCALL_TEST_POSTGRES");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

std::string PostgresSchemaFor(const std::string& dir) {
  const std::string marker = dir + "/postgres-schema";
  std::string schema = ReadFile(marker);
  if (!schema.empty()) return schema;
  std::random_device random;
  schema = absl::StrFormat("test_%08x%08x", random(), random());
  WriteFile(marker, schema);
  return schema;
}

}  // namespace rollcall::testing
