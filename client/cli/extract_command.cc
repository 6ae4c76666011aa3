// extract SOURCE --event EVENT: propose drafts from a text, a page or a feed.

#include "client/cli/extract_command.h"

#include <iostream>
#include <memory>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/cli/draft_views.h"
#include "client/cli/feed.h"
#include "client/cli/fetch.h"
#include "client/cli/names.h"
#include "client/cli/prompt.h"
#include "client/cli/review.h"

namespace rollcall::cli {
namespace {

std::string Describe(const v1::Document& document) {
  std::string line = document.name().empty() ? "(preview)" : document.name();
  if (!document.title().empty()) absl::StrAppend(&line, " \"", document.title(), "\"");
  if (!document.url().empty()) absl::StrAppend(&line, " ", document.url());
  return line;
}

FetchOptions SourceFetchOptions(const Session& session) {
  FetchOptions options;
  options.timeout_seconds = std::max(30.0, session.options().timeout_seconds);
  return options;
}

// The documents `flags.source` holds: one, or one per feed item. Items that
// cannot be read are reported on stderr and counted in `*failures`.
absl::StatusOr<std::vector<v1::Document>> ReadDocuments(const Session& session,
                                                        const ExtractFlags& flags,
                                                        int* failures) {
  const FetchOptions fetch_options = SourceFetchOptions(session);
  absl::StatusOr<Fetched> source = ReadSource(flags.source, fetch_options);
  if (!source.ok()) return source.status();
  const SourceKind kind = DetectKind(source->body, source->content_type, flags.source);
  if (kind != SourceKind::kFeed) {
    absl::StatusOr<v1::Document> document = SingleDocument(*source, kind, flags.document);
    if (!document.ok()) return AsUsageError(document.status());
    return std::vector<v1::Document>{*std::move(document)};
  }
  absl::StatusOr<Feed> feed = ParseFeed(source->body);
  if (!feed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flags.source, ": ", feed.status().message()));
  }
  if (feed->items.empty()) std::cerr << "rollcall: " << flags.source << ": no items\n";
  std::vector<v1::Document> documents;
  for (const FeedItem& item : feed->items) {
    absl::StatusOr<v1::Document> document =
        ItemDocument(*feed, item, flags.document, fetch_options);
    if (!document.ok()) {
      std::cerr << "rollcall: skipping feed item \"" << item.title
                << "\": " << document.status().message() << "\n";
      ++*failures;
      continue;
    }
    documents.push_back(*std::move(document));
  }
  return documents;
}

absl::Status OfferReview(DraftClient& client, const std::vector<v1::Draft>& drafts) {
  bool any_pending = false;
  for (const v1::Draft& draft : drafts) {
    any_pending |= draft.state() == v1::DRAFT_STATE_PENDING && !draft.name().empty();
  }
  if (!any_pending) return absl::OkStatus();
  Prompter prompter(std::cin, std::cout);
  absl::StatusOr<std::string> answer = prompter.AskLine("\nReview them now? [y/N] ");
  if (!answer.ok() || (*answer != "y" && *answer != "yes")) return absl::OkStatus();
  absl::StatusOr<ReviewCounts> reviewed =
      ReviewDrafts(client, drafts, prompter, std::cout, UseColour());
  return reviewed.status();
}

absl::Status RunExtract(Session& session, const ExtractFlags& flags) {
  if (!flags.follow.empty()) return RunFollow(session, flags);
  if (flags.source.empty()) {
    return UsageError(
        "give the SOURCE to read (a file, - for stdin, or a URL), or --follow URL");
  }
  int failures = 0;
  absl::StatusOr<std::vector<v1::Document>> documents =
      ReadDocuments(session, flags, &failures);
  if (!documents.ok()) {
    if (IsUsageError(documents.status())) return documents.status();
    std::cerr << "rollcall: " << documents.status().message() << "\n";
    return AlreadyReportedError();
  }
  DraftClient client(session);
  std::vector<v1::Draft> all;
  for (v1::Document& document : *documents) {
    auto response = ExtractAndPrint(session, client, flags, std::move(document));
    if (!response.ok()) {
      if (documents->size() == 1) return response.status();
      std::cerr << "rollcall: "
                << FormatError(response.status(), session.options().server) << "\n";
      ++failures;
      continue;
    }
    for (const v1::Draft& draft : response->drafts()) all.push_back(draft);
  }
  if (!session.json_output() && !flags.dry_run && IsInteractive()) {
    absl::Status reviewed = OfferReview(client, all);
    if (!reviewed.ok() && !absl::IsCancelled(reviewed)) return reviewed;
  }
  return failures == 0 ? absl::OkStatus() : AlreadyReportedError();
}

}  // namespace

absl::StatusOr<v1::ExtractDraftsResponse> ExtractAndPrint(Session& session,
                                                          DraftClient& client,
                                                          const ExtractFlags& flags,
                                                          v1::Document document) {
  v1::ExtractDraftsRequest request;
  *request.mutable_document() = std::move(document);
  request.set_event(EventName(flags.event));
  request.set_validate_only(flags.dry_run);
  absl::StatusOr<v1::ExtractDraftsResponse> response = client.ExtractDrafts(request);
  if (!response.ok()) return response.status();
  const std::vector<v1::Draft> drafts(response->drafts().begin(),
                                      response->drafts().end());
  if (!session.json_output()) {
    std::cout << Describe(response->document()) << ": " << drafts.size()
              << (drafts.size() == 1 ? " draft" : " drafts")
              << (response->already_extracted() ? " (already extracted)" : "") << "\n";
  }
  if (!drafts.empty() || session.json_output()) {
    PrintDraftList(drafts, session.json_output(), std::cout);
  }
  std::cout << std::flush;
  return response;
}

void AddExtractCommand(CLI::App& app, Session& session, Command* selected) {
  auto flags = std::make_shared<ExtractFlags>();
  CLI::App* extract = app.add_subcommand(
      "extract",
      "Propose drafts from a text, an HTML page or an RSS/Atom feed (a file, - for "
      "stdin, or an http(s) URL); on a terminal, offers to review them");
  extract->add_option("source", flags->source, "File, - (stdin) or http(s) URL");
  extract->add_option("--event", flags->event, "The event the document reports on")
      ->required();
  DocumentFlags& document = flags->document;
  extract->add_option("--url", document.url, "Where the document was published");
  extract->add_option("--publisher", document.publisher, "Who published it, e.g. AFP");
  extract->add_option("--title", document.title, "Its headline");
  extract->add_option("--published", document.published,
                      "When it was published: 2023-07-26 or RFC 3339");
  extract->add_option("--language", document.language, "BCP-47 tag of its text, e.g. fr");
  extract->add_option("--medium", document.medium,
                      "wire, broadcast, social-media, official-communique, "
                      "press-conference, interview or news-article");
  extract->add_flag("--dry-run", flags->dry_run,
                    "Show the drafts without recording anything");
  extract->add_option("--follow", flags->follow,
                      "Keep reading this feed URL, extracting each new item");
  extract->add_option("--every", flags->every,
                      "With --follow: how often to read the feed (e.g. 10m, 30s)");
  extract->add_option("--state", flags->state,
                      "With --follow: the file remembering what was read (default: "
                      "$XDG_STATE_HOME/rollcall/follow-<digest of URL>.json)");
  extract->callback([=, &session] {
    *selected = [=, &session] { return RunExtract(session, *flags); };
  });
}

}  // namespace rollcall::cli
