#include "bench/workload.h"

#include <atomic>
#include <thread>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "rollcall/v1/actor_service.grpc.pb.h"
#include "rollcall/v1/event_service.grpc.pb.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

namespace rollcall::bench {
namespace {

// SplitMix64: a cheap, well-mixed hash of the statement number.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string Quote(int64_t i) {
  const auto& words = Vocabulary();
  std::string quote;
  uint64_t h = static_cast<uint64_t>(i);
  for (int w = 0; w < 30; ++w) {
    h = Mix(h);
    // One word in 50 is one of the kRealWords query terms (each then
    // appears in about 1.5% of statements); the rest are synthetic terms.
    const uint64_t pick = h % 50 == 0
                              ? (h >> 8) % kRealWords
                              : kRealWords + (h >> 8) % (words.size() - kRealWords);
    absl::StrAppend(&quote, w ? " " : "", words[pick]);
  }
  absl::StrAppend(&quote, ".");
  return quote;
}

bool CreatedOrExists(const grpc::Status& status) {
  return status.ok() || status.error_code() == grpc::StatusCode::ALREADY_EXISTS;
}

absl::Status ToAbsl(const grpc::Status& status, const std::string& what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace

const std::vector<std::string>& Vocabulary() {
  static const auto* words = [] {
    auto* list = new std::vector<std::string>{
        "condemns",     "coup",         "release",    "president", "sanctions",
        "dialogue",     "junta",        "border",     "ultimatum", "mediation",
        "democracy",    "constitution", "military",   "election",  "suspension",
        "ceasefire",    "refugees",     "embassy",    "troops",    "negotiations",
        "sovereignty",  "detention",    "transition", "summit",    "delegation",
        "humanitarian", "aid",          "envoy",      "restraint", "violence",
        "protesters",   "parliament",   "treaty",     "observers", "blockade",
        "evacuation",   "recognition",  "charter",    "assembly",  "mandate"};
    for (int i = static_cast<int>(list->size()); i < kRealWords + 5000; ++i)
      list->push_back(absl::StrCat("term", i));
    return list;
  }();
  return *words;
}

std::vector<std::shared_ptr<grpc::Channel>> OpenChannels(const std::string& target,
                                                         int count,
                                                         const std::string& role) {
  const std::vector<std::string> targets = absl::StrSplit(target, ',', absl::SkipEmpty());
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.channel_id", i);  // distinct arguments: distinct connections
    if (!role.empty()) args.SetString("rollcall.bench.role", role);
    args.SetMaxReceiveMessageSize(64 << 20);
    channels.push_back(
        grpc::CreateCustomChannel(targets[i % targets.size()],
                                  grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

std::unique_ptr<grpc::ClientContext> ContextWithDeadline(absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

std::string EventName(int event) { return absl::StrCat("events/bench-", event); }
std::string ActorName(int actor) { return absl::StrCat("actors/bench-actor-", actor); }

absl::Status EnsureFixture(const std::shared_ptr<grpc::Channel>& channel, int events) {
  auto actors = rollcall::v1::ActorService::NewStub(channel);
  for (int i = 0; i < kActors; ++i) {
    rollcall::v1::CreateActorRequest request;
    request.set_actor_id(absl::StrCat("bench-actor-", i));
    request.mutable_actor()->set_display_name(absl::StrCat("Bench actor ", i));
    request.mutable_actor()->set_kind(rollcall::v1::ACTOR_KIND_STATE);
    rollcall::v1::Actor actor;
    grpc::Status status =
        actors->CreateActor(ContextWithDeadline().get(), request, &actor);
    if (!CreatedOrExists(status)) return ToAbsl(status, request.actor_id());
  }
  auto event_stub = rollcall::v1::EventService::NewStub(channel);
  for (int i = 0; i < events; ++i) {
    rollcall::v1::CreateEventRequest request;
    request.set_event_id(absl::StrCat("bench-", i));
    request.mutable_event()->set_title(absl::StrCat("Bench event ", i));
    request.mutable_event()->mutable_start_time()->set_seconds(kIssueStartSeconds);
    rollcall::v1::Event event;
    grpc::Status status =
        event_stub->CreateEvent(ContextWithDeadline().get(), request, &event);
    if (!CreatedOrExists(status)) return ToAbsl(status, request.event_id());
  }
  return absl::OkStatus();
}

rollcall::v1::Statement MakeStatement(int64_t i, int events) {
  rollcall::v1::Statement s;
  s.set_event(EventName(static_cast<int>(i % events)));
  s.set_stance(static_cast<rollcall::v1::Stance>((i / events) % 5 + 1));
  s.set_actor(ActorName(static_cast<int>((i / (events * 5)) % kActors)));
  s.set_modality(rollcall::v1::MODALITY_ASSERTED);
  s.set_quote(Quote(i));
  s.set_language("en");
  const uint64_t h = Mix(static_cast<uint64_t>(i) ^ 0x5eed);
  s.mutable_issue_time()->set_seconds(kIssueStartSeconds +
                                      static_cast<int64_t>(h % kIssueSpanSeconds));
  auto* source = s.add_sources();
  source->set_publisher("Bench Wire");
  source->set_url(absl::StrCat("https://news.example/bench/", i));
  return s;
}

int64_t FreshStatementBase() {
  absl::BitGen gen;
  return absl::Uniform<int64_t>(gen, 1LL << 32, 1LL << 52);
}

absl::StatusOr<int64_t> SeedStatements(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels, int64_t count,
    int events, int batch, int parallel) {
  const int64_t base = FreshStatementBase();
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> stored{0};
  absl::Mutex mu;
  absl::Status first_error;
  std::vector<std::thread> workers;
  for (int w = 0; w < parallel; ++w) {
    workers.emplace_back([&, w] {
      auto stub = rollcall::v1::StatementService::NewStub(channels[w % channels.size()]);
      for (int64_t from = next.fetch_add(batch); from < count;
           from = next.fetch_add(batch)) {
        rollcall::v1::BatchCreateStatementsRequest request;
        for (int64_t i = from; i < std::min(count, from + batch); ++i)
          *request.add_requests()->mutable_statement() = MakeStatement(base + i, events);
        rollcall::v1::BatchCreateStatementsResponse response;
        grpc::Status status = stub->BatchCreateStatements(
            ContextWithDeadline(absl::Minutes(5)).get(), request, &response);
        if (!status.ok()) {
          absl::MutexLock lock(&mu);
          if (first_error.ok()) first_error = ToAbsl(status, "BatchCreateStatements");
          return;
        }
        stored += response.statements_size();
      }
    });
  }
  for (auto& worker : workers) worker.join();
  if (!first_error.ok()) return first_error;
  return stored.load();
}

}  // namespace rollcall::bench
