#include "server/filter/actor_filter.h"

#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/filter/filter_parser.h"
#include "server/filter/statement_filter.h"

namespace rollcall {
namespace {

const FilterGrammar& ActorGrammar() {
  static const FilterGrammar* const grammar = new FilterGrammar{
      /*fields=*/{"kind", "member_of", "country_code"},
      /*alternative_fields=*/{"kind", "member_of", "country_code"},
      /*labels=*/false,
      /*bare_string_field=*/"",
      /*max_length=*/kMaxFilterLength,
      /*max_restrictions=*/kMaxFilterRestrictions,
  };
  return *grammar;
}

absl::Status Apply(const Restriction& r, absl::string_view field, ActorFilter& filter) {
  if (r.field == "kind") {
    ASSIGN_OR_RETURN(int kind, ParseEnumRestriction(r, *v1::ActorKind_descriptor(),
                                                    "ACTOR_KIND_", field));
    filter.kinds.push_back(static_cast<v1::ActorKind>(kind));
  } else if (r.field == "member_of") {
    ASSIGN_OR_RETURN(std::string name, ParseNameRestriction(r, kActorsCollection, field));
    filter.member_of.push_back(std::move(name));
  } else {
    ASSIGN_OR_RETURN(std::string code, ParseCountryCodeRestriction(r, field));
    filter.country_codes.push_back(std::move(code));
  }
  return absl::OkStatus();
}

}  // namespace

std::string ActorFilter::Canonical() const {
  std::string out;
  AppendCanonical(out, "kind", EnumNames(kinds, *v1::ActorKind_descriptor()));
  AppendCanonical(out, "member_of", member_of);
  AppendCanonical(out, "country_code", country_codes);
  return out;
}

absl::StatusOr<ActorFilter> ParseActorFilter(absl::string_view text,
                                             absl::string_view field) {
  ActorFilter filter;
  RETURN_IF_ERROR(
      ForEachRestriction(text, field, ActorGrammar(),
                         [&](const Restriction& r) { return Apply(r, field, filter); }));
  SortUnique(filter.kinds);
  SortUnique(filter.member_of);
  SortUnique(filter.country_codes);
  return filter;
}

}  // namespace rollcall
