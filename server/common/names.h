#ifndef ROLLCALL_SERVER_COMMON_NAMES_H_
#define ROLLCALL_SERVER_COMMON_NAMES_H_

// Resource names (AIP-122): "actors/{actor_id}", "events/{event_id}",
// "statements/{statement_id}".

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rollcall {

inline constexpr absl::string_view kActorsCollection = "actors";
inline constexpr absl::string_view kEventsCollection = "events";
inline constexpr absl::string_view kStatementsCollection = "statements";

// Returns OK if `id` is a valid client-chosen resource id: 1-63 characters of
// lower-case ASCII letters, digits and hyphens, starting with a letter and
// not ending with a hyphen (AIP-122). Otherwise INVALID_ARGUMENT naming
// `field`.
absl::Status ValidateResourceId(absl::string_view id, absl::string_view field);

// Returns "{collection}/{id}".
std::string MakeName(absl::string_view collection, absl::string_view id);

// A new statement id: "s", then the time of the call in microseconds since
// the Unix epoch in 11 base32 characters, then 4 random ones (16 in all;
// the characters of RFC 4648's base32 alphabet in lower case, a-z and 2-7).
// The time digits use that set in ASCII order ("234567abc...z"), so ids
// made later sort after earlier ones, and within a process each id's time
// is above the last one's (a microsecond later at least), so no two ids of
// a process are equal. Sorted ids keep the indexes keyed by name in
// creation order: a new statement's entry goes to the index's last page
// instead of a random one (docs/ARCHITECTURE.md, "Statement names").
std::string NewStatementId();

// Parses "{collection}/{id}" and returns the id. INVALID_ARGUMENT naming
// `field` if `name` is not a name in `collection` with a valid id.
// Statement ids are server-assigned and checked with the same rules.
absl::StatusOr<std::string> ParseName(absl::string_view name,
                                      absl::string_view collection,
                                      absl::string_view field);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_COMMON_NAMES_H_
