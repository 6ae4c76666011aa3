#ifndef ROLLCALL_CLIENT_CLI_PROVENANCE_H_
#define ROLLCALL_CLIENT_CLI_PROVENANCE_H_

// How the CLI shows what was said and where an actor stands, so that a
// paraphrase never looks like a quotation and a stance never loses its
// target: verbatim quotes in quotation marks (“…”), summaries labelled
// "summary:" without them; "supports niger-government" rather than
// "supports".

#include <string>

#include "absl/strings/string_view.h"
#include "rollcall/v1/statement.pb.h"
#include "rollcall/v1/statement_service.pb.h"

namespace rollcall::cli {

// The header of a column of Words().
inline constexpr char kWordsHeader[] = "“QUOTE” OR SUMMARY:";

// The quote in quotation marks, or else "summary: " and the summary, on
// one line and at most `max_width` code points (cut inside the marks).
std::string Words(absl::string_view quote, absl::string_view summary,
                  size_t max_width);
std::string Words(const v1::Statement& statement, size_t max_width);
// A summary's digest: its excerpt, marked as a quote or a summary.
std::string Words(const v1::StatementDigest& digest, size_t max_width);

// "supports niger-government", or "condemns" when the stance is toward
// the event itself.
std::string StanceWithTarget(v1::Stance stance, absl::string_view toward);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_PROVENANCE_H_
