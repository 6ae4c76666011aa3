#include "server/store/sqlite_rows.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"

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

// The latest revision is the change log's: with the deferred apply, the
// statements table may not hold it yet.
absl::StatusOr<v1::Statement> LoadStatement(Connection& connection,
                                            absl::string_view name) {
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT data FROM changes WHERE statement = ? "
                                      "ORDER BY revision DESC LIMIT 1"));
  select.BindText(name);
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return absl::NotFoundError(absl::StrCat("statement ", name, " not found"));
  return ParseStored<v1::Statement>(select.ColumnBlob(0), connection, name);
}

// Writes the current revision's row and returns its rowid. An upsert
// rather than a replace: the row keeps its rowid, which keys the full-text
// index (statement_text).
absl::StatusOr<int64_t> WriteStatementRow(Connection& connection,
                                          const v1::Statement& statement,
                                          v1::ActorKind actor_kind,
                                          absl::string_view data) {
  ASSIGN_OR_RETURN(Statement upsert,
                   connection.Prepare(
                       "INSERT INTO statements (name, event, actor, actor_kind, "
                       "stance, modality, state, issue_time_micros, action_mask, "
                       "quote, summary, labels_json, revision, sequence, data) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (name) DO UPDATE SET event = excluded.event, "
                       "actor = excluded.actor, actor_kind = excluded.actor_kind, "
                       "stance = excluded.stance, modality = excluded.modality, "
                       "state = excluded.state, "
                       "issue_time_micros = excluded.issue_time_micros, "
                       "action_mask = excluded.action_mask, quote = excluded.quote, "
                       "summary = excluded.summary, labels_json = excluded.labels_json, "
                       "revision = excluded.revision, sequence = excluded.sequence, "
                       "data = excluded.data RETURNING rowid"));
  upsert.BindText(statement.name())
      .BindText(statement.event())
      .BindText(statement.actor())
      .BindInt(actor_kind)
      .BindInt(statement.stance())
      // The filter treats an unspecified modality as asserted.
      .BindInt(statement.modality() == v1::MODALITY_UNSPECIFIED ? v1::MODALITY_ASSERTED
                                                                : statement.modality())
      .BindInt(statement.state())
      .BindInt(ToUnixMicros(statement.issue_time()))
      .BindInt(ActionMask(statement))
      .BindText(statement.quote())
      .BindText(statement.summary())
      .BindText(LabelsJson(statement.labels()))
      .BindInt(statement.revision())
      .BindInt(statement.sequence())
      .BindBlob(data);
  ASSIGN_OR_RETURN(bool row, upsert.Step());
  if (!row) return absl::InternalError("upsert of a statement returned no rowid");
  const int64_t rowid = upsert.ColumnInt(0);
  RETURN_IF_ERROR(upsert.Run());
  return rowid;
}

}  // namespace rollcall
