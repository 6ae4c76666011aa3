// restart: rollcalld restarted under many open subscriptions. The scenario
// runs the server itself, opens --subscriptions resuming subscriptions over
// --events events (each as Rollcall's clients resubscribe: see
// resuming_subscriber.h) while a writer commits at --rate, stops the server
// with SIGTERM, starts it again on the same port after --outage seconds, and
// measures how long every subscription takes to be back and caught up, and
// how late the first change committed after the restart reaches each one,
// decomposed: when the clients' channels were connected again, when the
// writer's first write after SERVING was committed and acknowledged, how
// long it took to reach every subscriber of its event, and what writes cost
// before the stop and in the first 2 s after SERVING. Every subscription
// must then hold its event's log exactly: no gap, no duplicate.

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/figures.h"
#include "bench/restart_clients.h"
#include "bench/resuming_subscriber.h"
#include "bench/scenarios.h"
#include "bench/server_child.h"
#include "bench/workload.h"
#include "grpcpp/generic/generic_stub.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

namespace rollcall::bench {
namespace {

using rollcall::v1::StatementService;

constexpr absl::Duration kPatience = absl::Seconds(120);

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

// What the subscriptions went through, once stopped. Times are measured
// from SERVING (rollcalld's "listening" line) unless said otherwise.
struct Outcome {
  int64_t streams = 0;
  int64_t refused = 0;
  int64_t gaps = 0;
  int64_t duplicates = 0;
  LatencySamples back;  // caught up again
  // Each subscription's first change committed after SERVING: its commit,
  // from SERVING; its delivery, from its commit; its delivery, from SERVING.
  LatencySamples first_change_committed;
  LatencySamples first_change;
  LatencySamples first_change_since_serving;
  // The first write committed after SERVING, to each subscriber of its
  // event: its delivery, from its commit; split between the subscribers
  // already back (caught up on their new stream) when it was committed,
  // which the live fan-out served, and those still away, which had it in
  // their resume.
  LatencySamples first_write_delivered;
  LatencySamples first_write_delivered_live;
  LatencySamples first_write_delivered_resumed;
  // Where the subscriptions were when that write was committed.
  int64_t back_at_first_write = 0;
  int64_t catching_up_at_first_write = 0;  // answered, not yet caught up
  int64_t reconnecting_at_first_write = 0;  // no answer on a new stream yet
};

// The first write committed after SERVING, or null.
const WriteRecord* FirstWriteAfter(const std::vector<WriteRecord>& writes,
                                   int64_t serving_micros) {
  for (const WriteRecord& write : writes) {
    if (write.commit_micros >= serving_micros) return &write;
  }
  return nullptr;
}

// Where subscription `s` (caught up again at `back_micros`, 0: never) was
// when the first write after SERVING was committed; true if it was back.
bool CountAtFirstWrite(const ResumingSubscriber& s, int64_t back_micros,
                       const WriteRecord* first_write, Outcome* outcome) {
  if (first_write == nullptr) return false;
  const int64_t commit = first_write->commit_micros;
  if (back_micros != 0 && back_micros <= commit) {
    ++outcome->back_at_first_write;
    return true;
  }
  const int64_t answered = s.stream_answered_micros();
  if (answered != 0 && answered <= commit) {
    ++outcome->catching_up_at_first_write;
  } else {
    ++outcome->reconnecting_at_first_write;
  }
  return false;
}

void AddFirstChange(const ResumingSubscriber& s, int64_t serving_micros,
                    const WriteRecord* first_write, bool back_at_first_write,
                    Outcome* outcome) {
  bool first = true;
  for (const Delivery& d : s.deliveries()) {
    if (d.commit_micros < serving_micros) continue;
    if (first) {
      outcome->first_change_committed.Add(d.commit_micros - serving_micros);
      outcome->first_change.Add(d.received_micros - d.commit_micros);
      outcome->first_change_since_serving.Add(d.received_micros - serving_micros);
      first = false;
    }
    if (first_write == nullptr) return;
    if (d.sequence == first_write->sequence) {
      const int64_t delay = d.received_micros - d.commit_micros;
      outcome->first_write_delivered.Add(delay);
      (back_at_first_write ? outcome->first_write_delivered_live
                           : outcome->first_write_delivered_resumed)
          .Add(delay);
    }
    if (d.sequence >= first_write->sequence) return;
  }
}

Outcome StopAndCheck(Subscribers& subscribers,
                     const std::vector<std::vector<int64_t>>& logs,
                     const std::vector<int64_t>& back_micros, int64_t serving_micros,
                     const WriteRecord* first_write) {
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
    const bool back = CountAtFirstWrite(s, back_micros[i], first_write, &outcome);
    AddFirstChange(s, serving_micros, first_write, back, &outcome);
  }
  return outcome;
}

// Milliseconds from `from_micros` to `micros`; -1 if `micros` is 0 (never).
double MsAfter(int64_t micros, int64_t from_micros) {
  return micros == 0 ? -1.0 : static_cast<double>(micros - from_micros) / 1000;
}

// The time each write in [from, to) (by commit time) took the server: from
// when it was sent, or when the previous write was acknowledged if later
// (the writer has one write in flight), to its acknowledgement.
LatencySamples WriteLatencies(const std::vector<WriteRecord>& writes, int64_t from_micros,
                              int64_t to_micros) {
  LatencySamples samples;
  int64_t previous_ack = 0;
  for (const WriteRecord& write : writes) {
    // The first write after an outage waited for it: not the server's time.
    const bool waited = std::max(write.sent_micros, previous_ack) < from_micros;
    if (!waited && write.commit_micros < to_micros) {
      samples.Add(write.acked_micros - std::max(write.sent_micros, previous_ack));
    }
    previous_ack = write.acked_micros;
  }
  return samples;
}

// When the clients had connections again, and the writer's first write
// after SERVING: when it was sent, committed and acknowledged.
void AddClientTimes(int64_t writer_ready, const std::vector<int64_t>& subscribers_ready,
                    const WriteRecord* first_write, int64_t serving_micros,
                    JsonLine& line) {
  LatencySamples connected;
  for (int64_t ready : subscribers_ready) {
    if (ready != 0) connected.Add(ready - serving_micros);
  }
  line.Add("writer_connected_ms", MsAfter(writer_ready, serving_micros))
      .Add("subscriber_channels_connected_min_ms", connected.PercentileMs(0))
      .Add("subscriber_channels_connected_max_ms", connected.MaxMs());
  if (first_write == nullptr) return;
  line.Add("first_write_sent_ms", MsAfter(first_write->sent_micros, serving_micros))
      .Add("first_write_committed_ms",
           MsAfter(first_write->commit_micros, serving_micros))
      .Add("first_write_acked_ms", MsAfter(first_write->acked_micros, serving_micros));
}

// How the writer reached every event after SERVING: the writes from its
// first commit after SERVING until each event had one, and when (from
// SERVING) the last of them was committed. A subscription's first change
// cannot come before its event's, so this bounds the first change's p99.
void AddWriterReach(const std::vector<WriteRecord>& writes, int64_t serving_micros,
                    int events, JsonLine& line) {
  std::vector<bool> reached(events, false);
  int64_t count = 0, writes_needed = 0;
  for (const WriteRecord& write : writes) {
    if (write.commit_micros < serving_micros) continue;
    ++writes_needed;
    if (write.event >= 0 && write.event < events && !reached[write.event]) {
      reached[write.event] = true;
      if (++count == events) {
        line.Add("writes_to_reach_every_event", writes_needed)
            .Add("every_event_written_ms", MsAfter(write.commit_micros, serving_micros));
        return;
      }
    }
  }
}

// When the server was stopped and when it was SERVING again, Unix micros.
struct Restart {
  int64_t stopped_micros;
  int64_t serving_micros;
};

// Adds the figures: the totals, then the first change after SERVING
// decomposed (clients connected, first write committed, delivered).
void Report(const BenchOptions& options, Restart restart, const RestartWriter& writer,
            const ChannelWatch& subscribers_watch, Outcome& outcome, JsonLine& line) {
  const int64_t serving = restart.serving_micros;
  line.Add("subscriptions", options.subscriptions)
      .Add("events", options.events)
      .Add("channels", options.channels)
      .Add("rate", options.rate)
      .Add("outage_seconds", options.outage)
      .Add("writer_process", options.writer_process)
      .Add("seconds_to_all_caught_up", outcome.back.MaxMs() / 1000)
      .AddLatency("caught_up_after_serving", outcome.back)
      .AddLatency("first_change_since_serving", outcome.first_change_since_serving)
      .AddLatency("first_change_committed_since_serving", outcome.first_change_committed)
      .AddLatency("first_change_after_restart", outcome.first_change);
  AddClientTimes(writer.ReadySince(restart.stopped_micros),
                 subscribers_watch.ReadySince(restart.stopped_micros),
                 FirstWriteAfter(writer.writes(), serving), serving, line);
  LatencySamples before = WriteLatencies(
      writer.writes(), restart.stopped_micros - 1000000, restart.stopped_micros);
  LatencySamples after = WriteLatencies(writer.writes(), serving, serving + 2000000);
  AddWriterReach(writer.writes(), serving, options.events, line);
  line.Add("first_write_delivered_min_ms", outcome.first_write_delivered.PercentileMs(0))
      .AddLatency("first_write_delivered", outcome.first_write_delivered)
      .Add("first_write_delivered_live_count", outcome.first_write_delivered_live.count())
      .AddLatency("first_write_delivered_live", outcome.first_write_delivered_live)
      .Add("first_write_delivered_resumed_count",
           outcome.first_write_delivered_resumed.count())
      .AddLatency("first_write_delivered_resumed", outcome.first_write_delivered_resumed)
      .Add("back_at_first_write", outcome.back_at_first_write)
      .Add("catching_up_at_first_write", outcome.catching_up_at_first_write)
      .Add("reconnecting_at_first_write", outcome.reconnecting_at_first_write)
      .AddLatency("write_before_stop", before)
      .AddLatency("write_first_2s_after_serving", after)
      .Add("streams", outcome.streams)
      .Add("refused_streams", outcome.refused)
      .Add("statements_committed", static_cast<int64_t>(writer.writes().size()))
      .Add("write_retries", writer.retried())
      .Add("gaps", outcome.gaps)
      .Add("duplicates", outcome.duplicates);
}

}  // namespace

