// subscription_load: opens many subscriptions to a running rollcalld, commits
// statements at a fixed rate, and prints one JSON line of figures:
// commit-to-delivery latency (p50/p99/max), deliveries/s, gaps and
// duplicates, and (with --server_pid) the server's RSS per subscription.
// With --scenario=catch-up it instead replays the whole stored log through
// one subscription and reports changes/s. With --scenario=stalled it
// measures the write rate with and without a subscriber that never reads,
// then lets that subscriber read and checks it receives everything.
// Subscribers read each change's sequence and commit_time from the wire and
// skip the statement (see ResponseSummary), so the program leaves the cores
// it shares with the server to the server.
//
//   rollcalld --listen=127.0.0.1:50051 --data_dir=/tmp/load &
//   subscription_load --target=127.0.0.1:50051 --subscribers=1000 --rate=100
//     --seconds=10 --events=1 --server_pid=$!

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "rollcall/v1/actor_service.grpc.pb.h"
#include "rollcall/v1/event_service.grpc.pb.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "rollcalld address");
ABSL_FLAG(std::string, scenario, "fanout", "fanout, catch-up or stalled");
ABSL_FLAG(int, subscribers, 1000, "subscriptions to hold");
ABSL_FLAG(int, events, 1,
          "statements are spread over this many events; with "
          "more than one, each subscription follows one event");
ABSL_FLAG(double, rate, 100, "statements committed per second");
ABSL_FLAG(int, seconds, 10, "how long to commit");
ABSL_FLAG(int, channels, 8, "client channels the subscriptions are spread over");
ABSL_FLAG(int, server_pid, 0, "rollcalld's pid, to report its RSS");
ABSL_FLAG(int, preload, 0, "catch-up: statements to store first (batches of 500)");

namespace {

using google::protobuf::internal::WireFormatLite;
using rollcall::v1::SubscribeStatementsRequest;
using rollcall::v1::SubscribeStatementsResponse;

int64_t RssKib(int pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return -1;
}

// For each delivered change: its sequence, its commit_time and when it
// arrived (Unix microseconds).
struct Delivery {
  int64_t sequence;
  int64_t commit_micros;
  int64_t received_micros;
};

// What the load program checks in a SubscribeStatementsResponse, read from
// its wire form: each change's sequence and commit_time, and whether
// caught_up is set. Statements are skipped, not parsed: the program shares
// the machine with the server, and parsing every statement (the client's
// cost, on its own machine in a real deployment) would take CPU from the
// server being measured.
struct ResponseSummary {
  std::vector<std::pair<int64_t, int64_t>> changes;  // sequence, commit micros
  bool caught_up = false;
};

bool ReadTimestampMicros(google::protobuf::io::CodedInputStream& in, int64_t* micros) {
  uint32_t length;
  if (!in.ReadVarint32(&length)) return false;
  const auto limit = in.PushLimit(static_cast<int>(length));
  uint64_t seconds = 0;
  uint64_t nanos = 0;
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    if (field == google::protobuf::Timestamp::kSecondsFieldNumber) {
      if (!in.ReadVarint64(&seconds)) return false;
    } else if (field == google::protobuf::Timestamp::kNanosFieldNumber) {
      if (!in.ReadVarint64(&nanos)) return false;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
  }
  in.PopLimit(limit);
  *micros = static_cast<int64_t>(seconds) * 1000000 + static_cast<int64_t>(nanos) / 1000;
  return true;
}

bool ReadChange(google::protobuf::io::CodedInputStream& in, ResponseSummary* summary) {
  uint32_t length;
  if (!in.ReadVarint32(&length)) return false;
  const auto limit = in.PushLimit(static_cast<int>(length));
  uint64_t sequence = 0;
  int64_t commit_micros = 0;
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    if (field == rollcall::v1::StatementChange::kSequenceFieldNumber) {
      if (!in.ReadVarint64(&sequence)) return false;
    } else if (field == rollcall::v1::StatementChange::kCommitTimeFieldNumber) {
      if (!ReadTimestampMicros(in, &commit_micros)) return false;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
  }
  in.PopLimit(limit);
  summary->changes.emplace_back(static_cast<int64_t>(sequence), commit_micros);
  return true;
}

bool Summarize(grpc::ByteBuffer* buffer, ResponseSummary* summary) {
  summary->changes.clear();
  summary->caught_up = false;
  grpc::ProtoBufferReader reader(buffer);
  google::protobuf::io::CodedInputStream in(&reader);
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    if (field == SubscribeStatementsResponse::kChangesFieldNumber) {
      if (!ReadChange(in, summary)) return false;
      continue;
    }
    if (field == SubscribeStatementsResponse::kCaughtUpFieldNumber)
      summary->caught_up = true;
    if (!WireFormatLite::SkipField(&in, tag)) return false;
  }
  return in.ConsumedEntireMessage();
}

