#include "client/cli/csv.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace rollcall::cli {

std::string CsvRow(const std::vector<std::string>& cells) {
  std::string row;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) row += ',';
    const std::string& cell = cells[i];
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
      row += cell;
      continue;
    }
    row += '"';
    for (char c : cell) {
      if (c == '"') row += '"';
      row += c;
    }
    row += '"';
  }
  row += "\r\n";
  return row;
}

CsvReader::CsvReader(absl::string_view text) : text_(text) {
  if (absl::StartsWith(text_, "\xEF\xBB\xBF")) pos_ = 3;
}

bool CsvReader::Next(CsvRecord* record) {
  // Skip blank lines.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  *record = CsvRecord();
  record->line = line_;
  const size_t start = pos_;
  std::string cell;
  bool quoted = false;      // inside a quoted cell
  bool was_quoted = false;  // the current cell was quoted and has closed
  auto fail = [&](absl::string_view why) {
    record->status = absl::InvalidArgumentError(
        absl::StrCat("malformed CSV: ", why, " (column ", record->cells.size() + 1, ")"));
    record->cells.clear();
    // Skip to the end of the current line.
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
  };
  while (true) {
    if (pos_ >= text_.size()) {
      if (quoted) {
        fail("a quoted cell is never closed");
        break;
      }
      record->cells.push_back(std::move(cell));
      break;
    }
    const char c = text_[pos_];
    if (quoted) {
      ++pos_;
      if (c == '\n') ++line_;
      if (c != '"') {
        cell += c;
      } else if (pos_ < text_.size() && text_[pos_] == '"') {
        cell += '"';
        ++pos_;
      } else {
        quoted = false;
        was_quoted = true;
      }
      continue;
    }
    if (c == ',') {
      record->cells.push_back(std::move(cell));
      cell.clear();
      was_quoted = false;
      ++pos_;
    } else if (c == '\n' ||
               (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')) {
      record->cells.push_back(std::move(cell));
      break;
    } else if (was_quoted) {
      fail("text after a closing quote");
      break;
    } else if (c == '"') {
      if (!cell.empty()) {
        fail("a quote inside an unquoted cell");
        break;
      }
      quoted = true;
      ++pos_;
    } else {
      cell += c;
      ++pos_;
    }
  }
  size_t end = pos_;
  if (end > start && text_[end - 1] == '\r') --end;
  record->text = std::string(text_.substr(start, end - start));
  // Step over the line end.
  if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
  if (pos_ < text_.size() && text_[pos_] == '\n') {
    ++pos_;
    ++line_;
  }
  return true;
}

std::string JoinList(const std::vector<std::string>& items, char separator) {
  std::string joined;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) joined += separator;
    for (char c : items[i]) {
      if (c == separator || c == '\\') joined += '\\';
      joined += c;
    }
  }
  return joined;
}

std::vector<std::string> SplitList(absl::string_view text, char separator) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  std::string item;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      item += text[++i];
    } else if (text[i] == separator) {
      items.push_back(std::move(item));
      item.clear();
    } else {
      item += text[i];
    }
  }
  items.push_back(std::move(item));
  return items;
}

}  // namespace rollcall::cli
