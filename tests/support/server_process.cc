#include "tests/support/server_process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace rollcall::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kListeningPrefix[] = "rollcalld listening on ";

// The environment of this process with `overrides` applied.
std::vector<std::string> ChildEnvironment(
    const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::string key = text.substr(0, text.find('='));
    if (overrides.count(key) == 0) env.push_back(text);
  }
  for (const auto& [key, value] : overrides) {
    if (!value.empty()) env.push_back(key + "=" + value);
  }
  return env;
}

// Replaces the process image; only returns (with exit 127) on failure.
[[noreturn]] void Exec(const std::vector<std::string>& argv,
                       const std::vector<std::string>& env) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  execve(args[0], args.data(), envp.data());
  std::perror(("execve " + argv[0]).c_str());
  _exit(127);
}

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

int MillisecondsLeft(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Waits for `pid` until `deadline`, then kills it. Returns the decoded
// status, or -1 if it had to be killed.
int WaitOrKill(pid_t pid, Clock::time_point deadline) {
  int status = 0;
  while (Clock::now() < deadline) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return DecodeWaitStatus(status);
    if (done < 0 && errno != EINTR) return -1;
    // Polling is the portable way to wait for a child with a timeout.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

// Reads what is available on `fd` into `out`. Returns false at end of file
// or on an error (EIO is how a pty master reports that the child is gone).
bool ReadSome(int fd, std::string* out) {
  char buffer[4096];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n > 0) {
    out->append(buffer, static_cast<size_t>(n));
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

}  // namespace

ServerProcess::ServerProcess(std::string rollcalld, std::string data_dir,
                             std::string log_path, std::vector<std::string> extra_args)
    : rollcalld_(std::move(rollcalld)),
      data_dir_(std::move(data_dir)),
      log_path_(std::move(log_path)),
      extra_args_(std::move(extra_args)) {}

ServerProcess::~ServerProcess() { Kill(); }

absl::Status ServerProcess::Start(std::chrono::milliseconds timeout) {
  if (running()) return absl::FailedPreconditionError("already running");
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return absl::InternalError("pipe2");
  const int log_fd =
      open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  std::vector<std::string> argv = {rollcalld_, absl::StrCat("--listen=127.0.0.1:", port_),
                                   "--data_dir=" + data_dir_};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  const std::vector<std::string> env = ChildEnvironment({});
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // No orphan servers if a test dies.
    dup2(pipe_fds[1], STDOUT_FILENO);
    if (log_fd >= 0) dup2(log_fd, STDERR_FILENO);
    Exec(argv, env);
  }
  close(pipe_fds[1]);
  if (log_fd >= 0) close(log_fd);
  stdout_fd_ = pipe_fds[0];
  if (pid_ < 0) return absl::InternalError("fork failed");

  const auto deadline = Clock::now() + timeout;
  std::string output;
  while (true) {
    const size_t line_end = output.find('\n');
    if (line_end != std::string::npos) {
      std::string line = output.substr(0, line_end);
      output.erase(0, line_end + 1);
      if (!absl::StartsWith(line, kListeningPrefix)) continue;
      const std::string port_text = line.substr(line.rfind(':') + 1);
      if (absl::SimpleAtoi(port_text, &port_)) return absl::OkStatus();
      Kill();
      return absl::InternalError("cannot parse the port in: " + line);
    }
    pollfd poll_fd = {stdout_fd_, POLLIN, 0};
    const int ready = poll(&poll_fd, 1, MillisecondsLeft(deadline));
    if (ready == 0 || !ReadSome(stdout_fd_, &output)) {
      Kill();
      return absl::UnavailableError(absl::StrCat(
          "rollcalld ", ready == 0 ? "did not start listening in time" : "exited",
          "; its log:\n", Log()));
    }
  }
}

int ServerProcess::Reap() {
  const int status = WaitOrKill(pid_, Clock::now() + std::chrono::seconds(30));
  pid_ = -1;
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  return status;
}

int ServerProcess::Stop() {
  if (!running()) return -1;
  kill(pid_, SIGTERM);
  return Reap();
}

void ServerProcess::Kill() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  Reap();
}

absl::Status ServerProcess::Restart() {
  Stop();
  return Start();
}

std::string ServerProcess::address() const { return absl::StrCat("127.0.0.1:", port_); }

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::string& stdin_text,
                         const std::map<std::string, std::string>& env,
                         std::chrono::milliseconds timeout) {
  CommandResult result;
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
      pipe2(err, O_CLOEXEC) != 0) {
    return result;
  }
  const std::vector<std::string> child_env = ChildEnvironment(env);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    Exec(argv, child_env);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  // Small inputs fit the pipe buffer; tests never send more.
  if (!stdin_text.empty() && write(in[1], stdin_text.data(), stdin_text.size()) < 0) {
    std::perror("write to child stdin");
  }
  close(in[1]);
  const auto deadline = Clock::now() + timeout;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.stdout_text, &result.stderr_text};
  int open_fds = 2;
  while (open_fds > 0 && Clock::now() < deadline) {
    if (poll(fds, 2, MillisecondsLeft(deadline)) <= 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      if (!ReadSome(fds[i].fd, sinks[i])) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (const pollfd& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  result.exit_code =
      WaitOrKill(pid, open_fds == 0 ? deadline + std::chrono::seconds(5) : Clock::now());
  return result;
}

PtyResult RunInPty(const std::vector<std::string>& argv,
                   const std::vector<PtyStep>& steps,
                   const std::map<std::string, std::string>& env,
                   std::chrono::milliseconds timeout) {
  PtyResult result;
  std::map<std::string, std::string> overrides = env;
  overrides.emplace("TERM", "dumb");
  const std::vector<std::string> child_env = ChildEnvironment(overrides);
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) {
    result.error = "forkpty failed";
    return result;
  }
  if (pid == 0) Exec(argv, child_env);

  const auto deadline = Clock::now() + timeout;
  bool alive = true;
  // Reads until `done` holds, the child closes the terminal or `until`.
  auto read_until = [&](auto done, Clock::time_point until) {
    while (alive && !done()) {
      pollfd fd = {master, POLLIN, 0};
      const int ready = poll(&fd, 1, MillisecondsLeft(std::min(until, deadline)));
      if (ready <= 0) return false;
      alive = ReadSome(master, &result.transcript);
    }
    return done();
  };
  size_t position = 0;
  for (size_t i = 0; i < steps.size() && result.error.empty(); ++i) {
    const PtyStep& step = steps[i];
    size_t found = std::string::npos;
    auto seen = [&] {
      found = result.transcript.find(step.expect, position);
      return found != std::string::npos;
    };
    if (!read_until(seen, Clock::now() + step.timeout)) {
      result.error = absl::StrCat("step ", i, ": never saw \"", step.expect, "\"");
      break;
    }
    position = found + step.expect.size();
    const std::string line = step.send + "\n";
    if (write(master, line.data(), line.size()) < 0) {
      result.error = absl::StrCat("step ", i, ": write failed");
    }
  }
  if (result.error.empty()) read_until([] { return false; }, deadline);
  close(master);
  result.exit_code = WaitOrKill(
      pid, result.error.empty() ? deadline + std::chrono::seconds(5) : Clock::now());
  return result;
}

}  // namespace rollcall::testing
