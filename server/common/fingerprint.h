#ifndef ROLLCALL_SERVER_COMMON_FINGERPRINT_H_
#define ROLLCALL_SERVER_COMMON_FINGERPRINT_H_

// Stable fingerprints: the same input gives the same value in every process
// and every release (unlike absl::Hash, which is seeded per process), so they
// may be stored (request fingerprints) or handed to clients (page tokens).

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"

namespace rollcall {

// 64-bit FNV-1a of `bytes`.
uint64_t StableFingerprint(absl::string_view bytes);

// Hex fingerprint of the deterministic serialization of `message` (map
// entries in key order).
std::string MessageFingerprint(const google::protobuf::MessageLite& message);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_COMMON_FINGERPRINT_H_
