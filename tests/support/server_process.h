#ifndef ROLLCALL_TESTS_SUPPORT_SERVER_PROCESS_H_
#define ROLLCALL_TESTS_SUPPORT_SERVER_PROCESS_H_

// Real processes for black-box tests: a rollcalld child process on a free
// port, and helpers that run a command (the rollcall CLI) with pipes or in a
// pseudo-terminal and collect what it printed.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace rollcall::testing {

// A rollcalld child process. Start() runs
//   ROLLCALLD --listen=127.0.0.1:0 --data_dir=DATA_DIR EXTRA_ARGS...
// and waits for the line "rollcalld listening on 127.0.0.1:PORT" on its
// stdout. The server's stderr goes to LOG_PATH. Not thread-safe.
class ServerProcess {
 public:
  // `rollcalld` is the binary's path; `log_path` receives stderr (appended
  // to across restarts).
  ServerProcess(std::string rollcalld, std::string data_dir, std::string log_path,
                std::vector<std::string> extra_args = {});
  // Kills the server (SIGKILL) if it is running and reaps it.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts the server on a port of its choosing (the first time) or on the
  // port it had before (after Stop or Kill). Returns an error, with the end
  // of the server log, if it exits or is not listening within `timeout`.
  absl::Status Start(std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // Sends SIGTERM and waits for the process to exit. Returns its exit
  // status (as from WEXITSTATUS), or 128 + signal if a signal ended it, or
  // -1 if it was not running.
  int Stop();

  // Sends SIGKILL and reaps the process (a crash, from the data's view).
  void Kill();

  // Stop() followed by Start() on the same port and data directory.
  absl::Status Restart();

  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  // "127.0.0.1:PORT".
  std::string address() const;
  const std::string& data_dir() const { return data_dir_; }
  // The server's stderr so far.
  std::string Log() const;

 private:
  int Reap();

  std::string rollcalld_;
  std::string data_dir_;
  std::string log_path_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
};

// What a finished command printed and how it ended.
struct CommandResult {
  // The exit status, 128 + signal if a signal ended it, or -1 if it could
  // not be run or timed out (it is then killed).
  int exit_code = -1;
  std::string stdout_text;
  std::string stderr_text;
};

// Runs argv[0] (a path) with `argv`, writing `stdin_text` to its stdin and
// closing it. `env` entries are added to (or override) this process's
// environment; an entry with an empty value removes the variable.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::string& stdin_text = "",
                         const std::map<std::string, std::string>& env = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

// One exchange with a program in a pseudo-terminal: wait until the output
// since the previous step contains `expect`, then type `send` and Enter.
struct PtyStep {
  std::string expect;
  std::string send;
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
};

struct PtyResult {
  // As CommandResult::exit_code; -1 also when a step's `expect` never came.
  int exit_code = -1;
  // Everything the terminal showed, including the echo of typed lines.
  std::string transcript;
  // Empty, or which step failed and why.
  std::string error;
};

// Runs argv[0] with `argv` on a new pseudo-terminal (forkpty(3)) as both its
// stdin and stdout, plays `steps`, then reads until the program exits.
PtyResult RunInPty(const std::vector<std::string>& argv,
                   const std::vector<PtyStep>& steps,
                   const std::map<std::string, std::string>& env = {},
                   std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_SUPPORT_SERVER_PROCESS_H_
