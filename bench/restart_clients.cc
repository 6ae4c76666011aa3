#include "bench/restart_clients.h"

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

Writer::Writer(std::shared_ptr<grpc::Channel> channel, int events, double rate)
    : stub_(rollcall::v1::StatementService::NewStub(channel)),
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
        ++committed_;
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

}  // namespace rollcall::bench
