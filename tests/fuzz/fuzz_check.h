#ifndef ROLLCALL_TESTS_FUZZ_FUZZ_CHECK_H_
#define ROLLCALL_TESTS_FUZZ_FUZZ_CHECK_H_

// What every fuzz target asserts about an error: it is INVALID_ARGUMENT and
// names the request field at fault, as the service layer relies on to
// answer bad input with a field violation. A failed check prints the input's
// outcome and aborts, which libFuzzer reports as a crash with the input.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "server/common/field_error.h"

namespace rollcall::fuzz {

// Aborts with `what` unless `ok`.
inline void Require(bool ok, absl::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz check failed: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

// OK, or INVALID_ARGUMENT whose recorded field starts with `field` and whose
// message starts with that recorded field.
inline void RequireOkOrFieldError(const absl::Status& status, absl::string_view field) {
  if (status.ok()) return;
  const std::string text = status.ToString();
  Require(absl::IsInvalidArgument(status), "error is not INVALID_ARGUMENT: " + text);
  const auto named = FieldOf(status);
  Require(named.has_value(), "error names no field: " + text);
  Require(absl::StartsWith(*named, field), "error names another field: " + text);
  Require(absl::StartsWith(status.message(), *named),
          "message does not start with the field: " + text);
}

}  // namespace rollcall::fuzz

#endif  // ROLLCALL_TESTS_FUZZ_FUZZ_CHECK_H_
