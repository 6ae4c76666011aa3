#ifndef ROLLCALL_SERVER_COMMON_STATUS_MACROS_H_
#define ROLLCALL_SERVER_COMMON_STATUS_MACROS_H_

// Early returns for absl::Status and absl::StatusOr, as in google-cloud-cpp.

#include "absl/status/status.h"

#define ROLLCALL_CONCAT_INNER_(a, b) a##b
#define ROLLCALL_CONCAT_(a, b) ROLLCALL_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the enclosing
// function if it is not OK.
#define RETURN_IF_ERROR(expr)                                               \
  do {                                                                      \
    if (::absl::Status rollcall_status_ = (expr); !rollcall_status_.ok()) { \
      return rollcall_status_;                                              \
    }                                                                       \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); returns its status if not OK,
// otherwise moves its value into `lhs` (which may be a declaration).
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  ASSIGN_OR_RETURN_IMPL_(ROLLCALL_CONCAT_(rollcall_statusor_, __LINE__), lhs, rexpr)

#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                           \
  if (!statusor.ok()) return statusor.status();      \
  lhs = *std::move(statusor)

#endif  // ROLLCALL_SERVER_COMMON_STATUS_MACROS_H_
