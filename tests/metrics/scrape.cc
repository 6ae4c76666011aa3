#include "tests/metrics/scrape.h"

#include <curl/curl.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace rollcall::testing {
namespace {

size_t Append(char* data, size_t size, size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
  return size * count;
}

// `a="x",b="y"` -> {a: x, b: y}. Label values in our metrics hold no
// commas or quotes.
std::map<std::string, std::string> ParseLabels(absl::string_view text) {
  std::map<std::string, std::string> labels;
  for (absl::string_view pair : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(pair, '=');
    absl::string_view value = kv.second;
    absl::ConsumePrefix(&value, "\"");
    absl::ConsumeSuffix(&value, "\"");
    labels[std::string(kv.first)] = std::string(value);
  }
  return labels;
}

}  // namespace

absl::StatusOr<std::string> ScrapeMetrics(int port) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  const std::string url = absl::StrCat("http://127.0.0.1:", port, "/metrics");
  std::string body;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  const CURLcode code = curl_easy_perform(curl);
  long http_status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK || http_status != 200) {
    return absl::UnavailableError(absl::StrCat("GET ", url, ": ", curl_easy_strerror(code),
                                               " (HTTP ", http_status, ")"));
  }
  return body;
}

absl::optional<double> SampleValue(const std::string& text, const std::string& name,
                                   const std::map<std::string, std::string>& labels) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const size_t name_end = line.find_first_of("{ ");
    if (name_end == absl::string_view::npos || line.substr(0, name_end) != name) continue;
    std::map<std::string, std::string> found;
    absl::string_view rest = line.substr(name_end);
    if (absl::ConsumePrefix(&rest, "{")) {
      const size_t close = rest.find('}');
      found = ParseLabels(rest.substr(0, close));
      rest = rest.substr(close + 1);
    }
    bool matches = true;
    for (const auto& [key, value] : labels) {
      auto it = found.find(key);
      matches = matches && it != found.end() && it->second == value;
    }
    double value = 0;
    if (matches && absl::SimpleAtod(absl::StripAsciiWhitespace(rest), &value)) {
      return value;
    }
  }
  return absl::nullopt;
}

}  // namespace rollcall::testing
