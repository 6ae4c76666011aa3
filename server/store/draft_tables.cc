#include "server/store/draft_tables.h"

#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "server/common/fingerprint.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/store/sqlite_rows.h"

namespace rollcall {
namespace {

constexpr int kIdRandomChars = 15;
constexpr int kMaxNameAttempts = 8;
constexpr int kDefaultPageSize = 50;

constexpr absl::string_view kDraftColumns = "d.create_order, d.revision, d.data";

// Whether `sources` already credits the source's document (by URL, or by
// title and publisher without one).
bool HasSource(const v1::Statement& statement, const v1::Source& source) {
  for (const v1::Source& existing : statement.sources()) {
    if (!source.url().empty() ? existing.url() == source.url()
                              : existing.url().empty() &&
                                    existing.title() == source.title() &&
                                    existing.publisher() == source.publisher()) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string DocumentKey(const v1::Document& document) {
  if (!document.url().empty()) return absl::StrCat("url:", document.url());
  return absl::StrCat("text:", document.text().size(), ":",
                      absl::Hex(StableFingerprint(document.text()), absl::kZeroPad16));
}

absl::StatusOr<std::string> DraftTables::NewName(absl::string_view collection,
                                                 absl::string_view table, char prefix) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  thread_local absl::BitGen bits;
  for (int attempt = 0; attempt < kMaxNameAttempts; ++attempt) {
    std::string id(1, prefix);
    for (int i = 0; i < kIdRandomChars; ++i) {
      id.push_back(kAlphabet[absl::Uniform(bits, 0, 32)]);
    }
    std::string name = MakeName(collection, id);
    ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                     session_.Query(absl::StrCat("SELECT 1 FROM ", table, " WHERE name = ?"),
                                    {SqlParam::Text(name)}, ""));
    if (rows.empty()) return name;
  }
  return absl::InternalError(absl::StrCat("could not find an unused name in ", collection));
}

absl::StatusOr<std::optional<DraftTables::StoredDraft>> DraftTables::LoadDraft(
    absl::string_view name) {
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   session_.Query(absl::StrCat("SELECT ", kDraftColumns,
                                               " FROM drafts d WHERE d.name = ?"),
                                  {SqlParam::Text(name)}, "iib"));
  if (rows.empty()) return std::nullopt;
  StoredDraft stored;
  stored.revision = rows[0].numbers[1];
  ASSIGN_OR_RETURN(stored.draft,
                   ParseStored<v1::Draft>(rows[0].bytes[2], session_.holder(), name));
  return stored;
}

absl::Status DraftTables::InsertDraft(v1::Draft& draft, absl::Time now) {
  ASSIGN_OR_RETURN(std::string name, NewName(kDraftsCollection, "drafts", 'd'));
  draft.set_name(name);
  draft.set_state(v1::DRAFT_STATE_PENDING);
  *draft.mutable_create_time() = ToTimestamp(now);
  *draft.mutable_update_time() = ToTimestamp(now);
  draft.set_etag(RevisionEtag(1));
  return session_
      .Query("INSERT INTO drafts (name, event, state, actor, revision, data) "
             "VALUES (?, ?, ?, ?, ?, ?)",
             {SqlParam::Text(draft.name()), SqlParam::Text(draft.statement().event()),
              SqlParam::Int(draft.state()), SqlParam::Text(draft.statement().actor()),
              SqlParam::Int(1), SqlParam::Bytes(SerializeStored(draft))},
             "")
      .status();
}

absl::Status DraftTables::WriteDraft(v1::Draft& draft, int64_t revision, absl::Time now) {
  *draft.mutable_update_time() = ToTimestamp(now);
  draft.set_etag(RevisionEtag(revision));
  return session_
      .Query("UPDATE drafts SET event = ?, state = ?, actor = ?, revision = ?, data = ? "
             "WHERE name = ?",
             {SqlParam::Text(draft.statement().event()), SqlParam::Int(draft.state()),
              SqlParam::Text(draft.statement().actor()), SqlParam::Int(revision),
              SqlParam::Bytes(SerializeStored(draft)), SqlParam::Text(draft.name())},
             "")
      .status();
}

absl::StatusOr<bool> DraftTables::Merge(const v1::Draft& addition, absl::string_view into,
                                        absl::Time now, v1::Draft* merged) {
  ASSIGN_OR_RETURN(std::optional<StoredDraft> stored, LoadDraft(into));
  if (!stored.has_value() || stored->draft.state() != v1::DRAFT_STATE_PENDING ||
      stored->draft.statement().event() != addition.statement().event()) {
    return false;
  }
  v1::Draft& draft = stored->draft;
  for (const v1::DraftEvidence& evidence : addition.evidence()) {
    *draft.add_evidence() = evidence;
  }
  for (const v1::Source& source : addition.statement().sources()) {
    if (!HasSource(draft.statement(), source)) {
      *draft.mutable_statement()->add_sources() = source;
    }
  }
  RETURN_IF_ERROR(WriteDraft(draft, stored->revision + 1, now));
  *merged = std::move(draft);
  return true;
}

absl::StatusOr<RecordedExtraction> DraftTables::Record(const NewExtraction& extraction,
                                                       absl::Time now) {
  const v1::Document& input = extraction.document;
  const std::string key = DocumentKey(input);
  ASSIGN_OR_RETURN(std::optional<RecordedExtraction> existing, Find(input.event(), key));
  if (existing.has_value()) return *std::move(existing);

  RecordedExtraction recorded;
  v1::Document& document = recorded.document;
  document = input;
  document.clear_html();
  ASSIGN_OR_RETURN(std::string document_name,
                   NewName(kDocumentsCollection, "documents", 't'));
  document.set_name(document_name);
  *document.mutable_create_time() = ToTimestamp(now);
  RETURN_IF_ERROR(session_
                      .Query("INSERT INTO documents (name, event, doc_key, "
                             "create_time_micros, data) VALUES (?, ?, ?, ?, ?)",
                             {SqlParam::Text(document.name()),
                              SqlParam::Text(document.event()), SqlParam::Text(key),
                              SqlParam::Int(absl::ToUnixMicros(now)),
                              SqlParam::Bytes(SerializeStored(document))},
                             "")
                      .status());
  for (size_t position = 0; position < extraction.drafts.size(); ++position) {
    const ExtractedDraft& extracted = extraction.drafts[position];
    v1::Draft draft = extracted.draft;
    for (v1::DraftEvidence& evidence : *draft.mutable_evidence()) {
      evidence.set_document(document.name());
    }
    v1::Draft result;
    bool merged = false;
    if (!extracted.merge_into.empty()) {
      ASSIGN_OR_RETURN(merged, Merge(draft, extracted.merge_into, now, &result));
    }
    if (!merged) {
      RETURN_IF_ERROR(InsertDraft(draft, now));
      result = std::move(draft);
    }
    RETURN_IF_ERROR(session_
                        .Query("INSERT INTO draft_documents (document, draft, position) "
                               "VALUES (?, ?, ?)",
                               {SqlParam::Text(document.name()), SqlParam::Text(result.name()),
                                SqlParam::Int(static_cast<int64_t>(position))},
                               "")
                        .status());
    recorded.drafts.push_back(std::move(result));
  }
  return recorded;
}

absl::StatusOr<std::vector<v1::Draft>> DraftTables::DraftsOfDocument(
    absl::string_view document) {
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   session_.Query(absl::StrCat("SELECT ", kDraftColumns,
                                               " FROM draft_documents r JOIN drafts d "
                                               "ON d.name = r.draft WHERE r.document = ? "
                                               "ORDER BY r.position"),
                                  {SqlParam::Text(document)}, "iib"));
  std::vector<v1::Draft> drafts;
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(drafts.emplace_back(),
                     ParseStored<v1::Draft>(row.bytes[2], session_.holder(), "a draft"));
  }
  return drafts;
}

