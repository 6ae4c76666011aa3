// Power cuts: writers and subscribers run against a real RollcallServer
// (service, feed, SQLite store) whose store is opened through the power-cut
// VFS (tests/support/power_cut_vfs.h). At random moments the power goes:
// the VFS freezes (nothing more reaches the disk), the server stops, every
// file is put back to what its last fsync made durable — or, for a torn
// cut, to that plus a random part of the later writes, sector by sector —
// and the server starts again on what "reached the disk". After each cut:
// PRAGMA integrity_check passes; the log is gap-free and well-formed; every
// acknowledged write is there, field for field; the current statements
// match the log; and every change a subscriber received before the cut is
// still in the log, unchanged (delivery only after durability). At the end
// the resuming subscribers have received every change exactly once.
//
// ROLLCALL_POWER_CUTS sets the number of cuts (default 100, times
// ROLLCALL_TEST_SCALE if set).

#include <sqlite3.h>

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
#include "server/server.h"
#include "tests/faults/acknowledged_writes.h"
#include "tests/faults/fault_client.h"
#include "tests/faults/fault_writer.h"
#include "tests/faults/power_cut_checks.h"
#include "tests/faults/resuming_subscriber.h"
#include "tests/support/power_cut_vfs.h"
#include "tests/support/temp_dir.h"

