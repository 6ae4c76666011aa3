#include "client/cli/follow_state.h"

#include <fcntl.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace rollcall::cli {
namespace {

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// Writes all of `data` to `fd`.
bool WriteAll(int fd, const std::string& data) {
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string ItemKey(const FeedItem& item) {
  if (!item.id.empty()) return item.id;
  if (!item.link.empty()) return item.link;
  return absl::StrCat("sha256:", Sha256Hex(absl::StrCat(item.title, "\n", item.content)));
}

absl::StatusOr<std::string> DefaultStatePath(const std::string& url) {
  std::string directory;
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
    directory = state;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    directory = absl::StrCat(home, "/.local/state");
  } else {
    return absl::FailedPreconditionError(
        "neither XDG_STATE_HOME nor HOME is set: give --state FILE");
  }
  return absl::StrCat(directory, "/rollcall/follow-", Sha256Hex(url).substr(0, 16),
                      ".json");
}

FollowStateFile::FollowStateFile(std::string path, cli::FollowState state)
    : path_(std::move(path)), state_(std::move(state)) {
  seen_.insert(state_.seen().begin(), state_.seen().end());
}

absl::StatusOr<FollowStateFile> FollowStateFile::Open(const std::string& path,
                                                      const std::string& url) {
  cli::FollowState state;
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (std::filesystem::exists(path)) return ErrnoError("cannot read", path);
    state.set_url(url);
    return FollowStateFile(path, std::move(state));
  }
  const std::string json((std::istreambuf_iterator<char>(file)),
                         std::istreambuf_iterator<char>());
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(json, &state, options).ok()) {
    return absl::DataLossError(absl::StrCat(
        "the follow state ", path, " is not valid JSON; move it away to start afresh"));
  }
  if (state.url() != url) {
    return absl::FailedPreconditionError(
        absl::StrCat("the follow state ", path, " is for ", state.url(), ", not ", url));
  }
  return FollowStateFile(path, std::move(state));
}

absl::Status FollowStateFile::MarkSeen(const std::string& key) {
  if (!seen_.insert(key).second) return absl::OkStatus();
  state_.add_seen(key);
  return Save();
}

absl::Status FollowStateFile::SetValidators(const std::string& etag,
                                            const std::string& last_modified) {
  if (state_.etag() == etag && state_.last_modified() == last_modified) {
    return absl::OkStatus();
  }
  state_.set_etag(etag);
  state_.set_last_modified(last_modified);
  return Save();
}

absl::Status FollowStateFile::Save() const {
  std::error_code error;
  const std::filesystem::path target(path_);
  if (target.has_parent_path()) {
    std::filesystem::create_directories(target.parent_path(), error);
    if (error) {
      return absl::UnavailableError(absl::StrCat(
          "cannot create ", target.parent_path().string(), ": ", error.message()));
    }
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = false;
  (void)google::protobuf::util::MessageToJsonString(state_, &json, options);
  const std::string temporary = absl::StrCat(path_, ".tmp");
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError("cannot write", temporary);
  const bool ok = WriteAll(fd, json) && fsync(fd) == 0;
  const int saved_errno = errno;
  close(fd);
  if (!ok) {
    errno = saved_errno;
    return ErrnoError("cannot write", temporary);
  }
  if (std::rename(temporary.c_str(), path_.c_str()) != 0) {
    return ErrnoError("cannot rename to", path_);
  }
  return absl::OkStatus();
}

}  // namespace rollcall::cli
