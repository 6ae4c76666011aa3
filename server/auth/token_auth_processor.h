#ifndef ROLLCALL_SERVER_AUTH_TOKEN_AUTH_PROCESSOR_H_
#define ROLLCALL_SERVER_AUTH_TOKEN_AUTH_PROCESSOR_H_

// The one place where calls are authenticated and authorized. gRPC runs it
// on every call's initial metadata, before any handler: it reads the
// `authorization: Bearer TOKEN` header, looks the token up, checks the
// method's role (roles.h) and, for writes, the principal's write rate, and
// ends the call with
//   UNAUTHENTICATED     no token, a malformed header, or an unknown token;
//   PERMISSION_DENIED   a known token whose role is too low for the method;
//   RESOURCE_EXHAUSTED  the token's write rate limit is reached.
// An admitted call's auth context carries the properties
// "rollcall.principal" (the token's name) and "rollcall.role". The token is
// never logged nor put in a message.

#include <memory>

#include "grpcpp/security/auth_metadata_processor.h"
#include "server/auth/token_table.h"
#include "server/auth/write_rate_limiter.h"

namespace rollcall {

inline constexpr char kPrincipalProperty[] = "rollcall.principal";
inline constexpr char kRoleProperty[] = "rollcall.role";

class TokenAuthProcessor final : public grpc::AuthMetadataProcessor {
 public:
  // `write_limiter` may be null (no write limit).
  TokenAuthProcessor(TokenTable tokens, std::unique_ptr<WriteRateLimiter> write_limiter)
      : tokens_(std::move(tokens)), write_limiter_(std::move(write_limiter)) {}

  // Cheap and non-blocking: runs on gRPC's own thread.
  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  const TokenTable tokens_;
  const std::unique_ptr<WriteRateLimiter> write_limiter_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_AUTH_TOKEN_AUTH_PROCESSOR_H_
