#include "server/auth/token_table.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "openssl/crypto.h"
#include "openssl/sha.h"

namespace rollcall {
namespace {

constexpr size_t kMinTokenLength = 16;

absl::Status LineError(int line, absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("tokens file line ", line, ": ", message));
}

}  // namespace

TokenTable::Digest TokenTable::Sha256(absl::string_view text) {
  Digest digest;
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return digest;
}

absl::StatusOr<TokenTable> TokenTable::Parse(absl::string_view text) {
  TokenTable table;
  absl::flat_hash_set<std::string> names;
  absl::flat_hash_set<std::string> digests;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() != 3) {
      return LineError(line_number, "expected NAME ROLE TOKEN");
    }
    absl::StatusOr<Role> role = ParseRole(fields[1]);
    if (!role.ok()) return LineError(line_number, role.status().message());
    if (fields[2].size() < kMinTokenLength) {
      return LineError(line_number, absl::StrCat("token is shorter than ",
                                                 kMinTokenLength, " characters"));
    }
    Entry entry{Principal{std::string(fields[0]), *role}, Sha256(fields[2])};
    if (!names.insert(entry.principal.name).second) {
      return LineError(line_number, absl::StrCat("name \"", fields[0], "\" is repeated"));
    }
    if (!digests.insert(std::string(entry.digest.begin(), entry.digest.end())).second) {
      return LineError(line_number, "token is repeated");
    }
    table.entries_.push_back(std::move(entry));
  }
  if (table.entries_.empty()) {
    return absl::InvalidArgumentError("tokens file has no tokens");
  }
  return table;
}

absl::StatusOr<TokenTable> TokenTable::Load(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read tokens file ", path));
  std::stringstream text;
  text << file.rdbuf();
  absl::StatusOr<TokenTable> table = Parse(text.str());
  if (!table.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", table.status().message()));
  }
  return table;
}

std::optional<Principal> TokenTable::Find(absl::string_view token) const {
  const Digest presented = Sha256(token);
  const Entry* found = nullptr;
  // Every entry is compared, without branching on the bytes, so the time
  // does not depend on which entry matches.
  for (const Entry& entry : entries_) {
    const bool equal =
        CRYPTO_memcmp(entry.digest.data(), presented.data(), presented.size()) == 0;
    if (equal) found = &entry;
  }
  if (found == nullptr) return std::nullopt;
  return found->principal;
}

}  // namespace rollcall
