#ifndef ROLLCALL_CLIENT_CLI_FETCH_H_
#define ROLLCALL_CLIENT_CLI_FETCH_H_

// Reading what `extract` is given: a file, standard input ("-") or an
// http(s) URL fetched with libcurl (redirects followed, a timeout, HTTP
// errors reported as errors).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rollcall::cli {

// What was read, and what the server said of it.
struct Fetched {
  std::string body;
  // The Content-Type header, lower-cased; empty for files and stdin.
  std::string content_type;
  // Validators for a conditional GET next time; empty when not given.
  std::string etag;
  std::string last_modified;
  // The URL after redirects (for a URL), else the source as given.
  std::string location;
  // True when a conditional GET answered 304 Not Modified: body is empty.
  bool not_modified = false;
};

struct FetchOptions {
  // The whole transfer's deadline.
  double timeout_seconds = 30;
  // Sent as If-None-Match / If-Modified-Since when not empty.
  std::string if_none_match;
  std::string if_modified_since;
};

// True for an http:// or https:// URL.
bool IsHttpUrl(absl::string_view source);

// GETs `url`. UNAVAILABLE for a transfer failure (DNS, connection,
// timeout), with curl's message; FAILED_PRECONDITION "HTTP 404 from URL"
// for an HTTP error status. Bodies over 64 MiB are refused.
absl::StatusOr<Fetched> FetchUrl(const std::string& url, const FetchOptions& options);

// Reads `source`: "-" is standard input, an http(s) URL is fetched, anything
// else is a file path (NOT_FOUND if it cannot be read).
absl::StatusOr<Fetched> ReadSource(const std::string& source,
                                   const FetchOptions& options);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_FETCH_H_
