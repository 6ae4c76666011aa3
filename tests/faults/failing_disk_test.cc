// Failing disks, through the power-cut VFS (tests/support/power_cut_vfs.h)
// under a real RollcallServer: an fsync that fails with EIO, a write that
// fails with EIO, and a disk that fills in the middle of a group commit.
// The writes involved are answered with an error, never acknowledged;
// after a failed fsync or write the server takes no more writes (the
// statement service reports NOT_SERVING) while reads and subscriptions go
// on; and a power cut afterwards loses nothing acknowledged before.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/faults/acknowledged_writes.h"
#include "tests/faults/fault_client.h"
#include "tests/faults/power_cut_checks.h"
#include "tests/faults/resuming_subscriber.h"
#include "tests/support/power_cut_vfs.h"
#include "tests/support/temp_dir.h"

namespace rollcall::faults {
namespace {

using testing::PowerCutVfs;

class FailingDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    channel_ = MakeChannel(server_.address());
    stub_ = v1::StatementService::NewStub(channel_);
    ASSERT_TRUE(CreateFixture(*channel_).ok());
  }

  // Creates one statement; records it if acknowledged.
  grpc::Status Create() {
    v1::CreateStatementRequest request;
    *request.mutable_statement() = MakeStatement(random_, absl::StrCat("t", next_tag_++));
    request.set_allow_duplicate(true);
    v1::Statement created;
    grpc::Status status =
        stub_->CreateStatement(WaitingContext().get(), request, &created);
    if (status.ok()) acknowledged_.Record(created);
    return status;
  }

  void CreateAcknowledged(int count) {
    for (int i = 0; i < count; ++i) ASSERT_TRUE(Create().ok());
  }

  grpc::health::v1::HealthCheckResponse::ServingStatus StatementServiceHealth() {
    auto health = grpc::health::v1::Health::NewStub(channel_);
    grpc::health::v1::HealthCheckRequest request;
    request.set_service("rollcall.v1.StatementService");
    grpc::health::v1::HealthCheckResponse response;
    EXPECT_TRUE(health->Check(WaitingContext().get(), request, &response).ok());
    return response.status();
  }

  // The log holds exactly the acknowledged writes (no write had an unknown
  // outcome), well-formed and matching the current statements.
  void ExpectLogIsExactlyTheAcknowledged() {
    std::vector<v1::StatementChange> log;
    absl::Status checked = CheckStoreHoldsAcknowledged(*stub_, acknowledged_, &log);
    EXPECT_TRUE(checked.ok()) << checked;
    EXPECT_EQ(static_cast<int64_t>(log.size()), acknowledged_.count());
  }

  // Writes fail, reads and the open subscription go on, the statement
  // service is NOT_SERVING; after a power cut and a restart, nothing
  // acknowledged is lost and writes succeed again.
  void ExpectWritesStoppedUntilRestart(ResumingSubscriber& subscriber) {
    const grpc::Status refused = Create();
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_TRUE(absl::StrContains(refused.error_message(), "writes stopped"))
        << refused.error_message();
    EXPECT_EQ(StatementServiceHealth(),
              grpc::health::v1::HealthCheckResponse::NOT_SERVING);
    ExpectLogIsExactlyTheAcknowledged();
    EXPECT_TRUE(subscriber.WaitFor(acknowledged_.count(), absl::Seconds(10)));
    EXPECT_TRUE(subscriber.error().ok()) << subscriber.error();
    EXPECT_EQ(subscriber.resumes(), 0);

    absl::StatusOr<PowerCutVfs::CutReport> cut = server_.CutPower(random_, /*torn=*/true);
    ASSERT_TRUE(cut.ok()) << cut.status();
    ExpectLogIsExactlyTheAcknowledged();
    EXPECT_EQ(StatementServiceHealth(), grpc::health::v1::HealthCheckResponse::SERVING);
    CreateAcknowledged(5);
    ExpectLogIsExactlyTheAcknowledged();
    EXPECT_TRUE(subscriber.WaitFor(acknowledged_.count(), absl::Seconds(20)));
    subscriber.Stop();
    EXPECT_TRUE(subscriber.error().ok()) << subscriber.error();
  }

  ::rollcall::testing::TempDir temp_dir_;
  PowerCutServer server_{temp_dir_.File("data")};
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::StatementService::Stub> stub_;
  AcknowledgedWrites acknowledged_;
  absl::BitGen random_;
  int next_tag_ = 0;
};

