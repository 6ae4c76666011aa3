// fanout, catch-up and stalled: SubscribeStatements under load.

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/figures.h"
#include "bench/scenarios.h"
#include "bench/subscriber.h"
#include "bench/workload.h"
#include "bench/bench.grpc.pb.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/generic/generic_stub.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

namespace rollcall::bench {
namespace {

using rollcall::v1::StatementService;
using rollcall::v1::SubscribeStatementsRequest;

// Where a fanout run writes and subscribes: rollcalld, or the no-op
// service's Publish and Listen (bare gRPC fan-out, the baseline).
enum class FanoutTarget { kRollcall, kNoop };

// Commits workload statements at a fixed rate through CreateStatement (or
// publishes them as changes through the no-op service), and records when
// each sequence was acknowledged. Calls are asynchronous (when a commit
// takes longer than the interval, calls overlap, so the rate holds) and
// complete on the writer's own completion queue and thread: on the
// callback API's shared threads an acknowledgement would wait behind the
// delivery callbacks queued before it, and be stamped late.
class PacedWriter {
 public:
  PacedWriter(std::shared_ptr<grpc::Channel> channel, int events, FanoutTarget target)
      : statements_(target == FanoutTarget::kRollcall
                        ? StatementService::NewStub(channel)
                        : nullptr),
        noop_(target == FanoutTarget::kNoop ? NoopService::NewStub(channel) : nullptr),
        events_(events),
        poller_([this] { Poll(); }) {}
  ~PacedWriter() {
    cq_.Shutdown();
    poller_.join();
  }

  // Commits for `duration` at `rate` per second, then waits for the calls
  // in flight. `on_commit(event)` runs for each acknowledged statement, on
  // the writer's thread.
  void Run(double rate, absl::Duration duration, std::function<void(int)> on_commit);

  // The acknowledgement time (Unix micros) of each committed sequence.
  // Read after Run().
  const absl::flat_hash_map<int64_t, int64_t>& acknowledged() const {
    return ack_micros_;
  }
  int64_t committed() const { return static_cast<int64_t>(ack_micros_.size()); }
  int64_t failed() const { return failed_; }

 private:
  struct Call {
    virtual ~Call() = default;
    virtual int64_t sequence() const = 0;
    std::unique_ptr<grpc::ClientContext> context = ContextWithDeadline();
    grpc::Status status;
    int event = 0;
  };
  struct CreateCall : Call {
    int64_t sequence() const override { return response.sequence(); }
    rollcall::v1::CreateStatementRequest request;
    rollcall::v1::Statement response;
    std::unique_ptr<grpc::ClientAsyncResponseReader<rollcall::v1::Statement>> reader;
  };
  // A change as rollcalld would send it, numbered by the writer.
  struct PublishCall : Call {
    int64_t sequence() const override { return published; }
    int64_t published = 0;
    Publication request;
    Payload response;
    std::unique_ptr<grpc::ClientAsyncResponseReader<Payload>> reader;
  };
  Call* Start(int64_t statement, int64_t n);
  void Poll();

  std::unique_ptr<StatementService::Stub> statements_;
  std::unique_ptr<NoopService::Stub> noop_;
  const int events_;
  const uint64_t publisher_ = absl::Uniform<uint64_t>(absl::BitGen());
  grpc::CompletionQueue cq_;
  absl::Mutex mu_;
  std::function<void(int)> on_commit_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<int64_t, int64_t> ack_micros_ ABSL_GUARDED_BY(mu_);
  int64_t failed_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread poller_;  // last: starts once the rest is built
};

void PacedWriter::Run(double rate, absl::Duration duration,
                      std::function<void(int)> on_commit) {
  {
    absl::MutexLock lock(&mu_);
    on_commit_ = std::move(on_commit);
  }
  const int64_t base = FreshStatementBase();
  const absl::Time start = absl::Now();
  for (int64_t n = 0;; ++n) {
    const absl::Time due = start + absl::Seconds(n / rate);
    if (due >= start + duration) break;
    if (due > absl::Now()) absl::SleepFor(due - absl::Now());
    {
      absl::MutexLock lock(&mu_);
      ++in_flight_;
    }
    Start(base + n, n);
  }
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](int* n) { return *n == 0; }, &in_flight_));
}

