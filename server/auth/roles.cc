#include "server/auth/roles.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace rollcall {
namespace {

using AccessTable = absl::flat_hash_map<std::string, MethodAccess>;

const AccessTable& RollcallMethods() {
  constexpr MethodAccess kRead{true, Role::kReader, false};
  constexpr MethodAccess kWriteStatements{true, Role::kWriter, true};
  constexpr MethodAccess kWriteDirectory{true, Role::kAdmin, true};
  static const auto* const table = new AccessTable{
      {"/rollcall.v1.ActorService/CreateActor", kWriteDirectory},
      {"/rollcall.v1.ActorService/GetActor", kRead},
      {"/rollcall.v1.ActorService/ListActors", kRead},
      {"/rollcall.v1.ActorService/UpdateActor", kWriteDirectory},
      {"/rollcall.v1.EventService/CreateEvent", kWriteDirectory},
      {"/rollcall.v1.EventService/GetEvent", kRead},
      {"/rollcall.v1.EventService/ListEvents", kRead},
      {"/rollcall.v1.EventService/UpdateEvent", kWriteDirectory},
      {"/rollcall.v1.StatementService/CreateStatement", kWriteStatements},
      {"/rollcall.v1.StatementService/BatchCreateStatements", kWriteStatements},
      {"/rollcall.v1.StatementService/IngestStatements", kWriteStatements},
      {"/rollcall.v1.StatementService/GetStatement", kRead},
      {"/rollcall.v1.StatementService/ListStatements", kRead},
      {"/rollcall.v1.StatementService/UpdateStatement", kWriteStatements},
      {"/rollcall.v1.StatementService/RetractStatement", kWriteStatements},
      {"/rollcall.v1.StatementService/ListStatementRevisions", kRead},
      {"/rollcall.v1.StatementService/SubscribeStatements", kRead},
      {"/rollcall.v1.StatementService/SummarizeReactions", kRead},
      {"/rollcall.v1.DraftService/ExtractDrafts", kWriteStatements},
      {"/rollcall.v1.DraftService/GetDocument", kRead},
      {"/rollcall.v1.DraftService/GetDraft", kRead},
      {"/rollcall.v1.DraftService/ListDrafts", kRead},
      {"/rollcall.v1.DraftService/AcceptDraft", kWriteStatements},
      {"/rollcall.v1.DraftService/RejectDraft", kWriteStatements},
      {"/rollcall.v1.DraftService/WatchDrafts", kRead},
  };
  return *table;
}

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kReader:
      return "reader";
    case Role::kWriter:
      return "writer";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (Role role : {Role::kReader, Role::kWriter, Role::kAdmin}) {
    if (name == RoleName(role)) return role;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown role \"", name, "\"; use reader, writer or admin"));
}

MethodAccess AccessFor(absl::string_view method_path) {
  const AccessTable& table = RollcallMethods();
  if (auto it = table.find(method_path); it != table.end()) return it->second;
  if (absl::StartsWith(method_path, "/grpc.health.v1.Health/") ||
      absl::StartsWith(method_path, "/grpc.reflection.v1alpha.ServerReflection/") ||
      absl::StartsWith(method_path, "/grpc.reflection.v1.ServerReflection/")) {
    return MethodAccess{false, Role::kReader, false};
  }
  return MethodAccess{true, Role::kAdmin, false};
}

}  // namespace rollcall