// A subscription over the generic stub, so responses arrive as bytes (see
// ResponseSummary). The request is sent as the only message of a bidi call:
// on the wire that is the server-streaming call.
class Subscriber : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  // A subscriber that is `stalled` starts the call but reads nothing until
  // Resume().
  Subscriber(grpc::GenericStub* stub, const SubscribeStatementsRequest& request,
             std::atomic<int>* caught_up, bool stalled = false)
      : caught_up_(caught_up), filtered_(!request.filter().empty()) {
    grpc::Slice bytes(request.SerializeAsString());
    request_ = grpc::ByteBuffer(&bytes, 1);
    stub->PrepareBidiStreamingCall(&context_, kSubscribeMethod, grpc::StubOptions(),
                                   this);
    StartWriteLast(&request_, grpc::WriteOptions());
    if (!stalled) StartRead(&response_);
    StartCall();
  }

  void Resume() { StartRead(&response_); }
  int64_t last_sequence() const { return last_sequence_.load(); }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    const int64_t now = absl::ToUnixMicros(absl::Now());
    if (!Summarize(&response_, &summary_)) {
      std::cerr << "unreadable response" << std::endl;
      std::abort();
    }
    for (const auto& [sequence, commit_micros] : summary_.changes) {
      deliveries_.push_back({sequence, commit_micros, now});
      if (sequence <= last_sequence_) duplicates_++;
      if (last_sequence_ > 0 && sequence > last_sequence_ + 1 && !filtered_) gaps_++;
      last_sequence_ = sequence;
      delivered_++;
    }
    if (summary_.caught_up) caught_up_->fetch_add(1);
    StartRead(&response_);
  }

  void OnDone(const grpc::Status& status) override {
    absl::MutexLock lock(&mu_);
    status_ = status;
    done_ = true;
  }

  void Cancel() { context_.TryCancel(); }
  void AwaitDone() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&done_));
  }
  int64_t delivered() const { return delivered_; }
  // The deliveries recorded; call after AwaitDone().
  const std::vector<Delivery>& deliveries() const { return deliveries_; }
  int64_t duplicates() const { return duplicates_; }
  int64_t gaps() const { return gaps_; }

 private:
  static constexpr char kSubscribeMethod[] =
      "/rollcall.v1.StatementService/SubscribeStatements";

  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  ResponseSummary summary_;
  // Only OnReadDone appends, one read at a time: each subscriber records its
  // own deliveries, so recording takes no lock shared with other streams.
  std::vector<Delivery> deliveries_;
  std::atomic<int>* caught_up_;
  const bool filtered_;  // sequences skip the changes others match
  std::atomic<int64_t> last_sequence_{0};
  std::atomic<int64_t> delivered_{0};
  std::atomic<int64_t> duplicates_{0};
  std::atomic<int64_t> gaps_{0};
  absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

