#ifndef ROLLCALL_SERVER_COMMON_EXCHANGE_REQUESTS_H_
#define ROLLCALL_SERVER_COMMON_EXCHANGE_REQUESTS_H_

// The create request that records one line of a JSONL exchange file (an
// ExchangeRecord in proto JSON, as `rollcall export` writes it). Both
// `rollcall import`, which sends the request, and the bulk load
// (rollcalld --bulk_load), which stores what it would have sent, use it,
// so that the two record a file alike. Pure: no I/O, no validation (the
// server, or the bulk load, validates the request).

#include <cstdint>
#include <variant>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rollcall/v1/actor_service.pb.h"
#include "rollcall/v1/event_service.pb.h"
#include "rollcall/v1/exchange.pb.h"
#include "rollcall/v1/statement_service.pb.h"

namespace rollcall {

// The request one line asks for.
using ExchangeRequest = std::variant<v1::CreateActorRequest, v1::CreateEventRequest,
                                     v1::CreateStatementRequest>;

// The request that records `record`, read from `line` (the line's text,
// without its newline): an actor or event is created under the id of its
// name; a statement with the record's request_id, or else one derived from
// the statement's name or, failing that, from the line's text, so that
// importing a file twice records each statement once. `record`'s contents
// are moved into the request. Returns INVALID_ARGUMENT if the record holds
// none of actor, event, statement.
absl::StatusOr<ExchangeRequest> ExchangeRequestFor(v1::ExchangeRecord record,
                                                   absl::string_view line);

// Parses `line` as an ExchangeRecord, then as ExchangeRequestFor. Returns
// INVALID_ARGUMENT if the line is not an ExchangeRecord.
absl::StatusOr<ExchangeRequest> ParseExchangeLine(absl::string_view line);

// FNV-1a of `text`: the same in every run, unlike std::hash. Request ids
// derived from a line's or a row's text use it.
uint64_t StableHash(absl::string_view text);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_COMMON_EXCHANGE_REQUESTS_H_
