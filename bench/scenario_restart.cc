// restart: rollcalld restarted under many open subscriptions. The scenario
// runs the server itself, opens --subscriptions resuming subscriptions over
// --events events (each as Rollcall's clients resubscribe: see
// resuming_subscriber.h) while a writer commits at --rate, stops the server
// with SIGTERM, starts it again on the same port after --outage seconds, and
// measures how long every subscription takes to be back and caught up, and
// how late the first change committed after the restart reaches each one.
// Every subscription must then hold its event's log exactly: no gap, no
// duplicate.

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/figures.h"
#include "bench/resuming_subscriber.h"
#include "bench/scenarios.h"
#include "bench/server_child.h"
#include "bench/workload.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

namespace rollcall::bench {
namespace {

using rollcall::v1::StatementService;

constexpr absl::Duration kPatience = absl::Seconds(120);

// Channels with the clients' reconnect backoff (0.1 s growing to 0.75 s),
// each its own connection.
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

// Commits workload statements at `rate` per second until stopped; a call
// the restart interrupts is retried with its request_id (wait-for-ready),
// so writes continue across the outage.
class Writer {
 public:
  Writer(std::shared_ptr<grpc::Channel> channel, int events, double rate)
      : stub_(StatementService::NewStub(channel)),
        events_(events),
        rate_(rate),
        thread_([this] { Run(); }) {}
  ~Writer() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int64_t committed() const { return committed_; }
  int64_t retried() const { return retried_; }

 private:
  void Run() {
    const int64_t base = FreshStatementBase();
    const absl::Time start = absl::Now();
    for (int64_t n = 0; !stop_; ++n) {
      const absl::Time due = start + absl::Seconds(n / rate_);
      if (due > absl::Now()) absl::SleepFor(due - absl::Now());
      rollcall::v1::CreateStatementRequest request;
      *request.mutable_statement() = MakeStatement(base + n, events_);
      request.set_request_id(absl::StrCat("bench-restart-", base + n));
      while (!stop_) {
        auto context = ContextWithDeadline(absl::Seconds(10));
        context->set_wait_for_ready(true);
        rollcall::v1::Statement response;
        if (stub_->CreateStatement(context.get(), request, &response).ok()) {
          ++committed_;
          break;
        }
        ++retried_;
      }
    }
  }

