// Fuzzes `rollcall import`'s JSONL reading: one input is one line. A line
// that parses is then checked by the server's validators, as the server
// would check the request the CLI sends for it.

#include <cstddef>
#include <cstdint>
#include <variant>

#include "server/common/exchange_requests.h"
#include "server/common/names.h"
#include "server/service/validation.h"
#include "tests/fuzz/fuzz_check.h"

namespace rollcall::fuzz {
namespace {

void Validate(const v1::CreateActorRequest& request) {
  RequireOkOrFieldError(ValidateResourceId(request.actor_id(), "actor_id"), "actor_id");
  RequireOkOrFieldError(ValidateActor(request.actor(), "actor"), "actor");
}

void Validate(const v1::CreateEventRequest& request) {
  RequireOkOrFieldError(ValidateResourceId(request.event_id(), "event_id"), "event_id");
  RequireOkOrFieldError(ValidateEvent(request.event(), "event"), "event");
}

void Validate(const v1::CreateStatementRequest& request) {
  Require(!request.request_id().empty(), "a statement is imported without a request id");
  RequireOkOrFieldError(ValidateRequestId(request.request_id(), "request_id"),
                        "request_id");
  RequireOkOrFieldError(ValidateStatement(request.statement(), "statement"),
                        "statement");
}

}  // namespace
}  // namespace rollcall::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  const absl::string_view line(reinterpret_cast<const char*>(data), size);
  auto request = ParseExchangeLine(line);
  if (!request.ok()) {
    fuzz::Require(absl::IsInvalidArgument(request.status()),
                  "a bad line is not INVALID_ARGUMENT: " + request.status().ToString());
    return 0;
  }
  std::visit([](const auto& create) { fuzz::Validate(create); }, *request);
  return 0;
}
