#include "client/cli/extract_documents.h"

#include "absl/strings/str_cat.h"
#include "client/cli/values.h"
#include "google/protobuf/util/time_util.h"

namespace rollcall::cli {
namespace {

void SetBody(std::string body, SourceKind kind, v1::Document* document) {
  if (kind == SourceKind::kHtml) {
    document->set_html(std::move(body));
  } else {
    document->set_text(std::move(body));
  }
}

}  // namespace

absl::Status ApplyDocumentFlags(const DocumentFlags& flags, v1::Document* document) {
  if (!flags.url.empty()) {
    if (!IsHttpUrl(flags.url)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--url: not an http(s) URL: ", flags.url));
    }
    document->set_url(flags.url);
  }
  if (!flags.title.empty()) document->set_title(flags.title);
  if (!flags.publisher.empty()) document->set_publisher(flags.publisher);
  if (!flags.language.empty()) document->set_language(flags.language);
  if (!flags.published.empty()) {
    absl::StatusOr<TimeValue> published = ParseTime("--published", flags.published);
    if (!published.ok()) return published.status();
    *document->mutable_publish_time() = published->timestamp;
  }
  if (!flags.medium.empty()) {
    absl::StatusOr<v1::SourceMedium> medium =
        ParseEnum<v1::SourceMedium>("--medium", flags.medium);
    if (!medium.ok()) return medium.status();
    document->set_medium(*medium);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Document> SingleDocument(const Fetched& source, SourceKind kind,
                                            const DocumentFlags& flags) {
  v1::Document document;
  if (IsHttpUrl(source.location)) document.set_url(source.location);
  SetBody(source.body, kind, &document);
  absl::Status applied = ApplyDocumentFlags(flags, &document);
  if (!applied.ok()) return applied;
  return document;
}

absl::StatusOr<v1::Document> ItemDocument(const Feed& feed, const FeedItem& item,
                                          const DocumentFlags& flags,
                                          const FetchOptions& fetch_options) {
  v1::Document document;
  const bool full = TextLength(item.content, item.content_is_html) >= kFullArticleText;
  if (full || !IsHttpUrl(item.link)) {
    if (item.content.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "feed item \"", item.title, "\" has neither content nor a link to read"));
    }
    SetBody(item.content, item.content_is_html ? SourceKind::kHtml : SourceKind::kText,
            &document);
  } else {
    absl::StatusOr<Fetched> page = FetchUrl(item.link, fetch_options);
    if (!page.ok()) return page.status();
    const SourceKind kind = DetectKind(page->body, page->content_type, item.link);
    if (kind == SourceKind::kFeed) {
      return absl::InvalidArgumentError(
          absl::StrCat("feed item link ", item.link, " is a feed, not an article"));
    }
    SetBody(std::move(page->body), kind, &document);
  }
  if (IsHttpUrl(item.link)) document.set_url(item.link);
  document.set_title(item.title);
  if (!feed.title.empty()) {
    document.set_publisher(feed.title);
  } else {
    document.set_publisher(item.author);
  }
  document.set_language(feed.language);
  if (item.published) {
    *document.mutable_publish_time() =
        google::protobuf::util::TimeUtil::SecondsToTimestamp(
            absl::ToUnixSeconds(*item.published));
  }
  // Each item has its own URL, title and time: only the flags that hold for
  // the whole feed apply.
  DocumentFlags feed_flags = flags;
  feed_flags.url.clear();
  feed_flags.title.clear();
  feed_flags.published.clear();
  absl::Status applied = ApplyDocumentFlags(feed_flags, &document);
  if (!applied.ok()) return applied;
  return document;
}

}  // namespace rollcall::cli
