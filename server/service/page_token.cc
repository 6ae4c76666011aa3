#include "server/service/page_token.h"

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/field_error.h"
#include "server/common/fingerprint.h"

namespace rollcall {
namespace {
constexpr absl::string_view kVersion = "p1";
constexpr absl::string_view kField = "page_token";
// The longest token EncodePageToken makes: "p1|", 16 hex digits, "|", an
// int64 (20 characters), "|" and the longest name, in base64. Longer input
// is refused before it is decoded.
constexpr size_t kMaxRawToken = 3 + 16 + 1 + 20 + 1 + kMaxPagePositionName;
constexpr size_t kMaxToken = (kMaxRawToken + 2) / 3 * 4;
}  // namespace

std::string EncodePageToken(absl::string_view query, const PagePosition& position) {
  const std::string raw = absl::StrCat(kVersion, "|", absl::Hex(StableFingerprint(query)),
                                       "|", position.key, "|", position.name);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<PagePosition> DecodePageToken(absl::string_view token,
                                             absl::string_view query) {
  std::string raw;
  if (token.size() > kMaxToken || !absl::WebSafeBase64Unescape(token, &raw)) {
    return FieldError(kField, "is not a token this server issued");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(raw, absl::MaxSplits('|', 3));
  PagePosition position;
  uint64_t fingerprint = 0;
  if (parts.size() != 4 || parts[0] != kVersion ||
      !absl::SimpleHexAtoi(parts[1], &fingerprint) ||
      !absl::SimpleAtoi(parts[2], &position.key)) {
    return FieldError(kField, "is not a token this server issued");
  }
  if (fingerprint != StableFingerprint(query)) {
    return FieldError(kField,
                      "was issued for a different query; repeat the filter, "
                      "order_by and other parameters of the first call");
  }
  position.name = std::string(parts[3]);
  return position;
}

absl::StatusOr<int> ResolvePageSize(int32_t requested, int max_page_size) {
  if (requested < 0) return FieldError("page_size", "must not be negative");
  if (requested == 0) return std::min(kDefaultPageSize, max_page_size);
  return requested > max_page_size ? max_page_size : static_cast<int>(requested);
}

}  // namespace rollcall
