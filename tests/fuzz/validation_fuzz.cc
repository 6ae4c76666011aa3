// Fuzzes request validation. The first byte picks the request type; the
// rest is parsed as that request in the protobuf wire format, as gRPC would
// deliver it, and the request's validators run on it.

#include <cstddef>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "server/common/names.h"
#include "server/common/time_util.h"
#include "server/service/validation.h"
#include "rollcall/v1/actor_service.pb.h"
#include "rollcall/v1/event_service.pb.h"
#include "rollcall/v1/statement_service.pb.h"
#include "tests/fuzz/fuzz_check.h"

namespace rollcall::fuzz {
namespace {

// Runs `validate` twice: it must give the same answer, OK or an error
// naming a field under `field`.
template <typename Validate>
void Check(absl::string_view field, Validate validate) {
  const absl::Status first = validate();
  RequireOkOrFieldError(first, field);
  Require(validate() == first, absl::StrCat("validation of ", field, " is not stable"));
}

template <typename Request>
bool Parse(const uint8_t* data, size_t size, Request* request) {
  return request->ParseFromArray(data, static_cast<int>(size));
}

void CheckStatementRequest(const uint8_t* data, size_t size) {
  v1::CreateStatementRequest request;
  if (!Parse(data, size, &request)) return;
  Check("request_id", [&] { return ValidateRequestId(request.request_id(), "request_id"); });
  Check("statement", [&] { return ValidateStatement(request.statement(), "statement"); });
}

void CheckActorRequest(const uint8_t* data, size_t size) {
  v1::CreateActorRequest request;
  if (!Parse(data, size, &request)) return;
  Check("actor_id", [&] { return ValidateResourceId(request.actor_id(), "actor_id"); });
  Check("actor", [&] { return ValidateActor(request.actor(), "actor"); });
}

void CheckEventRequest(const uint8_t* data, size_t size) {
  v1::CreateEventRequest request;
  if (!Parse(data, size, &request)) return;
  Check("event_id", [&] { return ValidateResourceId(request.event_id(), "event_id"); });
  Check("event", [&] { return ValidateEvent(request.event(), "event"); });
  Check("event.start_time",
        [&] { return ValidateTimestamp(request.event().start_time(), "event.start_time"); });
}

}  // namespace
}  // namespace rollcall::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t kind = data[0] % 3;
  ++data;
  --size;
  switch (kind) {
    case 0:
      rollcall::fuzz::CheckStatementRequest(data, size);
      break;
    case 1:
      rollcall::fuzz::CheckActorRequest(data, size);
      break;
    default:
      rollcall::fuzz::CheckEventRequest(data, size);
      break;
  }
  return 0;
}
