#ifndef ROLLCALL_CLIENT_CLI_FOLLOW_STATE_H_
#define ROLLCALL_CLIENT_CLI_FOLLOW_STATE_H_

// What `extract --follow` remembers of a feed across restarts: the items it
// has extracted and the validators for a conditional GET, in a JSON file
// rewritten atomically (write, fsync, rename) after every item.

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/cli/feed.h"
#include "client/cli/follow_state.pb.h"

namespace rollcall::cli {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

// The key an item is remembered by: its id, else its link, else
// "sha256:" and the digest of its title and content.
std::string ItemKey(const FeedItem& item);

// The default state file of `url`: $XDG_STATE_HOME/rollcall/follow-<first
// 16 hex digits of the URL's SHA-256>.json, else the same under
// $HOME/.local/state. FAILED_PRECONDITION when neither variable is set.
absl::StatusOr<std::string> DefaultStatePath(const std::string& url);

class FollowStateFile {
 public:
  // Reads `path`; a missing file is an empty state for `url`. DATA_LOSS for
  // a file that does not parse, FAILED_PRECONDITION for one written for
  // another URL.
  static absl::StatusOr<FollowStateFile> Open(const std::string& path,
                                              const std::string& url);

  bool Seen(const std::string& key) const { return seen_.count(key) > 0; }
  // Remembers `key` and saves.
  absl::Status MarkSeen(const std::string& key);
  // Remembers the validators and saves.
  absl::Status SetValidators(const std::string& etag, const std::string& last_modified);

  const cli::FollowState& state() const { return state_; }
  const std::string& path() const { return path_; }

 private:
  FollowStateFile(std::string path, cli::FollowState state);
  // Writes the state to a temporary file beside path_, syncs it and renames
  // it over path_ (creating the directory first).
  absl::Status Save() const;

  std::string path_;
  cli::FollowState state_;
  std::set<std::string> seen_;
};

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_FOLLOW_STATE_H_
