#ifndef ROLLCALL_CLIENT_CLI_EXCHANGE_CSV_H_
#define ROLLCALL_CLIENT_CLI_EXCHANGE_CSV_H_

// Statements as CSV rows, one row per statement, for spreadsheets:
// `rollcall export --format csv` and `rollcall import --format csv`. The
// columns and what they carry are listed in docs/DATA.md. Actors, events
// and targets are bare ids ("ecowas"); enums are written as the CLI writes
// them ("condemns", "demand-release"); times are RFC 3339. A cell holding
// one entry per action or per source separates them with ';' (a ';' or
// '\' inside an entry is escaped with '\').

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall::cli {

// The header row of an export, in column order.
std::vector<std::string> StatementCsvHeader();

// One row for `statement`, in header order. `display_names` maps actor
// names ("actors/ecowas") to display names, for the actor_name column;
// `position` is the statement's position on its event (as the server
// derives it), for the position column.
std::vector<std::string> StatementToCsv(
    const v1::Statement& statement,
    const std::map<std::string, std::string>& display_names,
    v1::Position position = v1::POSITION_UNSPECIFIED);

// Checks a header row read from a file: every column must be one of
// StatementCsvHeader() (in any order, any subset), and none may repeat.
// Returns INVALID_ARGUMENT naming the bad column otherwise.
absl::Status CheckStatementCsvHeader(const std::vector<std::string>& header);

// The statement a row describes, `header` naming its cells (checked with
// CheckStatementCsvHeader). Export-only columns (actor_name, position,
// state, revision) are ignored; name is kept so that the importer can derive a
// request id from it. Returns INVALID_ARGUMENT naming the column of a bad
// value, or when the row's cell count differs from the header's.
absl::StatusOr<v1::Statement> StatementFromCsv(const std::vector<std::string>& header,
                                               const std::vector<std::string>& cells);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_EXCHANGE_CSV_H_
