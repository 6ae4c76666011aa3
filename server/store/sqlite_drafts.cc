// SqliteStore: documents and drafts (DraftStore). The rules are
// DraftTables'; this file runs them on the store's connections.

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/draft_tables.h"
#include "server/store/sqlite_store.h"

namespace rollcall {
namespace {

// DraftTables' queries on a SQLite connection.
class SqliteSession : public SqlSession {
 public:
  explicit SqliteSession(Connection& connection) : connection_(connection) {}

  absl::StatusOr<std::vector<SqlRow>> Query(absl::string_view sql,
                                            const std::vector<SqlParam>& params,
                                            absl::string_view columns) override {
    ASSIGN_OR_RETURN(Statement statement, connection_.Prepare(sql));
    for (const SqlParam& param : params) {
      switch (param.kind) {
        case SqlParam::kInt:
          statement.BindInt(param.number);
          break;
        case SqlParam::kText:
          statement.BindText(param.text);
          break;
        case SqlParam::kBytes:
          statement.BindBlob(param.text);
          break;
      }
    }
    std::vector<SqlRow> rows;
    while (true) {
      ASSIGN_OR_RETURN(bool more, statement.Step());
      if (!more) return rows;
      SqlRow& row = rows.emplace_back();
      row.numbers.resize(columns.size());
      row.bytes.resize(columns.size());
      for (size_t i = 0; i < columns.size(); ++i) {
        const int column = static_cast<int>(i);
        if (columns[i] == 'i') {
          row.numbers[i] = statement.ColumnInt(column);
        } else {
          row.bytes[i] = std::string(statement.ColumnBlob(column));
        }
      }
    }
  }

  std::string holder() const override {
    return absl::StrCat("database file ", connection_.path());
  }

 private:
  Connection& connection_;
};

}  // namespace

absl::StatusOr<RecordedExtraction> SqliteStore::RecordExtraction(
    const NewExtraction& extraction) {
  RecordedExtraction recorded;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    SqliteSession session(txn.connection);
    ASSIGN_OR_RETURN(recorded, DraftTables(session).Record(extraction, txn.commit_time));
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::optional<RecordedExtraction>> SqliteStore::FindExtraction(
    absl::string_view event, absl::string_view key) {
  std::optional<RecordedExtraction> found;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    SqliteSession session(connection);
    ASSIGN_OR_RETURN(found, DraftTables(session).Find(event, key));
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<v1::Document> SqliteStore::GetDocument(absl::string_view name) {
  v1::Document document;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    SqliteSession session(connection);
    ASSIGN_OR_RETURN(document, DraftTables(session).GetDocument(name));
    return absl::OkStatus();
  }));
  return document;
}

absl::StatusOr<v1::Draft> SqliteStore::GetDraft(absl::string_view name) {
  v1::Draft draft;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    SqliteSession session(connection);
    ASSIGN_OR_RETURN(draft, DraftTables(session).GetDraft(name));
    return absl::OkStatus();
  }));
  return draft;
}

absl::StatusOr<DraftPage> SqliteStore::ListDrafts(const DraftQuery& query) {
  DraftPage page;
  RETURN_IF_ERROR(Read([&](Connection& connection) -> absl::Status {
    SqliteSession session(connection);
    ASSIGN_OR_RETURN(page, DraftTables(session).List(query));
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<v1::Draft> SqliteStore::UpdateDraft(absl::string_view name,
                                                   const Mutation<v1::Draft>& mutate) {
  v1::Draft draft;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    SqliteSession session(txn.connection);
    ASSIGN_OR_RETURN(draft, DraftTables(session).Update(name, mutate, txn.commit_time));
    return absl::OkStatus();
  }));
  return draft;
}

}  // namespace rollcall
