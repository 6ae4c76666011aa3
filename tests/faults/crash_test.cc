// Crash safety: writers run against a real rollcalld that is killed with
// SIGKILL at random moments and restarted; after every restart the data must
// hold every acknowledged write exactly, the log must be gap-free with whole
// revisions only, and a subscriber that resumes after each crash must see
// every change exactly once.
//
// ROLLCALL_FAULT_KILLS sets the number of kills (default 20).

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/faults/acknowledged_writes.h"
#include "tests/faults/fault_client.h"
#include "tests/faults/fault_writer.h"
#include "tests/faults/resuming_subscriber.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_postgres.h"

namespace rollcall::faults {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr int kDefaultKills = 20;
constexpr int kWriters = 3;

int KillsToRun() {
  int kills = kDefaultKills;
  const char* text = std::getenv("ROLLCALL_FAULT_KILLS");
  if (text != nullptr && !absl::SimpleAtoi(text, &kills)) kills = kDefaultKills;
  return kills;
}

// ListStatementRevisions of every statement equals its changes in the log.
void ExpectHistoriesMatchLog(v1::StatementService::Stub& stub,
                             const std::vector<v1::StatementChange>& log) {
  std::map<std::string, std::vector<const v1::Statement*>> by_name;
  for (const v1::StatementChange& change : log) {
    by_name[change.statement().name()].push_back(&change.statement());
  }
  for (const auto& [name, revisions] : by_name) {
    v1::ListStatementRevisionsRequest request;
    request.set_name(name);
    request.set_page_size(1000);
    v1::ListStatementRevisionsResponse response;
    grpc::Status status =
        stub.ListStatementRevisions(WaitingContext().get(), request, &response);
    ASSERT_TRUE(status.ok()) << name << ": " << Describe(status);
    ASSERT_EQ(response.statements_size(), static_cast<int>(revisions.size())) << name;
    for (size_t i = 0; i < revisions.size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(*revisions[i],
                                             response.statements(static_cast<int>(i))))
          << name << " revision " << i + 1;
    }
  }
}

// The kill test against rollcalld started with `extra_args` (the store).
void RunCrashTest(const testing::TempDir& temp_dir, std::vector<std::string> extra_args) {
  testing::ServerProcess server(ROLLCALLD_PATH, temp_dir.File("data"),
                                temp_dir.File("rollcalld.log"), std::move(extra_args));
  ASSERT_TRUE(server.Start().ok());
  std::shared_ptr<grpc::Channel> channel = MakeChannel(server.address());
  auto stub = v1::StatementService::NewStub(channel);
  ASSERT_TRUE(CreateFixture(*channel).ok());

  ResumingSubscriber subscriber(channel);
  AcknowledgedWrites acknowledged;
  absl::Mutex gate;
  std::atomic<bool> stop{false};
  std::vector<absl::Status> writer_errors(kWriters);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      FaultWriter writer(i, *stub, acknowledged, gate);
      writer_errors[i] = writer.Run(stop);
    });
  }

  absl::BitGen random;
  const int kills = KillsToRun();
  std::vector<v1::StatementChange> log;
  for (int kill = 1; kill <= kills && !::testing::Test::HasFailure(); ++kill) {
    absl::SleepFor(absl::Milliseconds(absl::Uniform(random, 20, 400)));
    server.Kill();
    absl::Status started = server.Start();
    ASSERT_TRUE(started.ok()) << "restart " << kill << ": " << started;
    absl::WriterMutexLock paused(&gate);
    absl::Status checked = CheckStoreHoldsAcknowledged(*stub, acknowledged, &log);
    EXPECT_TRUE(checked.ok()) << "after kill " << kill << ": " << checked;
  }
  stop = true;
  for (std::thread& writer : writers) writer.join();
  for (const absl::Status& error : writer_errors) EXPECT_TRUE(error.ok()) << error;

  absl::Status checked = CheckStoreHoldsAcknowledged(*stub, acknowledged, &log);
  ASSERT_TRUE(checked.ok()) << checked;
  ExpectHistoriesMatchLog(*stub, log);
  const int64_t head = static_cast<int64_t>(log.size());
  EXPECT_TRUE(subscriber.WaitFor(head, absl::Seconds(30))) << subscriber.error();
  subscriber.Stop();
  EXPECT_TRUE(subscriber.error().ok()) << subscriber.error();
  const std::vector<v1::StatementChange> received = subscriber.changes();
  ASSERT_EQ(received.size(), log.size());
  for (size_t i = 0; i < log.size(); ++i) {
    ASSERT_TRUE(MessageDifferencer::Equals(received[i], log[i])) << "sequence " << i + 1;
  }
  // Writes happened between the kills, and the subscriber lived through them.
  EXPECT_GT(acknowledged.count(), kills);
  EXPECT_GE(subscriber.resumes(), kills);
  std::cout << "{\"kills\": " << kills
            << ", \"acknowledged_writes_checked\": " << acknowledged.count()
            << ", \"log_changes\": " << head
            << ", \"subscriber_resumes\": " << subscriber.resumes() << "}" << std::endl;
  ::testing::Test::RecordProperty("kills", kills);
  ::testing::Test::RecordProperty("acknowledged_writes_checked",
                                  static_cast<int>(acknowledged.count()));
}

TEST(CrashTest, KilledServerKeepsEveryAcknowledgedWriteAndResumersSeeEachChangeOnce) {
  testing::TempDir temp_dir;
  RunCrashTest(temp_dir, {});
}

// The same with the store in PostgreSQL: a killed rollcalld leaves its
// transaction uncommitted, and PostgreSQL rolls it back.
TEST(CrashTest,
     KilledServerOnPostgresKeepsEveryAcknowledgedWriteAndResumersSeeEachChangeOnce) {
  if (!testing::TestPostgres().has_value()) GTEST_SKIP() << testing::kNoTestPostgres;
  testing::TempDir temp_dir;
  RunCrashTest(temp_dir,
               {"--store=" + *testing::TestPostgres(),
                "--postgres_schema=" + testing::PostgresSchemaFor(temp_dir.path())});
}

}  // namespace
}  // namespace rollcall::faults
