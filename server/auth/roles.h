#ifndef ROLLCALL_SERVER_AUTH_ROLES_H_
#define ROLLCALL_SERVER_AUTH_ROLES_H_

// Roles and the role each RPC needs. Roles are ordered: a writer may do
// what a reader may, an admin what a writer may.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rollcall {

enum class Role { kReader = 1, kWriter = 2, kAdmin = 3 };

// "reader", "writer" or "admin".
absl::string_view RoleName(Role role);

// Parses a role name; INVALID_ARGUMENT for anything else.
absl::StatusOr<Role> ParseRole(absl::string_view name);

// What a call to a method needs.
struct MethodAccess {
  // False for methods anyone may call (health checking, reflection).
  bool needs_token = true;
  Role role = Role::kReader;
  // Whether the method records something (counts against the write limit).
  bool writes = false;
};

// The access rule for a method given by its path ("/rollcall.v1.
// StatementService/CreateStatement"). Every rollcall.v1 method is listed;
// health and reflection are open; any other path needs an admin token.
MethodAccess AccessFor(absl::string_view method_path);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_AUTH_ROLES_H_
