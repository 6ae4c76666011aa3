#ifndef ROLLCALL_SERVER_SERVICE_MASKED_UPDATE_H_
#define ROLLCALL_SERVER_SERVICE_MASKED_UPDATE_H_

// The mutation every Update RPC hands to the store: inside the write
// transaction it checks the etag the client read, applies the field mask to
// the current value and validates the result, so all three happen
// atomically with the write (AIP-134, AIP-154).

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/field_mask.pb.h"
#include "server/common/status_macros.h"
#include "server/service/field_masks.h"
#include "server/store/store.h"

namespace rollcall {

// ABORTED naming `etag_field` if `expected` is set and is not `current`'s
// etag.
template <typename T>
absl::Status CheckEtag(absl::string_view expected, const T& current,
                       absl::string_view etag_field) {
  if (expected.empty() || expected == current.etag()) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(etag_field, ": ", current.name(),
                                         " changed since it was read; get it again "
                                         "and retry"));
}

// A mutation replacing the fields of `mask` with those of `update`, after
// checking `update`'s etag, and validating the result with `validate`. The
// references must outlive the mutation (it runs before the RPC returns).
template <typename T>
Mutation<T> MaskedUpdate(const T& update, const google::protobuf::FieldMask& mask,
                         const std::vector<std::string>& updatable,
                         std::string etag_field,
                         std::function<absl::Status(const T&)> validate) {
  return [&update, &mask, &updatable, etag_field = std::move(etag_field),
          validate = std::move(validate)](T& current) -> absl::Status {
    RETURN_IF_ERROR(CheckEtag(update.etag(), current, etag_field));
    RETURN_IF_ERROR(ApplyFieldMask(mask, update, updatable, &current));
    return validate(current);
  };
}

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_MASKED_UPDATE_H_
