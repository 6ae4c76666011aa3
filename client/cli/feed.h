#ifndef ROLLCALL_CLIENT_CLI_FEED_H_
#define ROLLCALL_CLIENT_CLI_FEED_H_

// What a source holds (plain text, an HTML page or an RSS/Atom feed) and the
// items of a feed, parsed with libxml2.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace rollcall::cli {

enum class SourceKind { kText, kHtml, kFeed };

// Decides what `body` is from the Content-Type (if any), then the file
// name's extension (.html/.htm, .rss/.atom, .xml unless the content is
// HTML), then the content itself:
// a doctype or <html> element is HTML; an XML declaration or an <rss>,
// <feed> or <rdf:RDF> root is a feed; anything else is text. A source that
// claims to be a feed (by its type or name) is a feed even when its content
// is not XML, so that ParseFeed reports the error.
SourceKind DetectKind(absl::string_view body, absl::string_view content_type,
                      absl::string_view name);

// One item (RSS) or entry (Atom) of a feed.
struct FeedItem {
  // RSS guid or Atom id; empty when the feed gives none.
  std::string id;
  // The article's URL: RSS link, Atom link rel="alternate" (or without rel).
  std::string link;
  std::string title;
  // The author's name: RSS author or dc:creator, Atom author/name.
  std::string author;
  // RSS pubDate (RFC 822), Atom published or else updated (RFC 3339).
  std::optional<absl::Time> published;
  // RSS content:encoded or else description; Atom content or else summary.
  std::string content;
  // True when content is HTML (RSS always; Atom type="html" or "xhtml").
  bool content_is_html = false;
};

struct Feed {
  // The channel's or feed's title, e.g. "Reuters World News".
  std::string title;
  // RSS channel language or the Atom feed's xml:lang; empty if not given.
  std::string language;
  // In the feed's order.
  std::vector<FeedItem> items;
};

// Parses an RSS 2.0 (or 1.0) or Atom feed. INVALID_ARGUMENT for a body
// that is not well-formed XML (naming the line libxml2 stopped at) or whose
// root is not rss, rdf:RDF or an Atom feed. Never loads external entities
// or DTDs, never touches the network.
absl::StatusOr<Feed> ParseFeed(absl::string_view body);

// The number of characters of `content` outside markup: how much an item's
// content says, to tell a full article from a teaser.
size_t TextLength(absl::string_view content, bool is_html);

// True when an item's content holds the article rather than a teaser (at
// least this many characters of text).
inline constexpr size_t kFullArticleText = 400;

// Reads an RFC 822 date ("Wed, 26 Jul 2023 18:05:00 +0000", "GMT" or
// "Z" zones, seconds and weekday optional) or an RFC 3339 one.
std::optional<absl::Time> ParseFeedTime(absl::string_view text);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_FEED_H_
