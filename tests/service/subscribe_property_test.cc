// Randomised property test of SubscribeStatements: concurrent writers
// create, update and retract statements while subscribers with random
// filters and start positions read a little, disconnect, and resume from
// the last position they saw. Every subscriber must receive exactly the
// matching sub-sequence of the log: no gap, no duplicate, in order.
// ROLLCALL_TEST_SCALE=N multiplies the work.

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>

#include "gtest/gtest.h"
#include "server/filter/statement_filter.h"
#include "tests/service/server_fixture.h"

namespace rollcall::testing {
namespace {

int TestScale() {
  const char* scale = std::getenv("ROLLCALL_TEST_SCALE");
  return scale == nullptr ? 1 : std::max(1, std::atoi(scale));
}

const std::vector<std::string>& Actors() {
  static const auto* actors = new std::vector<std::string>{
      "actors/ecowas", "actors/niger", "actors/benin", "actors/united-nations"};
  return *actors;
}

const std::vector<std::string>& Filters() {
  static const auto* filters = new std::vector<std::string>{
      "",
      "stance = CONDEMNS",
      "actor = \"actors/niger\"",
      "bloc = \"actors/ecowas\"",
      "stance = CONDEMNS OR stance = SUPPORTS",
      "state = RETRACTED",
      "actor = \"actors/united-nations\" AND stance = CONCERNED",
  };
  return *filters;
}

ActorFacts NigerFacts() {
  ActorFacts facts;
  facts.is_member = [](absl::string_view actor, absl::string_view bloc) {
    return bloc == "actors/ecowas" &&
           (actor == "actors/niger" || actor == "actors/benin");
  };
  facts.kind_of = [](absl::string_view) { return v1::ACTOR_KIND_UNSPECIFIED; };
  return facts;
}

struct SubscriberRun {
  std::string filter;
  int64_t start_after = 0;
  std::vector<int64_t> received;
  int reconnects = 0;
  bool gave_up = false;
};

class SubscribePropertyTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    CreateNigerFixture();
  }

  void Write(int seed, int operations) {
    std::mt19937 random(seed);
    std::vector<std::string> mine;
    for (int i = 0; i < operations; ++i) {
      const int choice = static_cast<int>(random() % 10);
      if (mine.empty() || choice < 5) {
        v1::Statement s = MakeStatement(Actors()[random() % Actors().size()],
                                        static_cast<v1::Stance>(1 + random() % 5));
        mine.push_back(CreateStatementOrDie(s).name());
      } else if (choice < 9) {
        v1::UpdateStatementRequest update;
        update.mutable_statement()->set_name(mine[random() % mine.size()]);
        update.mutable_statement()->set_stance(static_cast<v1::Stance>(1 + random() % 5));
        update.mutable_update_mask()->add_paths("stance");
        v1::Statement out;
        statements_->UpdateStatement(Context().get(), update, &out);  // may be retracted
      } else {
        v1::RetractStatementRequest retract;
        retract.set_name(mine[random() % mine.size()]);
        retract.set_reason("property test");
        v1::Statement out;
        statements_->RetractStatement(Context().get(), retract, &out);
      }
    }
  }

