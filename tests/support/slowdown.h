#ifndef ROLLCALL_TESTS_SUPPORT_SLOWDOWN_H_
#define ROLLCALL_TESTS_SUPPORT_SLOWDOWN_H_

// How many times slower than a normal build the programs under test run:
// ROLLCALL_TEST_SLOWDOWN (1 by default), which scripts/sanitize sets for
// the sanitizer builds. Tests that bound how long the server may take
// multiply their bounds by it; what they assert is unchanged.

#include <cstdlib>

#include "absl/strings/numbers.h"

namespace rollcall::testing {

inline int TestSlowdown() {
  const char* text = std::getenv("ROLLCALL_TEST_SLOWDOWN");
  int slowdown = 1;
  if (text == nullptr || !absl::SimpleAtoi(text, &slowdown) || slowdown < 1) return 1;
  return slowdown;
}

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_SUPPORT_SLOWDOWN_H_
