#ifndef ROLLCALL_SERVER_FILTER_STATEMENT_FILTER_H_
#define ROLLCALL_SERVER_FILTER_STATEMENT_FILTER_H_

// The statement filter shared by ListStatements, SubscribeStatements and
// SummarizeReactions: one parser, one type, and one in-memory matcher that
// agrees with the stores' SQL translation. The syntax is documented on
// StatementService in proto/rollcall/v1/statement_service.proto.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall {

// A parsed filter. Fields are joined by AND; the values inside one vector are
// alternatives joined by OR; an empty vector does not restrict.
struct StatementFilter {
  std::vector<std::string> events;  // event resource names
  std::vector<std::string> actors;  // actor resource names
  // Bloc resource names: matches a statement whose actor is the bloc or a
  // current direct member of it.
  std::vector<std::string> blocs;
  std::vector<v1::ActorKind> actor_kinds;
  std::vector<v1::Stance> stances;
  std::vector<v1::ActionKind> actions;  // any action of one of these kinds
  std::vector<v1::Modality> modalities;
  std::vector<v1::StatementState> states;
  // Issue-time range in Unix microseconds: min inclusive, max exclusive.
  std::optional<int64_t> issue_time_min_micros;
  std::optional<int64_t> issue_time_max_micros;
  // Each term must occur as a phrase in the quote or the summary, as the
  // full-text index tokenises them (server/text); stored as the canonical
  // SearchPhrase text ("tok1 tok2", "tok*").
  std::vector<std::string> texts;
  // Each (key, value) label must be present.
  std::vector<std::pair<std::string, std::string>> labels;

  // A canonical text of the filter: two filters that match the same
  // statements by construction have the same text. Page tokens carry its
  // fingerprint so that a token is not reused with another filter.
  std::string Canonical() const;

  // True if no field restricts.
  bool Empty() const;
};

// Limits that keep a filter cheap to evaluate.
inline constexpr int kMaxFilterLength = 4096;
inline constexpr int kMaxFilterRestrictions = 64;
inline constexpr int kMaxFilterDepth = 16;

// The limits a statement filter is parsed under (rollcalld's --max_filter_*
// flags).
struct FilterLimits {
  int max_length = kMaxFilterLength;
  int max_restrictions = kMaxFilterRestrictions;
  int max_depth = kMaxFilterDepth;
};

// Parses a filter string. An empty string is the empty filter.
// INVALID_ARGUMENT naming `field` (e.g. "filter") and the offending position
// and token on any syntax error, unknown field or enum value, bad time, or a
// filter over `limits`.
absl::StatusOr<StatementFilter> ParseStatementFilter(
    absl::string_view text, absl::string_view field,
    const FilterLimits& limits = FilterLimits());

// What the matcher needs to know about actors that a Statement does not carry.
struct ActorFacts {
  // The kind of the actor with this resource name (UNSPECIFIED if unknown).
  std::function<v1::ActorKind(absl::string_view actor)> kind_of;
  // True if `actor` is currently a direct member of `bloc`.
  std::function<bool(absl::string_view actor, absl::string_view bloc)> is_member;
};

// True if `statement` (as it is after a change) matches `filter`. The state
// restriction applies only if filter.states is non-empty.
bool Matches(const StatementFilter& filter, const v1::Statement& statement,
             const ActorFacts& facts);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_FILTER_STATEMENT_FILTER_H_
