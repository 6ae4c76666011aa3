#include "server/filter/event_filter.h"

#include "server/common/status_macros.h"
#include "server/filter/filter_parser.h"
#include "server/filter/statement_filter.h"

namespace rollcall {
namespace {

const FilterGrammar& EventGrammar() {
  static const FilterGrammar* const grammar = new FilterGrammar{
      /*fields=*/{"country_code"},
      /*alternative_fields=*/{"country_code"},
      /*labels=*/true,
      /*bare_string_field=*/"",
      /*max_length=*/kMaxFilterLength,
      /*max_restrictions=*/kMaxFilterRestrictions,
  };
  return *grammar;
}

absl::Status Apply(const Restriction& r, absl::string_view field, EventFilter& filter) {
  if (r.field == "country_code") {
    ASSIGN_OR_RETURN(std::string code, ParseCountryCodeRestriction(r, field));
    filter.country_codes.push_back(std::move(code));
  } else {
    ASSIGN_OR_RETURN(auto label, ParseLabelRestriction(r, field));
    filter.labels.push_back(std::move(label));
  }
  return absl::OkStatus();
}

}  // namespace

std::string EventFilter::Canonical() const {
  std::string out;
  AppendCanonical(out, "country_code", country_codes);
  AppendCanonical(out, "labels", LabelTexts(labels));
  return out;
}

absl::StatusOr<EventFilter> ParseEventFilter(absl::string_view text,
                                             absl::string_view field) {
  EventFilter filter;
  RETURN_IF_ERROR(
      ForEachRestriction(text, field, EventGrammar(),
                         [&](const Restriction& r) { return Apply(r, field, filter); }));
  SortUnique(filter.country_codes);
  SortUnique(filter.labels);
  return filter;
}

}  // namespace rollcall
