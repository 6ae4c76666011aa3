#ifndef ROLLCALL_SERVER_SERVICE_DRAFT_FILTER_H_
#define ROLLCALL_SERVER_SERVICE_DRAFT_FILTER_H_

// ListDrafts' filter (see the DraftService comment in draft_service.proto):
// restrictions on event, state, actor and document joined by AND, in the
// grammar the other filters share (server/filter/filter_parser.h).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/store/draft_store.h"

namespace rollcall {

// Fills the conditions of a DraftQuery from `text`; INVALID_ARGUMENT naming
// `field` for a malformed filter, an unknown field or a field given twice.
absl::StatusOr<DraftQuery> ParseDraftFilter(absl::string_view text, absl::string_view field);

// A canonical text of the query's conditions, for page tokens.
std::string CanonicalDraftFilter(const DraftQuery& query);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_DRAFT_FILTER_H_
