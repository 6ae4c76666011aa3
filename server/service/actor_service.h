#ifndef ROLLCALL_SERVER_SERVICE_ACTOR_SERVICE_H_
#define ROLLCALL_SERVER_SERVICE_ACTOR_SERVICE_H_

#include "rollcall/v1/actor_service.grpc.pb.h"
#include "server/store/store.h"

namespace rollcall {

// CreateActor's work, for the RPC and for the bulk load (server/bulk/):
// validates `request` (errors name the field),
// then creates the actor in `store`.
absl::StatusOr<v1::Actor> CreateActorFromRequest(Store& store,
                                                 const v1::CreateActorRequest& request);

// rollcall.v1.ActorService over a Store. The store must outlive the service.
class ActorService final : public v1::ActorService::CallbackService {
 public:
  // Pages hold at most `max_page_size` items.
  explicit ActorService(Store* store, int max_page_size = 1000)
      : store_(store), max_page_size_(max_page_size) {}

  grpc::ServerUnaryReactor* CreateActor(grpc::CallbackServerContext* context,
                                        const v1::CreateActorRequest* request,
                                        v1::Actor* response) override;
  grpc::ServerUnaryReactor* GetActor(grpc::CallbackServerContext* context,
                                     const v1::GetActorRequest* request,
                                     v1::Actor* response) override;
  grpc::ServerUnaryReactor* ListActors(grpc::CallbackServerContext* context,
                                       const v1::ListActorsRequest* request,
                                       v1::ListActorsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateActor(grpc::CallbackServerContext* context,
                                        const v1::UpdateActorRequest* request,
                                        v1::Actor* response) override;

 private:
  Store* const store_;
  const int max_page_size_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_ACTOR_SERVICE_H_