  std::unique_ptr<StatementService::Stub> stub_;
  const int events_;
  const double rate_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> committed_{0};
  std::atomic<int64_t> retried_{0};
  std::thread thread_;  // last: starts once the rest is built
};

// The sequences of `event`'s changes, replayed from the start of the log.
std::vector<int64_t> EventLog(StatementService::Stub& stub, int event) {
  rollcall::v1::SubscribeStatementsRequest request;
  request.set_filter(absl::StrCat("event = \"", EventName(event), "\""));
  request.set_from_beginning(true);
  auto context = ContextWithDeadline(absl::Seconds(60));
  auto reader = stub.SubscribeStatements(context.get(), request);
  std::vector<int64_t> sequences;
  rollcall::v1::SubscribeStatementsResponse response;
  while (reader->Read(&response)) {
    for (const auto& change : response.changes()) sequences.push_back(change.sequence());
    if (response.has_caught_up()) break;
  }
  context->TryCancel();
  reader->Finish();
  return sequences;
}

// Waits until `done()` or kPatience; false on timeout.
template <typename Done>
bool AwaitAll(Done done) {
  const absl::Time deadline = absl::Now() + kPatience;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

// Missing and extra sequences of `subscriber` against its event's log.
void Compare(const ResumingSubscriber& subscriber, const std::vector<int64_t>& log,
             int64_t* gaps, int64_t* duplicates) {
  std::vector<int64_t> expected;
  for (int64_t sequence : log) {
    if (sequence > subscriber.first_head()) expected.push_back(sequence);
  }
  std::vector<int64_t> got;
  for (const Delivery& d : subscriber.deliveries()) got.push_back(d.sequence);
  *duplicates += subscriber.duplicates();
  if (got == expected) return;
  size_t i = 0;
  for (int64_t sequence : expected) {
    while (i < got.size() && got[i] < sequence) ++i;
    if (i == got.size() || got[i] != sequence) ++*gaps;
  }
}

using Subscribers = std::vector<std::unique_ptr<ResumingSubscriber>>;

// Opens `options.subscriptions` subscriptions, subscription i following
// event i mod E over channel i mod C, and waits until each has caught up.
bool OpenSubscriptions(const BenchOptions& options,
                       const std::vector<std::unique_ptr<grpc::GenericStub>>& stubs,
                       Scheduler& scheduler, Subscribers* subscribers) {
  for (int i = 0; i < options.subscriptions; ++i) {
    subscribers->push_back(std::make_unique<ResumingSubscriber>(
        stubs[i % stubs.size()].get(), &scheduler,
        absl::StrCat("event = \"", EventName(i % options.events), "\"")));
    subscribers->back()->Start();
  }
  return AwaitAll([&] {
    for (const auto& s : *subscribers) {
      if (s->last_caught_up_micros() == 0) return false;
    }
    return true;
  });
}

// Waits until every subscription has caught up on a stream opened after
// `stopped_micros`; `back_micros[i]` is when subscription i did (0: never).
bool AwaitReturn(const Subscribers& subscribers, int64_t stopped_micros,
                 std::vector<int64_t>* back_micros) {
  back_micros->assign(subscribers.size(), 0);
  return AwaitAll([&] {
    bool all = true;
    for (size_t i = 0; i < subscribers.size(); ++i) {
      if ((*back_micros)[i] != 0) continue;
      const int64_t caught_up = subscribers[i]->last_caught_up_micros();
      if (caught_up > stopped_micros) {
        (*back_micros)[i] = caught_up;
      } else {
        all = false;
      }
    }
    return all;
  });
}

// Waits until each subscription has received its event's last change.
bool AwaitLogs(const Subscribers& subscribers,
               const std::vector<std::vector<int64_t>>& logs) {
  return AwaitAll([&] {
    for (size_t i = 0; i < subscribers.size(); ++i) {
      const auto& log = logs[i % logs.size()];
      if (!log.empty() && subscribers[i]->last_sequence() < log.back()) return false;
    }
    return true;
  });
}

// What the subscriptions went through, once stopped.
struct Outcome {
  int64_t streams = 0;
  int64_t refused = 0;
  int64_t gaps = 0;
  int64_t duplicates = 0;
  LatencySamples back;                        // caught up again, from SERVING
  LatencySamples first_change;                // first change after SERVING, from its commit
  LatencySamples first_change_since_serving;  // the same, from SERVING
};

Outcome StopAndCheck(Subscribers& subscribers, const std::vector<std::vector<int64_t>>& logs,
                     const std::vector<int64_t>& back_micros, int64_t serving_micros) {
  Outcome outcome;
  for (size_t i = 0; i < subscribers.size(); ++i) {
    ResumingSubscriber& s = *subscribers[i];
    s.Stop();
    outcome.streams += s.streams();
    outcome.refused += s.refused();
    Compare(s, logs[i % logs.size()], &outcome.gaps, &outcome.duplicates);
    if (back_micros[i] != 0) {
      outcome.back.Add(std::max<int64_t>(0, back_micros[i] - serving_micros));
    }
    for (const Delivery& d : s.deliveries()) {
      if (d.commit_micros < serving_micros) continue;
      outcome.first_change.Add(d.received_micros - d.commit_micros);
      outcome.first_change_since_serving.Add(d.received_micros - serving_micros);
      break;
    }
  }
  return outcome;
}

}  // namespace

int RunRestart(const BenchOptions& options) {
  JsonLine line("restart");
  auto fail = [&line](const std::string& error) {
    line.Add("error", error).Print();
    return 1;
  };
  if (options.rollcalld.empty() || options.data_dir.empty()) {
    return fail("needs --rollcalld and --data-dir");
  }
  absl::StatusOr<ServerChild> server =
      LaunchRollcalld(options.rollcalld, "127.0.0.1:0", options.data_dir);
  if (!server.ok()) return fail(std::string(server.status().message()));
  if (!AwaitServing(server->address, absl::Now() + kPatience)) return fail("not serving");
  const std::string address = server->address;
  auto control = OpenChannels(address, 1, "control")[0];
  if (absl::Status fixture = EnsureFixture(control, options.events); !fixture.ok()) {
    StopRollcalld(*server);
    return fail(std::string(fixture.message()));
  }
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (auto& channel : ClientChannels(address, options.channels, "subscribers")) {
    stubs.push_back(std::make_unique<grpc::GenericStub>(channel));
  }
  Scheduler scheduler;
  Subscribers subscribers;
  const bool subscribed = OpenSubscriptions(options, stubs, scheduler, &subscribers);

  Writer writer(ClientChannels(address, 1, "writer")[0], options.events, options.rate);
  absl::SleepFor(absl::Seconds(1));  // live changes before the restart
  const int64_t stopped_micros = absl::ToUnixMicros(absl::Now());
  StopRollcalld(*server);
  absl::SleepFor(absl::Seconds(options.outage));
  server = LaunchRollcalld(options.rollcalld, address, options.data_dir);
  // rollcalld reports SERVING before it prints that it listens.
  const int64_t serving_micros = absl::ToUnixMicros(absl::Now());
  if (!server.ok()) return fail(std::string(server.status().message()));
  std::vector<int64_t> back_micros;
  const bool all_back = AwaitReturn(subscribers, stopped_micros, &back_micros);
  absl::SleepFor(absl::Seconds(options.seconds));
  writer.Stop();

  auto stub = StatementService::NewStub(control);
  std::vector<std::vector<int64_t>> logs;
  for (int event = 0; event < options.events; ++event) logs.push_back(EventLog(*stub, event));
  const bool delivered = AwaitLogs(subscribers, logs);
  Outcome outcome = StopAndCheck(subscribers, logs, back_micros, serving_micros);
  StopRollcalld(*server);
  const bool ok = subscribed && all_back && delivered && outcome.gaps == 0 &&
                  outcome.duplicates == 0;
  line.Add("subscriptions", options.subscriptions)
      .Add("events", options.events)
      .Add("channels", options.channels)
      .Add("rate", options.rate)
      .Add("outage_seconds", options.outage)
      .Add("seconds_to_all_caught_up", outcome.back.MaxMs() / 1000)
      .AddLatency("caught_up_after_serving", outcome.back)
      .AddLatency("first_change_after_restart", outcome.first_change)
      .AddLatency("first_change_since_serving", outcome.first_change_since_serving)
      .Add("streams", outcome.streams)
      .Add("refused_streams", outcome.refused)
      .Add("statements_committed", writer.committed())
      .Add("write_retries", writer.retried())
      .Add("gaps", outcome.gaps)
      .Add("duplicates", outcome.duplicates)
      .Add("ok", ok)
      .Print();
  return ok ? 0 : 1;
}

}  // namespace rollcall::bench
