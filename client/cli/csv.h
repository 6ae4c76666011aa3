#ifndef ROLLCALL_CLIENT_CLI_CSV_H_
#define ROLLCALL_CLIENT_CLI_CSV_H_

// RFC 4180 CSV: writing rows and reading them back, plus the lists that
// one cell can hold ("condemn;demand-release"). Pure functions, no I/O.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rollcall::cli {

// One CSV row ending in CRLF. A cell is quoted when it holds a comma, a
// double quote, CR or LF (quotes inside are doubled); other cells are
// written as they are.
std::string CsvRow(const std::vector<std::string>& cells);

// One row read from CSV text.
struct CsvRecord {
  // The 1-based line on which the row starts (a quoted cell may span lines).
  int line = 0;
  std::vector<std::string> cells;
  // The row's text as it is in the file, without the line end.
  std::string text;
  // Not OK if the row is malformed (a quote inside an unquoted cell, text
  // after a closing quote, a quote never closed); `cells` is then empty and
  // the reader has skipped to the end of the row's last line.
  absl::Status status;
};

// Reads CSV text row by row. Accepts LF or CRLF line ends and skips a
// leading UTF-8 byte order mark. `text` must outlive the reader.
class CsvReader {
 public:
  explicit CsvReader(absl::string_view text);

  // Reads the next row into `*record`. Returns false at the end of the text.
  // Blank lines are skipped.
  bool Next(CsvRecord* record);

  // How many bytes of the text have been read.
  size_t offset() const { return pos_; }

 private:
  absl::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

// Joins `items` with `separator`, escaping a separator or backslash inside
// an item with a backslash: {"a;b", "c"} with ';' gives "a\;b;c".
std::string JoinList(const std::vector<std::string>& items, char separator);

// The inverse of JoinList. "" gives no items.
std::vector<std::string> SplitList(absl::string_view text, char separator);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_CSV_H_
