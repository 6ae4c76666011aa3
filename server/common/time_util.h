#ifndef ROLLCALL_SERVER_COMMON_TIME_UTIL_H_
#define ROLLCALL_SERVER_COMMON_TIME_UTIL_H_

// Conversions between google.protobuf.Timestamp, absl::Time, microseconds
// since the Unix epoch (the stores' column type) and RFC 3339 text.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace rollcall {

absl::Time ToAbslTime(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp ToTimestamp(absl::Time t);

// Microseconds since the epoch, rounded toward negative infinity.
int64_t ToUnixMicros(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp FromUnixMicros(int64_t micros);

// Returns OK if `ts` is a valid Timestamp (0001-01-01 to 9999-12-31, nanos
// in [0, 1e9)); otherwise INVALID_ARGUMENT naming `field`.
absl::Status ValidateTimestamp(const google::protobuf::Timestamp& ts,
                               absl::string_view field);

// Parses RFC 3339 ("2023-07-26T14:00:00Z", "2023-07-26T14:00:00+01:00") or a
// plain date ("2023-07-26", midnight UTC). INVALID_ARGUMENT naming `field`,
// also for a time outside 0001-01-01 to 9999-12-31 (what a Timestamp holds).
absl::StatusOr<absl::Time> ParseTime(absl::string_view text, absl::string_view field);

// RFC 3339 in UTC, e.g. "2023-07-26T14:00:00Z".
std::string FormatTime(absl::Time t);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_COMMON_TIME_UTIL_H_
