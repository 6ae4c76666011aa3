// DraftService::ExtractDrafts: checking the document, reading it, relating
// its drafts to pending drafts and recorded statements, recording it.

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/service/draft_service.h"
#include "server/service/unary.h"
#include "server/service/validation.h"
#include "server/store/duplicate_statement.h"

namespace rollcall {
namespace {

constexpr size_t kMaxUrlBytes = 2048;
constexpr size_t kMaxLanguageBytes = 35;
// Pending drafts of one event looked at for merging, at most.
constexpr int kMaxPendingPages = 20;
// Statements of one actor on one event looked at for duplicate_of, at most.
constexpr int kMaxDuplicateCandidates = 1000;

// The length of the UTF-8 sequence starting at text[i], or 0 if it is not
// a valid one (overlong forms, surrogates and code points past U+10FFFF
// included).
size_t Utf8SequenceLength(absl::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = 0;
  uint32_t code = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kSmallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return 0;
  }
  return length;
}

// INVALID_ARGUMENT naming `field` unless `text` is UTF-8 text: valid
// sequences and no control characters other than tab, line and page
// breaks (NUL bytes and the like mean binary data).
absl::Status CheckText(absl::string_view text, absl::string_view field) {
  if (text.size() > kMaxDocumentBytes) {
    return FieldError(field, absl::StrCat("is longer than ", kMaxDocumentBytes,
                                          " bytes (2 MiB); split the document"));
  }
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      return FieldError(field, absl::StrCat("is not UTF-8 text (invalid byte at offset ",
                                            i, "); binary data cannot be read"));
    }
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (length == 1 && (c < 0x20 || c == 0x7F) && c != '\t' && c != '\n' && c != '\r' &&
        c != '\f') {
      return FieldError(field, absl::StrCat("holds a control character at offset ", i,
                                            "; binary data cannot be read"));
    }
    i += length;
  }
  if (absl::StripAsciiWhitespace(text).empty()) return FieldError(field, "is empty");
  return absl::OkStatus();
}

// "en", "fr", "pt-BR": 2-3 letters, then subtags of 1-8 letters or digits.
bool IsLanguageTag(absl::string_view tag) {
  if (tag.size() > kMaxLanguageBytes) return false;
  size_t start = 0;
  bool first = true;
  while (true) {
    size_t end = tag.find('-', start);
    if (end == absl::string_view::npos) end = tag.size();
    absl::string_view part = tag.substr(start, end - start);
    if (part.empty() || part.size() > 8) return false;
    for (char c : part) {
      if (first ? !absl::ascii_isalpha(c) : !absl::ascii_isalnum(c)) return false;
    }
    if (first && (part.size() < 2 || part.size() > 3)) return false;
    first = false;
    if (end == tag.size()) return true;
    start = end + 1;
  }
}

absl::Status ValidateDocument(const v1::ExtractDraftsRequest& request) {
  RETURN_IF_ERROR(ParseName(request.event(), kEventsCollection, "event").status());
  if (!request.has_document()) return FieldError("document", "is required");
  const v1::Document& document = request.document();
  if (!document.text().empty() && !document.html().empty()) {
    return FieldError("document.html", "give the document as text or as html, not both");
  }
  if (document.html().empty()) {
    RETURN_IF_ERROR(CheckText(document.text(), "document.text"));
  } else {
    RETURN_IF_ERROR(CheckText(document.html(), "document.html"));
  }
  const std::string& url = document.url();
  if (!url.empty() &&
      (!(absl::StartsWith(url, "http://") || absl::StartsWith(url, "https://")) ||
       url.size() > kMaxUrlBytes || url.find_first_of(" \t\r\n") != std::string::npos)) {
    return FieldError("document.url",
                      absl::StrCat("must be an absolute http(s) URL of at most ",
                                   kMaxUrlBytes, " bytes"));
  }
  for (const auto& [value, field] :
       {std::make_pair(&document.title(), "document.title"),
        std::make_pair(&document.publisher(), "document.publisher")}) {
    if (value->size() > static_cast<size_t>(kMaxShortText)) {
      return FieldError(field, absl::StrCat("is longer than ", kMaxShortText, " bytes"));
    }
  }
  if (!v1::SourceMedium_IsValid(document.medium())) {
    return FieldError("document.medium", absl::StrCat(document.medium(),
                                                      " is not a SourceMedium"));
  }
  if (document.has_publish_time()) {
    RETURN_IF_ERROR(ValidateTimestamp(document.publish_time(), "document.publish_time"));
  }
  if (!document.language().empty() && !IsLanguageTag(document.language())) {
    return FieldError("document.language", "is not a BCP-47 tag like \"en\" or \"fr\"");
  }
  return absl::OkStatus();
}