PacedWriter::Call* PacedWriter::Start(int64_t statement, int64_t n) {
  const int event = static_cast<int>(statement % events_);
  if (statements_ != nullptr) {
    auto* call = new CreateCall;
    call->event = event;
    *call->request.mutable_statement() = MakeStatement(statement, events_);
    call->reader =
        statements_->AsyncCreateStatement(call->context.get(), call->request, &cq_);
    call->reader->Finish(&call->response, &call->status, call);
    return call;
  }
  auto* call = new PublishCall;
  call->event = event;
  call->published = n + 1;
  rollcall::v1::SubscribeStatementsResponse message;
  rollcall::v1::StatementChange* change = message.add_changes();
  change->set_kind(rollcall::v1::CHANGE_KIND_CREATED);
  change->set_sequence(call->published);
  const int64_t now = absl::ToUnixMicros(absl::Now());
  change->mutable_commit_time()->set_seconds(now / 1000000);
  change->mutable_commit_time()->set_nanos(static_cast<int32_t>(now % 1000000) * 1000);
  *change->mutable_statement() = MakeStatement(statement, events_);
  call->request.set_event(events_ > 1 ? event : 0);
  call->request.set_sequence(call->published);
  call->request.set_publisher(publisher_);
  call->request.set_message(message.SerializeAsString());
  call->reader = noop_->AsyncPublish(call->context.get(), call->request, &cq_);
  call->reader->Finish(&call->response, &call->status, call);
  return call;
}

void PacedWriter::Poll() {
  void* tag;
  bool ok;
  while (cq_.Next(&tag, &ok)) {
    const int64_t now = absl::ToUnixMicros(absl::Now());
    std::unique_ptr<Call> call(static_cast<Call*>(tag));
    absl::MutexLock lock(&mu_);
    --in_flight_;
    if (!ok || !call->status.ok()) {
      ++failed_;
      continue;
    }
    ack_micros_[call->sequence()] = now;
    on_commit_(call->event);
  }
}

struct Subscriptions {
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  std::vector<std::unique_ptr<Subscriber>> subscribers;
  std::atomic<int> caught_up{0};

  int64_t Delivered() const {
    int64_t total = 0;
    for (const auto& s : subscribers) total += s->delivered();
    return total;
  }
  void End() {
    for (auto& s : subscribers) s->Cancel();
    for (auto& s : subscribers) s->AwaitDone();
  }
};

