#ifndef ROLLCALL_CLIENT_CLI_VALUES_H_
#define ROLLCALL_CLIENT_CLI_VALUES_H_

// Parses and formats the values of command-line flags that are not plain
// strings: enum values, times and key=value labels. Parse functions return
// INVALID_ARGUMENT with a message naming the flag on bad input.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/timestamp.pb.h"

namespace rollcall::cli {

// Parses an enum value as a user may type it: the short name in any case
// with hyphens or underscores ("demand-release", "DEMAND_RELEASE") or the
// full enum name ("ACTION_KIND_DEMAND_RELEASE"). The UNSPECIFIED value is
// never accepted. `flag` names the flag in the error message ("--stance").
absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor& type,
                                   absl::string_view flag, absl::string_view text);

template <typename Enum>
absl::StatusOr<Enum> ParseEnum(absl::string_view flag, absl::string_view text) {
  absl::StatusOr<int> value =
      ParseEnumValue(*google::protobuf::GetEnumDescriptor<Enum>(), flag, text);
  if (!value.ok()) return value.status();
  return static_cast<Enum>(*value);
}

// The value as users type it: "demand-release" for
// ACTION_KIND_DEMAND_RELEASE; "" for the UNSPECIFIED value.
std::string EnumLabel(const google::protobuf::EnumDescriptor& type, int value);

// The value as the server's filter syntax writes it: "DEMAND_RELEASE".
std::string EnumFilterName(const google::protobuf::EnumDescriptor& type, int value);

// Every value but UNSPECIFIED, as users type them, in declaration order.
std::vector<std::string> EnumLabels(const google::protobuf::EnumDescriptor& type);

template <typename Enum>
std::string Label(Enum value) {
  return EnumLabel(*google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

template <typename Enum>
std::vector<std::string> Labels() {
  return EnumLabels(*google::protobuf::GetEnumDescriptor<Enum>());
}

// A time given on the command line.
struct TimeValue {
  google::protobuf::Timestamp timestamp;
  // True when only a date ("2023-07-26") was given; the timestamp is then
  // midnight UTC at the start of that day.
  bool date_only = false;
};

// Parses a date ("2023-07-26") or an RFC 3339 time
// ("2023-07-26T14:30:00Z", "2023-07-26T15:30:00+01:00").
absl::StatusOr<TimeValue> ParseTime(absl::string_view flag, absl::string_view text);

// RFC 3339 in UTC with second precision, "2023-07-26T14:30:00Z"; "" for an
// unset (zero) timestamp.
std::string FormatTime(const google::protobuf::Timestamp& timestamp);

// The UTC date, "2023-07-26"; "" for an unset timestamp.
std::string FormatDate(const google::protobuf::Timestamp& timestamp);

// Parses "key=value". The key must not be empty.
absl::StatusOr<std::pair<std::string, std::string>> ParseLabel(absl::string_view flag,
                                                               absl::string_view text);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_VALUES_H_