// Whether `a` (proposed) and `b` (pending) report the same reaction: same
// actor and stance, issued within kDuplicateWindow, and near-identical
// quotes, the same speaker, no quote in either, or quotes in two languages
// (a translation shares almost no words with its original, so the words
// cannot tell two reactions apart).
bool SameReaction(const v1::Statement& a, const v1::Statement& b) {
  if (a.actor().empty() || a.actor() != b.actor() || a.stance() != b.stance()) return false;
  if (absl::AbsDuration(ToAbslTime(a.issue_time()) - ToAbslTime(b.issue_time())) >
      kDuplicateWindow) {
    return false;
  }
  if (!a.quote().empty() && !b.quote().empty() &&
      MostSimilarQuote(a.quote(), {{b.actor(), b.quote()}}).has_value()) {
    return true;
  }
  const std::string& speaker = a.speaker().person_name();
  if (!speaker.empty() && speaker == b.speaker().person_name()) return true;
  if (!a.quote().empty() && !b.quote().empty() && !a.language().empty() &&
      !b.language().empty() && a.language() != b.language()) {
    return true;
  }
  return a.quote().empty() && b.quote().empty();
}

void ClearOutputOnly(v1::Draft& draft) {
  draft.clear_name();
  draft.clear_state();
  draft.clear_statement_name();
  draft.clear_reject_reason();
  draft.clear_create_time();
  draft.clear_update_time();
  draft.clear_review_time();
  draft.clear_reviewer();
  draft.clear_etag();
}

void Respond(RecordedExtraction recorded, v1::ExtractDraftsResponse* response) {
  *response->mutable_document() = std::move(recorded.document);
  for (v1::Draft& draft : recorded.drafts) *response->add_drafts() = std::move(draft);
  response->set_already_extracted(recorded.already_extracted);
}

}  // namespace

grpc::ServerUnaryReactor* DraftService::ExtractDrafts(grpc::CallbackServerContext* context,
                                                      const grpc::ByteBuffer* request,
                                                      grpc::ByteBuffer* response) {
  return RunUnaryOn(workers_, context, [this, request, response]() -> absl::Status {
    v1::ExtractDraftsRequest parsed;
    grpc::ByteBuffer bytes(*request);  // Deserialize consumes its buffer
    if (!grpc::SerializationTraits<v1::ExtractDraftsRequest>::Deserialize(&bytes, &parsed)
             .ok()) {
      return FieldError("document",
                        "is not readable: a text field holds bytes that are not UTF-8 "
                        "(binary data cannot be read)");
    }
    v1::ExtractDraftsResponse extracted;
    RETURN_IF_ERROR(Extract(parsed, &extracted));
    bool own_buffer = false;
    grpc::Status serialized = grpc::SerializationTraits<v1::ExtractDraftsResponse>::Serialize(
        extracted, response, &own_buffer);
    if (!serialized.ok()) return absl::InternalError(serialized.error_message());
    return absl::OkStatus();
  });
}

