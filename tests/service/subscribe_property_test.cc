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
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/filter/statement_filter.h"
#include "server/store/pg_db.h"
#include "tests/service/server_fixture.h"
#include "tests/support/test_postgres.h"

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

  // Writes through `stub`.
  void Write(int seed, int operations, v1::StatementService::Stub* stub) {
    std::mt19937 random(seed);
    std::vector<std::string> mine;
    for (int i = 0; i < operations; ++i) {
      const int choice = static_cast<int>(random() % 10);
      if (mine.empty() || choice < 5) {
        v1::Statement s = MakeStatement(Actors()[random() % Actors().size()],
                                        static_cast<v1::Stance>(1 + random() % 5));
        v1::CreateStatementRequest create;
        *create.mutable_statement() = s;
        create.set_allow_duplicate(true);
        v1::Statement created;
        const grpc::Status status = stub->CreateStatement(Context().get(), create, &created);
        ASSERT_TRUE(status.ok()) << status.error_message();
        mine.push_back(created.name());
      } else if (choice < 9) {
        v1::UpdateStatementRequest update;
        update.mutable_statement()->set_name(mine[random() % mine.size()]);
        update.mutable_statement()->set_stance(static_cast<v1::Stance>(1 + random() % 5));
        update.mutable_update_mask()->add_paths("stance");
        v1::Statement out;
        stub->UpdateStatement(Context().get(), update, &out);  // may be retracted
      } else {
        v1::RetractStatementRequest retract;
        retract.set_name(mine[random() % mine.size()]);
        retract.set_reason("property test");
        v1::Statement out;
        stub->RetractStatement(Context().get(), retract, &out);
      }
    }
  }

  // Reads in bursts, disconnecting and resuming from the last position seen.
  void Subscribe(int seed, const std::atomic<int64_t>* final_head, SubscriberRun* run,
                 v1::StatementService::Stub* stub) {
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
      auto reader = stub->SubscribeStatements(&context, request);
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

  // Writers and subscribers spread over `instances` (each a server of
  // one shared store); the whole log is read from the first.
  void RunProperty(const std::vector<v1::StatementService::Stub*>& instances);
  void RunProperty() { RunProperty({statements_.get()}); }
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

void SubscribePropertyTest::RunProperty(
    const std::vector<v1::StatementService::Stub*>& instances) {
  const int kWriters = 4;
  const int kOperations = 60 * TestScale();
  const int kSubscribers = 8;
  std::atomic<int64_t> final_head{-1};
  std::vector<SubscriberRun> runs(kSubscribers);
  std::vector<std::thread> subscribers;
  for (int i = 0; i < kSubscribers; ++i) {
    subscribers.emplace_back([&, i] {
      Subscribe(1000 + i, &final_head, &runs[i], instances[i % instances.size()]);
    });
  }
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back(
        [&, i] { Write(i + 1, kOperations, instances[(i + 1) % instances.size()]); });
  }
  for (auto& w : writers) w.join();

  // The whole log, read once from the beginning with no filter.
  grpc::ClientContext context;
  v1::SubscribeStatementsRequest all;
  all.set_from_beginning(true);
  auto reader = instances[0]->SubscribeStatements(&context, all);
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
    size_t same = 0;
    while (same < run.received.size() && same < expected.size() &&
           run.received[same] == expected[same]) {
      ++same;
    }
    EXPECT_EQ(run.received, expected)
        << "filter \"" << run.filter << "\" after " << run.start_after << " with "
        << run.reconnects << " reconnects: first difference at index " << same
        << " (received "
        << (same < run.received.size() ? std::to_string(run.received[same]) : "nothing")
        << ", expected "
        << (same < expected.size() ? std::to_string(expected[same]) : "nothing") << ")";
  }
}

// ---- Several instances on one PostgreSQL store ----------------------------

