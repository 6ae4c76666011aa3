#ifndef ROLLCALL_SERVER_STORE_DRAFT_TABLES_H_
#define ROLLCALL_SERVER_STORE_DRAFT_TABLES_H_

// The rules of DraftStore (draft_store.h), written once over the SQL both
// stores share, and run by each store on one of its connections inside a
// transaction it opens (SqliteStore: sqlite_drafts.cc, PostgresStore:
// postgres_drafts.cc).
//
// Tables (SQLite schema v9, PostgreSQL schema v2):
//   documents (name, event, doc_key, create_time_micros, data):
//     unique (event, doc_key)
//   drafts (create_order, name, event, state, actor, revision, data):
//     create_order is assigned by the database, increasing
//   draft_documents (document, draft, position): which drafts a document
//     gave or added evidence to, in the document's order

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/store/draft_store.h"

namespace rollcall {

// One bound parameter of a query.
struct SqlParam {
  enum Kind { kInt, kText, kBytes };
  Kind kind = kInt;
  int64_t number = 0;
  std::string text;  // text or bytes

  static SqlParam Int(int64_t value) { return {kInt, value, {}}; }
  static SqlParam Text(absl::string_view value) { return {kText, 0, std::string(value)}; }
  static SqlParam Bytes(absl::string_view value) { return {kBytes, 0, std::string(value)}; }
};

// One result row: each column read as the query's `columns` said, 'i' an
// integer, 'b' text or bytes.
struct SqlRow {
  std::vector<int64_t> numbers;     // by column index ('b' columns hold 0)
  std::vector<std::string> bytes;  // by column index ('i' columns hold "")
};

// A connection inside a transaction: runs one statement with `?`
// placeholders and returns its rows.
class SqlSession {
 public:
  virtual ~SqlSession() = default;
  virtual absl::StatusOr<std::vector<SqlRow>> Query(absl::string_view sql,
                                                    const std::vector<SqlParam>& params,
                                                    absl::string_view columns) = 0;
  // "database file PATH" or "PostgreSQL", for DATA_LOSS messages.
  virtual std::string holder() const = 0;
};

// DraftStore's operations inside a transaction on `session`. `now` is the
// write's time (microsecond precision).
class DraftTables {
 public:
  explicit DraftTables(SqlSession& session) : session_(session) {}

  absl::StatusOr<RecordedExtraction> Record(const NewExtraction& extraction, absl::Time now);
  absl::StatusOr<std::optional<RecordedExtraction>> Find(absl::string_view event,
                                                         absl::string_view key);
  absl::StatusOr<v1::Document> GetDocument(absl::string_view name);
  absl::StatusOr<v1::Draft> GetDraft(absl::string_view name);
  absl::StatusOr<DraftPage> List(const DraftQuery& query);
  absl::StatusOr<v1::Draft> Update(absl::string_view name, const Mutation<v1::Draft>& mutate,
                                   absl::Time now);

 private:
  struct StoredDraft {
    v1::Draft draft;
    int64_t revision = 0;
  };
  absl::StatusOr<std::optional<StoredDraft>> LoadDraft(absl::string_view name);
  absl::StatusOr<std::string> NewName(absl::string_view collection, absl::string_view table,
                                      char prefix);
  absl::Status InsertDraft(v1::Draft& draft, absl::Time now);
  absl::Status WriteDraft(v1::Draft& draft, int64_t revision, absl::Time now);
  absl::StatusOr<std::vector<v1::Draft>> DraftsOfDocument(absl::string_view document);
  // Appends `addition`'s evidence and sources to the pending draft
  // `into`; false (nothing written) if it is no longer pending.
  absl::StatusOr<bool> Merge(const v1::Draft& addition, absl::string_view into,
                             absl::Time now, v1::Draft* merged);

  SqlSession& session_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_DRAFT_TABLES_H_
