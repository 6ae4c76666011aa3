#include "server/store/sqlite_rows.h"

#include <sqlite3.h>

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

namespace {

// The row's columns, in the order of kInsertRow's.
void BindRow(Statement& statement, const v1::Statement& row, v1::ActorKind actor_kind,
             absl::string_view data) {
  statement.BindText(row.name())
      .BindText(row.event())
      .BindText(row.actor())
      .BindInt(actor_kind)
      .BindInt(row.stance())
      // The filter treats an unspecified modality as asserted.
      .BindInt(row.modality() == v1::MODALITY_UNSPECIFIED ? v1::MODALITY_ASSERTED
                                                          : row.modality())
      .BindInt(row.state())
      .BindInt(ToUnixMicros(row.issue_time()))
      .BindInt(ActionMask(row))
      .BindText(row.quote())
      .BindText(row.summary())
      .BindText(LabelsJson(row.labels()))
      .BindInt(row.revision())
      .BindInt(row.sequence())
      .BindBlob(data);
}

// A statement's row is keyed by its rowid, the sequence of its first
// revision (its creation change), which the change log finds by (name,
// revision): the table needs no index of its random names.
// OR IGNORE: the rowid names the statement, so a row already there is
// this statement's (a bulk load writes a retried create's answer twice).
constexpr char kInsertRow[] =
    "INSERT OR IGNORE INTO statements (name, event, actor, actor_kind, stance, modality, state, "
    "issue_time_micros, action_mask, quote, summary, labels_json, revision, sequence, "
    "data, rowid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kUpdateRow[] =
    "UPDATE statements SET name = ?, event = ?, actor = ?, actor_kind = ?, stance = ?, "
    "modality = ?, state = ?, issue_time_micros = ?, action_mask = ?, quote = ?, "
    "summary = ?, labels_json = ?, revision = ?, sequence = ?, data = ? WHERE rowid = ?";

}  // namespace

absl::StatusOr<int64_t> StatementRowid(Connection& connection, const v1::Statement& statement) {
  if (statement.revision() <= 1) return statement.sequence();
  ASSIGN_OR_RETURN(Statement select,
                   connection.Prepare("SELECT sequence FROM changes WHERE statement = ? "
                                      "AND revision = 1"));
  select.BindText(statement.name());
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) {
    return absl::DataLossError(absl::StrCat("database file ", connection.path(),
                                            " has no first revision of ", statement.name()));
  }
  return select.ColumnInt(0);
}

// Writes the current revision's row and returns its rowid: a statement's
// first revision inserts it (once), a later one updates it in place (the row keeps
// its rowid, which keys the full-text index, statement_text).
absl::StatusOr<int64_t> WriteStatementRow(Connection& connection,
                                          const v1::Statement& statement,
                                          v1::ActorKind actor_kind,
                                          absl::string_view data) {
  ASSIGN_OR_RETURN(const int64_t rowid, StatementRowid(connection, statement));
  ASSIGN_OR_RETURN(Statement write,
                   connection.Prepare(statement.revision() <= 1 ? kInsertRow : kUpdateRow));
  BindRow(write, statement, actor_kind, data);
  RETURN_IF_ERROR(write.BindInt(rowid).Run());
  if (statement.revision() > 1 && sqlite3_changes(connection.handle()) != 1) {
    return absl::DataLossError(absl::StrCat("database file ", connection.path(),
                                            " has no row for ", statement.name()));
  }
  return rowid;
}

}  // namespace rollcall
