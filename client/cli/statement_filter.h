#ifndef ROLLCALL_CLIENT_CLI_STATEMENT_FILTER_H_
#define ROLLCALL_CLIENT_CLI_STATEMENT_FILTER_H_

// The flags of `statements list` and the ListStatementsRequest they make.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rollcall/v1/statement_service.pb.h"

namespace CLI {
class App;
}  // namespace CLI

namespace rollcall::cli {

struct StatementListFlags {
  std::string event;
  std::vector<std::string> actors;
  std::string bloc;
  std::vector<std::string> actor_kinds;
  std::vector<std::string> stances;
  std::vector<std::string> actions;
  std::string since;
  std::string until;
  std::string text;
  std::vector<std::string> labels;
  std::string filter;
  bool show_retracted = false;
  std::string order = "asc";
  int limit = 50;
};

// Registers the filter flags --event, --actor, --bloc, --actor-kind,
// --stance, --action, --text, --label, --filter and, if `issue_time_flags`,
// --since and --until on `cmd`.
void AddStatementFilterFlags(CLI::App* cmd, StatementListFlags* flags,
                             bool issue_time_flags);

// Registers the filter flags and --show-retracted, --order and --limit.
void AddStatementListFlags(CLI::App* cmd, StatementListFlags* flags);

// The filter for `flags`: restrictions on different fields joined by AND,
// several values of one flag joined by OR, --filter ANDed last. --until with
// a date includes that whole day. Returns INVALID_ARGUMENT naming the flag
// for a bad value.
absl::StatusOr<std::string> BuildStatementFilter(const StatementListFlags& flags);

// The request for `flags` (filter, order, show_retracted; no page size).
absl::StatusOr<v1::ListStatementsRequest> BuildListRequest(
    const StatementListFlags& flags);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_STATEMENT_FILTER_H_
