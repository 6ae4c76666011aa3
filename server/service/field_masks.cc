#include "server/service/field_masks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/field_mask_util.h"
#include "server/common/field_error.h"

namespace rollcall {
namespace {

using google::protobuf::util::FieldMaskUtil;

constexpr absl::string_view kField = "update_mask";

absl::Status CheckPath(const std::string& path,
                       const google::protobuf::Descriptor* descriptor,
                       const std::vector<std::string>& updatable) {
  const std::string top(absl::string_view(path).substr(0, path.find('.')));
  if (std::find(updatable.begin(), updatable.end(), top) == updatable.end()) {
    return FieldError(
        kField, absl::StrCat("field \"", path, "\" cannot be updated; updatable fields: ",
                             absl::StrJoin(updatable, ", ")));
  }
  if (!FieldMaskUtil::GetFieldDescriptors(descriptor, path, nullptr)) {
    return FieldError(
        kField, absl::StrCat("\"", path, "\" is not a field of ", descriptor->name()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyFieldMask(const google::protobuf::FieldMask& mask,
                            const google::protobuf::Message& source,
                            const std::vector<std::string>& updatable,
                            google::protobuf::Message* target) {
  if (mask.paths().empty()) {
    return FieldError(kField, absl::StrCat("is required; updatable fields: ",
                                           absl::StrJoin(updatable, ", ")));
  }
  google::protobuf::FieldMask effective;
  if (mask.paths_size() == 1 && mask.paths(0) == "*") {
    for (const std::string& field : updatable) effective.add_paths(field);
  } else {
    for (const std::string& path : mask.paths()) {
      if (absl::Status s = CheckPath(path, source.GetDescriptor(), updatable); !s.ok()) {
        return s;
      }
      effective.add_paths(path);
    }
  }
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(source, effective, options, target);
  return absl::OkStatus();
}

}  // namespace rollcall
