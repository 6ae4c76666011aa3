// Unit tests of what `extract` reads: source detection, RSS/Atom parsing,
// feed dates, and the documents made of feed items.

#include "client/cli/feed.h"

#include "absl/time/time.h"
#include "client/cli/extract_documents.h"
#include "gtest/gtest.h"

namespace rollcall::cli {
namespace {

constexpr char kRss[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Sahel Wire</title>
    <language>fr</language>
    <item>
      <title>La CEDEAO condamne le coup d'État</title>
      <link>https://news.example/cedeao</link>
      <guid isPermaLink="false">item-1</guid>
      <pubDate>Wed, 26 Jul 2023 18:05:00 GMT</pubDate>
      <dc:creator>Awa Diallo</dc:creator>
      <description>Teaser only.</description>
      <content:encoded><![CDATA[<p>La CEDEAO a condamné &laquo;fermement&raquo;.</p>]]></content:encoded>
    </item>
    <item>
      <title>AU statement</title>
      <link>https://news.example/au</link>
      <pubDate>Thu, 27 Jul 2023 09:00 +0100</pubDate>
      <description>&lt;p&gt;The African Union said it was concerned.&lt;/p&gt;</description>
    </item>
  </channel>
</rss>)";

constexpr char kAtom[] = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Reactions</title>
  <entry>
    <id>urn:uuid:1</id>
    <title>UN chief speaks</title>
    <link rel="self" href="https://news.example/self"/>
    <link rel="alternate" href="https://news.example/un"/>
    <updated>2023-07-27T10:00:00Z</updated>
    <published>2023-07-26T20:00:00+02:00</published>
    <author><name>Staff</name></author>
    <summary>Short.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Guterres <b>condemned</b> it.</p></div></content>
  </entry>
  <entry>
    <title>No id</title>
    <link href="https://news.example/two"/>
    <updated>2023-07-28T10:00:00Z</updated>
    <content type="text">Plain words.</content>
  </entry>
</feed>)";

TEST(DetectKindTest, ContentTypeDecidesFirst) {
  EXPECT_EQ(DetectKind("<rss/>", "text/html; charset=utf-8", "x"), SourceKind::kHtml);
  EXPECT_EQ(DetectKind("hello", "application/rss+xml", "x"), SourceKind::kFeed);
  EXPECT_EQ(DetectKind("hello", "application/atom+xml", "x"), SourceKind::kFeed);
  EXPECT_EQ(DetectKind("<?xml version='1.0'?><rss/>", "text/xml", "x"),
            SourceKind::kFeed);
  EXPECT_EQ(DetectKind("<?xml version='1.0'?><html xmlns='x'/>", "application/xml", "x"),
            SourceKind::kHtml);
}

TEST(DetectKindTest, ThenTheFileNameThenTheContent) {
  EXPECT_EQ(DetectKind("not xml at all", "", "news.rss"), SourceKind::kFeed);
  EXPECT_EQ(DetectKind("not xml at all", "", "/tmp/feed.atom"), SourceKind::kFeed);
  EXPECT_EQ(DetectKind("<html>error page</html>", "", "news.rss"), SourceKind::kFeed);
  EXPECT_EQ(DetectKind("<html>error page</html>", "", "page.xml"), SourceKind::kHtml);
  EXPECT_EQ(DetectKind("plain", "", "page.HTML"), SourceKind::kHtml);
  EXPECT_EQ(DetectKind("\xEF\xBB\xBF  <!DOCTYPE html><p>x", "", "-"), SourceKind::kHtml);
  EXPECT_EQ(DetectKind("<div>x</div><HTML>", "", "-"), SourceKind::kHtml);
  EXPECT_EQ(DetectKind("  <rss version=\"2.0\">", "", "-"), SourceKind::kFeed);
  EXPECT_EQ(DetectKind("<feed xmlns=\"http://www.w3.org/2005/Atom\">", "", "-"),
            SourceKind::kFeed);
  EXPECT_EQ(DetectKind("ECOWAS said on Wednesday <that> it condemned", "", "a.txt"),
            SourceKind::kText);
}

TEST(ParseFeedTest, Rss) {
  absl::StatusOr<Feed> feed = ParseFeed(kRss);
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_EQ(feed->title, "Sahel Wire");
  EXPECT_EQ(feed->language, "fr");
  ASSERT_EQ(feed->items.size(), 2u);
  const FeedItem& first = feed->items[0];
  EXPECT_EQ(first.id, "item-1");
  EXPECT_EQ(first.link, "https://news.example/cedeao");
  EXPECT_EQ(first.title, "La CEDEAO condamne le coup d'État");
  EXPECT_EQ(first.author, "Awa Diallo");
  EXPECT_EQ(first.content, "<p>La CEDEAO a condamné &laquo;fermement&raquo;.</p>");
  EXPECT_TRUE(first.content_is_html);
  ASSERT_TRUE(first.published.has_value());
  EXPECT_EQ(*first.published, absl::FromUnixSeconds(1690394700));
  const FeedItem& second = feed->items[1];
  EXPECT_EQ(second.id, "");
  EXPECT_EQ(second.content, "<p>The African Union said it was concerned.</p>");
  ASSERT_TRUE(second.published.has_value());
  EXPECT_EQ(*second.published, absl::FromUnixSeconds(1690444800));
}

TEST(ParseFeedTest, Atom) {
  absl::StatusOr<Feed> feed = ParseFeed(kAtom);
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_EQ(feed->title, "Reactions");
  EXPECT_EQ(feed->language, "en");
  ASSERT_EQ(feed->items.size(), 2u);
  const FeedItem& first = feed->items[0];
  EXPECT_EQ(first.id, "urn:uuid:1");
  EXPECT_EQ(first.link, "https://news.example/un");
  EXPECT_EQ(first.author, "Staff");
  EXPECT_TRUE(first.content_is_html);
  EXPECT_NE(first.content.find("<b>condemned</b>"), std::string::npos) << first.content;
  EXPECT_EQ(*first.published, absl::FromUnixSeconds(1690394400));
  const FeedItem& second = feed->items[1];
  EXPECT_EQ(second.link, "https://news.example/two");
  EXPECT_EQ(second.content, "Plain words.");
  EXPECT_FALSE(second.content_is_html);
  EXPECT_EQ(*second.published, absl::FromUnixSeconds(1690538400));  // from updated
}

TEST(ParseFeedTest, NotXmlIsAClearError) {
  for (const char* body : {"", "not xml at all", "{\"json\": true}",
                           "<rss><channel><item><title>x</item></channel></rss>",
                           "<?xml version=\"1.0\"?>", "\xff\xfe<rss>"}) {
    absl::StatusOr<Feed> feed = ParseFeed(body);
    ASSERT_FALSE(feed.ok()) << body;
    EXPECT_TRUE(absl::IsInvalidArgument(feed.status()));
    EXPECT_NE(feed.status().message().find("not well-formed XML"), std::string::npos)
        << feed.status();
  }
}

TEST(ParseFeedTest, XmlThatIsNotAFeed) {
  absl::StatusOr<Feed> feed = ParseFeed("<?xml version=\"1.0\"?><catalog/>");
  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.status().message(),
            "not an RSS or Atom feed: the root element is <catalog>");
  // An Atom-looking root outside the Atom namespace is not Atom.
  EXPECT_FALSE(ParseFeed("<feed><entry/></feed>").ok());
}

