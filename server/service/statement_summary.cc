// StatementService.SummarizeReactions: reads the event's record as it stood
// at as_of_time and the actor directory, then summarises (reaction_summary).

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/feed/actor_facts.h"
#include "server/filter/statement_filter.h"
#include "server/service/reaction_summary.h"
#include "server/service/statement_service.h"
#include "server/service/unary.h"

namespace rollcall {
namespace {

// How many statements are filtered between checks that the caller still
// waits.
constexpr size_t kStatementsBetweenChecks = 1024;

absl::StatusOr<std::vector<v1::Actor>> AllActors(Store& store) {
  std::vector<v1::Actor> actors;
  ActorQuery query;
  query.page_size = 1000;
  while (true) {
    ASSIGN_OR_RETURN(ActorPage page, store.ListActors(query));
    for (v1::Actor& actor : page.actors) actors.push_back(std::move(actor));
    if (!page.next_after_name.has_value()) return actors;
    query.after_name = page.next_after_name;
  }
}

}  // namespace

grpc::ServerUnaryReactor* StatementService::SummarizeReactions(
    grpc::CallbackServerContext* context, const v1::SummarizeReactionsRequest* request,
    v1::SummarizeReactionsResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    RETURN_IF_ERROR(ParseName(request->event(), kEventsCollection, "event").status());
    ASSIGN_OR_RETURN(
        StatementFilter filter,
        ParseStatementFilter(request->filter(), "filter", query_limits_.filter));
    SummaryInput input;
    input.event = request->event();
    input.as_of = absl::Now();
    if (request->has_as_of_time()) {
      RETURN_IF_ERROR(ValidateTimestamp(request->as_of_time(), "as_of_time"));
      input.as_of = ToAbslTime(request->as_of_time());
    }
    if (request->has_timeline_interval()) {
      const absl::Duration interval =
          absl::Seconds(request->timeline_interval().seconds()) +
          absl::Nanoseconds(request->timeline_interval().nanos());
      if (interval < absl::Hours(1)) {
        return FieldError("timeline_interval",
                          "must be at least one hour (e.g. 3600s or 86400s)");
      }
      input.timeline_interval = interval;
    }
    ASSIGN_OR_RETURN(v1::Event event, store_->GetEvent(request->event()));
    input.sides = event.sides();
    input.membership_time = event.has_start_time()
                                ? std::min(ToAbslTime(event.start_time()), input.as_of)
                                : input.as_of;
    ASSIGN_OR_RETURN(std::vector<v1::Statement> record,
                     store_->StatementsAsOf(request->event(), input.as_of));
    RETURN_IF_ERROR(StillWanted(context, "filtering the statements"));
    ASSIGN_OR_RETURN(ActorFacts facts, ResolveActorFacts(*store_, filter));
    size_t seen = 0;
    for (v1::Statement& statement : record) {
      if (++seen % kStatementsBetweenChecks == 0) {
        RETURN_IF_ERROR(StillWanted(context, "filtering the statements"));
      }
      if (statement.state() != v1::STATEMENT_STATE_ACTIVE) continue;
      if (!Matches(filter, statement, facts)) continue;
      input.statements.push_back(std::move(statement));
    }
    ASSIGN_OR_RETURN(input.actors, AllActors(*store_));
    RETURN_IF_ERROR(StillWanted(context, "summarizing"));
    ASSIGN_OR_RETURN(*response, rollcall::SummarizeReactions(input));
    return absl::OkStatus();
  });
}

}  // namespace rollcall
