// Online backup and restore: `rollcalld --backup_to` copies the database
// while writers run, and a server started on the copy holds every write
// acknowledged before the backup began, with a well-formed log.

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/faults/acknowledged_writes.h"
#include "tests/faults/fault_client.h"
#include "tests/faults/fault_writer.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace rollcall::faults {
namespace {

testing::CommandResult Backup(const std::string& data_dir, const std::string& to) {
  return testing::RunCommand(
      {ROLLCALLD_PATH, "--data_dir=" + data_dir, "--backup_to=" + to});
}

TEST(BackupTest, BackupTakenUnderWritersRestoresEveryEarlierAcknowledgedWrite) {
  testing::TempDir temp_dir;
  const std::string data_dir = temp_dir.File("data");
  testing::ServerProcess server(ROLLCALLD_PATH, data_dir, temp_dir.File("rollcalld.log"));
  ASSERT_TRUE(server.Start().ok());
  std::shared_ptr<grpc::Channel> channel = MakeChannel(server.address());
  auto stub = v1::StatementService::NewStub(channel);
  ASSERT_TRUE(CreateFixture(*channel).ok());

  AcknowledgedWrites acknowledged;
  absl::Mutex gate;
  std::atomic<bool> stop{false};
  std::vector<absl::Status> errors(2);
  std::vector<std::thread> writers;
  for (int i = 0; i < 2; ++i) {
    writers.emplace_back([&, i] {
      FaultWriter writer(i, *stub, acknowledged, gate);
      errors[i] = writer.Run(stop);
    });
  }
  while (acknowledged.count() < 200) absl::SleepFor(absl::Milliseconds(10));
  const int64_t acknowledged_before = acknowledged.count();
  const std::string backup = temp_dir.File("rollcall-backup.db");
  const testing::CommandResult result = Backup(data_dir, backup);
  const int64_t acknowledged_during = acknowledged.count();
  stop = true;
  for (std::thread& writer : writers) writer.join();
  for (const absl::Status& error : errors) ASSERT_TRUE(error.ok()) << error;
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("backed up"), std::string::npos) << result.stdout_text;
  EXPECT_GT(acknowledged_during, acknowledged_before) << "writers were not running";

  // Restore: the backup becomes the database file of a fresh data directory.
  const std::string restored_dir = temp_dir.File("restored");
  std::filesystem::create_directories(restored_dir);
  std::filesystem::copy_file(backup, restored_dir + "/rollcall.db");
  testing::ServerProcess restored(ROLLCALLD_PATH, restored_dir,
                                  temp_dir.File("restored.log"));
  ASSERT_TRUE(restored.Start().ok());
  std::shared_ptr<grpc::Channel> restored_channel = MakeChannel(restored.address());
  auto restored_stub = v1::StatementService::NewStub(restored_channel);
  absl::StatusOr<std::vector<v1::StatementChange>> log = ReadWholeLog(*restored_stub);
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_TRUE(CheckLogIsWellFormed(*log).ok()) << CheckLogIsWellFormed(*log);
  absl::Status present = acknowledged.CheckPresentIn(*log, acknowledged_before);
  EXPECT_TRUE(present.ok()) << present;
  absl::StatusOr<std::vector<v1::Statement>> current = ListAllStatements(*restored_stub);
  ASSERT_TRUE(current.ok()) << current.status();
  EXPECT_TRUE(CheckStatementsMatchLog(*log, *current).ok());
  std::cout << "{\"acknowledged_before_backup\": " << acknowledged_before
            << ", \"changes_in_backup\": " << log->size() << "}" << std::endl;
}

TEST(BackupTest, ExistingBackupFileIsNeverOverwritten) {
  testing::TempDir temp_dir;
  testing::ServerProcess server(ROLLCALLD_PATH, temp_dir.File("data"),
                                temp_dir.File("rollcalld.log"));
  ASSERT_TRUE(server.Start().ok());
  const std::string backup = temp_dir.File("backup.db");
  ASSERT_TRUE(testing::WriteFile(backup, "an earlier backup"));
  const testing::CommandResult result = Backup(temp_dir.File("data"), backup);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.stderr_text.find(backup + " already exists"), std::string::npos)
      << result.stderr_text;
  EXPECT_EQ(testing::ReadFile(backup), "an earlier backup");
}

}  // namespace
}  // namespace rollcall::faults
