#include "server/common/exchange_requests.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"

namespace rollcall {
namespace {

std::string RequestIdFor(const v1::ExchangeRecord& record, absl::string_view line) {
  if (!record.request_id().empty()) return record.request_id();
  if (!record.statement().name().empty()) return "import:" + record.statement().name();
  return absl::StrFormat("import:line:%016x", StableHash(line));
}

// The last part of a resource name: the id it is created under.
std::string IdOf(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

}  // namespace

uint64_t StableHash(absl::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

absl::StatusOr<ExchangeRequest> ExchangeRequestFor(v1::ExchangeRecord record,
                                                   absl::string_view line) {
  switch (record.record_case()) {
    case v1::ExchangeRecord::kActor: {
      v1::CreateActorRequest request;
      request.set_actor_id(IdOf(record.actor().name()));
      *request.mutable_actor() = std::move(*record.mutable_actor());
      return request;
    }
    case v1::ExchangeRecord::kEvent: {
      v1::CreateEventRequest request;
      request.set_event_id(IdOf(record.event().name()));
      *request.mutable_event() = std::move(*record.mutable_event());
      return request;
    }
    case v1::ExchangeRecord::kStatement: {
      v1::CreateStatementRequest request;
      request.set_request_id(RequestIdFor(record, line));
      *request.mutable_statement() = std::move(*record.mutable_statement());
      return request;
    }
    default:
      return absl::InvalidArgumentError("the record has none of actor, event, statement");
  }
}

absl::StatusOr<ExchangeRequest> ParseExchangeLine(absl::string_view line) {
  v1::ExchangeRecord record;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), &record);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an ExchangeRecord: ", parsed.message().as_string()));
  }
  return ExchangeRequestFor(std::move(record), line);
}

}  // namespace rollcall
