#include "client/cli/feed.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstring>
#include <limits>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace rollcall::cli {
namespace {

constexpr char kAtomNs[] = "http://www.w3.org/2005/Atom";
constexpr char kContentNs[] = "http://purl.org/rss/1.0/modules/content/";
constexpr char kDcNs[] = "http://purl.org/dc/elements/1.1/";

// The start of `body` after a byte-order mark, whitespace and comments,
// lower-cased, at most 2 KiB.
std::string Head(absl::string_view body) {
  absl::ConsumePrefix(&body, "\xEF\xBB\xBF");
  body = absl::StripLeadingAsciiWhitespace(body);
  return absl::AsciiStrToLower(body.substr(0, 2048));
}

bool LooksLikeHtml(const std::string& head) {
  return absl::StartsWith(head, "<!doctype html") || absl::StrContains(head, "<html");
}

bool LooksLikeFeed(const std::string& head) {
  return absl::StartsWith(head, "<?xml") || absl::StartsWith(head, "<rss") ||
         absl::StartsWith(head, "<feed") || absl::StartsWith(head, "<rdf:rdf");
}

std::string Extension(absl::string_view name) {
  const size_t slash = name.find_last_of('/');
  if (slash != absl::string_view::npos) name.remove_prefix(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot == absl::string_view::npos) return "";
  return absl::AsciiStrToLower(name.substr(dot + 1));
}

using XmlDoc = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

bool Is(const xmlNode* node, const char* name, const char* ns = nullptr) {
  if (node->type != XML_ELEMENT_NODE) return false;
  if (xmlStrcmp(node->name, BAD_CAST name) != 0) return false;
  if (ns == nullptr) return true;
  return node->ns != nullptr && xmlStrcmp(node->ns->href, BAD_CAST ns) == 0;
}

std::string Text(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  if (content == nullptr) return "";
  std::string text(reinterpret_cast<const char*>(content));
  xmlFree(content);
  return std::string(absl::StripAsciiWhitespace(text));
}

std::string Attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, BAD_CAST name);
  if (value == nullptr) return "";
  std::string text(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return text;
}

// The markup inside `node`, for Atom type="xhtml" content.
std::string InnerXml(xmlNode* node) {
  std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buffer(xmlBufferCreate(),
                                                              xmlBufferFree);
  for (xmlNode* child = node->children; child != nullptr; child = child->next) {
    xmlNodeDump(buffer.get(), node->doc, child, 0, 0);
  }
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())));
}

FeedItem ParseRssItem(const xmlNode* item) {
  FeedItem parsed;
  parsed.content_is_html = true;
  std::string description;
  for (const xmlNode* child = item->children; child; child = child->next) {
    if (Is(child, "encoded", kContentNs)) {
      parsed.content = Text(child);
    } else if (child->ns != nullptr) {
      if (Is(child, "creator", kDcNs) && parsed.author.empty()) {
        parsed.author = Text(child);
      } else if (Is(child, "date", kDcNs) && !parsed.published) {
        parsed.published = ParseFeedTime(Text(child));
      }
    } else if (Is(child, "guid")) {
      parsed.id = Text(child);
    } else if (Is(child, "link")) {
      parsed.link = Text(child);
    } else if (Is(child, "title")) {
      parsed.title = Text(child);
    } else if (Is(child, "author")) {
      parsed.author = Text(child);
    } else if (Is(child, "pubDate")) {
      parsed.published = ParseFeedTime(Text(child));
    } else if (Is(child, "description")) {
      description = Text(child);
    }
  }
  if (parsed.content.empty()) parsed.content = std::move(description);
  return parsed;
}

void ParseAtomContent(xmlNode* node, FeedItem* item) {
  const std::string type = Attribute(node, "type");
  item->content_is_html = type == "html" || type == "xhtml";
  item->content = type == "xhtml" ? InnerXml(node) : Text(node);
}

FeedItem ParseAtomEntry(const xmlNode* entry) {
  FeedItem parsed;
  std::optional<absl::Time> updated;
  bool has_content = false;
  for (xmlNode* child = entry->children; child; child = child->next) {
    if (Is(child, "id", kAtomNs)) {
      parsed.id = Text(child);
    } else if (Is(child, "link", kAtomNs)) {
      const std::string rel = Attribute(child, "rel");
      if ((rel.empty() || rel == "alternate") && parsed.link.empty()) {
        parsed.link = Attribute(child, "href");
      }
    } else if (Is(child, "title", kAtomNs)) {
      parsed.title = Text(child);
    } else if (Is(child, "author", kAtomNs)) {
      for (const xmlNode* part = child->children; part; part = part->next) {
        if (Is(part, "name", kAtomNs)) parsed.author = Text(part);
      }
    } else if (Is(child, "published", kAtomNs)) {
      parsed.published = ParseFeedTime(Text(child));
    } else if (Is(child, "updated", kAtomNs)) {
      updated = ParseFeedTime(Text(child));
    } else if (Is(child, "content", kAtomNs)) {
      ParseAtomContent(child, &parsed);
      has_content = true;
    } else if (Is(child, "summary", kAtomNs) && !has_content) {
      ParseAtomContent(child, &parsed);
    }
  }
  if (!parsed.published) parsed.published = updated;
  return parsed;
}

