// A full disk: writes fail with RESOURCE_EXHAUSTED (or UNAVAILABLE) and a
// message saying so, reads and subscriptions keep working, and writes
// succeed again once space returns. The data directory is a small tmpfs,
// so the test must run as root (CI does); elsewhere it fails, loudly.

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/faults/fault_client.h"
#include "tests/faults/resuming_subscriber.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace rollcall::faults {
namespace {

// A tmpfs of `size` mounted on `path` for the life of the object.
class SmallFilesystem {
 public:
  SmallFilesystem(std::string path, const std::string& size) : path_(std::move(path)) {
    std::filesystem::create_directories(path_);
    const std::string options = "size=" + size;
    if (mount("tmpfs", path_.c_str(), "tmpfs", 0, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~SmallFilesystem() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

// Writes zeros to `path` until the file system has no space left.
void FillUp(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  const std::string chunk(64 * 1024, '\0');
  while (write(fd, chunk.data(), chunk.size()) > 0) {
  }
  const int last_error = errno;
  close(fd);
  ASSERT_EQ(last_error, ENOSPC) << std::strerror(last_error);
}

grpc::Status Create(v1::StatementService::Stub& stub, absl::BitGen& random,
                    const std::string& tag, v1::Statement* created) {
  v1::CreateStatementRequest request;
  *request.mutable_statement() = MakeStatement(random, tag);
  request.mutable_statement()->set_summary(std::string(2000, 's'));
  request.set_request_id(tag);
  request.set_allow_duplicate(true);
  return stub.CreateStatement(WaitingContext().get(), request, created);
}

TEST(DiskFullTest, WritesFailWhileFullReadsAndSubscriptionsGoOnWritesResumeAfter) {
  ASSERT_EQ(geteuid(), 0u) << "this test mounts a small tmpfs and must run as root";
  testing::TempDir temp_dir;
  SmallFilesystem filesystem(temp_dir.File("data"), "3m");
  ASSERT_TRUE(filesystem.mounted()) << "mount tmpfs: " << filesystem.error();
  testing::ServerProcess server(ROLLCALLD_PATH, temp_dir.File("data"),
                                temp_dir.File("rollcalld.log"));
  ASSERT_TRUE(server.Start().ok());
  std::shared_ptr<grpc::Channel> channel = MakeChannel(server.address());
  auto stub = v1::StatementService::NewStub(channel);
  ASSERT_TRUE(CreateFixture(*channel).ok());
  absl::BitGen random;
  v1::Statement before;
  ASSERT_TRUE(Create(*stub, random, "before", &before).ok());
  ResumingSubscriber subscriber(channel);
  ASSERT_TRUE(subscriber.WaitFor(before.sequence(), absl::Seconds(10)));

  const std::string filler = temp_dir.File("data/filler");
  FillUp(filler);
  grpc::Status failed;
  for (int i = 0; i < 200 && failed.ok(); ++i) {
    v1::Statement created;
    failed = Create(*stub, random, absl::StrCat("full-", i), &created);
  }
  ASSERT_FALSE(failed.ok()) << "200 writes succeeded on a full disk";
  EXPECT_TRUE(failed.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED ||
              failed.error_code() == grpc::StatusCode::UNAVAILABLE)
      << Describe(failed);
  EXPECT_NE(failed.error_message().find("full"), std::string::npos) << Describe(failed);
  EXPECT_NE(server.Log().find("rpc rollcall.v1.StatementService/CreateStatement failed: "),
            std::string::npos)
      << "the failure is not in the log";

  // Reads and subscriptions go on while the disk is full.
  v1::GetStatementRequest get;
  get.set_name(before.name());
  v1::Statement read;
  grpc::Status status = stub->GetStatement(WaitingContext().get(), get, &read);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(read.etag(), before.etag());
  absl::StatusOr<std::vector<v1::StatementChange>> log = ReadWholeLog(*stub);
  ASSERT_TRUE(log.ok()) << log.status();
  const int64_t head_while_full = static_cast<int64_t>(log->size());
  EXPECT_TRUE(subscriber.WaitFor(head_while_full, absl::Seconds(10)));
  EXPECT_TRUE(subscriber.error().ok()) << subscriber.error();

  // Space returns: writes succeed and reach the open subscription.
  std::filesystem::remove(filler);
  v1::Statement after;
  status = Create(*stub, random, "after", &after);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(after.sequence(), head_while_full + 1);
  EXPECT_TRUE(subscriber.WaitFor(after.sequence(), absl::Seconds(10)))
      << subscriber.error();
  subscriber.Stop();
  EXPECT_TRUE(subscriber.error().ok()) << subscriber.error();
  EXPECT_EQ(subscriber.resumes(), 0);
  EXPECT_EQ(server.Stop(), 0) << server.Log();
}

}  // namespace
}  // namespace rollcall::faults