int RunRestartWriterChild(const BenchOptions& options) {
  return RunRestartWriter(options.target, options.events, options.rate);
}

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
  auto subscriber_channels = ClientChannels(address, options.channels, "subscribers");
  auto writer_channel = ClientChannels(address, 1, "writer");
  ChannelWatch subscribers_watch(subscriber_channels), writer_watch(writer_channel);
  std::unique_ptr<RestartWriter> writer;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (auto& channel : subscriber_channels) {
    stubs.push_back(std::make_unique<grpc::GenericStub>(channel));
  }
  Scheduler scheduler;
  Subscribers subscribers;
  const bool subscribed = OpenSubscriptions(options, stubs, scheduler, &subscribers);

  if (options.writer_process) {
    auto child = std::make_unique<WriterProcess>(address, options.events, options.rate);
    if (!child->started()) {
      StopRollcalld(*server);
      return fail("cannot run the writer's process");
    }
    writer = std::move(child);
  } else {
    writer = std::make_unique<Writer>(writer_channel[0], options.events, options.rate,
                                      &writer_watch);
  }
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
  writer->Stop();

  auto stub = StatementService::NewStub(control);
  std::vector<std::vector<int64_t>> logs;
  for (int event = 0; event < options.events; ++event)
    logs.push_back(EventLog(*stub, event));
  const bool delivered = AwaitLogs(subscribers, logs);
  const WriteRecord* first_write = FirstWriteAfter(writer->writes(), serving_micros);
  Outcome outcome =
      StopAndCheck(subscribers, logs, back_micros, serving_micros, first_write);
  StopRollcalld(*server);
  const bool ok =
      subscribed && all_back && delivered && outcome.gaps == 0 && outcome.duplicates == 0;
  Report(options, {stopped_micros, serving_micros}, *writer, subscribers_watch, outcome,
         line);
  line.Add("ok", ok).Print();
  return ok ? 0 : 1;
}

}  // namespace rollcall::bench