absl::Status DraftService::Extract(const v1::ExtractDraftsRequest& request,
                                   v1::ExtractDraftsResponse* response) {
  RETURN_IF_ERROR(ValidateDocument(request));
  RETURN_IF_ERROR(store_->GetEvent(request.event()).status());
  v1::Document input = request.document();
  input.clear_name();
  input.clear_event();
  input.clear_create_time();
  input.clear_language_detected();
  if (!request.validate_only() && !input.url().empty()) {
    ASSIGN_OR_RETURN(std::optional<RecordedExtraction> found,
                     drafts_->FindExtraction(request.event(), DocumentKey(input)));
    if (found.has_value()) {
      Respond(*std::move(found), response);
      return absl::OkStatus();
    }
  }
  if (reader_ == nullptr) return absl::FailedPreconditionError(reader_unavailable_);
  ASSIGN_OR_RETURN(extract::Extraction extraction,
                   reader_->Read(input, request.event(), absl::Now()));
  NewExtraction recording;
  recording.document = std::move(extraction.document);
  recording.document.clear_name();
  recording.document.clear_html();
  recording.document.set_event(request.event());
  for (v1::Draft& draft : extraction.drafts) {
    ClearOutputOnly(draft);
    draft.mutable_statement()->set_event(request.event());
    recording.drafts.push_back(ExtractedDraft{std::move(draft), ""});
  }
  absl::MutexLock lock(&record_mu_);
  RETURN_IF_ERROR(Relate(recording.drafts));
  if (request.validate_only()) {
    RecordedExtraction preview{std::move(recording.document), {}, false};
    for (ExtractedDraft& draft : recording.drafts) {
      preview.drafts.push_back(std::move(draft.draft));
    }
    Respond(std::move(preview), response);
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(RecordedExtraction recorded, drafts_->RecordExtraction(recording));
  if (!recorded.already_extracted) watchers_.Notify();
  Respond(std::move(recorded), response);
  return absl::OkStatus();
}

absl::Status DraftService::Relate(std::vector<ExtractedDraft>& drafts) {
  if (drafts.empty()) return absl::OkStatus();
  const std::string& event = drafts.front().draft.statement().event();
  std::vector<v1::Draft> pending;
  DraftQuery query;
  query.event = event;
  query.state = v1::DRAFT_STATE_PENDING;
  query.page_size = 1000;
  for (int page = 0; page < kMaxPendingPages; ++page) {
    ASSIGN_OR_RETURN(DraftPage next, drafts_->ListDrafts(query));
    for (v1::Draft& draft : next.drafts) pending.push_back(std::move(draft));
    if (!next.next_after.has_value()) break;
    query.after = next.next_after;
  }
  for (ExtractedDraft& extracted : drafts) {
    v1::Draft& draft = extracted.draft;
    const v1::Statement& statement = draft.statement();
    for (const v1::Draft& candidate : pending) {
      // A draft with as many sources as a statement may have takes no more:
      // it could not be accepted.
      if (candidate.statement().sources_size() >= kMaxRepeated) continue;
      if (SameReaction(statement, candidate.statement())) {
        extracted.merge_into = candidate.name();
        break;
      }
    }
    if (statement.actor().empty() || statement.quote().empty()) continue;
    StatementQuery statements;
    statements.filter.events = {event};
    statements.filter.actors = {statement.actor()};
    const absl::Time issued = ToAbslTime(statement.issue_time());
    statements.filter.issue_time_min_micros = absl::ToUnixMicros(issued - kDuplicateWindow);
    statements.filter.issue_time_max_micros =
        absl::ToUnixMicros(issued + kDuplicateWindow) + 1;
    statements.page_size = kMaxDuplicateCandidates;
    ASSIGN_OR_RETURN(StatementPage page, store_->ListStatements(statements));
    std::vector<DuplicateCandidate> candidates;
    for (const v1::Statement& recorded : page.statements) {
      if (!recorded.quote().empty()) candidates.push_back({recorded.name(), recorded.quote()});
    }
    if (std::optional<NearDuplicate> duplicate =
            MostSimilarQuote(statement.quote(), candidates)) {
      draft.set_duplicate_of(duplicate->name);
    }
  }
  return absl::OkStatus();
}

}  // namespace rollcall
