#include "server/service/actor_service.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/filter/actor_filter.h"
#include "server/service/field_masks.h"
#include "server/service/masked_update.h"
#include "server/service/page_token.h"
#include "server/service/unary.h"
#include "server/service/validation.h"

namespace rollcall {
namespace {

const std::vector<std::string>& UpdatableActorFields() {
  static const auto* const fields = new std::vector<std::string>{
      "display_name", "kind", "country_code", "member_of", "aliases", "identifiers"};
  return *fields;
}

void ClearOutputOnly(v1::Actor* actor) {
  actor->clear_create_time();
  actor->clear_update_time();
  actor->clear_etag();
}

}  // namespace

absl::StatusOr<v1::Actor> CreateActorFromRequest(Store& store,
                                                 const v1::CreateActorRequest& request) {
  RETURN_IF_ERROR(ValidateResourceId(request.actor_id(), "actor_id"));
  v1::Actor actor = request.actor();
  ClearOutputOnly(&actor);
  actor.set_name(MakeName(kActorsCollection, request.actor_id()));
  RETURN_IF_ERROR(ValidateActor(actor, "actor"));
  return store.CreateActor(actor);
}

grpc::ServerUnaryReactor* ActorService::CreateActor(grpc::CallbackServerContext* context,
                                                    const v1::CreateActorRequest* request,
                                                    v1::Actor* response) {
  return RunUnary(context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(*response, CreateActorFromRequest(*store_, *request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ActorService::GetActor(grpc::CallbackServerContext* context,
                                                 const v1::GetActorRequest* request,
                                                 v1::Actor* response) {
  return RunUnary(context, [&]() -> absl::Status {
    RETURN_IF_ERROR(ParseName(request->name(), kActorsCollection, "name").status());
    ASSIGN_OR_RETURN(*response, store_->GetActor(request->name()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ActorService::ListActors(grpc::CallbackServerContext* context,
                                                   const v1::ListActorsRequest* request,
                                                   v1::ListActorsResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    ActorQuery query;
    ASSIGN_OR_RETURN(query.page_size,
                     ResolvePageSize(request->page_size(), max_page_size_));
    ASSIGN_OR_RETURN(query.filter, ParseActorFilter(request->filter(), "filter"));
    const std::string fingerprint = absl::StrCat("actors|", query.filter.Canonical());
    if (!request->page_token().empty()) {
      ASSIGN_OR_RETURN(PagePosition position,
                       DecodePageToken(request->page_token(), fingerprint));
      query.after_name = position.name;
    }
    ASSIGN_OR_RETURN(ActorPage page, store_->ListActors(query));
    for (v1::Actor& actor : page.actors) *response->add_actors() = std::move(actor);
    if (page.next_after_name.has_value()) {
      response->set_next_page_token(
          EncodePageToken(fingerprint, PagePosition{0, *page.next_after_name}));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ActorService::UpdateActor(grpc::CallbackServerContext* context,
                                                    const v1::UpdateActorRequest* request,
                                                    v1::Actor* response) {
  return RunUnary(context, [&]() -> absl::Status {
    const v1::Actor& update = request->actor();
    RETURN_IF_ERROR(ParseName(update.name(), kActorsCollection, "actor.name").status());
    v1::Actor scratch;
    RETURN_IF_ERROR(
        ApplyFieldMask(request->update_mask(), update, UpdatableActorFields(), &scratch));
    ASSIGN_OR_RETURN(
        *response,
        store_->UpdateActor(
            update.name(),
            MaskedUpdate<v1::Actor>(
                update, request->update_mask(), UpdatableActorFields(), "actor.etag",
                [](const v1::Actor& actor) { return ValidateActor(actor, "actor"); })));
    return absl::OkStatus();
  });
}

}  // namespace rollcall
