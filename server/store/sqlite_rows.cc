#include "server/store/sqlite_rows.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/common/status_macros.h"

namespace rollcall {
namespace {

void AppendJsonString(absl::string_view text, std::string& out) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&out, "\\u00",
                          absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

}  // namespace

std::string SerializeStored(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&out);
  }
  return bytes;
}

std::string RevisionEtag(int64_t revision) { return absl::StrCat("r", revision); }

std::string LabelsJson(const google::protobuf::Map<std::string, std::string>& labels) {
  std::vector<std::pair<std::string, std::string>> sorted(labels.begin(), labels.end());
  std::sort(sorted.begin(), sorted.end());
  std::string out = "{";
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(sorted[i].first, out);
    out.push_back(':');
    AppendJsonString(sorted[i].second, out);
  }
  out.push_back('}');
  return out;
}

int64_t ActionMask(const v1::Statement& statement) {
  int64_t mask = 0;
  for (const v1::Action& action : statement.actions()) {
    const int kind = static_cast<int>(action.kind());
    if (kind >= 0 && kind < 63) mask |= int64_t{1} << kind;
  }
  return mask;
}

absl::StatusOr<bool> RowExists(Connection& connection, absl::string_view sql,
                               absl::string_view key) {
  ASSIGN_OR_RETURN(Statement select, connection.Prepare(sql));
  select.BindText(key);
  return select.Step();
}

absl::Status MissingReference(absl::string_view field, absl::string_view name) {
  return absl::FailedPreconditionError(
      absl::StrCat(field, ": ", name.empty() ? "(empty)" : name, " does not exist"));
}

}  // namespace rollcall
