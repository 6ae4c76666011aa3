// PostgresStore: documents and drafts (DraftStore). The rules are
// DraftTables'; this file runs them on the store's connections.

#include <utility>

#include "server/common/status_macros.h"
#include "server/store/draft_tables.h"
#include "server/store/postgres_store.h"

namespace rollcall {
namespace {

// DraftTables' queries on a PostgreSQL connection.
class PostgresSession : public SqlSession {
 public:
  explicit PostgresSession(PgConnection& connection) : connection_(connection) {}

  absl::StatusOr<std::vector<SqlRow>> Query(absl::string_view sql,
                                            const std::vector<SqlParam>& params,
                                            absl::string_view columns) override {
    PgParams bound;
    for (const SqlParam& param : params) {
      switch (param.kind) {
        case SqlParam::kInt:
          bound.Int(param.number);
          break;
        case SqlParam::kText:
          bound.Text(param.text);
          break;
        case SqlParam::kBytes:
          bound.Bytes(param.text);
          break;
      }
    }
    ASSIGN_OR_RETURN(PgResult result, connection_.Query(sql, bound));
    std::vector<SqlRow> rows(static_cast<size_t>(result.rows()));
    for (int r = 0; r < result.rows(); ++r) {
      SqlRow& row = rows[static_cast<size_t>(r)];
      row.numbers.resize(columns.size());
      row.bytes.resize(columns.size());
      for (size_t i = 0; i < columns.size(); ++i) {
        const int column = static_cast<int>(i);
        if (columns[i] == 'i') {
          row.numbers[i] = result.Int(r, column);
        } else {
          row.bytes[i] = result.Text(r, column);
        }
      }
    }
    return rows;
  }

  std::string holder() const override { return "PostgreSQL"; }

 private:
  PgConnection& connection_;
};

}  // namespace

absl::StatusOr<RecordedExtraction> PostgresStore::RecordExtraction(
    const NewExtraction& extraction) {
  RecordedExtraction recorded;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    PostgresSession session(txn.connection);
    ASSIGN_OR_RETURN(recorded, DraftTables(session).Record(extraction, txn.commit_time));
    return absl::OkStatus();
  }));
  return recorded;
}

absl::StatusOr<std::optional<RecordedExtraction>> PostgresStore::FindExtraction(
    absl::string_view event, absl::string_view key) {
  std::optional<RecordedExtraction> found;
  RETURN_IF_ERROR(Read(
      [&](PgConnection& connection) -> absl::Status {
        PostgresSession session(connection);
        ASSIGN_OR_RETURN(found, DraftTables(session).Find(event, key));
        return absl::OkStatus();
      },
      /*snapshot=*/true));
  return found;
}

absl::StatusOr<v1::Document> PostgresStore::GetDocument(absl::string_view name) {
  v1::Document document;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    PostgresSession session(connection);
    ASSIGN_OR_RETURN(document, DraftTables(session).GetDocument(name));
    return absl::OkStatus();
  }));
  return document;
}

absl::StatusOr<v1::Draft> PostgresStore::GetDraft(absl::string_view name) {
  v1::Draft draft;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    PostgresSession session(connection);
    ASSIGN_OR_RETURN(draft, DraftTables(session).GetDraft(name));
    return absl::OkStatus();
  }));
  return draft;
}

absl::StatusOr<DraftPage> PostgresStore::ListDrafts(const DraftQuery& query) {
  DraftPage page;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    PostgresSession session(connection);
    ASSIGN_OR_RETURN(page, DraftTables(session).List(query));
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<v1::Draft> PostgresStore::UpdateDraft(absl::string_view name,
                                                     const Mutation<v1::Draft>& mutate) {
  v1::Draft draft;
  RETURN_IF_ERROR(Write([&](WriteTxn& txn) -> absl::Status {
    PostgresSession session(txn.connection);
    ASSIGN_OR_RETURN(draft, DraftTables(session).Update(name, mutate, txn.commit_time));
    return absl::OkStatus();
  }));
  return draft;
}

}  // namespace rollcall
