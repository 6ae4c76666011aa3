#ifndef ROLLCALL_CLIENT_CLI_COMMANDS_H_
#define ROLLCALL_CLIENT_CLI_COMMANDS_H_

// The CLI's commands. Each Add*Commands function registers subcommands on
// `app`; when the user picks one, its CLI11 callback stores the work to do
// in `*selected`, which app.cc runs after parsing has succeeded.

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/cli/rpc.h"

namespace CLI {
class App;
}  // namespace CLI

namespace rollcall::cli {

// The work of the chosen command. Returns OK or the error to print.
using Command = std::function<absl::Status()>;

// actors add|get|list|update.
void AddActorsCommands(CLI::App& app, Session& session, Command* selected);
// events add|get|list|update.
void AddEventsCommands(CLI::App& app, Session& session, Command* selected);
// statements add|get|list|update|retract|history.
void AddStatementsCommands(CLI::App& app, Session& session, Command* selected);
// import FILE and export.
void AddTransferCommands(CLI::App& app, Session& session, Command* selected);
// summary: the roll call of an event, per bloc or per actor.
void AddSummaryCommand(CLI::App& app, Session& session, Command* selected);
// watch: follow new, corrected and retracted statements live.
void AddWatchCommand(CLI::App& app, Session& session, Command* selected);
// extract SOURCE|--follow URL: propose drafts from documents.
void AddExtractCommand(CLI::App& app, Session& session, Command* selected);
// drafts list|get|accept|reject|review.
void AddDraftsCommands(CLI::App& app, Session& session, Command* selected);

// The ListDrafts filter of `drafts list`'s flags (each may be empty).
// INVALID_ARGUMENT for a --state that is not a DraftState.
absl::StatusOr<std::string> DraftFilter(const std::string& event, const std::string& state,
                                        const std::string& actor,
                                        const std::string& document);

// An error in how the command was called (a bad flag value, a missing
// flag): printed like other errors but exits with status 2.
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);
// Turns an INVALID_ARGUMENT from flag parsing into a usage error; other
// statuses are returned unchanged.
absl::Status AsUsageError(const absl::Status& status);

// A failure whose details the command has printed already: the CLI exits
// with status 1 and prints nothing more.
absl::Status AlreadyReportedError();
bool IsAlreadyReported(const absl::Status& status);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_COMMANDS_H_