void EnsureFixture(const std::shared_ptr<grpc::Channel>& channel, int events) {
  auto actors = rollcall::v1::ActorService::NewStub(channel);
  rollcall::v1::CreateActorRequest actor;
  actor.set_actor_id("load-actor");
  actor.mutable_actor()->set_display_name("Load actor");
  actor.mutable_actor()->set_kind(rollcall::v1::ACTOR_KIND_STATE);
  rollcall::v1::Actor created_actor;
  actors->CreateActor(Context().get(), actor, &created_actor);  // may exist
  auto event_stub = rollcall::v1::EventService::NewStub(channel);
  for (int i = 0; i < events; ++i) {
    rollcall::v1::CreateEventRequest event;
    event.set_event_id(absl::StrCat("load-", i));
    event.mutable_event()->set_title(absl::StrCat("Load event ", i));
    event.mutable_event()->mutable_start_time()->set_seconds(1690351200);
    rollcall::v1::Event created;
    event_stub->CreateEvent(Context().get(), event, &created);
  }
}

rollcall::v1::Statement LoadStatement(int event) {
  rollcall::v1::Statement s;
  s.set_event(absl::StrCat("events/load-", event));
  s.set_actor("actors/load-actor");
  s.set_stance(rollcall::v1::STANCE_CONDEMNS);
  s.set_quote(std::string(400, 'q'));
  s.mutable_issue_time()->set_seconds(1690400000);
  return s;
}