// Opens `count` subscriptions from now; with several events, subscription
// i follows event i % events. Waits until all have caught up.
bool Subscribe(const BenchOptions& options, FanoutTarget target, Subscriptions* subs) {
  for (const auto& channel : OpenChannels(options.target, options.channels))
    subs->stubs.push_back(std::make_unique<grpc::GenericStub>(channel));
  // The no-op service's streams start with this, as rollcalld's report
  // caught_up once they are live.
  rollcall::v1::SubscribeStatementsResponse caught_up;
  caught_up.mutable_caught_up();
  for (int i = 0; i < options.subscriptions; ++i) {
    grpc::GenericStub* stub = subs->stubs[i % subs->stubs.size()].get();
    if (target == FanoutTarget::kNoop) {
      Topic topic;
      topic.set_event(options.events > 1 ? i % options.events : 0);
      topic.set_first(caught_up.SerializeAsString());
      subs->subscribers.push_back(std::make_unique<Subscriber>(
          stub, "/rollcall.bench.NoopService/Listen", topic.SerializeAsString(),
          options.events > 1, &subs->caught_up));
      continue;
    }
    SubscribeStatementsRequest request;
    if (options.events > 1)
      request.set_filter(absl::StrCat("event = \"", EventName(i % options.events), "\""));
    subs->subscribers.push_back(
        std::make_unique<Subscriber>(stub, request, &subs->caught_up));
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(120);
  while (subs->caught_up.load() < options.subscriptions && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(20));
  return subs->caught_up.load() == options.subscriptions;
}

// Subscribes, writes at the rate, and prints the figures as `scenario`'s
// line (with `payload` "fanout" for the baseline).
int RunFanoutOn(const BenchOptions& options, FanoutTarget target) {
  const bool noop = target == FanoutTarget::kNoop;
  JsonLine line(noop ? "baseline" : "fanout");
  if (noop) line.Add("payload", "fanout");
  // Its own connection: on one shared with subscriptions, each
  // acknowledgement would wait behind the deliveries the server wrote
  // before it, and latencies measured from it would come out short.
  const auto channels = OpenChannels(options.target, 1, "writer");
  if (!noop) {
    if (auto status = EnsureFixture(channels[0], options.events); !status.ok()) {
      line.Add("error", status.ToString()).Print();
      return 1;
    }
  }
  const int64_t rss_before = options.server_pid ? RssKib(options.server_pid) : -1;
  Subscriptions subs;
  const bool opened = Subscribe(options, target, &subs);
  const int64_t rss_idle = options.server_pid ? RssKib(options.server_pid) : -1;

  // How many subscriptions receive a statement on each event.
  std::vector<int64_t> followers(options.events, options.subscriptions);
  if (options.events > 1) {
    for (int e = 0; e < options.events; ++e)
      followers[e] = options.subscriptions / options.events +
                     (e < options.subscriptions % options.events ? 1 : 0);
  }
  std::atomic<int64_t> expected{0};
  PacedWriter writer(channels[0], options.events, target);
  const absl::Time start = absl::Now();
  writer.Run(options.rate, absl::Seconds(options.seconds),
             [&](int event) { expected += followers[event]; });
  const absl::Time settle = absl::Now() + absl::Seconds(10);
  while (subs.Delivered() < expected.load() && absl::Now() < settle)
    absl::SleepFor(absl::Milliseconds(10));
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  const int64_t delivered = subs.Delivered();
  subs.End();

  // Latency from the writer's acknowledgement (as etcd's watch latency is
  // measured; a delivery before the acknowledgement counts as 0) and from
  // the change's commit_time (stamped when its transaction began; by the
  // writer just before its call, for the baseline).
  LatencySamples from_ack;
  LatencySamples from_commit;
  int64_t gaps = 0;
  int64_t duplicates = 0;
  bool malformed = false;
  for (const auto& s : subs.subscribers) {
    gaps += s->gaps();
    duplicates += s->duplicates();
    malformed = malformed || s->malformed();
    for (const Delivery& d : s->deliveries()) {
      from_commit.Add(d.received_micros - d.commit_micros);
      auto ack = writer.acknowledged().find(d.sequence);
      if (ack != writer.acknowledged().end())
        from_ack.Add(std::max<int64_t>(0, d.received_micros - ack->second));
    }
  }
  const int64_t missing = expected.load() - delivered;
  line.Add("subscriptions", options.subscriptions)
      .Add("events", options.events)
      .Add("rate", options.rate)
      .Add("all_caught_up", opened)
      .Add("committed", writer.committed())
      .Add("failed_writes", writer.failed())
      .Add("delivered", delivered)
      .Add("expected", expected.load())
      .Add("missing", missing)
      .Add("gaps", gaps)
      .Add("duplicates", duplicates)
      .Add("delivered_per_s", delivered / elapsed)
      .AddLatency("", from_ack)
      .AddLatency("from_commit_time", from_commit);
  if (!noop) {
    line.Add("server_rss_kib_before", rss_before)
        .Add("server_rss_kib_idle_subscribed", rss_idle)
        .Add("server_kib_per_subscription",
             rss_before > 0
                 ? static_cast<double>(rss_idle - rss_before) / options.subscriptions
                 : -1.0);
  }
  line.Print();
  const bool clean = opened && !malformed && missing == 0 && gaps == 0 &&
                     duplicates == 0 && writer.failed() == 0 && writer.committed() > 0;
  return clean ? 0 : 1;
}

}  // namespace

int RunFanout(const BenchOptions& options) {
  return RunFanoutOn(options, FanoutTarget::kRollcall);
}

int RunFanoutBaseline(const BenchOptions& options) {
  return RunFanoutOn(options, FanoutTarget::kNoop);
}

int RunCatchUp(const BenchOptions& options) {
  auto channel = OpenChannels(options.target, 1)[0];
  grpc::GenericStub stub(channel);
  SubscribeStatementsRequest request;
  request.set_from_beginning(true);
  std::atomic<int> caught_up{0};
  const absl::Time start = absl::Now();
  Subscriber subscriber(&stub, request, &caught_up);
  const absl::Time deadline = start + absl::Minutes(10);
  while (caught_up.load() == 0 && absl::Now() < deadline)
    absl::SleepFor(absl::Microseconds(500));
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  subscriber.Cancel();
  subscriber.AwaitDone();
  const int64_t changes = subscriber.delivered();
  const bool starts_at_one =
      changes == 0 || subscriber.deliveries().front().sequence == 1;
  const int64_t gaps = subscriber.gaps() + (starts_at_one ? 0 : 1);
  JsonLine("catch-up")
      .Add("changes", changes)
      .Add("seconds", seconds)
      .Add("changes_per_s", changes / seconds)
      .Add("caught_up", caught_up.load() > 0)
      .Add("gaps", gaps)
      .Add("duplicates", subscriber.duplicates())
      .Print();
  const bool clean = caught_up.load() > 0 && changes > 0 && gaps == 0 &&
                     subscriber.duplicates() == 0 && !subscriber.malformed();
  return clean ? 0 : 1;
}

}  // namespace rollcall::bench
