#include "bench/restart_clients.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/workload.h"
#include "grpcpp/create_channel.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall::bench {

std::vector<std::shared_ptr<grpc::Channel>> ClientChannels(const std::string& address,
                                                           int count,
                                                           const std::string& role) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.channel_id", i);
    args.SetString("rollcall.bench.role", role);
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 750);
    args.SetMaxReceiveMessageSize(64 << 20);
    channels.push_back(
        grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

Writer::Writer(std::shared_ptr<grpc::Channel> channel, int events, double rate,
               const ChannelWatch* watch)
    : watch_(watch),
      stub_(rollcall::v1::StatementService::NewStub(channel)),
      events_(events),
      rate_(rate),
      thread_([this] { Run(); }) {}

void Writer::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Writer::Run() {
  const int64_t base = FreshStatementBase();
  const absl::Time start = absl::Now();
  for (int64_t n = 0; !stop_; ++n) {
    const absl::Time due = start + absl::Seconds(n / rate_);
    if (due > absl::Now()) absl::SleepFor(due - absl::Now());
    rollcall::v1::CreateStatementRequest request;
    *request.mutable_statement() = MakeStatement(base + n, events_);
    request.set_request_id(absl::StrCat("bench-restart-", base + n));
    const int64_t sent = absl::ToUnixMicros(absl::Now());
    while (!stop_) {
      auto context = ContextWithDeadline(absl::Seconds(10));
      context->set_wait_for_ready(true);
      rollcall::v1::Statement response;
      if (stub_->CreateStatement(context.get(), request, &response).ok()) {
        const auto& commit = response.update_time();
        writes_.push_back({sent, absl::ToUnixMicros(absl::Now()),
                           commit.seconds() * 1000000 + commit.nanos() / 1000,
                           response.sequence(), static_cast<int>((base + n) % events_)});
        break;
      }
      ++retried_;
    }
  }
}

int64_t Writer::ReadySince(int64_t after_micros) const {
  return watch_ == nullptr ? 0 : watch_->ReadySince(after_micros)[0];
}

ChannelWatch::ChannelWatch(std::vector<std::shared_ptr<grpc::Channel>> channels)
    : channels_(std::move(channels)),
      ready_micros_(channels_.size()),
      thread_([this] { Run(); }) {}

ChannelWatch::~ChannelWatch() {
  stop_ = true;
  thread_.join();
}

void ChannelWatch::Run() {
  std::vector<bool> was_ready(channels_.size(), false);
  while (!stop_) {
    const int64_t now = absl::ToUnixMicros(absl::Now());
    for (size_t i = 0; i < channels_.size(); ++i) {
      const bool ready = channels_[i]->GetState(false) == GRPC_CHANNEL_READY;
      if (ready && !was_ready[i]) {
        absl::MutexLock lock(&mu_);
        ready_micros_[i].push_back(now);
      }
      was_ready[i] = ready;
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
}

std::vector<int64_t> ChannelWatch::ReadyTimes(size_t i) const {
  absl::MutexLock lock(&mu_);
  return ready_micros_[i];
}

std::vector<int64_t> ChannelWatch::ReadySince(int64_t after_micros) const {
  absl::MutexLock lock(&mu_);
  std::vector<int64_t> since;
  for (const auto& times : ready_micros_) {
    int64_t first = 0;
    for (int64_t t : times) {
      if (t > after_micros) {
        first = t;
        break;
      }
    }
    since.push_back(first);
  }
  return since;
}

extern "C" char** environ;

WriterProcess::WriterProcess(const std::string& address, int events, double rate) {
  int to_child[2], from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0) return;
  if (pipe2(from_child, O_CLOEXEC) != 0) {
    close(to_child[0]), close(to_child[1]);
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, to_child[1]);
  posix_spawn_file_actions_addclose(&actions, from_child[0]);
  std::vector<std::string> args = {
      "/proc/self/exe", "restart-writer", "--target=" + address,
      absl::StrCat("--events=", events), absl::StrCat("--rate=", rate)};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(to_child[0]), close(from_child[1]);
  if (spawned != 0) {
    close(to_child[1]), close(from_child[0]);
    return;
  }
  pid_ = pid;
  to_child_ = to_child[1];
  from_child_ = from_child[0];
}

void WriterProcess::Stop() {
  if (pid_ <= 0) return;
  close(to_child_);
  FILE* in = fdopen(from_child_, "r");
  char line[256];
  while (in != nullptr && fgets(line, sizeof line, in) != nullptr) {
    long long a, b, c, d, t, n;
    int event;
    if (sscanf(line, "write %lld %lld %lld %lld %d", &a, &b, &c, &d, &event) == 5) {
      writes_.push_back({a, b, c, d, event});
    } else if (sscanf(line, "ready %lld", &t) == 1) {
      ready_micros_.push_back(t);
    } else if (sscanf(line, "retries %lld", &n) == 1) {
      retried_ = n;
    }
  }
  if (in != nullptr) fclose(in);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int64_t WriterProcess::ReadySince(int64_t after_micros) const {
  for (int64_t t : ready_micros_) {
    if (t > after_micros) return t;
  }
  return 0;
}

int RunRestartWriter(const std::string& target, int events, double rate) {
  auto channel = ClientChannels(target, 1, "writer");
  ChannelWatch watch(channel);
  Writer writer(channel[0], events, rate);
  // Until the scenario closes our stdin.
  std::cin.ignore(std::numeric_limits<std::streamsize>::max());
  writer.Stop();
  for (const WriteRecord& w : writer.writes()) {
    printf("write %lld %lld %lld %lld %d\n", static_cast<long long>(w.sent_micros),
           static_cast<long long>(w.acked_micros),
           static_cast<long long>(w.commit_micros), static_cast<long long>(w.sequence),
           w.event);
  }
  for (int64_t t : watch.ReadyTimes(0)) printf("ready %lld\n", static_cast<long long>(t));
  printf("retries %lld\n", static_cast<long long>(writer.retried()));
  fflush(stdout);
  return 0;
}

}  // namespace rollcall::bench
