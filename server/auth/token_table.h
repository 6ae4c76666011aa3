#ifndef ROLLCALL_SERVER_AUTH_TOKEN_TABLE_H_
#define ROLLCALL_SERVER_AUTH_TOKEN_TABLE_H_

// The bearer tokens the server accepts, read from a tokens file. Only
// SHA-256 digests of the tokens are kept, and a presented token is compared
// with every entry in constant time, so neither timing nor a memory dump
// reveals a token.
//
// Tokens file: one token per line, `NAME ROLE TOKEN`, separated by spaces
// or tabs; blank lines and lines starting with '#' are ignored.
//   NAME   what logs and error messages call the token (never the token);
//   ROLE   reader, writer or admin;
//   TOKEN  at least 16 characters, no spaces.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/auth/roles.h"

namespace rollcall {

// Who made a call: the name and role of the token it carried.
struct Principal {
  std::string name;
  Role role = Role::kReader;
};

class TokenTable {
 public:
  // Parses a tokens file's text. INVALID_ARGUMENT naming the line for a
  // malformed line, an unknown role, a short token, or a repeated name or
  // token; an empty table is an error too.
  static absl::StatusOr<TokenTable> Parse(absl::string_view text);
  // Reads and parses the file at `path`; NOT_FOUND if it cannot be read.
  static absl::StatusOr<TokenTable> Load(const std::string& path);

  // The principal whose token is `token`, or nullopt. Takes the same time
  // whichever entry matches, or none. Thread-safe (the table is immutable).
  std::optional<Principal> Find(absl::string_view token) const;

  size_t size() const { return entries_.size(); }

 private:
  using Digest = std::array<unsigned char, 32>;
  struct Entry {
    Principal principal;
    Digest digest;
  };
  static Digest Sha256(absl::string_view text);

  std::vector<Entry> entries_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_AUTH_TOKEN_TABLE_H_
