#include "server/common/names.h"

#include <algorithm>
#include <atomic>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/field_error.h"

namespace rollcall {

absl::Status ValidateResourceId(absl::string_view id, absl::string_view field) {
  if (id.empty()) return FieldError(field, "is required");
  if (id.size() > 63) return FieldError(field, "is longer than 63 characters");
  if (!absl::ascii_islower(id.front())) {
    return FieldError(
        field, absl::StrCat("must start with a lower-case letter, got \"", id, "\""));
  }
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return FieldError(field, absl::StrCat("may hold only a-z, 0-9 and '-', got \"",
                                            absl::CHexEscape(id), "\""));
    }
  }
  if (id.back() == '-') return FieldError(field, "must not end with '-'");
  return absl::OkStatus();
}

std::string MakeName(absl::string_view collection, absl::string_view id) {
  return absl::StrCat(collection, "/", id);
}

std::string NewStatementId() {
  // Base32's characters in ASCII order, so that digit order is string order.
  static constexpr char kDigits[] = "234567abcdefghijklmnopqrstuvwxyz";
  constexpr int kTimeDigits = 11;   // 55 bits of microseconds: past the year 3000
  constexpr int kRandomDigits = 4;  // 20 bits, for ids made by other processes
  static std::atomic<int64_t> last{0};
  int64_t micros = absl::ToUnixMicros(absl::Now());
  int64_t previous = last.load(std::memory_order_relaxed);
  do {
    micros = std::max(micros, previous + 1);
  } while (!last.compare_exchange_weak(previous, micros, std::memory_order_relaxed));
  std::string id(1 + kTimeDigits + kRandomDigits, 's');
  for (int i = kTimeDigits; i >= 1; --i) {
    id[i] = kDigits[micros & 31];
    micros >>= 5;
  }
  thread_local absl::BitGen bits;
  for (int i = 1 + kTimeDigits; i < static_cast<int>(id.size()); ++i) {
    id[i] = kDigits[absl::Uniform(bits, 0, 32)];
  }
  return id;
}

absl::StatusOr<std::string> ParseName(absl::string_view name,
                                      absl::string_view collection,
                                      absl::string_view field) {
  if (name.empty()) return FieldError(field, "is required");
  const std::string prefix = absl::StrCat(collection, "/");
  if (!absl::StartsWith(name, prefix)) {
    return FieldError(
        field, absl::StrCat("must be a name like \"", collection, "/{id}\", got \"",
                            absl::CHexEscape(name), "\""));
  }
  absl::string_view id = name.substr(prefix.size());
  if (absl::Status s = ValidateResourceId(id, field); !s.ok()) {
    return FieldError(
        field, absl::StrCat("has an invalid id: \"", absl::CHexEscape(name), "\""));
  }
  return std::string(id);
}

}  // namespace rollcall
