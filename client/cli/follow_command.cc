// extract --follow URL --every DURATION: keep reading a feed, extracting
// each item once, across restarts.

#include <csignal>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/cli/commands.h"
#include "client/cli/extract_command.h"
#include "client/cli/feed.h"
#include "client/cli/fetch.h"
#include "client/cli/follow_state.h"

namespace rollcall::cli {
namespace {

volatile std::sig_atomic_t stop_requested = 0;

void RequestStop(int) { stop_requested = 1; }

// Sleeps `duration` in short steps; false if a stop was requested.
bool SleepUnlessStopped(absl::Duration duration) {
  const absl::Time until = absl::Now() + duration;
  while (!stop_requested) {
    const absl::Duration left = until - absl::Now();
    if (left <= absl::ZeroDuration()) return true;
    absl::SleepFor(std::min(left, absl::Milliseconds(100)));
  }
  return false;
}

void Log(absl::string_view message) {
  std::cerr << "rollcall: "
            << absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone())
            << " " << message << std::endl;
}

// One poll: reads the feed (conditionally), extracts each item not seen,
// remembering each as soon as it is recorded. The validators are kept
// only when every item was extracted, so that an item that failed is read
// again at the next poll. Errors are logged; only a state file that cannot
// be written stops the follower.
absl::Status Poll(Session& session, DraftClient& client, const ExtractFlags& flags,
                  FollowStateFile& state) {
  FetchOptions options;
  options.timeout_seconds = std::max(30.0, session.options().timeout_seconds);
  options.if_none_match = state.state().etag();
  options.if_modified_since = state.state().last_modified();
  absl::StatusOr<Fetched> fetched = FetchUrl(flags.follow, options);
  if (!fetched.ok()) {
    Log(absl::StrCat(fetched.status().message(), "; retrying at the next poll"));
    return absl::OkStatus();
  }
  if (fetched->not_modified) return absl::OkStatus();
  absl::StatusOr<Feed> feed = ParseFeed(fetched->body);
  if (!feed.ok()) {
    Log(absl::StrCat(flags.follow, ": ", feed.status().message(),
                     "; retrying at the next poll"));
    return absl::OkStatus();
  }
  bool complete = true;
  // Feeds list the newest first: extract the oldest first.
  for (auto item = feed->items.rbegin(); item != feed->items.rend() && !stop_requested;
       ++item) {
    const std::string key = ItemKey(*item);
    if (state.Seen(key)) continue;
    FetchOptions page_options;  // an article's page: no feed validators
    page_options.timeout_seconds = options.timeout_seconds;
    absl::StatusOr<v1::Document> document =
        ItemDocument(*feed, *item, flags.document, page_options);
    absl::Status extracted = document.status();
    if (document.ok()) {
      extracted = ExtractAndPrint(session, client, flags, *std::move(document)).status();
    }
    if (!extracted.ok()) {
      Log(absl::StrCat("item ", key, ": ",
                       FormatError(extracted, session.options().server),
                       "; retrying at the next poll"));
      complete = false;
      continue;
    }
    if (flags.dry_run) continue;
    if (absl::Status saved = state.MarkSeen(key); !saved.ok()) return saved;
  }
  if (!complete || stop_requested || flags.dry_run) return absl::OkStatus();
  return state.SetValidators(fetched->etag, fetched->last_modified);
}

}  // namespace

absl::Status RunFollow(Session& session, const ExtractFlags& flags) {
  if (!flags.source.empty()) {
    return UsageError("give either SOURCE or --follow URL, not both");
  }
  if (!IsHttpUrl(flags.follow)) {
    return UsageError(absl::StrCat("--follow: not an http(s) URL: ", flags.follow));
  }
  absl::Duration every;
  if (!absl::ParseDuration(flags.every, &every) || every < absl::Seconds(1)) {
    return UsageError(absl::StrCat(
        "--every: not a duration of at least 1s: ", flags.every, " (e.g. 10m, 30s, 1h)"));
  }
  if (!flags.document.url.empty() || !flags.document.title.empty() ||
      !flags.document.published.empty()) {
    return UsageError("--url, --title and --published are per item: not with --follow");
  }
  std::string path = flags.state;
  if (path.empty()) {
    absl::StatusOr<std::string> default_path = DefaultStatePath(flags.follow);
    if (!default_path.ok()) return UsageError(default_path.status().message());
    path = *default_path;
  }
  absl::StatusOr<FollowStateFile> state = FollowStateFile::Open(path, flags.follow);
  if (!state.ok()) return state.status();
  std::signal(SIGINT, RequestStop);
  std::signal(SIGTERM, RequestStop);
  Log(absl::StrCat("following ", flags.follow, " every ", absl::FormatDuration(every),
                   " (state: ", path, ", ", state->state().seen_size(),
                   " items read before)"));
  DraftClient client(session);
  do {
    if (absl::Status polled = Poll(session, client, flags, *state); !polled.ok()) {
      return polled;
    }
  } while (SleepUnlessStopped(every));
  Log("stopped");
  return absl::OkStatus();
}

}  // namespace rollcall::cli
