#include "client/cli/output.h"

#include <algorithm>

#include "google/protobuf/util/json_util.h"

namespace rollcall::cli {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

void PrintPadded(std::ostream& out, const std::string& text, size_t width) {
  out << text;
  const size_t used = DisplayWidth(text);
  for (size_t i = used; i < width; ++i) out << ' ';
}

}  // namespace

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (char c : text) {
    if (!IsContinuationByte(c)) ++width;
  }
  return width;
}

std::string Truncate(absl::string_view text, size_t max_width) {
  std::string flat;
  flat.reserve(text.size());
  for (char c : text) {
    flat.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  }
  if (DisplayWidth(flat) <= max_width || max_width == 0) return flat;
  // Keep max_width - 1 code points and add an ellipsis.
  size_t kept = 0;
  size_t end = 0;
  while (end < flat.size()) {
    if (!IsContinuationByte(flat[end])) {
      if (kept == max_width - 1) break;
      ++kept;
    }
    ++end;
  }
  flat.resize(end);
  while (!flat.empty() && flat.back() == ' ') flat.pop_back();
  return flat + "\u2026";
}

Table::Table(std::vector<std::string> header) : header_(std::move(header)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(header_.size());
  for (size_t i = 0; i < header_.size(); ++i) {
    widths[i] = DisplayWidth(header_[i]);
    for (const auto& row : rows_) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  auto print_row = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i + 1 == cells.size()) {
        out << cells[i];  // No trailing spaces after the last column.
      } else {
        PrintPadded(out, cells[i], widths[i] + 2);
      }
    }
    out << '\n';
  };
  print_row(header_);
  for (const auto& row : rows_) print_row(row);
}

void FieldView::Add(absl::string_view key, absl::string_view value) {
  if (value.empty()) return;
  fields_.emplace_back(std::string(key), std::string(value));
}

void FieldView::Print(std::ostream& out) const {
  size_t width = 0;
  for (const auto& [key, value] : fields_) {
    width = std::max(width, DisplayWidth(key));
  }
  for (const auto& [key, value] : fields_) {
    if (key.empty()) {
      PrintPadded(out, "", width + 2);
    } else {
      PrintPadded(out, key + ":", width + 2);
    }
    out << value << '\n';
  }
}

std::string ToJsonLine(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  // Generated messages always serialise; a failure leaves `json` empty.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

void PrintJsonLine(const google::protobuf::Message& message, std::ostream& out) {
  out << ToJsonLine(message) << '\n';
}

}  // namespace rollcall::cli
