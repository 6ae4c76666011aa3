#ifndef ROLLCALL_SERVER_SERVICE_FIELD_MASKS_H_
#define ROLLCALL_SERVER_SERVICE_FIELD_MASKS_H_

// FieldMask updates (AIP-134).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace rollcall {

// Copies the fields named in `mask` from `source` into `target` (both of the
// same type), replacing them: a repeated or map field is replaced whole, and
// a field unset in `source` is cleared in `target`. A path is a top-level
// field name, or a dotted path into a message field ("speaker.office"); the
// single path "*" means every field in `updatable`. INVALID_ARGUMENT naming
// "update_mask" if the mask is empty, or a path is unknown or its top-level
// field is not in `updatable` (output-only and immutable fields).
absl::Status ApplyFieldMask(const google::protobuf::FieldMask& mask,
                            const google::protobuf::Message& source,
                            const std::vector<std::string>& updatable,
                            google::protobuf::Message* target);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_FIELD_MASKS_H_
