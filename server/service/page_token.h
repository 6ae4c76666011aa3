#ifndef ROLLCALL_SERVER_SERVICE_PAGE_TOKEN_H_
#define ROLLCALL_SERVER_SERVICE_PAGE_TOKEN_H_

// Opaque page tokens (AIP-158). A token carries the position after the last
// item of a page and a fingerprint of the query that produced it, so that a
// token used with a different filter, order or collection is rejected
// rather than silently skipping or repeating items. Tokens are stable across
// server restarts (the fingerprint is a fixed hash, not a seeded one).

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rollcall {

// The position a token carries: an integer key (issue or start time in
// micros, or a revision) and a resource name; unused parts stay empty.
struct PagePosition {
  int64_t key = 0;
  std::string name;
};

// The longest name a position may carry (resource names are far shorter).
inline constexpr size_t kMaxPagePositionName = 512;

// The token for `position`, whose name must be at most kMaxPagePositionName
// bytes, in the results of `query`.
std::string EncodePageToken(absl::string_view query, const PagePosition& position);

// INVALID_ARGUMENT naming "page_token" if the token is malformed, longer
// than any token EncodePageToken makes, or was made for another query.
absl::StatusOr<PagePosition> DecodePageToken(absl::string_view token,
                                             absl::string_view query);

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// Resolves page_size per AIP-158: negative is INVALID_ARGUMENT naming
// "page_size"; 0 becomes the default (at most `max_page_size`); above
// `max_page_size` is lowered to it.
absl::StatusOr<int> ResolvePageSize(int32_t requested, int max_page_size = kMaxPageSize);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_PAGE_TOKEN_H_
