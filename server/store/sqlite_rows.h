#ifndef ROLLCALL_SERVER_STORE_SQLITE_ROWS_H_
#define ROLLCALL_SERVER_STORE_SQLITE_ROWS_H_

// Conversions between resources and the SQLite rows that hold them: the
// serialized proto plus the derived columns used for filtering.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/map.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/statement.pb.h"
#include "server/store/sqlite_db.h"

namespace rollcall {

// Parses a stored proto; DATA_LOSS naming `holder` (the store: "database
// file PATH", "PostgreSQL") and `what` if it does not parse.
template <typename Message>
absl::StatusOr<Message> ParseStored(absl::string_view bytes, absl::string_view holder,
                                    absl::string_view what) {
  Message message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        absl::StrCat(holder, " holds an unreadable record for ", what));
  }
  return message;
}
// The same, naming the connection's database file (built only on failure).
template <typename Message>
absl::StatusOr<Message> ParseStored(absl::string_view bytes, const Connection& connection,
                                    absl::string_view what) {
  absl::StatusOr<Message> message = ParseStored<Message>(bytes, "", what);
  if (message.ok()) return message;
  // The message starts " holds ...": the holder was left empty.
  return absl::DataLossError(
      absl::StrCat("database file ", connection.path(), message.status().message()));
}

// Serializes deterministically (map entries in key order).
std::string SerializeStored(const google::protobuf::MessageLite& message);

// The etag of a resource at `revision`.
std::string RevisionEtag(int64_t revision);

// A JSON object of the labels, e.g. {"region":"sahel"}.
std::string LabelsJson(const google::protobuf::Map<std::string, std::string>& labels);

// One bit per ActionKind present in statement.actions.
int64_t ActionMask(const v1::Statement& statement);

// Runs `sql` (one `?`, bound to `key`) and returns whether it yields a row.
absl::StatusOr<bool> RowExists(Connection& connection, absl::string_view sql,
                               absl::string_view key);

// FAILED_PRECONDITION "{field}: {name} does not exist".
absl::Status MissingReference(absl::string_view field, absl::string_view name);

// The latest revision of statement `name` (from the change log, which
// always has it); NOT_FOUND if there is none.
absl::StatusOr<v1::Statement> LoadStatement(Connection& connection, absl::string_view name);

// The rowid of `statement`'s row in the statements table: the sequence of
// its first revision (from the change log, which `connection` must see).
absl::StatusOr<int64_t> StatementRowid(Connection& connection, const v1::Statement& statement);

// Writes `statement`'s row in the statements table (inserted, or updated
// in place: the row keeps its rowid, which keys the full-text index) and
// returns its rowid (StatementRowid). `data` is its stored serialization.
absl::StatusOr<int64_t> WriteStatementRow(Connection& connection,
                                          const v1::Statement& statement,
                                          v1::ActorKind actor_kind, absl::string_view data);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_SQLITE_ROWS_H_