absl::StatusOr<std::optional<RecordedExtraction>> DraftTables::Find(absl::string_view event,
                                                                    absl::string_view key) {
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   session_.Query("SELECT name, data FROM documents "
                                  "WHERE event = ? AND doc_key = ?",
                                  {SqlParam::Text(event), SqlParam::Text(key)}, "bb"));
  if (rows.empty()) return std::nullopt;
  RecordedExtraction found;
  found.already_extracted = true;
  ASSIGN_OR_RETURN(found.document, ParseStored<v1::Document>(
                                       rows[0].bytes[1], session_.holder(), rows[0].bytes[0]));
  ASSIGN_OR_RETURN(found.drafts, DraftsOfDocument(found.document.name()));
  return found;
}

absl::StatusOr<v1::Document> DraftTables::GetDocument(absl::string_view name) {
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                   session_.Query("SELECT data FROM documents WHERE name = ?",
                                  {SqlParam::Text(name)}, "b"));
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("document ", name, " not found"));
  return ParseStored<v1::Document>(rows[0].bytes[0], session_.holder(), name);
}

absl::StatusOr<v1::Draft> DraftTables::GetDraft(absl::string_view name) {
  ASSIGN_OR_RETURN(std::optional<StoredDraft> stored, LoadDraft(name));
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat("draft ", name, " not found"));
  }
  return std::move(stored->draft);
}

