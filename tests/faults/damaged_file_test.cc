// A damaged data file: rollcalld refuses to start, with a message naming
// the file, rather than serve a damaged store.

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/faults/fault_client.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace rollcall::faults {
namespace {

class DamagedFileTest : public ::testing::Test {
 protected:
  // Records some statements and stops the server cleanly (the WAL is then
  // checkpointed into the database file).
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    std::shared_ptr<grpc::Channel> channel = MakeChannel(server_.address());
    ASSERT_TRUE(CreateFixture(*channel).ok());
    auto stub = v1::StatementService::NewStub(channel);
    absl::BitGen random;
    v1::BatchCreateStatementsRequest batch;
    for (int i = 0; i < 300; ++i) {
      v1::CreateStatementRequest* request = batch.add_requests();
      *request->mutable_statement() = MakeStatement(random, absl::StrCat("s", i));
      request->set_allow_duplicate(true);
    }
    v1::BatchCreateStatementsResponse response;
    grpc::Status status =
        stub->BatchCreateStatements(WaitingContext().get(), batch, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
    ASSERT_EQ(server_.Stop(), 0);
    ASSERT_GT(std::filesystem::file_size(database_), 64u * 1024);
  }

  // Starting must fail, and the error (the end of the server's log) must
  // name the database file.
  void ExpectRefusedNamingTheFile() { ExpectRefusedNamingTheFile(server_); }
  void ExpectRefusedNamingTheFile(testing::ServerProcess& server) {
    absl::Status started = server.Start();
    ASSERT_FALSE(started.ok()) << "rollcalld started on a damaged file";
    EXPECT_NE(started.message().find(database_ + " is damaged"), std::string::npos)
        << started;
  }

  testing::TempDir temp_dir_;
  std::string database_ = temp_dir_.File("data/rollcall.db");
  testing::ServerProcess server_{ROLLCALLD_PATH, temp_dir_.File("data"),
                                 temp_dir_.File("rollcalld.log")};
};

TEST_F(DamagedFileTest, TruncatedFileIsRefusedNamingIt) {
  std::filesystem::resize_file(database_, std::filesystem::file_size(database_) / 2);
  ExpectRefusedNamingTheFile();
}

TEST_F(DamagedFileTest, OverwrittenPagesAreRefusedNamingThem) {
  const auto size = std::filesystem::file_size(database_);
  std::fstream file(database_, std::ios::binary | std::ios::in | std::ios::out);
  absl::BitGen random;
  // Pages 2.. hold the schema's tables and indexes; garble a run of them.
  file.seekp(4096 * 2);
  for (std::uintmax_t i = 4096 * 2; i < std::min<std::uintmax_t>(size, 4096 * 12); ++i) {
    file.put(static_cast<char>(absl::Uniform(random, 0, 256)));
  }
  file.close();
  ExpectRefusedNamingTheFile();
}

TEST_F(DamagedFileTest, PageInTheMiddleIsRefusedWhenEveryPageIsVerified) {
  const auto size = std::filesystem::file_size(database_);
  std::fstream file(database_, std::ios::binary | std::ios::in | std::ios::out);
  const std::uintmax_t middle_page = size / 4096 / 2;
  file.seekp(static_cast<std::streamoff>(middle_page * 4096));
  absl::BitGen random;
  for (int i = 0; i < 4096; ++i) file.put(static_cast<char>(absl::Uniform(random, 0, 256)));
  file.close();
  testing::ServerProcess verifying(ROLLCALLD_PATH, temp_dir_.File("data"),
                                   temp_dir_.File("verifying.log"), {"--verify_on_start"});
  ExpectRefusedNamingTheFile(verifying);
}

}  // namespace
}  // namespace rollcall::faults