// Three servers on one PostgreSQL schema (skipped without
// ROLLCALL_TEST_POSTGRES): the fixture's own server and two more. Each
// connects as application_name <schema>-instance-N, so a test can cut one
// instance's database connections without touching those of tests running
// beside it on the same cluster.
class MultiInstanceTest : public SubscribePropertyTest {
 protected:
  void SetUp() override {
    const std::optional<std::string> url = TestPostgres();
    if (!url.has_value()) GTEST_SKIP() << kNoTestPostgres;
    schema_ = PostgresSchemaFor(temp_dir_.path());
    options_.store = InstanceUrl(*url, 0);
    options_.postgres_schema = schema_;
    SubscribePropertyTest::SetUp();  // instance 0, and the Niger fixture
    for (int i = 1; i < 3; ++i) {
      ServerOptions options = options_;
      options.store = InstanceUrl(*url, i);
      options.listen_address = "127.0.0.1:0";
      auto server = RollcallServer::Start(options);
      ASSERT_TRUE(server.ok()) << server.status();
      auto channel =
          grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials());
      others_.push_back(*std::move(server));
      other_stubs_.push_back(v1::StatementService::NewStub(channel));
    }
  }
  void TearDown() override {
    other_stubs_.clear();
    others_.clear();
    SubscribePropertyTest::TearDown();
  }

  std::string ApplicationName(int instance) const {
    return absl::StrCat(schema_, "-instance-", instance);
  }
  std::string InstanceUrl(const std::string& url, int instance) const {
    return absl::StrCat(url, absl::StrContains(url, '?') ? "&" : "?",
                        "application_name=", ApplicationName(instance));
  }
  std::vector<v1::StatementService::Stub*> Instances() {
    std::vector<v1::StatementService::Stub*> out = {statements_.get()};
    for (auto& stub : other_stubs_) out.push_back(stub.get());
    return out;
  }
  // Ends every database connection of `instance`, as a database restart or
  // a network failure would; expects at least `at_least` of them.
  void CutConnections(int instance, int at_least = 3) {
    auto admin = PgConnection::Open(*TestPostgres(), "");
    ASSERT_TRUE(admin.ok()) << admin.status();
    auto result = (*admin)->Query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
        PgParams().Text(ApplicationName(instance)));
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_GE(result->rows(), at_least) << "the writer, readers and listener";
  }

  std::string schema_;
  std::vector<std::unique_ptr<RollcallServer>> others_;
  std::vector<std::unique_ptr<v1::StatementService::Stub>> other_stubs_;
};

TEST_F(MultiInstanceTest, SubscribersOnEachInstanceReceiveEveryInstancesWritesExactlyOnce) {
  RunProperty(Instances());
}

TEST_F(MultiInstanceTest, AnInstanceThatLosesItsDatabaseReconnectsAndItsSubscribersSeeNoGap) {
  std::vector<v1::StatementService::Stub*> instances = Instances();
  // A live subscriber on instance 2, from the beginning.
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::SubscribeStatementsRequest request;
  request.set_from_beginning(true);
  auto reader = instances[2]->SubscribeStatements(&context, request);
  std::vector<int64_t> received;
  auto read_until = [&](int64_t sequence) {
    v1::SubscribeStatementsResponse message;
    while ((received.empty() || received.back() < sequence) && reader->Read(&message)) {
      for (const auto& change : message.changes()) received.push_back(change.sequence());
    }
  };
  auto create = [&](v1::StatementService::Stub* stub) -> grpc::Status {
    v1::CreateStatementRequest create;
    *create.mutable_statement() = MakeStatement("actors/niger");
    create.set_allow_duplicate(true);
    v1::Statement created;
    return stub->CreateStatement(Context().get(), create, &created);
  };
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(create(instances[0]).ok());
  read_until(5);

  CutConnections(2);
  // Written through instance 0 while instance 2 is reconnecting: its
  // listener misses these notifications and must find them itself.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(create(instances[0]).ok());
  read_until(10);
  // Instance 2 writes again: its writer reconnects rather than failing.
  grpc::Status status = create(instances[2]);
  ASSERT_TRUE(status.ok()) << status.error_message();
  read_until(11);
  context.TryCancel();
  reader->Finish();
  std::vector<int64_t> expected;
  for (int64_t sequence = 1; sequence <= 11; ++sequence) expected.push_back(sequence);
  EXPECT_EQ(received, expected);
}

// A client moved to another instance (a load balancer's choice) resumes
// after the sequence it last saw, at once: the new instance must accept it
// and deliver what follows, though it may not have heard of that commit yet
// (here, because its listening connection was just cut).
TEST_F(MultiInstanceTest, ResumingOnAnotherInstanceRightAfterAWriteIsAccepted) {
  std::vector<v1::StatementService::Stub*> instances = Instances();
  for (int i = 0; i < 5; ++i) {
    CutConnections(2, /*at_least=*/1);  // the listener, reconnected since
    v1::CreateStatementRequest create;
    *create.mutable_statement() = MakeStatement("actors/niger");
    create.set_allow_duplicate(true);
    v1::Statement created;
    ASSERT_TRUE(instances[1]->CreateStatement(Context().get(), create, &created).ok());
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::SubscribeStatementsRequest request;
    request.set_after_sequence(created.sequence());  // the last change it saw
    auto reader = instances[2]->SubscribeStatements(&context, request);
    v1::SubscribeStatementsResponse message;
    const bool read = reader->Read(&message);
    context.TryCancel();
    const grpc::Status status = reader->Finish();
    ASSERT_TRUE(read) << "attempt " << i << ": " << status.error_message();
    EXPECT_TRUE(message.has_caught_up());
    EXPECT_GE(message.caught_up().head_sequence(), created.sequence());
  }
}

}  // namespace
}  // namespace rollcall::testing
