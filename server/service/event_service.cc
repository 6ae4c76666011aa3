#include "server/service/event_service.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/filter/event_filter.h"
#include "server/service/field_masks.h"
#include "server/service/masked_update.h"
#include "server/service/page_token.h"
#include "server/service/unary.h"
#include "server/service/validation.h"

namespace rollcall {
namespace {

const std::vector<std::string>& UpdatableEventFields() {
  static const auto* const fields = new std::vector<std::string>{
      "title", "summary", "country_code", "start_time", "end_time", "labels",
      "sides"};
  return *fields;
}

void ClearOutputOnly(v1::Event* event) {
  event->clear_create_time();
  event->clear_update_time();
  event->clear_etag();
}

// FAILED_PRECONDITION naming the side if a side's actor does not exist.
// Actors are never deleted, so a check before the write holds after it.
absl::Status CheckSideActors(Store& store, const v1::Event& event) {
  for (int i = 0; i < event.sides_size(); ++i) {
    RETURN_IF_ERROR(ParseName(event.sides(i).actor(), kActorsCollection,
                              absl::StrCat("event.sides[", i, "].actor"))
                        .status());
    absl::StatusOr<v1::Actor> actor = store.GetActor(event.sides(i).actor());
    if (absl::IsNotFound(actor.status())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "event.sides[", i, "].actor: ", event.sides(i).actor(), " does not exist"));
    }
    RETURN_IF_ERROR(actor.status());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Event> CreateEventFromRequest(Store& store,
                                                 const v1::CreateEventRequest& request) {
  RETURN_IF_ERROR(ValidateResourceId(request.event_id(), "event_id"));
  v1::Event event = request.event();
  ClearOutputOnly(&event);
  event.set_name(MakeName(kEventsCollection, request.event_id()));
  RETURN_IF_ERROR(ValidateEvent(event, "event"));
  RETURN_IF_ERROR(CheckSideActors(store, event));
  return store.CreateEvent(event);
}

grpc::ServerUnaryReactor* EventService::CreateEvent(grpc::CallbackServerContext* context,
                                                    const v1::CreateEventRequest* request,
                                                    v1::Event* response) {
  return RunUnary(context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(*response, CreateEventFromRequest(*store_, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* EventService::GetEvent(grpc::CallbackServerContext* context,
                                                 const v1::GetEventRequest* request,
                                                 v1::Event* response) {
  return RunUnary(context, [&]() -> absl::Status {
    RETURN_IF_ERROR(ParseName(request->name(), kEventsCollection, "name").status());
    ASSIGN_OR_RETURN(*response, store_->GetEvent(request->name()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* EventService::ListEvents(grpc::CallbackServerContext* context,
                                                   const v1::ListEventsRequest* request,
                                                   v1::ListEventsResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    EventQuery query;
    ASSIGN_OR_RETURN(query.page_size,
                     ResolvePageSize(request->page_size(), max_page_size_));
    ASSIGN_OR_RETURN(query.filter, ParseEventFilter(request->filter(), "filter"));
    const std::string fingerprint = absl::StrCat("events|", query.filter.Canonical());
    if (!request->page_token().empty()) {
      ASSIGN_OR_RETURN(PagePosition position,
                       DecodePageToken(request->page_token(), fingerprint));
      query.after = EventCursor{position.key, position.name};
    }
    ASSIGN_OR_RETURN(EventPage page, store_->ListEvents(query));
    for (v1::Event& event : page.events) *response->add_events() = std::move(event);
    if (page.next.has_value()) {
      response->set_next_page_token(EncodePageToken(
          fingerprint, PagePosition{page.next->start_time_micros, page.next->name}));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* EventService::UpdateEvent(grpc::CallbackServerContext* context,
                                                    const v1::UpdateEventRequest* request,
                                                    v1::Event* response) {
  return RunUnary(context, [&]() -> absl::Status {
    const v1::Event& update = request->event();
    RETURN_IF_ERROR(ParseName(update.name(), kEventsCollection, "event.name").status());
    v1::Event scratch;
    RETURN_IF_ERROR(
        ApplyFieldMask(request->update_mask(), update, UpdatableEventFields(), &scratch));
    RETURN_IF_ERROR(CheckSideActors(*store_, scratch));
    ASSIGN_OR_RETURN(
        *response,
        store_->UpdateEvent(
            update.name(),
            MaskedUpdate<v1::Event>(
                update, request->update_mask(), UpdatableEventFields(), "event.etag",
                [](const v1::Event& event) { return ValidateEvent(event, "event"); })));
    return absl::OkStatus();
  });
}

}  // namespace rollcall
