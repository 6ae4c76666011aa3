#ifndef ROLLCALL_SERVER_SERVICE_VALIDATION_H_
#define ROLLCALL_SERVER_SERVICE_VALIDATION_H_

// Request validation. Every check returns INVALID_ARGUMENT naming the field
// by its path in the request (e.g. "statement.actions[2].kind"), built with
// FieldError. `path` is the path of the message being checked.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/map.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/event.pb.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall {

// Limits on client-supplied content.
inline constexpr int kMaxShortText = 512;       // names, titles, speakers
inline constexpr int kMaxLongText = 32 * 1024;  // quotes, summaries
inline constexpr int kMaxRepeated = 100;        // actions, sources, aliases
inline constexpr int kMaxLabels = 64;
inline constexpr int kMaxRequestIdLength = 128;

// The client-settable fields of an actor (name and output-only fields are
// not checked).
absl::Status ValidateActor(const v1::Actor& actor, absl::string_view path);

absl::Status ValidateEvent(const v1::Event& event, absl::string_view path);

// A statement as it will be stored: required fields present, enums known,
// names well formed, times valid and ordered, sizes within limits.
absl::Status ValidateStatement(const v1::Statement& statement, absl::string_view path);

// Empty, or 1-128 characters of letters, digits and -_.:/.
absl::Status ValidateRequestId(absl::string_view request_id, absl::string_view path);

// Keys: 1-63 of [a-z0-9_-] starting with a letter; values at most 256 bytes.
absl::Status ValidateLabels(const google::protobuf::Map<std::string, std::string>& labels,
                            absl::string_view path);

// Empty or three upper-case ASCII letters.
absl::Status ValidateCountryCode(absl::string_view code, absl::string_view path);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_VALIDATION_H_
