#include "server/extract/document_text.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <cld2/internal/lang_script.h>
#include <cld2/public/compact_lang_det.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/extract/tokens.h"

namespace rollcall::extract {
namespace {

bool IsSkipped(const char* name) {
  static const char* const kSkipped[] = {"script", "style",  "noscript",
                                         "template", "head", "svg",
                                         "iframe", "object"};
  for (const char* skipped : kSkipped) {
    if (std::strcmp(name, skipped) == 0) return true;
  }
  return false;
}

bool IsBlock(const char* name) {
  static const char* const kBlocks[] = {
      "p",  "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
      "ol", "tr",  "table", "section", "article", "header", "footer",
      "blockquote", "pre", "hr", "figure", "figcaption", "aside", "nav",
      "main", "dd", "dt", "title"};
  for (const char* block : kBlocks) {
    if (std::strcmp(name, block) == 0) return true;
  }
  return false;
}

// Appends visible text with spaces collapsed and block elements on lines of
// their own.
class TextWriter {
 public:
  void Text(const char* text) {
    for (const char* p = text; *p != '\0'; ++p) {
      char c = *p;
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        pending_space_ = !out_.empty() && out_.back() != '\n';
      } else {
        if (pending_space_) out_.push_back(' ');
        pending_space_ = false;
        out_.push_back(c);
      }
    }
  }
  void Break() {
    pending_space_ = false;
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    if (!out_.empty() && out_.back() != '\n') out_.push_back('\n');
  }
  std::string Take() {
    Break();
    if (!out_.empty()) out_.pop_back();
    return std::move(out_);
  }

 private:
  std::string out_;
  bool pending_space_ = false;
};

void Walk(xmlNode* node, TextWriter* writer) {
  for (; node != nullptr; node = node->next) {
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content != nullptr) {
        writer->Text(reinterpret_cast<const char*>(node->content));
      }
    } else if (node->type == XML_ELEMENT_NODE) {
      const char* name = reinterpret_cast<const char*>(node->name);
      if (IsSkipped(name)) continue;
      bool block = IsBlock(name);
      if (block) writer->Break();
      Walk(node->children, writer);
      if (block) writer->Break();
    }
  }
}

std::string HtmlText(const std::string& html) {
  htmlDocPtr doc = htmlReadMemory(
      html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
          HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
  if (doc == nullptr) return "";
  TextWriter writer;
  Walk(xmlDocGetRootElement(doc), &writer);
  xmlFreeDoc(doc);
  return writer.Take();
}

// Valid UTF-8 without control characters other than tab and line breaks.
bool IsText(absl::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    int32_t c = DecodeUtf8(text, &pos);
    if (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
    if (c == 0x7F) return false;
  }
  return true;
}

bool HasWords(absl::string_view text) {
  for (const Token& token : Tokenize(text)) {
    if (token.kind == TokenKind::kWord) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::string> PlainText(const v1::Document& document) {
  const bool has_text = !document.text().empty();
  const bool has_html = !document.html().empty();
  if (has_text && has_html) {
    return FieldError("document.html", "set one of text and html, not both");
  }
  if (!has_text && !has_html) {
    return FieldError("document.text", "is empty");
  }
  const char* field = has_text ? "document.text" : "document.html";
  const std::string& input = has_text ? document.text() : document.html();
  if (input.size() > kMaxDocumentBytes) {
    return FieldError(field,
                      absl::StrCat("longer than ", kMaxDocumentBytes, " bytes"));
  }
  if (!IsText(input)) {
    return FieldError(field, "is not UTF-8 text");
  }
  std::string text = has_text ? input : HtmlText(input);
  if (!IsText(text) || !HasWords(text)) {
    return FieldError(field, "has no text");
  }
  return text;
}

std::string DetectLanguage(absl::string_view text) {
  bool reliable = false;
  CLD2::Language language = CLD2::DetectLanguage(
      text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true,
      &reliable);
  if (language == CLD2::UNKNOWN_LANGUAGE) return "und";
  return CLD2::LanguageCode(language);
}

}  // namespace rollcall::extract
