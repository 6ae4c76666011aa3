#include "server/filter/statement_filter.h"

#include <algorithm>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/filter/filter_parser.h"
#include "server/text/text_search.h"

namespace rollcall {
namespace {

const FilterGrammar& StatementGrammar() {
  static const FilterGrammar* const grammar = new FilterGrammar{
      /*fields=*/{"event", "actor", "bloc", "actor_kind", "stance", "action", "modality",
                  "state", "issue_time", "text"},
      /*alternative_fields=*/
      {"event", "actor", "bloc", "actor_kind", "stance", "action", "modality", "state"},
      /*labels=*/true,
      /*bare_string_field=*/"text",
      /*max_length=*/kMaxFilterLength,
      /*max_restrictions=*/kMaxFilterRestrictions,
  };
  return *grammar;
}

absl::Status AddName(const Restriction& restriction, absl::string_view collection,
                     absl::string_view field, std::vector<std::string>& names) {
  ASSIGN_OR_RETURN(std::string name,
                   ParseNameRestriction(restriction, collection, field));
  names.push_back(std::move(name));
  return absl::OkStatus();
}

template <typename Enum>
absl::Status AddEnum(const Restriction& restriction,
                     const google::protobuf::EnumDescriptor* descriptor,
                     absl::string_view prefix, absl::string_view field,
                     std::vector<Enum>& values) {
  ASSIGN_OR_RETURN(int number,
                   ParseEnumRestriction(restriction, *descriptor, prefix, field));
  values.push_back(static_cast<Enum>(number));
  return absl::OkStatus();
}

// Narrows the issue-time range [min, max) to the restriction's bound. A time
// between two microseconds rounds so that the bound keeps its meaning: ">= t"
// starts at the first whole microsecond at or after t.
absl::Status AddTimeBound(const Restriction& restriction, absl::string_view field,
                          StatementFilter& filter) {
  RETURN_IF_ERROR(RequireOperator(restriction, {">=", ">", "<", "<=", "="}, field));
  absl::StatusOr<absl::Time> time = ParseTime(restriction.value.text, restriction.field);
  if (!time.ok()) {
    return TokenError(field, "invalid issue_time", restriction.value,
                      "expected RFC 3339 such as \"2023-07-26T14:00:00Z\" or "
                      "a date such as \"2023-07-26\"");
  }
  const int64_t floor = absl::ToUnixMicros(*time);
  const int64_t ceil = absl::FromUnixMicros(floor) == *time ? floor : floor + 1;
  const std::string& op = restriction.op.text;
  std::optional<int64_t> min;
  std::optional<int64_t> max;
  if (op == ">=" || op == "=") min = ceil;
  if (op == ">") min = floor + 1;
  if (op == "<") max = ceil;
  if (op == "<=" || op == "=") max = floor + 1;
  if (min.has_value()) {
    filter.issue_time_min_micros =
        std::max(*min, filter.issue_time_min_micros.value_or(*min));
  }
  if (max.has_value()) {
    filter.issue_time_max_micros =
        std::min(*max, filter.issue_time_max_micros.value_or(*max));
  }
  return absl::OkStatus();
}

absl::Status AddText(const Restriction& restriction, absl::string_view field,
                     std::vector<std::string>& texts) {
  RETURN_IF_ERROR(RequireOperator(restriction, {":", "="}, field));
  absl::StatusOr<SearchPhrase> phrase = ParseSearchPhrase(restriction.value.text);
  if (!phrase.ok()) {
    return TokenError(field, "text without words", restriction.value,
                      phrase.status().message());
  }
  texts.push_back(phrase->ToString());
  return absl::OkStatus();
}

absl::Status AddLabel(const Restriction& restriction, absl::string_view field,
                      std::vector<std::pair<std::string, std::string>>& labels) {
  ASSIGN_OR_RETURN(auto label, ParseLabelRestriction(restriction, field));
  labels.push_back(std::move(label));
  return absl::OkStatus();
}

absl::Status Apply(const Restriction& r, absl::string_view field,
                   StatementFilter& filter) {
  const std::string& name = r.field;
  if (name == "event") return AddName(r, kEventsCollection, field, filter.events);
  if (name == "actor") return AddName(r, kActorsCollection, field, filter.actors);
  if (name == "bloc") return AddName(r, kActorsCollection, field, filter.blocs);
  if (name == "actor_kind") {
    return AddEnum(r, v1::ActorKind_descriptor(), "ACTOR_KIND_", field,
                   filter.actor_kinds);
  }
  if (name == "stance") {
    return AddEnum(r, v1::Stance_descriptor(), "STANCE_", field, filter.stances);
  }
  if (name == "action") {
    return AddEnum(r, v1::ActionKind_descriptor(), "ACTION_KIND_", field, filter.actions);
  }
  if (name == "modality") {
    return AddEnum(r, v1::Modality_descriptor(), "MODALITY_", field, filter.modalities);
  }
  if (name == "state") {
    return AddEnum(r, v1::StatementState_descriptor(), "STATEMENT_STATE_", field,
                   filter.states);
  }
  if (name == "issue_time") return AddTimeBound(r, field, filter);
  if (name == "text") return AddText(r, field, filter.texts);
  return AddLabel(r, field, filter.labels);
}

template <typename T>
bool AllowedBy(const std::vector<T>& allowed, const T& value) {
  return allowed.empty() || absl::c_linear_search(allowed, value);
}

bool MatchesBlocs(const StatementFilter& filter, const std::string& actor,
                  const ActorFacts& facts) {
  if (filter.blocs.empty()) return true;
  return absl::c_any_of(filter.blocs, [&](const std::string& bloc) {
    return actor == bloc || (facts.is_member != nullptr && facts.is_member(actor, bloc));
  });
}

bool MatchesActorKind(const StatementFilter& filter, const std::string& actor,
                      const ActorFacts& facts) {
  if (filter.actor_kinds.empty()) return true;
  const v1::ActorKind kind =
      facts.kind_of != nullptr ? facts.kind_of(actor) : v1::ACTOR_KIND_UNSPECIFIED;
  return absl::c_linear_search(filter.actor_kinds, kind);
}

bool MatchesActions(const StatementFilter& filter, const v1::Statement& statement) {
  if (filter.actions.empty()) return true;
  return absl::c_any_of(statement.actions(), [&](const v1::Action& action) {
    return absl::c_linear_search(filter.actions, action.kind());
  });
}

bool MatchesIssueTime(const StatementFilter& filter, const v1::Statement& statement) {
  const int64_t micros = ToUnixMicros(statement.issue_time());
  if (filter.issue_time_min_micros && micros < *filter.issue_time_min_micros) {
    return false;
  }
  return !filter.issue_time_max_micros || micros < *filter.issue_time_max_micros;
}

bool MatchesTexts(const StatementFilter& filter, const v1::Statement& statement) {
  if (filter.texts.empty()) return true;
  const std::vector<std::string> quote = SearchTokens(statement.quote());
  const std::vector<std::string> summary = SearchTokens(statement.summary());
  return absl::c_all_of(filter.texts, [&](const std::string& term) {
    const SearchPhrase phrase = SearchPhraseFromString(term);
    return phrase.MatchesTokens(quote) || phrase.MatchesTokens(summary);
  });
}

bool MatchesLabels(const StatementFilter& filter, const v1::Statement& statement) {
  return absl::c_all_of(filter.labels, [&](const auto& label) {
    auto it = statement.labels().find(label.first);
    return it != statement.labels().end() && it->second == label.second;
  });
}

}  // namespace

std::string StatementFilter::Canonical() const {
  std::string out;
  AppendCanonical(out, "event", events);
  AppendCanonical(out, "actor", actors);
  AppendCanonical(out, "bloc", blocs);
  AppendCanonical(out, "actor_kind", EnumNames(actor_kinds, *v1::ActorKind_descriptor()));
  AppendCanonical(out, "stance", EnumNames(stances, *v1::Stance_descriptor()));
  AppendCanonical(out, "action", EnumNames(actions, *v1::ActionKind_descriptor()));
  AppendCanonical(out, "modality", EnumNames(modalities, *v1::Modality_descriptor()));
  AppendCanonical(out, "state", EnumNames(states, *v1::StatementState_descriptor()));
  if (issue_time_min_micros.has_value()) {
    AppendCanonical(out, "issue_time_min", {absl::StrCat(*issue_time_min_micros)});
  }
  if (issue_time_max_micros.has_value()) {
    AppendCanonical(out, "issue_time_max", {absl::StrCat(*issue_time_max_micros)});
  }
  AppendCanonical(out, "text", texts);
  AppendCanonical(out, "labels", LabelTexts(labels));
  return out;
}

bool StatementFilter::Empty() const {
  return events.empty() && actors.empty() && blocs.empty() && actor_kinds.empty() &&
         stances.empty() && actions.empty() && modalities.empty() && states.empty() &&
         !issue_time_min_micros.has_value() && !issue_time_max_micros.has_value() &&
         texts.empty() && labels.empty();
}

absl::StatusOr<StatementFilter> ParseStatementFilter(absl::string_view text,
                                                     absl::string_view field,
                                                     const FilterLimits& limits) {
  StatementFilter filter;
  FilterGrammar grammar = StatementGrammar();
  grammar.max_length = limits.max_length;
  grammar.max_restrictions = limits.max_restrictions;
  grammar.max_depth = limits.max_depth;
  RETURN_IF_ERROR(ForEachRestriction(text, field, grammar, [&](const Restriction& r) {
    return Apply(r, field, filter);
  }));
  SortUnique(filter.events);
  SortUnique(filter.actors);
  SortUnique(filter.blocs);
  SortUnique(filter.actor_kinds);
  SortUnique(filter.stances);
  SortUnique(filter.actions);
  SortUnique(filter.modalities);
  SortUnique(filter.states);
  SortUnique(filter.texts);
  SortUnique(filter.labels);
  return filter;
}

bool Matches(const StatementFilter& filter, const v1::Statement& statement,
             const ActorFacts& facts) {
  const v1::Modality modality = statement.modality() == v1::MODALITY_UNSPECIFIED
                                    ? v1::MODALITY_ASSERTED
                                    : statement.modality();
  return AllowedBy(filter.events, statement.event()) &&
         AllowedBy(filter.actors, statement.actor()) &&
         MatchesBlocs(filter, statement.actor(), facts) &&
         MatchesActorKind(filter, statement.actor(), facts) &&
         AllowedBy(filter.stances, statement.stance()) &&
         MatchesActions(filter, statement) && AllowedBy(filter.modalities, modality) &&
         AllowedBy(filter.states, statement.state()) &&
         MatchesIssueTime(filter, statement) && MatchesTexts(filter, statement) &&
         MatchesLabels(filter, statement);
}

}  // namespace rollcall
