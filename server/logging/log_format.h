#ifndef ROLLCALL_SERVER_LOGGING_LOG_FORMAT_H_
#define ROLLCALL_SERVER_LOGGING_LOG_FORMAT_H_

// rollcalld's log lines: one line per event, in one of two formats that log
// collectors parse without configuration:
//   text (logfmt): time=2026-11-29T09:14:01.278Z level=info msg="serving ..."
//   json:          {"time":"2026-11-29T09:14:01.278Z","level":"info","msg":"serving ..."}
// Times are UTC with milliseconds. A message never spans lines: newlines
// and quotes in it are escaped.

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "spdlog/formatter.h"

namespace rollcall {

enum class LogFormat { kText, kJson };

// For absl flags: "text" or "json".
bool AbslParseFlag(absl::string_view text, LogFormat* format, std::string* error);
std::string AbslUnparseFlag(LogFormat format);

// A formatter for spdlog sinks (spdlog::set_formatter).
std::unique_ptr<spdlog::formatter> NewLogFormatter(LogFormat format);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_LOGGING_LOG_FORMAT_H_
