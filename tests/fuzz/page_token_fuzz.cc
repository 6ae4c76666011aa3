// Fuzzes page tokens: decoding arbitrary tokens, and encoding then decoding
// arbitrary positions for arbitrary queries.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "server/common/fingerprint.h"
#include "server/service/page_token.h"
#include "tests/fuzz/fuzz_check.h"

namespace rollcall::fuzz {
namespace {

// A token either fails naming page_token or carries a position that encodes
// back to a token decoding to the same position.
void CheckDecode(const std::string& token, const std::string& query) {
  auto position = DecodePageToken(token, query);
  RequireOkOrFieldError(position.status(), "page_token");
  if (!position.ok()) return;
  auto again = DecodePageToken(EncodePageToken(query, *position), query);
  Require(again.ok() && again->key == position->key && again->name == position->name,
          "a decoded position does not survive re-encoding");
}

// Any position comes back from its token, and only for its own query.
void CheckRoundTrip(const PagePosition& position, const std::string& query,
                    const std::string& other_query) {
  const std::string token = EncodePageToken(query, position);
  auto decoded = DecodePageToken(token, query);
  Require(decoded.ok() && decoded->key == position.key && decoded->name == position.name,
          "an encoded position does not decode to itself");
  if (StableFingerprint(other_query) != StableFingerprint(query)) {
    auto foreign = DecodePageToken(token, other_query);
    RequireOkOrFieldError(foreign.status(), "page_token");
    Require(!foreign.ok(), "a token was accepted for another query");
  }
}

void CheckPageSize(int32_t requested) {
  auto size = ResolvePageSize(requested);
  RequireOkOrFieldError(size.status(), "page_size");
  Require(size.ok() == (requested >= 0), "page_size accepted iff not negative");
  if (size.ok()) Require(*size >= 1 && *size <= kMaxPageSize, "page size out of range");
}

}  // namespace
}  // namespace rollcall::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  // The whole input as a token for the first page query of ListStatements
  // without a filter (the seeds are tokens issued for it)...
  fuzz::CheckDecode(std::string(reinterpret_cast<const char*>(data), size),
                    "statements||0|0");
  // ...and the same bytes as a position, queries and a page size.
  FuzzedDataProvider input(data, size);
  PagePosition position;
  position.key = input.ConsumeIntegral<int64_t>();
  fuzz::CheckPageSize(input.ConsumeIntegral<int32_t>());
  const std::string query = input.ConsumeRandomLengthString(256);
  const std::string other_query = input.ConsumeRandomLengthString(256);
  position.name = input.ConsumeRandomLengthString(kMaxPagePositionName);
  fuzz::CheckRoundTrip(position, query, other_query);
  return 0;
}
