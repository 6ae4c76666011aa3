#ifndef ROLLCALL_CLIENT_CLI_APP_H_
#define ROLLCALL_CLIENT_CLI_APP_H_

// The rollcall command line: parses the arguments, runs the chosen command
// and maps its outcome to an exit status.

namespace rollcall::cli {

// Exit statuses of the CLI.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command failed
inline constexpr int kExitUsage = 2;    // bad flags or arguments

// Runs `rollcall` with `argv` and returns the process exit status. Prints
// command output on stdout and, on failure, one line "rollcall: ..." on
// stderr.
int RunCli(int argc, char** argv);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_APP_H_
