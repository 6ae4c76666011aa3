#include "server/auth/roles.h"

#include <string>

#include "gtest/gtest.h"

namespace rollcall {
namespace {

TEST(RolesTest, ReadsNeedAReaderStatementWritesAWriterDirectoryWritesAnAdmin) {
  const MethodAccess read = AccessFor("/rollcall.v1.StatementService/ListStatements");
  EXPECT_TRUE(read.needs_token);
  EXPECT_EQ(read.role, Role::kReader);
  EXPECT_FALSE(read.writes);
  const MethodAccess ingest = AccessFor("/rollcall.v1.StatementService/IngestStatements");
  EXPECT_EQ(ingest.role, Role::kWriter);
  EXPECT_TRUE(ingest.writes);
  EXPECT_EQ(AccessFor("/rollcall.v1.EventService/UpdateEvent").role, Role::kAdmin);
}

TEST(RolesTest, DraftReviewNeedsAWriterAndReadingDraftsAReader) {
  for (const char* method : {"ExtractDrafts", "AcceptDraft", "RejectDraft"}) {
    const MethodAccess access = AccessFor(std::string("/rollcall.v1.DraftService/") + method);
    EXPECT_EQ(access.role, Role::kWriter) << method;
    EXPECT_TRUE(access.writes) << method;
  }
  for (const char* method : {"GetDocument", "GetDraft", "ListDrafts", "WatchDrafts"}) {
    const MethodAccess access = AccessFor(std::string("/rollcall.v1.DraftService/") + method);
    EXPECT_TRUE(access.needs_token) << method;
    EXPECT_EQ(access.role, Role::kReader) << method;
    EXPECT_FALSE(access.writes) << method;
  }
}

TEST(RolesTest, HealthAndReflectionAreOpenAndUnknownMethodsNeedAnAdmin) {
  EXPECT_FALSE(AccessFor("/grpc.health.v1.Health/Check").needs_token);
  EXPECT_FALSE(AccessFor("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
                   .needs_token);
  const MethodAccess unknown = AccessFor("/rollcall.v2.Secret/Read");
  EXPECT_TRUE(unknown.needs_token);
  EXPECT_EQ(unknown.role, Role::kAdmin);
}

TEST(RolesTest, RoleNamesRoundTripAndOthersAreRefused) {
  for (Role role : {Role::kReader, Role::kWriter, Role::kAdmin}) {
    EXPECT_EQ(*ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(ParseRole("root").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rollcall
