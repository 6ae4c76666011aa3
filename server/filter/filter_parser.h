#ifndef ROLLCALL_SERVER_FILTER_FILTER_PARSER_H_
#define ROLLCALL_SERVER_FILTER_FILTER_PARSER_H_

// The grammar shared by the statement, actor and event filters, and the
// value conversions they have in common. Each filter describes its fields in
// a FilterGrammar, gets back the restrictions as written, and converts each
// value into its own struct.
//
//   filter      := [ disjunction { AND disjunction } ]
//   disjunction := atom { OR atom }          (all atoms on one field)
//   atom        := restriction | "(" disjunction ")"
//   restriction := field operator value | string (when a bare string field
//                  is configured)
//   value       := string | identifier

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "server/filter/lexer.h"

namespace rollcall {

struct FilterGrammar {
  // Field names, in the order the unknown-field message lists them.
  std::vector<absl::string_view> fields;
  // The fields whose values may be joined by OR. Each may be restricted by
  // only one disjunction, so that the values form one OR list.
  std::vector<absl::string_view> alternative_fields;
  // Whether `labels.KEY` is a field (KEY: 1-63 of [a-z0-9_-]).
  bool labels = false;
  // The field a bare quoted string restricts (e.g. "text"), or empty if a
  // bare string is an error.
  absl::string_view bare_string_field;
  int max_length = 0;
  int max_restrictions = 0;
  // Levels of parentheses allowed.
  int max_depth = 16;
};

// One `field operator value` as written. For a bare string, `field` is the
// grammar's bare_string_field and `op` a ":" at the string's position.
struct Restriction {
  std::string field;  // e.g. "stance", "labels.region"
  Token field_token;
  Token op;
  Token value;
};

// Alternatives joined by OR, all on the same field.
using Disjunction = std::vector<Restriction>;

// Parses `text` into the disjunctions that are joined by AND. An empty or
// blank text gives none. INVALID_ARGUMENT naming `field`, with the position
// and the offending token, for a syntax error, an unknown field, OR across
// fields or on a field without alternatives, a repeated alternative field,
// or a text over the grammar's limits.
absl::StatusOr<std::vector<Disjunction>> ParseDisjunctions(absl::string_view text,
                                                           absl::string_view field,
                                                           const FilterGrammar& grammar);

// Parses `text` as ParseDisjunctions does and calls `apply` on every
// restriction in order, stopping at the first error, which it returns.
absl::Status ForEachRestriction(
    absl::string_view text, absl::string_view field, const FilterGrammar& grammar,
    const std::function<absl::Status(const Restriction&)>& apply);

// OK if the restriction's operator is one of `allowed`; otherwise an error
// naming `field`, the operator and its position.
absl::Status RequireOperator(const Restriction& restriction,
                             const std::vector<absl::string_view>& allowed,
                             absl::string_view field);

// The enum number of the restriction's value, matched case-insensitively
// with or without `prefix` (e.g. "STANCE_"), as in `condemns` or
// `STANCE_CONDEMNS`. Requires the "=" operator. The zero (UNSPECIFIED) value
// and unknown names are errors naming `field` and listing the valid values.
absl::StatusOr<int> ParseEnumRestriction(
    const Restriction& restriction, const google::protobuf::EnumDescriptor& descriptor,
    absl::string_view prefix, absl::string_view field);

// The resource name in `collection` that the restriction's value names: a
// full name ("actors/ecowas") or a bare id ("ecowas"). Requires "=".
absl::StatusOr<std::string> ParseNameRestriction(const Restriction& restriction,
                                                 absl::string_view collection,
                                                 absl::string_view field);

// An ISO 3166-1 alpha-3 code, upper-cased ("ner" gives "NER"). Requires "=".
absl::StatusOr<std::string> ParseCountryCodeRestriction(const Restriction& restriction,
                                                        absl::string_view field);

// The (key, value) of a `labels.KEY = "value"` restriction. Requires "=".
absl::StatusOr<std::pair<std::string, std::string>> ParseLabelRestriction(
    const Restriction& restriction, absl::string_view field);

// Sorts `values` and removes duplicates.
template <typename T>
void SortUnique(std::vector<T>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

// Appends `name=[v1,v2]` (values C-escaped, quoted, sorted and deduplicated)
// to `out`, separated from what is already there by ";". Appends nothing if
// `values` is empty. The building block of the filters' Canonical().
void AppendCanonical(std::string& out, absl::string_view name,
                     std::vector<std::string> values);

// The name of enum value `number` ("STANCE_CONDEMNS"), or the number as
// text if `descriptor` has no such value.
std::string EnumValueName(int number, const google::protobuf::EnumDescriptor& descriptor);

// The enum value names for `values`, for AppendCanonical.
template <typename Enum>
std::vector<std::string> EnumNames(const std::vector<Enum>& values,
                                   const google::protobuf::EnumDescriptor& descriptor) {
  std::vector<std::string> names;
  names.reserve(values.size());
  for (Enum value : values) {
    names.push_back(EnumValueName(static_cast<int>(value), descriptor));
  }
  return names;
}

// Label pairs as "key=value" strings, for AppendCanonical.
std::vector<std::string> LabelTexts(
    const std::vector<std::pair<std::string, std::string>>& labels);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_FILTER_FILTER_PARSER_H_
