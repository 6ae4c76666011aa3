#ifndef ROLLCALL_CLIENT_CLI_EXTRACT_DOCUMENTS_H_
#define ROLLCALL_CLIENT_CLI_EXTRACT_DOCUMENTS_H_

// Turns what `extract` read into the documents to send to ExtractDrafts:
// one document for plain text or HTML, one per item for an RSS/Atom feed
// (its content when it holds the article, else the page its link names).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/cli/feed.h"
#include "client/cli/fetch.h"
#include "rollcall/v1/draft.pb.h"

namespace rollcall::cli {

// What the user said of the document(s): --url, --title, --publisher,
// --published, --language, --medium. Empty values are not applied.
struct DocumentFlags {
  std::string url;
  std::string title;
  std::string publisher;
  std::string published;
  std::string language;
  std::string medium;
};

// Checks the flags' values and applies them to `document` (they override
// what the source said). INVALID_ARGUMENT naming the flag for a bad value.
absl::Status ApplyDocumentFlags(const DocumentFlags& flags, v1::Document* document);

// The document of a text or HTML source (not a feed): its body as text or
// html, its URL when it was fetched, then the flags.
absl::StatusOr<v1::Document> SingleDocument(const Fetched& source, SourceKind kind,
                                            const DocumentFlags& flags);

// The document of one feed item: the item's content when it holds the
// article (kFullArticleText) or when there is no link, else the page its
// link names, fetched with `fetch_options`; title, link and publish time
// from the item, publisher and language from the feed, then the flags
// that hold for a whole feed (--publisher, --language, --medium).
absl::StatusOr<v1::Document> ItemDocument(const Feed& feed, const FeedItem& item,
                                          const DocumentFlags& flags,
                                          const FetchOptions& fetch_options);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_EXTRACT_DOCUMENTS_H_
