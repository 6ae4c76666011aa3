#include "server/common/time_util.h"

#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"

namespace rollcall {
namespace {
// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, as protobuf defines them.
constexpr int64_t kMinSeconds = -62135596800;
constexpr int64_t kMaxSeconds = 253402300799;
}  // namespace

absl::Time ToAbslTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t seconds = absl::ToUnixSeconds(t);
  ts.set_seconds(seconds);
  ts.set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
  return ts;
}

int64_t ToUnixMicros(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

google::protobuf::Timestamp FromUnixMicros(int64_t micros) {
  return ToTimestamp(absl::FromUnixMicros(micros));
}

absl::Status ValidateTimestamp(const google::protobuf::Timestamp& ts,
                               absl::string_view field) {
  if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds) {
    return FieldError(field, "is outside 0001-01-01 to 9999-12-31");
  }
  if (ts.nanos() < 0 || ts.nanos() >= 1000000000) {
    return FieldError(field, "has nanos outside [0, 999999999]");
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> ParseTime(absl::string_view text, absl::string_view field) {
  absl::Time t;
  std::string error;
  const std::string s(text);
  if (absl::ParseTime(absl::RFC3339_full, s, &t, &error) ||
      absl::ParseTime("%Y-%m-%d", s, absl::UTCTimeZone(), &t, &error)) {
    // Far-off years parse too; beyond what a Timestamp holds they would
    // overflow the microsecond arithmetic of filters.
    if (t < absl::FromUnixSeconds(kMinSeconds) ||
        t >= absl::FromUnixSeconds(kMaxSeconds + 1)) {
      return FieldError(field, absl::StrCat("\"", text,
                                            "\" is outside 0001-01-01 to 9999-12-31"));
    }
    return t;
  }
  return FieldError(field, absl::StrCat("\"", text,
                                        "\" is not an RFC 3339 time such as "
                                        "2023-07-26T14:00:00Z or a date such as "
                                        "2023-07-26"));
}

std::string FormatTime(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone());
}

}  // namespace rollcall