absl::StatusOr<DraftPage> DraftTables::List(const DraftQuery& query) {
  std::string sql = absl::StrCat("SELECT ", kDraftColumns, " FROM drafts d");
  std::vector<SqlParam> params;
  std::vector<std::string> conditions;
  if (!query.document.empty()) {
    conditions.push_back(
        "EXISTS (SELECT 1 FROM draft_documents r WHERE r.draft = d.name AND r.document = ?)");
    params.push_back(SqlParam::Text(query.document));
  }
  if (!query.event.empty()) {
    conditions.push_back("d.event = ?");
    params.push_back(SqlParam::Text(query.event));
  }
  if (query.state != v1::DRAFT_STATE_UNSPECIFIED) {
    conditions.push_back("d.state = ?");
    params.push_back(SqlParam::Int(query.state));
  }
  if (!query.actor.empty()) {
    conditions.push_back("d.actor = ?");
    params.push_back(SqlParam::Text(query.actor));
  }
  if (query.after.has_value()) {
    conditions.push_back("d.create_order > ?");
    params.push_back(SqlParam::Int(*query.after));
  }
  for (size_t i = 0; i < conditions.size(); ++i) {
    absl::StrAppend(&sql, i == 0 ? " WHERE " : " AND ", conditions[i]);
  }
  const int page_size = query.page_size > 0 ? query.page_size : kDefaultPageSize;
  // One more than a page: whether another page follows.
  absl::StrAppend(&sql, " ORDER BY d.create_order LIMIT ?");
  params.push_back(SqlParam::Int(page_size + 1));
  ASSIGN_OR_RETURN(std::vector<SqlRow> rows, session_.Query(sql, params, "iib"));
  DraftPage page;
  for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(page_size); ++i) {
    ASSIGN_OR_RETURN(page.drafts.emplace_back(),
                     ParseStored<v1::Draft>(rows[i].bytes[2], session_.holder(), "a draft"));
  }
  if (rows.size() > static_cast<size_t>(page_size)) {
    page.next_after = rows[page_size - 1].numbers[0];
  }
  return page;
}

absl::StatusOr<v1::Draft> DraftTables::Update(absl::string_view name,
                                              const Mutation<v1::Draft>& mutate,
                                              absl::Time now) {
  ASSIGN_OR_RETURN(std::optional<StoredDraft> stored, LoadDraft(name));
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat("draft ", name, " not found"));
  }
  v1::Draft draft = stored->draft;
  RETURN_IF_ERROR(mutate(draft));
  draft.set_name(stored->draft.name());
  *draft.mutable_create_time() = stored->draft.create_time();
  draft.set_etag(stored->draft.etag());
  *draft.mutable_update_time() = stored->draft.update_time();
  if (SerializeStored(draft) == SerializeStored(stored->draft)) return draft;
  RETURN_IF_ERROR(WriteDraft(draft, stored->revision + 1, now));
  return draft;
}

}  // namespace rollcall
