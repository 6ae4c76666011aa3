#include "server/store/integrity.h"

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "server/common/status_macros.h"

namespace rollcall {
namespace {

constexpr int kMaxQuickCheckErrors = 5;

absl::Status Damaged(const Connection& connection, absl::string_view problem) {
  return absl::DataLossError(
      absl::StrCat("database file ", connection.path(), " is damaged: ", problem));
}

absl::StatusOr<int64_t> PragmaInt(Connection& connection, absl::string_view pragma) {
  ASSIGN_OR_RETURN(Statement statement, connection.Prepare(absl::StrCat("PRAGMA ", pragma)));
  ASSIGN_OR_RETURN(bool row, statement.Step());
  return row ? statement.ColumnInt(0) : 0;
}

absl::Status FullCheck(Connection& connection) {
  ASSIGN_OR_RETURN(
      Statement check,
      connection.Prepare(absl::StrCat("PRAGMA quick_check(", kMaxQuickCheckErrors, ")")));
  std::vector<std::string> problems;
  while (true) {
    ASSIGN_OR_RETURN(bool row, check.Step());
    if (!row) break;
    std::string line = check.ColumnText(0);
    if (line != "ok") problems.push_back(std::move(line));
  }
  if (problems.empty()) return absl::OkStatus();
  return Damaged(connection, absl::StrJoin(problems, "; "));
}

// After a complete checkpoint every page is in the file itself.
absl::Status CheckLength(Connection& connection) {
  ASSIGN_OR_RETURN(Statement checkpoint,
                   connection.Prepare("PRAGMA wal_checkpoint(TRUNCATE)"));
  ASSIGN_OR_RETURN(bool row, checkpoint.Step());
  if (!row || checkpoint.ColumnInt(0) != 0) return absl::OkStatus();  // busy: skip
  ASSIGN_OR_RETURN(int64_t pages, PragmaInt(connection, "page_count"));
  ASSIGN_OR_RETURN(int64_t page_size, PragmaInt(connection, "page_size"));
  std::error_code error;
  const auto size = std::filesystem::file_size(connection.path(), error);
  if (error || static_cast<int64_t>(size) >= pages * page_size) return absl::OkStatus();
  return Damaged(connection, absl::StrCat("it holds ", size, " bytes, its header says ",
                                          pages * page_size, " (truncated?)"));
}

// Reads the first and the last row of every table: the root page and the
// pages down both edges of each b-tree.
absl::Status ReadTableEdges(Connection& connection) {
  std::vector<std::string> tables;
  {
    ASSIGN_OR_RETURN(Statement list,
                     connection.Prepare("SELECT name FROM sqlite_schema WHERE type = "
                                        "'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, list.Step());
      if (!row) break;
      tables.push_back(list.ColumnText(0));
    }
  }
  for (const std::string& table : tables) {
    const std::string quoted = absl::StrCat("\"", absl::StrReplaceAll(table, {{"\"", "\"\""}}), "\"");
    for (const char* order : {"", " ORDER BY rowid DESC"}) {
      absl::StatusOr<Statement> read =
          connection.Prepare(absl::StrCat("SELECT * FROM ", quoted, order, " LIMIT 1"));
      if (!read.ok()) {
        if (*order != '\0') continue;  // a WITHOUT ROWID table has no rowid
        return read.status();
      }
      RETURN_IF_ERROR(read->Run());
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyDatabase(Connection& connection, StartupCheck check) {
  if (check == StartupCheck::kFull) return FullCheck(connection);
  RETURN_IF_ERROR(ReadTableEdges(connection));
  return CheckLength(connection);
}

}  // namespace rollcall