int64_t Percentile(std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

int RunFanout(const std::string& target) {
  const int subscribers = absl::GetFlag(FLAGS_subscribers);
  const int events = absl::GetFlag(FLAGS_events);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (int i = 0; i < absl::GetFlag(FLAGS_channels); ++i) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.channel_id", i);  // distinct connections
    channels.push_back(
        grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
    stubs.push_back(std::make_unique<grpc::GenericStub>(channels.back()));
  }
  EnsureFixture(channels[0], events);
  const int64_t rss_before =
      absl::GetFlag(FLAGS_server_pid) ? RssKib(absl::GetFlag(FLAGS_server_pid)) : -1;

  std::atomic<int> caught_up{0};
  std::vector<std::unique_ptr<Subscriber>> subs;
  for (int i = 0; i < subscribers; ++i) {
    SubscribeStatementsRequest request;
    if (events > 1)
      request.set_filter(absl::StrCat("event = \"events/load-", i % events, "\""));
    subs.push_back(
        std::make_unique<Subscriber>(stubs[i % stubs.size()].get(), request, &caught_up));
  }
  const absl::Time open_deadline = absl::Now() + absl::Seconds(120);
  while (caught_up.load() < subscribers && absl::Now() < open_deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  const int64_t rss_idle =
      absl::GetFlag(FLAGS_server_pid) ? RssKib(absl::GetFlag(FLAGS_server_pid)) : -1;

  // Commit at the fixed rate.
  auto writer = rollcall::v1::StatementService::NewStub(channels[0]);
  const double rate = absl::GetFlag(FLAGS_rate);
  const absl::Time start = absl::Now();
  const absl::Time end = start + absl::Seconds(absl::GetFlag(FLAGS_seconds));
  int64_t committed = 0;
  int64_t expected_deliveries = 0;
  absl::flat_hash_map<int64_t, int64_t> ack_micros;  // sequence -> acknowledged at
  while (absl::Now() < end) {
    const absl::Time due = start + absl::Seconds(committed / rate);
    if (due > absl::Now()) absl::SleepFor(due - absl::Now());
    rollcall::v1::CreateStatementRequest request;
    const int event = static_cast<int>(committed % events);
    *request.mutable_statement() = LoadStatement(event);
    request.set_allow_duplicate(true);  // the same statement, many times
    rollcall::v1::Statement out;
    if (writer->CreateStatement(Context().get(), request, &out).ok()) {
      ack_micros[out.sequence()] = absl::ToUnixMicros(absl::Now());
      ++committed;
      expected_deliveries += events > 1
                                 ? (subscribers / events + (event < subscribers % events))
                                 : subscribers;
    }
  }
  const absl::Time settle = absl::Now() + absl::Seconds(10);
  auto delivered_total = [&] {
    int64_t total = 0;
    for (const auto& s : subs) total += s->delivered();
    return total;
  };
  while (delivered_total() < expected_deliveries && absl::Now() < settle) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
  int64_t duplicates = 0;
  for (const auto& s : subs) duplicates += s->duplicates();
  const int64_t delivered = delivered_total();
  for (auto& s : subs) s->Cancel();
  for (auto& s : subs) s->AwaitDone();

  // Two clocks: from the change's commit_time (stamped when its transaction
  // began, so it includes the fsync) and from the moment the writer's
  // CreateStatement returned (a delivery before the acknowledgement counts
  // as 0), which is what etcd's watch latency is measured from.
  std::vector<int64_t> latencies;
  std::vector<int64_t> ack_latencies;
  for (const auto& s : subs) {
    for (const Delivery& d : s->deliveries()) {
      latencies.push_back(d.received_micros - d.commit_micros);
      auto ack = ack_micros.find(d.sequence);
      if (ack != ack_micros.end()) {
        ack_latencies.push_back(std::max<int64_t>(0, d.received_micros - ack->second));
      }
    }
  }
  std::sort(latencies.begin(), latencies.end());
  std::sort(ack_latencies.begin(), ack_latencies.end());
  std::cout << "{\"scenario\":\"fanout\",\"subscribers\":" << subscribers
            << ",\"events\":" << events << ",\"rate\":" << rate
            << ",\"committed\":" << committed << ",\"delivered\":" << delivered
            << ",\"expected\":" << expected_deliveries
            << ",\"missing\":" << (expected_deliveries - delivered)
            << ",\"duplicates\":" << duplicates
            << ",\"delivered_per_s\":" << static_cast<int64_t>(delivered / elapsed)
            << ",\"p50_ms\":" << Percentile(ack_latencies, 0.50) / 1000.0
            << ",\"p99_ms\":" << Percentile(ack_latencies, 0.99) / 1000.0
            << ",\"max_ms\":"
            << (ack_latencies.empty() ? 0 : ack_latencies.back()) / 1000.0
            << ",\"from_commit_time_p50_ms\":" << Percentile(latencies, 0.50) / 1000.0
            << ",\"from_commit_time_p99_ms\":" << Percentile(latencies, 0.99) / 1000.0
            << ",\"server_rss_kib_before\":" << rss_before
            << ",\"server_rss_kib_idle_subscribed\":" << rss_idle
            << ",\"server_kib_per_subscription\":"
            << (rss_before > 0 ? static_cast<double>(rss_idle - rss_before) / subscribers
                               : -1)
            << "}" << std::endl;
  return 0;
}

int RunCatchUp(const std::string& target) {
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  auto stub = rollcall::v1::StatementService::NewStub(channel);
  EnsureFixture(channel, 1);
  for (int loaded = 0; loaded < absl::GetFlag(FLAGS_preload); loaded += 500) {
    rollcall::v1::BatchCreateStatementsRequest batch;
    for (int i = 0; i < 500; ++i) {
      rollcall::v1::CreateStatementRequest* item = batch.add_requests();
      *item->mutable_statement() = LoadStatement(0);
      item->set_allow_duplicate(true);
    }
    rollcall::v1::BatchCreateStatementsResponse response;
    grpc::Status status = stub->BatchCreateStatements(Context().get(), batch, &response);
    if (!status.ok()) {
      std::cerr << "preload failed: " << status.error_message() << std::endl;
      return 1;
    }
  }
  grpc::GenericStub generic_stub(channel);
  SubscribeStatementsRequest request;
  request.set_from_beginning(true);
  std::atomic<int> caught_up{0};
  const absl::Time start = absl::Now();
  Subscriber subscriber(&generic_stub, request, &caught_up);
  while (caught_up.load() == 0) absl::SleepFor(absl::Milliseconds(1));
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  subscriber.Cancel();
  subscriber.AwaitDone();
  const int64_t changes = subscriber.delivered();
  const bool starts_at_one =
      !subscriber.deliveries().empty() && subscriber.deliveries()[0].sequence == 1;
  std::cout << "{\"scenario\":\"catch-up\",\"changes\":" << changes
            << ",\"seconds\":" << seconds
            << ",\"changes_per_s\":" << static_cast<int64_t>(changes / seconds)
            << ",\"gaps\":" << subscriber.gaps() + (starts_at_one ? 0 : 1)
            << ",\"duplicates\":" << subscriber.duplicates() << "}" << std::endl;
  return 0;
}

// Commits batches of 100 for `seconds`; returns statements/s and the head.
std::pair<double, int64_t> WriteBatches(rollcall::v1::StatementService::Stub* stub,
                                        int seconds) {
  rollcall::v1::BatchCreateStatementsRequest batch;
  for (int i = 0; i < 100; ++i) {
    rollcall::v1::CreateStatementRequest* item = batch.add_requests();
    *item->mutable_statement() = LoadStatement(0);
    item->set_allow_duplicate(true);
  }
  const absl::Time start = absl::Now();
  int64_t written = 0;
  int64_t head = 0;
  while (absl::Now() - start < absl::Seconds(seconds)) {
    rollcall::v1::BatchCreateStatementsResponse response;
    if (stub->BatchCreateStatements(Context().get(), batch, &response).ok()) {
      written += response.statements_size();
      head = response.statements(response.statements_size() - 1).sequence();
    }
  }
  return {written / absl::ToDoubleSeconds(absl::Now() - start), head};
}

bool AwaitSequence(const Subscriber& s, int64_t head, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (s.last_sequence() < head && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(10));
  return s.last_sequence() >= head;
}

int RunStalled(const std::string& target) {
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  grpc::ChannelArguments args;
  args.SetInt("grpc.channel_id", 1);
  auto stalled_channel =
      grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  auto stub = rollcall::v1::StatementService::NewStub(channel);
  grpc::GenericStub live_stub(channel);
  grpc::GenericStub stalled_stub(stalled_channel);
  EnsureFixture(channel, 1);
  const int pid = absl::GetFlag(FLAGS_server_pid);
  const int seconds = absl::GetFlag(FLAGS_seconds);
  std::atomic<int> caught_up{0};
  Subscriber live(&live_stub, SubscribeStatementsRequest(), &caught_up);

  const auto [alone_rate, head_alone] = WriteBatches(stub.get(), seconds);
  const bool live_ok_alone = AwaitSequence(live, head_alone, absl::Seconds(30));
  const int64_t rss_before = pid ? RssKib(pid) : -1;

  Subscriber stalled(&stalled_stub, SubscribeStatementsRequest(), &caught_up,
                     /*stalled=*/true);
  const auto [stalled_rate, head] = WriteBatches(stub.get(), seconds);
  const bool live_ok = AwaitSequence(live, head, absl::Seconds(30));
  const int64_t rss_stalled = pid ? RssKib(pid) : -1;

  const absl::Time resume = absl::Now();
  stalled.Resume();
  const bool stalled_ok = AwaitSequence(stalled, head, absl::Seconds(120));
  const double catch_up_seconds = absl::ToDoubleSeconds(absl::Now() - resume);
  live.Cancel();
  stalled.Cancel();
  live.AwaitDone();
  stalled.AwaitDone();
  std::cout << "{\"scenario\":\"stalled\",\"write_rate_without\":"
            << static_cast<int64_t>(alone_rate)
            << ",\"write_rate_with_stalled\":" << static_cast<int64_t>(stalled_rate)
            << ",\"ratio\":" << stalled_rate / alone_rate
            << ",\"live_received_all\":" << (live_ok_alone && live_ok ? "true" : "false")
            << ",\"stalled_received_all\":" << (stalled_ok ? "true" : "false")
            << ",\"stalled_catch_up_s\":" << catch_up_seconds
            << ",\"gaps\":" << live.gaps() + stalled.gaps()
            << ",\"duplicates\":" << live.duplicates() + stalled.duplicates()
            << ",\"server_rss_kib_before_stall\":" << rss_before
            << ",\"server_rss_kib_while_stalled\":" << rss_stalled << "}" << std::endl;
  return live_ok && stalled_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string target = absl::GetFlag(FLAGS_target);
  if (absl::GetFlag(FLAGS_scenario) == "catch-up") return RunCatchUp(target);
  if (absl::GetFlag(FLAGS_scenario) == "stalled") return RunStalled(target);
  return RunFanout(target);
}
