#ifndef ROLLCALL_CLIENT_CLI_REVIEW_H_
#define ROLLCALL_CLIENT_CLI_REVIEW_H_

// The interactive review of drafts: each pending draft shown with its
// evidence highlighted, then [a]ccept [e]dit [r]eject [s]kip [q]uit.

#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "client/cli/draft_client.h"
#include "client/cli/prompt.h"
#include "rollcall/v1/draft.pb.h"

namespace rollcall::cli {

struct ReviewCounts {
  int accepted = 0;
  int rejected = 0;
  int skipped = 0;
};

// Reviews the pending drafts among `drafts`, in order, asking with
// `prompter` and writing to `out` (colours as `colour` says). Accept asks
// for the actor first when it is unresolved; edit asks for each field with
// the proposed value as default, then accepts; reject asks for a reason.
// A duplicate refused by the server is shown, and recorded anyway only if
// the user says so. A failed accept or reject is reported and the draft
// offered again. Returns CANCELLED if input ends; other errors (the server
// unreachable) end the review.
absl::StatusOr<ReviewCounts> ReviewDrafts(DraftClient& client,
                                          const std::vector<v1::Draft>& drafts,
                                          Prompter& prompter, std::ostream& out,
                                          bool colour);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_REVIEW_H_