  // Reads in bursts, disconnecting and resuming from the last position seen.
  void Subscribe(int seed, const std::atomic<int64_t>* final_head, SubscriberRun* run) {
    std::mt19937 random(seed);
    run->filter = Filters()[random() % Filters().size()];
    const int start_kind = static_cast<int>(random() % 3);
    int64_t position = -1;  // unknown until the first stream says
    if (start_kind == 0) position = 0;
    const absl::Time give_up = absl::Now() + absl::Seconds(120);
    while (true) {
      if (absl::Now() > give_up) {
        run->gave_up = true;
        return;
      }
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      v1::SubscribeStatementsRequest request;
      request.set_filter(run->filter);
      request.mutable_heartbeat_interval()->set_nanos(100 * 1000 * 1000);
      if (position >= 0) request.set_after_sequence(position);
      auto reader = statements_->SubscribeStatements(&context, request);
      const int burst = 1 + static_cast<int>(random() % 20);
      v1::SubscribeStatementsResponse message;
      for (int read = 0; read < burst && reader->Read(&message); ++read) {
        for (const v1::StatementChange& change : message.changes()) {
          run->received.push_back(change.sequence());
          position = change.sequence();
        }
        if (message.has_caught_up()) {
          if (position < 0)
            run->start_after = position = message.caught_up().head_sequence();
          position = std::max(position, message.caught_up().head_sequence());
        }
        if (message.has_heartbeat()) {
          position = std::max(position, message.heartbeat().head_sequence());
        }
      }
      context.TryCancel();
      reader->Finish();
      const int64_t head = final_head->load();
      if (head >= 0 && position >= head) return;
      ++run->reconnects;
    }
  }

  void RunProperty();
};

TEST_F(SubscribePropertyTest, EverySubscriberReceivesExactlyTheMatchingLogAcrossResumes) {
  RunProperty();
}

// With a tiny window, subscribers keep falling behind it and are replayed
// from the store: the window/store seams are crossed constantly.
TEST_F(SubscribePropertyTest, ExactDeliveryHoldsWhenSubscribersFallBehindATinyWindow) {
  options_.feed_window = 8;
  RestartServer();
  RunProperty();
}

// Subscribers dealt out to several delivery threads after each commit,
// with a small window so that live kicks race replays and heartbeats.
TEST_F(SubscribePropertyTest, ExactDeliveryHoldsAcrossManyDeliveryThreads) {
  options_.feed_delivery_threads = 4;
  options_.feed_window = 64;
  RestartServer();
  RunProperty();
}

void SubscribePropertyTest::RunProperty() {
  const int kWriters = 4;
  const int kOperations = 60 * TestScale();
  const int kSubscribers = 8;
  std::atomic<int64_t> final_head{-1};
  std::vector<SubscriberRun> runs(kSubscribers);
  std::vector<std::thread> subscribers;
  for (int i = 0; i < kSubscribers; ++i) {
    subscribers.emplace_back([&, i] { Subscribe(1000 + i, &final_head, &runs[i]); });
  }
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] { Write(i + 1, kOperations); });
  }
  for (auto& w : writers) w.join();

  // The whole log, read once from the beginning with no filter.
  grpc::ClientContext context;
  v1::SubscribeStatementsRequest all;
  all.set_from_beginning(true);
  auto reader = statements_->SubscribeStatements(&context, all);
  std::vector<v1::StatementChange> log;
  v1::SubscribeStatementsResponse message;
  while (reader->Read(&message)) {
    for (const v1::StatementChange& change : message.changes()) log.push_back(change);
    if (message.has_caught_up()) break;
  }
  context.TryCancel();
  reader->Finish();
  // Let the subscribers finish before asserting anything.
  final_head = log.empty() ? 0 : log.back().sequence();
  for (auto& s : subscribers) s.join();
  ASSERT_FALSE(log.empty());
  for (size_t i = 0; i < log.size(); ++i) {
    ASSERT_EQ(log[i].sequence(), static_cast<int64_t>(i + 1)) << "the full log has a gap";
  }

  const ActorFacts facts = NigerFacts();
  for (const SubscriberRun& run : runs) {
    auto filter = ParseStatementFilter(run.filter, "filter");
    ASSERT_TRUE(filter.ok());
    std::vector<int64_t> expected;
    for (const auto& change : log) {
      if (change.sequence() > run.start_after &&
          Matches(*filter, change.statement(), facts)) {
        expected.push_back(change.sequence());
      }
    }
    EXPECT_FALSE(run.gave_up) << "filter \"" << run.filter << "\" never reached the head";
    EXPECT_EQ(run.received, expected)
        << "filter \"" << run.filter << "\" after " << run.start_after << " with "
        << run.reconnects << " reconnects";
  }
}

}  // namespace
}  // namespace rollcall::testing
