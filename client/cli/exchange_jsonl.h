#ifndef ROLLCALL_CLIENT_CLI_EXCHANGE_JSONL_H_
#define ROLLCALL_CLIENT_CLI_EXCHANGE_JSONL_H_

// One line of a JSONL exchange file (an ExchangeRecord in proto JSON, as
// `rollcall export` writes it) and the create request `rollcall import`
// sends for it. Pure: no I/O, so that tests and the fuzzer can call it.

#include <cstdint>
#include <variant>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rollcall/v1/actor_service.pb.h"
#include "rollcall/v1/event_service.pb.h"
#include "rollcall/v1/statement_service.pb.h"

namespace rollcall::cli {

// The request one line asks for.
using ImportRequest = std::variant<v1::CreateActorRequest, v1::CreateEventRequest,
                                   v1::CreateStatementRequest>;

// Parses `line` (without its newline) into the request that records it:
// an actor or event is created under the id of its name; a statement with
// the record's request_id, or else one derived from the statement's name
// or, failing that, from the line's text, so that importing a file twice
// records each statement once. Returns INVALID_ARGUMENT if the line is not
// an ExchangeRecord or holds none of actor, event, statement. The request
// is not validated: the server does that.
absl::StatusOr<ImportRequest> ParseJsonlLine(absl::string_view line);

// FNV-1a of `text`: the same in every run, unlike std::hash. Request ids
// derived from a line's or a row's text use it.
uint64_t StableHash(absl::string_view text);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_EXCHANGE_JSONL_H_
