#ifndef ROLLCALL_SERVER_EXTRACT_DOCUMENT_TEXT_H_
#define ROLLCALL_SERVER_EXTRACT_DOCUMENT_TEXT_H_

// A document's plain text and language, checked before anything reads it.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rollcall/v1/draft.pb.h"

namespace rollcall::extract {

// The largest text (or HTML) the extractor reads, in bytes.
constexpr size_t kMaxDocumentBytes = 4 << 20;

// The plain text of `document`: its text, or its HTML's visible text
// (libxml2's HTML parser; scripts, styles and markup dropped, entities
// decoded, block elements ending lines, runs of spaces collapsed).
// INVALID_ARGUMENT naming the field when both or neither of text and html
// are set, the input is longer than kMaxDocumentBytes, is not UTF-8 or holds
// control characters, or has no text.
absl::StatusOr<std::string> PlainText(const v1::Document& document);

// The BCP-47 primary language of `text` ("en", "fr") detected by CLD2;
// "und" when CLD2 cannot tell.
std::string DetectLanguage(absl::string_view text);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_DOCUMENT_TEXT_H_
