#include "server/auth/token_auth_processor.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace rollcall {
namespace {

constexpr absl::string_view kAuthorization = "authorization";
constexpr absl::string_view kBearer = "bearer ";

absl::string_view Value(const grpc::AuthMetadataProcessor::InputMetadata& metadata,
                        absl::string_view key) {
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return "";
  return absl::string_view(it->second.data(), it->second.size());
}

grpc::Status Unauthenticated(absl::string_view why) {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                      absl::StrCat("authorization: ", why,
                                   "; send the header \"authorization: Bearer TOKEN\""));
}

}  // namespace

grpc::Status TokenAuthProcessor::Process(const InputMetadata& auth_metadata,
                                         grpc::AuthContext* context,
                                         OutputMetadata* consumed_auth_metadata,
                                         OutputMetadata* /*response_metadata*/) {
  const absl::string_view method = Value(auth_metadata, ":path");
  const MethodAccess access = AccessFor(method);
  if (!access.needs_token) return grpc::Status::OK;

  const absl::string_view header = Value(auth_metadata, kAuthorization);
  if (header.empty()) return Unauthenticated("no bearer token");
  if (header.size() <= kBearer.size() ||
      !absl::EqualsIgnoreCase(header.substr(0, kBearer.size()), kBearer)) {
    return Unauthenticated("not a bearer token");
  }
  const absl::string_view token =
      absl::StripAsciiWhitespace(header.substr(kBearer.size()));
  std::optional<Principal> principal = tokens_.Find(token);
  if (!principal.has_value()) return Unauthenticated("unknown token");
  consumed_auth_metadata->emplace(std::string(kAuthorization), std::string(header));

  if (principal->role < access.role) {
    return grpc::Status(
        grpc::StatusCode::PERMISSION_DENIED,
        absl::StrCat(method, " needs the ", RoleName(access.role), " role; token \"",
                     principal->name, "\" has the ", RoleName(principal->role), " role"));
  }
  if (access.writes && write_limiter_ != nullptr) {
    absl::Status admitted = write_limiter_->TakeWrite(principal->name, absl::Now());
    if (!admitted.ok()) {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          std::string(admitted.message()));
    }
  }
  context->AddProperty(kPrincipalProperty, principal->name);
  context->AddProperty(kRoleProperty, std::string(RoleName(principal->role)));
  return grpc::Status::OK;
}

}  // namespace rollcall
