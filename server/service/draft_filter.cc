#include "server/service/draft_filter.h"

#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/filter/filter_parser.h"
#include "server/filter/statement_filter.h"

namespace rollcall {
namespace {

const FilterGrammar& DraftGrammar() {
  static const FilterGrammar* const grammar = new FilterGrammar{
      /*fields=*/{"event", "state", "actor", "document"},
      /*alternative_fields=*/{},
      /*labels=*/false,
      /*bare_string_field=*/"",
      /*max_length=*/kMaxFilterLength,
      /*max_restrictions=*/kMaxFilterRestrictions,
  };
  return *grammar;
}

// Sets `target` once; a second restriction on the field is an error.
absl::Status SetOnce(std::string value, const Restriction& r, absl::string_view field,
                     std::string& target) {
  if (!target.empty()) {
    return FieldError(field, absl::StrCat(r.field, " is restricted twice; give it once"));
  }
  target = std::move(value);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DraftQuery> ParseDraftFilter(absl::string_view text, absl::string_view field) {
  DraftQuery query;
  RETURN_IF_ERROR(ForEachRestriction(
      text, field, DraftGrammar(), [&](const Restriction& r) -> absl::Status {
        if (r.field == "state") {
          if (query.state != v1::DRAFT_STATE_UNSPECIFIED) {
            return FieldError(field, "state is restricted twice; give it once");
          }
          ASSIGN_OR_RETURN(int state, ParseEnumRestriction(r, *v1::DraftState_descriptor(),
                                                           "DRAFT_STATE_", field));
          query.state = static_cast<v1::DraftState>(state);
          return absl::OkStatus();
        }
        if (r.field == "event") {
          ASSIGN_OR_RETURN(std::string name,
                           ParseNameRestriction(r, kEventsCollection, field));
          return SetOnce(std::move(name), r, field, query.event);
        }
        if (r.field == "actor") {
          ASSIGN_OR_RETURN(std::string name,
                           ParseNameRestriction(r, kActorsCollection, field));
          return SetOnce(std::move(name), r, field, query.actor);
        }
        ASSIGN_OR_RETURN(std::string name,
                         ParseNameRestriction(r, kDocumentsCollection, field));
        return SetOnce(std::move(name), r, field, query.document);
      }));
  return query;
}

std::string CanonicalDraftFilter(const DraftQuery& query) {
  return absl::StrCat("event=", query.event, "|state=", query.state, "|actor=", query.actor,
                      "|document=", query.document);
}

}  // namespace rollcall
