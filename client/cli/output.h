#ifndef ROLLCALL_CLIENT_CLI_OUTPUT_H_
#define ROLLCALL_CLIENT_CLI_OUTPUT_H_

// Generic output: aligned text tables, "key: value" views and protobuf JSON
// lines. Widths count Unicode code points, so French or Arabic text lines up
// and is never cut inside a character.

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace rollcall::cli {

// The number of code points in UTF-8 `text`.
size_t DisplayWidth(absl::string_view text);

// `text` on one line (newlines and tabs become spaces), cut to at most
// `max_width` code points, ending in "…" when cut. Never splits a UTF-8
// sequence.
std::string Truncate(absl::string_view text, size_t max_width);

// A table printed with a header row and left-aligned columns separated by
// two spaces.
class Table {
 public:
  explicit Table(std::vector<std::string> header);

  // Adds a row; missing cells are empty, extra cells are ignored.
  void AddRow(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }

  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Lines of "key: value" with the values aligned. A field with several
// values repeats nothing: callers add one line per value with an empty key.
class FieldView {
 public:
  // Adds a line unless `value` is empty.
  void Add(absl::string_view key, absl::string_view value);
  void Print(std::ostream& out) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Prints `message` as one line of protobuf JSON followed by a newline.
void PrintJsonLine(const google::protobuf::Message& message, std::ostream& out);

// `message` as one line of protobuf JSON (no trailing newline).
std::string ToJsonLine(const google::protobuf::Message& message);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_OUTPUT_H_
