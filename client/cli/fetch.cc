#include "client/cli/fetch.h"

#include <curl/curl.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace rollcall::cli {
namespace {

constexpr size_t kMaxBody = 64u << 20;

struct Transfer {
  Fetched fetched;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (transfer->fetched.body.size() + bytes > kMaxBody) {
    transfer->too_large = true;
    return 0;  // aborts the transfer
  }
  transfer->fetched.body.append(data, bytes);
  return bytes;
}

// Keeps ETag and Last-Modified; a redirect's headers are replaced by the
// final response's, since each response starts with its status line.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  absl::string_view line(data, bytes);
  if (absl::StartsWith(line, "HTTP/")) {
    transfer->fetched.etag.clear();
    transfer->fetched.last_modified.clear();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == absl::string_view::npos) return bytes;
  const std::string key = absl::AsciiStrToLower(line.substr(0, colon));
  const absl::string_view value = absl::StripAsciiWhitespace(line.substr(colon + 1));
  if (key == "etag") transfer->fetched.etag = std::string(value);
  if (key == "last-modified") transfer->fetched.last_modified = std::string(value);
  return bytes;
}

void GlobalInit() {
  static const bool initialised = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)initialised;
}

}  // namespace

bool IsHttpUrl(absl::string_view source) {
  const std::string lower = absl::AsciiStrToLower(source.substr(0, 8));
  return absl::StartsWith(lower, "http://") || absl::StartsWith(lower, "https://");
}

absl::StatusOr<Fetched> FetchUrl(const std::string& url, const FetchOptions& options) {
  GlobalInit();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                           curl_easy_cleanup);
  if (!curl) return absl::InternalError("cannot initialise libcurl");
  Transfer transfer;
  char error[CURL_ERROR_SIZE] = {};
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(handle, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(options.timeout_seconds * 1000));
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "rollcall");
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
      nullptr, curl_slist_free_all);
  auto add_header = [&headers](absl::string_view name, const std::string& value) {
    if (value.empty()) return;
    headers.reset(
        curl_slist_append(headers.release(), absl::StrCat(name, ": ", value).c_str()));
  };
  add_header("If-None-Match", options.if_none_match);
  add_header("If-Modified-Since", options.if_modified_since);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());

  const CURLcode code = curl_easy_perform(handle);
  if (transfer.too_large) {
    return absl::FailedPreconditionError(
        absl::StrCat(url, " is larger than ", kMaxBody >> 20, " MiB"));
  }
  if (code != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat(
        "cannot fetch ", url, ": ", error[0] ? error : curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  char* type = nullptr;
  curl_easy_getinfo(handle, CURLINFO_CONTENT_TYPE, &type);
  char* location = nullptr;
  curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &location);
  Fetched& fetched = transfer.fetched;
  fetched.content_type = type ? absl::AsciiStrToLower(type) : "";
  fetched.location = location ? location : url;
  if (status == 304) {
    fetched.not_modified = true;
    fetched.body.clear();
    return fetched;
  }
  if (status >= 400) {
    return absl::FailedPreconditionError(absl::StrCat("HTTP ", status, " from ", url));
  }
  return std::move(fetched);
}

absl::StatusOr<Fetched> ReadSource(const std::string& source,
                                   const FetchOptions& options) {
  if (IsHttpUrl(source)) return FetchUrl(source, options);
  Fetched fetched;
  fetched.location = source;
  if (source == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    fetched.body = buffer.str();
    return fetched;
  }
  std::ifstream file(source, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", source));
  fetched.body.assign(std::istreambuf_iterator<char>(file),
                      std::istreambuf_iterator<char>());
  if (file.bad()) return absl::DataLossError(absl::StrCat("cannot read ", source));
  return fetched;
}

}  // namespace rollcall::cli
