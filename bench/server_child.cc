#include "bench/server_child.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/workload.h"
#include "grpc/health/v1/health.grpc.pb.h"

extern char** environ;

namespace rollcall::bench {
namespace {

constexpr char kListening[] = "rollcalld listening on ";

// Reads lines from `fd` until one starts with kListening; returns the
// address that follows, or "" if the stream ends first.
std::string AwaitListening(int fd) {
  FILE* out = fdopen(fd, "r");
  char line[512];
  std::string address;
  while (fgets(line, sizeof line, out) != nullptr) {
    std::string text(line);
    if (absl::StartsWith(text, kListening)) {
      address = text.substr(sizeof(kListening) - 1);
      while (!address.empty() && (address.back() == '\n' || address.back() == '\r'))
        address.pop_back();
      break;
    }
  }
  return address;  // `out` stays open: the server may still write to it
}

}  // namespace

absl::StatusOr<ServerChild> LaunchRollcalld(const std::string& rollcalld,
                                            const std::string& listen,
                                            const std::string& data_dir) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return absl::InternalError("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<std::string> args = {rollcalld, absl::StrCat("--listen=", listen),
                                   absl::StrCat("--data_dir=", data_dir),
                                   "--log_level=warn"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ServerChild server;
  const int spawned =
      posix_spawn(&server.pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    return absl::FailedPreconditionError(absl::StrCat("cannot run ", rollcalld));
  }
  server.address = AwaitListening(pipe_fds[0]);
  if (server.address.empty()) {
    waitpid(server.pid, nullptr, 0);
    return absl::UnavailableError(absl::StrCat(rollcalld, " exited before listening"));
  }
  return server;
}

bool AwaitServing(const std::string& address, absl::Time deadline) {
  auto stub = grpc::health::v1::Health::NewStub(OpenChannels(address, 1, "health")[0]);
  while (absl::Now() < deadline) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(deadline));
    context.set_wait_for_ready(true);
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    if (stub->Check(&context, request, &response).ok() &&
        response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(1));
  }
  return false;
}

int StopRollcalld(const ServerChild& server) {
  kill(server.pid, SIGTERM);
  int status = 0;
  waitpid(server.pid, &status, 0);
  return status;
}

}  // namespace rollcall::bench