TEST_F(FailingDiskTest, FailedFsyncIsNeverAcknowledgedAndStopsWritesUntilRestart) {
  CreateAcknowledged(20);
  ResumingSubscriber subscriber(MakeChannel(server_.address()),
                                /*cancelled_means_gone=*/true);
  ASSERT_TRUE(subscriber.WaitFor(20, absl::Seconds(10)));
  PowerCutVfs::Get().FailSyncs("rollcall.db-wal", 1);
  const grpc::Status failed = Create();
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(absl::StrContains(failed.error_message(), "failed to write or sync"))
      << failed.error_message();
  EXPECT_EQ(PowerCutVfs::Get().failed_syncs(), 1);
  ExpectWritesStoppedUntilRestart(subscriber);
}

TEST_F(FailingDiskTest, FailedWriteIsNeverAcknowledgedAndStopsWritesUntilRestart) {
  CreateAcknowledged(20);
  ResumingSubscriber subscriber(MakeChannel(server_.address()),
                                /*cancelled_means_gone=*/true);
  ASSERT_TRUE(subscriber.WaitFor(20, absl::Seconds(10)));
  PowerCutVfs::Get().FailWrites("rollcall.db-wal", 1);
  const grpc::Status failed = Create();
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(absl::StrContains(failed.error_message(), "failed to write or sync"))
      << failed.error_message();
  ExpectWritesStoppedUntilRestart(subscriber);
}

// Many writers at once, so the disk fills while a group of them commits:
// every write of the failing groups gets RESOURCE_EXHAUSTED and none of
// them is stored; nothing stops, and once there is space again writes
// succeed without a restart.
TEST_F(FailingDiskTest, DiskFillingDuringGroupCommitFailsItsWritesAndWritesResumeAfter) {
  CreateAcknowledged(20);
  ResumingSubscriber subscriber(MakeChannel(server_.address()),
                                /*cancelled_means_gone=*/true);
  ASSERT_TRUE(subscriber.WaitFor(20, absl::Seconds(10)));
  PowerCutVfs::Get().SetSpaceLeft(64 * 1024);
  constexpr int kThreads = 12;
  std::vector<int> full(kThreads, 0);
  std::vector<std::string> unexpected(kThreads);
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      absl::BitGen random;
      for (int i = 0; i < 20; ++i) {
        v1::BatchCreateStatementsRequest batch;
        for (int s = 0; s < 5; ++s) {
          v1::CreateStatementRequest* request = batch.add_requests();
          *request->mutable_statement() =
              MakeStatement(random, absl::StrCat("full-", t, "-", i, "-", s));
          request->set_allow_duplicate(true);
        }
        v1::BatchCreateStatementsResponse response;
        const grpc::Status status =
            stub_->BatchCreateStatements(WaitingContext().get(), batch, &response);
        if (status.ok()) {
          for (const v1::Statement& statement : response.statements()) {
            acknowledged_.Record(statement);
          }
        } else if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
                   absl::StrContains(status.error_message(), "storage is full")) {
          ++full[t];
        } else {
          unexpected[t] = Describe(status);
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  int refused = 0;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(unexpected[t], "");
    refused += full[t];
  }
  EXPECT_GT(refused, 0);
  // A full disk does not stop writes for good. While it is full, the
  // statements table cannot be brought up to date behind the log (deferred
  // apply), so ListStatements may answer UNAVAILABLE; never stale data.
  EXPECT_EQ(StatementServiceHealth(), grpc::health::v1::HealthCheckResponse::SERVING);
  {
    v1::ListStatementsRequest list;
    v1::ListStatementsResponse listed;
    const grpc::Status status = stub_->ListStatements(WaitingContext().get(), list, &listed);
    EXPECT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::UNAVAILABLE)
        << Describe(status);
  }

  PowerCutVfs::Get().SetSpaceLeft(-1);
  ExpectLogIsExactlyTheAcknowledged();
  CreateAcknowledged(5);
  ExpectLogIsExactlyTheAcknowledged();
  EXPECT_TRUE(subscriber.WaitFor(acknowledged_.count(), absl::Seconds(20)));
  absl::StatusOr<PowerCutVfs::CutReport> cut = server_.CutPower(random_, /*torn=*/true);
  ASSERT_TRUE(cut.ok()) << cut.status();
  ExpectLogIsExactlyTheAcknowledged();
  subscriber.Stop();
  EXPECT_TRUE(subscriber.error().ok()) << subscriber.error();
}

}  // namespace
}  // namespace rollcall::faults