Feed ParseRss(const xmlNode* root) {
  Feed feed;
  auto read_items = [&feed](const xmlNode* parent) {
    for (const xmlNode* node = parent->children; node; node = node->next) {
      if (node->type == XML_ELEMENT_NODE && xmlStrcmp(node->name, BAD_CAST "item") == 0) {
        feed.items.push_back(ParseRssItem(node));
      }
    }
  };
  for (const xmlNode* node = root->children; node; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    if (xmlStrcmp(node->name, BAD_CAST "channel") != 0) continue;
    for (const xmlNode* child = node->children; child; child = child->next) {
      if (Is(child, "title") && child->ns == nullptr) feed.title = Text(child);
      if (Is(child, "language")) feed.language = Text(child);
    }
    read_items(node);  // RSS 2.0: items inside the channel
  }
  read_items(root);  // RSS 1.0: items beside it
  return feed;
}

Feed ParseAtom(xmlNode* root) {
  Feed feed;
  xmlChar* lang = xmlNodeGetLang(root);
  if (lang != nullptr) {
    feed.language = reinterpret_cast<const char*>(lang);
    xmlFree(lang);
  }
  for (const xmlNode* node = root->children; node; node = node->next) {
    if (Is(node, "title", kAtomNs)) feed.title = Text(node);
    if (Is(node, "entry", kAtomNs)) feed.items.push_back(ParseAtomEntry(node));
  }
  return feed;
}

}  // namespace

SourceKind DetectKind(absl::string_view body, absl::string_view content_type,
                      absl::string_view name) {
  const std::string head = Head(body);
  const std::string type = absl::AsciiStrToLower(content_type);
  if (absl::StrContains(type, "rss") || absl::StrContains(type, "atom")) {
    return SourceKind::kFeed;
  }
  if (absl::StrContains(type, "html")) return SourceKind::kHtml;
  if (absl::StrContains(type, "xml")) {
    return LooksLikeHtml(head) ? SourceKind::kHtml : SourceKind::kFeed;
  }
  const std::string extension = Extension(name);
  if (extension == "rss" || extension == "atom") return SourceKind::kFeed;
  if (extension == "xml") {
    return LooksLikeHtml(head) ? SourceKind::kHtml : SourceKind::kFeed;
  }
  if (extension == "html" || extension == "htm") return SourceKind::kHtml;
  if (LooksLikeHtml(head)) return SourceKind::kHtml;
  if (LooksLikeFeed(head)) return SourceKind::kFeed;
  return SourceKind::kText;
}

absl::StatusOr<Feed> ParseFeed(absl::string_view body) {
  if (body.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return absl::InvalidArgumentError("feed is too large");
  }
  // The first error says where the document went wrong; later ones are
  // consequences.
  std::string first_error;
  xmlSetStructuredErrorFunc(&first_error, [](void* context, xmlErrorPtr error) {
    auto* first = static_cast<std::string*>(context);
    if (first->empty() && error != nullptr && error->message != nullptr) {
      *first = absl::StrCat("line ", error->line, ": ",
                            absl::StripAsciiWhitespace(error->message));
    }
  });
  XmlDoc doc(xmlReadMemory(body.data(), static_cast<int>(body.size()), "feed.xml",
                           nullptr, XML_PARSE_NONET | XML_PARSE_NOCDATA),
             xmlFreeDoc);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  if (!doc) {
    return absl::InvalidArgumentError(
        absl::StrCat("the feed is not well-formed XML (",
                     first_error.empty() ? "no XML content" : first_error, ")"));
  }
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return absl::InvalidArgumentError("the feed has no root element");
  if (Is(root, "rss") || Is(root, "RDF")) return ParseRss(root);
  if (Is(root, "feed", kAtomNs)) return ParseAtom(root);
  return absl::InvalidArgumentError(
      absl::StrCat("not an RSS or Atom feed: the root element is <",
                   reinterpret_cast<const char*>(root->name), ">"));
}

size_t TextLength(absl::string_view content, bool is_html) {
  size_t length = 0;
  bool in_tag = false;
  for (char c : content) {
    if (is_html && c == '<') in_tag = true;
    if (!in_tag && !absl::ascii_isspace(static_cast<unsigned char>(c)) &&
        (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++length;
    }
    if (is_html && c == '>') in_tag = false;
  }
  return length;
}

std::optional<absl::Time> ParseFeedTime(absl::string_view text) {
  std::string value(absl::StripAsciiWhitespace(text));
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, value, &time, &error)) return time;
  // RFC 822: the weekday is optional; zones may be names.
  const size_t comma = value.find(',');
  if (comma != std::string::npos) value = value.substr(comma + 1);
  value = std::string(absl::StripAsciiWhitespace(value));
  for (const auto& [zone, offset] :
       {std::pair<const char*, const char*>{" GMT", " +0000"},
        {" UT", " +0000"},
        {" Z", " +0000"},
        {" EST", " -0500"},
        {" EDT", " -0400"},
        {" CST", " -0600"},
        {" CDT", " -0500"},
        {" PST", " -0800"},
        {" PDT", " -0700"}}) {
    if (absl::EndsWith(value, zone)) {
      value = absl::StrCat(value.substr(0, value.size() - strlen(zone)), offset);
      break;
    }
  }
  for (const char* format :
       {"%d %b %Y %H:%M:%S %z", "%d %b %Y %H:%M %z", "%d %b %y %H:%M:%S %z"}) {
    if (absl::ParseTime(format, value, &time, &error)) return time;
  }
  return std::nullopt;
}

}  // namespace rollcall::cli
