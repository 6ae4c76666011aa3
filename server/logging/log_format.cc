#include "server/logging/log_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "spdlog/details/log_msg.h"

namespace rollcall {
namespace {

// The message as the body of a double-quoted JSON (or logfmt) string.
std::string Escaped(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out += c;
        }
    }
  }
  return out;
}

class LineFormatter : public spdlog::formatter {
 public:
  explicit LineFormatter(LogFormat format) : format_(format) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string time =
        absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromChrono(msg.time),
                         absl::UTCTimeZone());
    const spdlog::string_view_t level = spdlog::level::to_string_view(msg.level);
    const std::string message =
        Escaped(absl::string_view(msg.payload.data(), msg.payload.size()));
    const std::string line =
        format_ == LogFormat::kJson
            ? absl::StrCat("{\"time\":\"", time, "\",\"level\":\"",
                           absl::string_view(level.data(), level.size()),
                           "\",\"msg\":\"", message, "\"}\n")
            : absl::StrCat("time=", time, " level=",
                           absl::string_view(level.data(), level.size()), " msg=\"",
                           message, "\"\n");
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<LineFormatter>(format_);
  }

 private:
  const LogFormat format_;
};

}  // namespace

bool AbslParseFlag(absl::string_view text, LogFormat* format, std::string* error) {
  if (text == "text") {
    *format = LogFormat::kText;
    return true;
  }
  if (text == "json") {
    *format = LogFormat::kJson;
    return true;
  }
  *error = "must be text or json";
  return false;
}

std::string AbslUnparseFlag(LogFormat format) {
  return format == LogFormat::kJson ? "json" : "text";
}

std::unique_ptr<spdlog::formatter> NewLogFormatter(LogFormat format) {
  return std::make_unique<LineFormatter>(format);
}

}  // namespace rollcall
