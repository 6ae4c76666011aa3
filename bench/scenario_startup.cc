// startup: how long rollcalld takes, on an existing data directory, from
// being launched to answering health checks with SERVING.

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/figures.h"
#include "bench/scenarios.h"
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

// Asks the health service until it answers SERVING (or `deadline`).
bool AwaitServing(const std::string& address, absl::Time deadline) {
  auto stub = grpc::health::v1::Health::NewStub(OpenChannels(address, 1)[0]);
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

}  // namespace

int RunStartup(const BenchOptions& options) {
  int pipe_fds[2];
  if (options.rollcalld.empty() || options.data_dir.empty() || pipe(pipe_fds) != 0) {
    JsonLine("startup").Add("error", "needs --rollcalld and --data-dir").Print();
    return 1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<std::string> args = {options.rollcalld, "--listen=127.0.0.1:0",
                                   absl::StrCat("--data_dir=", options.data_dir),
                                   "--log_level=warn"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const absl::Time start = absl::Now();
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    JsonLine("startup")
        .Add("error", absl::StrCat("cannot run ", options.rollcalld))
        .Print();
    return 1;
  }
  const std::string address = AwaitListening(pipe_fds[0]);
  const double listening_s = absl::ToDoubleSeconds(absl::Now() - start);
  const bool serving =
      !address.empty() && AwaitServing(address, absl::Now() + absl::Minutes(10));
  const double serving_s = absl::ToDoubleSeconds(absl::Now() - start);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  JsonLine("startup")
      .Add("data_dir", options.data_dir)
      .Add("seconds_to_listening", listening_s)
      .Add("seconds_to_serving", serving_s)
      .Add("serving", serving)
      .Print();
  return serving ? 0 : 1;
}

}  // namespace rollcall::bench