TEST(ParseFeedTest, NeverLoadsExternalEntities) {
  absl::StatusOr<Feed> feed = ParseFeed(
      "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<rss><channel><item><title>&x;</title></item></channel></rss>");
  ASSERT_TRUE(feed.ok()) << feed.status();
  ASSERT_EQ(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].title.find("root:"), std::string::npos);
}

TEST(ParseFeedTimeTest, Rfc822AndRfc3339) {
  EXPECT_EQ(ParseFeedTime("Wed, 26 Jul 2023 18:05:00 +0000"),
            absl::FromUnixSeconds(1690394700));
  EXPECT_EQ(ParseFeedTime("26 Jul 2023 18:05:00 Z"), absl::FromUnixSeconds(1690394700));
  EXPECT_EQ(ParseFeedTime("Wed, 26 Jul 2023 14:05:00 EDT"),
            absl::FromUnixSeconds(1690394700));
  EXPECT_EQ(ParseFeedTime("2023-07-26T18:05:00Z"), absl::FromUnixSeconds(1690394700));
  EXPECT_EQ(ParseFeedTime("yesterday"), std::nullopt);
}

TEST(TextLengthTest, CountsCharactersOutsideMarkup) {
  EXPECT_EQ(TextLength("<p>ab c</p>", true), 3u);
  EXPECT_EQ(TextLength("<p>ab c</p>", false), 10u);
  EXPECT_EQ(TextLength("été", false), 3u);
}

TEST(ItemDocumentTest, FullContentIsTheDocument) {
  Feed feed;
  feed.title = "Sahel Wire";
  feed.language = "fr";
  FeedItem item;
  item.link = "https://news.example/a";
  item.title = "Titre";
  item.content = "<p>" + std::string(kFullArticleText, 'x') + "</p>";
  item.content_is_html = true;
  item.published = absl::FromUnixSeconds(1690394700);
  DocumentFlags flags;
  flags.medium = "wire";
  flags.url = "https://ignored.example/";  // per item: not applied to a feed
  absl::StatusOr<v1::Document> document = ItemDocument(feed, item, flags, {});
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(document->html(), item.content);
  EXPECT_EQ(document->text(), "");
  EXPECT_EQ(document->url(), "https://news.example/a");
  EXPECT_EQ(document->title(), "Titre");
  EXPECT_EQ(document->publisher(), "Sahel Wire");
  EXPECT_EQ(document->language(), "fr");
  EXPECT_EQ(document->medium(), v1::SOURCE_MEDIUM_WIRE);
  EXPECT_EQ(document->publish_time().seconds(), 1690394700);
}

TEST(ItemDocumentTest, TeaserWithoutLinkIsUsedAsIs) {
  FeedItem item;
  item.content = "Short words.";
  absl::StatusOr<v1::Document> document = ItemDocument(Feed{}, item, {}, {});
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(document->text(), "Short words.");
  FeedItem empty;
  EXPECT_TRUE(absl::IsInvalidArgument(ItemDocument(Feed{}, empty, {}, {}).status()));
}

TEST(ApplyDocumentFlagsTest, BadValuesNameTheFlag) {
  v1::Document document;
  DocumentFlags flags;
  flags.published = "last week";
  EXPECT_NE(ApplyDocumentFlags(flags, &document).message().find("--published"),
            std::string::npos);
  flags = {};
  flags.medium = "pigeon";
  EXPECT_NE(ApplyDocumentFlags(flags, &document).message().find("--medium"),
            std::string::npos);
  flags = {};
  flags.url = "ftp://x";
  EXPECT_NE(ApplyDocumentFlags(flags, &document).message().find("--url"),
            std::string::npos);
}

}  // namespace
}  // namespace rollcall::cli
