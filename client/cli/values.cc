#include "client/cli/values.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace rollcall::cli {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;

// "STANCE_" for Stance: the name of the zero value without "UNSPECIFIED".
std::string EnumPrefix(const EnumDescriptor& type) {
  const EnumValueDescriptor* zero = type.FindValueByNumber(0);
  if (zero == nullptr) return "";
  absl::string_view name = zero->name();
  if (!absl::ConsumeSuffix(&name, "UNSPECIFIED")) return "";
  return std::string(name);
}

absl::string_view ShortName(const EnumValueDescriptor& value, absl::string_view prefix) {
  absl::string_view name = value.name();
  absl::ConsumePrefix(&name, prefix);
  return name;
}

}  // namespace

absl::StatusOr<int> ParseEnumValue(const EnumDescriptor& type, absl::string_view flag,
                                   absl::string_view text) {
  std::string wanted = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  absl::StrReplaceAll({{"-", "_"}, {" ", "_"}}, &wanted);
  const std::string prefix = EnumPrefix(type);
  for (int i = 0; i < type.value_count(); ++i) {
    const EnumValueDescriptor& value = *type.value(i);
    if (value.number() == 0) continue;
    if (wanted == value.name() || wanted == ShortName(value, prefix)) {
      return value.number();
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("invalid value \"", text, "\" for ", flag,
                   "; expected one of: ", absl::StrJoin(EnumLabels(type), ", ")));
}

std::string EnumLabel(const EnumDescriptor& type, int value) {
  const EnumValueDescriptor* descriptor = type.FindValueByNumber(value);
  if (descriptor == nullptr) return absl::StrCat(value);
  if (value == 0) return "";
  std::string label = absl::AsciiStrToLower(ShortName(*descriptor, EnumPrefix(type)));
  absl::StrReplaceAll({{"_", "-"}}, &label);
  return label;
}

std::string EnumFilterName(const EnumDescriptor& type, int value) {
  const EnumValueDescriptor* descriptor = type.FindValueByNumber(value);
  if (descriptor == nullptr) return absl::StrCat(value);
  return std::string(ShortName(*descriptor, EnumPrefix(type)));
}

std::vector<std::string> EnumLabels(const EnumDescriptor& type) {
  std::vector<std::string> labels;
  for (int i = 0; i < type.value_count(); ++i) {
    if (type.value(i)->number() == 0) continue;
    labels.push_back(EnumLabel(type, type.value(i)->number()));
  }
  return labels;
}

absl::StatusOr<TimeValue> ParseTime(absl::string_view flag, absl::string_view text) {
  const std::string input(absl::StripAsciiWhitespace(text));
  TimeValue result;
  absl::Time time;
  std::string error;
  if (absl::ParseTime("%Y-%m-%d", input, absl::UTCTimeZone(), &time, &error)) {
    result.date_only = true;
  } else if (!absl::ParseTime(absl::RFC3339_full, input, &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid time \"", text, "\" for ", flag,
                     "; expected a date (2023-07-26) or an RFC 3339 time "
                     "(2023-07-26T14:30:00Z)"));
  }
  const absl::Duration since_epoch = time - absl::UnixEpoch();
  absl::Duration remainder;
  const int64_t seconds = absl::IDivDuration(since_epoch, absl::Seconds(1), &remainder);
  result.timestamp.set_seconds(seconds);
  result.timestamp.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(remainder)));
  return result;
}

namespace {

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp,
                            const char* format) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  return absl::FormatTime(format, absl::FromUnixSeconds(timestamp.seconds()),
                          absl::UTCTimeZone());
}

}  // namespace

std::string FormatTime(const google::protobuf::Timestamp& timestamp) {
  return FormatTimestamp(timestamp, "%Y-%m-%dT%H:%M:%SZ");
}

std::string FormatDate(const google::protobuf::Timestamp& timestamp) {
  return FormatTimestamp(timestamp, "%Y-%m-%d");
}

absl::StatusOr<std::pair<std::string, std::string>> ParseLabel(absl::string_view flag,
                                                               absl::string_view text) {
  const size_t equals = text.find('=');
  if (equals == absl::string_view::npos || equals == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid label \"", text, "\" for ", flag, "; expected key=value"));
  }
  return std::make_pair(std::string(text.substr(0, equals)),
                        std::string(text.substr(equals + 1)));
}

}  // namespace rollcall::cli
