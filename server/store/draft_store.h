#ifndef ROLLCALL_SERVER_STORE_DRAFT_STORE_H_
#define ROLLCALL_SERVER_STORE_DRAFT_STORE_H_

// The DraftStore interface: durable storage of documents and of the drafts
// extracted from them (proto/rollcall/v1/draft.proto). SqliteStore and
// PostgresStore implement it next to Store, with one set of rules
// (draft_tables.h); one conformance suite runs against both.
//
// Drafts are not statements: nothing here touches the statements, the
// commit log or its sequences, and no draft write wakes the change feed.
//
// Contract shared by every method:
//  - A write returns only after its transaction is durable.
//  - A document is unique per event by its key (DocumentKey): its URL, or
//    without one a digest of its text.
//  - Drafts are listed in create order: the order they were recorded in,
//    which is also the order of their names' first appearance.
//  - Errors are absl::Status values: NOT_FOUND, ABORTED (from a mutation),
//    FAILED_PRECONDITION, UNAVAILABLE or RESOURCE_EXHAUSTED (storage
//    failure, disk full), DATA_LOSS (a damaged record).
//  - Every method is thread-safe.
//
// The store sets the output-only fields: names, create_time, update_time,
// etag and (for a new draft) state PENDING.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rollcall/v1/draft.pb.h"
#include "server/store/store.h"

namespace rollcall {

inline constexpr absl::string_view kDocumentsCollection = "documents";
inline constexpr absl::string_view kDraftsCollection = "drafts";

// What makes two documents of one event the same document: "url:" and its
// URL, or without one "text:" and a digest of its text.
std::string DocumentKey(const v1::Document& document);

// One draft of an extraction, in the order of its first evidence in the
// document.
struct ExtractedDraft {
  // As proposed: statement, evidence (whose `document` the store sets),
  // confidence, unresolved_mention, duplicate_of.
  v1::Draft draft;
  // Empty: a new draft. Otherwise a pending draft of the same event that
  // reports the same reaction: the store appends this draft's evidence and
  // statement sources to it instead. If that draft is no longer pending (or
  // gone) when the extraction is recorded, a new draft is recorded.
  std::string merge_into;
};

// A document read for an event and the drafts it gave.
struct NewExtraction {
  v1::Document document;  // with `event` set
  std::vector<ExtractedDraft> drafts;
};

struct RecordedExtraction {
  v1::Document document;
  // New drafts and the pending drafts the document added evidence to, in
  // the order of the document's evidence.
  std::vector<v1::Draft> drafts;
  // The document had been recorded before: nothing was written, and the
  // document and its drafts (as they are now) are returned.
  bool already_extracted = false;
};

// Conditions joined by AND; empty or UNSPECIFIED ones match everything.
struct DraftQuery {
  std::string event;
  v1::DraftState state = v1::DRAFT_STATE_UNSPECIFIED;
  std::string actor;     // the proposed statement's actor
  std::string document;  // drafts with evidence from this document
  int page_size = 50;
  std::optional<int64_t> after;  // exclusive create-order position
};

struct DraftPage {
  std::vector<v1::Draft> drafts;
  std::optional<int64_t> next_after;  // set if more may follow
};

class DraftStore {
 public:
  virtual ~DraftStore() = default;

  // Records the document and its drafts in one transaction: all or
  // nothing. If a document with the same key was recorded for the event,
  // records nothing and returns that one with already_extracted.
  virtual absl::StatusOr<RecordedExtraction> RecordExtraction(
      const NewExtraction& extraction) = 0;
  // The document recorded for `event` under `key` (DocumentKey) and its
  // drafts, with already_extracted set; nullopt if there is none.
  virtual absl::StatusOr<std::optional<RecordedExtraction>> FindExtraction(
      absl::string_view event, absl::string_view key) = 0;
  // NOT_FOUND "document {name} not found".
  virtual absl::StatusOr<v1::Document> GetDocument(absl::string_view name) = 0;
  // NOT_FOUND "draft {name} not found".
  virtual absl::StatusOr<v1::Draft> GetDraft(absl::string_view name) = 0;
  virtual absl::StatusOr<DraftPage> ListDrafts(const DraftQuery& query) = 0;
  // Applies `mutate` to the stored draft inside the write transaction and
  // stores the result with a new etag and update_time (name and
  // create_time are kept). A mutation that changes nothing writes nothing
  // and returns the draft as it was. NOT_FOUND if absent; the mutation's
  // error otherwise.
  virtual absl::StatusOr<v1::Draft> UpdateDraft(absl::string_view name,
                                                const Mutation<v1::Draft>& mutate) = 0;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_DRAFT_STORE_H_