namespace rollcall::faults {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing::PowerCutVfs;

constexpr int kWriters = 3;
constexpr int kSubscribers = 2;

int CutsToRun() {
  int cuts = 100;
  int scale = 1;
  if (const char* text = std::getenv("ROLLCALL_TEST_SCALE"); text != nullptr) {
    if (absl::SimpleAtoi(text, &scale) && scale > 0) cuts *= scale;
  }
  if (const char* text = std::getenv("ROLLCALL_POWER_CUTS"); text != nullptr) {
    if (!absl::SimpleAtoi(text, &cuts)) cuts = 100;
  }
  return cuts;
}

// Every change a subscriber received is in `log` at its sequence, as
// received.
absl::Status CheckReceivedSurvived(const std::vector<v1::StatementChange>& received,
                                   const std::vector<v1::StatementChange>& log) {
  for (const v1::StatementChange& change : received) {
    const int64_t sequence = change.statement().sequence();
    if (sequence < 1 || sequence > static_cast<int64_t>(log.size())) {
      return absl::DataLossError(absl::StrCat("a subscriber received sequence ", sequence,
                                              ", which the power cut lost"));
    }
    if (!MessageDifferencer::Equals(change, log[static_cast<size_t>(sequence - 1)])) {
      return absl::DataLossError(absl::StrCat("a subscriber received sequence ", sequence,
                                              " other than it is after the cut"));
    }
  }
  return absl::OkStatus();
}

TEST(PowerCutTest, AcknowledgedWritesAndDeliveredChangesSurviveEveryPowerCut) {
  testing::TempDir temp_dir;
  PowerCutVfs& vfs = PowerCutVfs::Get();
  PowerCutServer server(temp_dir.File("data"));
  ASSERT_TRUE(server.Start().ok());
  std::shared_ptr<grpc::Channel> channel = MakeChannel(server.address());
  auto stub = v1::StatementService::NewStub(channel);
  ASSERT_TRUE(CreateFixture(*channel).ok());

  std::vector<std::unique_ptr<ResumingSubscriber>> subscribers;
  for (int i = 0; i < kSubscribers; ++i) {
    subscribers.push_back(
        std::make_unique<ResumingSubscriber>(MakeChannel(server.address()),
                                             /*cancelled_means_gone=*/true));
  }
  AcknowledgedWrites acknowledged;
  absl::Mutex gate;
  std::atomic<bool> stop{false};
  std::vector<absl::Status> writer_errors(kWriters);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      FaultWriter writer(i, *stub, acknowledged, gate, /*cancelled_means_gone=*/true);
      writer_errors[i] = writer.Run(stop);
    });
  }

  absl::BitGen random;
  const int cuts = CutsToRun();
  int torn_cuts = 0;
  int64_t sectors_reverted = 0;
  int64_t acknowledged_checks = 0;
  int64_t delivered_checks = 0;
  std::vector<v1::StatementChange> log;
  for (int cut = 1; cut <= cuts && !::testing::Test::HasFailure(); ++cut) {
    // The power goes after a random number of writes: between a commit's
    // writes and its fsync, in a checkpoint, or between two commits.
    absl::SleepFor(absl::Milliseconds(absl::Uniform(random, 10, 100)));
    vfs.FreezeAfterWrites(absl::Uniform(random, 1, 60));
    for (int wait = 0; wait < 500 && !vfs.frozen(); ++wait) {
      absl::SleepFor(absl::Milliseconds(2));
    }
    const bool torn = absl::Bernoulli(random, 0.5);
    absl::StatusOr<PowerCutVfs::CutReport> report = server.CutPower(random, torn);
    if (!report.ok()) {
      ADD_FAILURE() << "cut " << cut << (torn ? " (torn)" : "") << ": "
                    << report.status();
      break;  // the writers give up waiting for the server
    }
    if (torn && report->sectors_kept > 0) ++torn_cuts;
    sectors_reverted += report->sectors_reverted;
    absl::WriterMutexLock paused(&gate);
    absl::Status checked = CheckStoreHoldsAcknowledged(*stub, acknowledged, &log);
    EXPECT_TRUE(checked.ok()) << "after cut " << cut << (torn ? " (torn)" : "") << ": "
                              << checked;
    acknowledged_checks += acknowledged.count();
    for (const auto& subscriber : subscribers) {
      const std::vector<v1::StatementChange> received = subscriber->changes();
      checked = CheckReceivedSurvived(received, log);
      EXPECT_TRUE(checked.ok()) << "after cut " << cut << ": " << checked;
      delivered_checks += static_cast<int64_t>(received.size());
    }
  }
  stop = true;
  for (std::thread& writer : writers) writer.join();
  for (const absl::Status& error : writer_errors) EXPECT_TRUE(error.ok()) << error;

  if (::testing::Test::HasFailure()) return;
  absl::Status checked = CheckStoreHoldsAcknowledged(*stub, acknowledged, &log);
  ASSERT_TRUE(checked.ok()) << checked;
  const int64_t head = static_cast<int64_t>(log.size());
  int64_t delivered = 0;
  for (const auto& subscriber : subscribers) {
    EXPECT_TRUE(subscriber->WaitFor(head, absl::Seconds(30))) << subscriber->error();
    subscriber->Stop();
    EXPECT_TRUE(subscriber->error().ok()) << subscriber->error();
    const std::vector<v1::StatementChange> received = subscriber->changes();
    ASSERT_EQ(received.size(), log.size());
    for (size_t i = 0; i < log.size(); ++i) {
      ASSERT_TRUE(MessageDifferencer::Equals(received[i], log[i]))
          << "sequence " << i + 1;
    }
    delivered += static_cast<int64_t>(received.size());
  }
  EXPECT_GT(acknowledged.count(), cuts);
  EXPECT_GT(torn_cuts, 0);
  EXPECT_GT(sectors_reverted, 0);
  std::cout << "{\"power_cuts\": " << cuts << ", \"torn_cuts\": " << torn_cuts
            << ", \"unsynced_sectors_reverted\": " << sectors_reverted
            << ", \"acknowledged_writes\": " << acknowledged.count()
            << ", \"acknowledged_write_checks\": " << acknowledged_checks
            << ", \"log_changes\": " << head << ", \"changes_delivered\": " << delivered
            << ", \"delivered_change_checks\": " << delivered_checks
            << ", \"fsyncs\": " << vfs.syncs() << "}" << std::endl;
}

}  // namespace
}  // namespace rollcall::faults
