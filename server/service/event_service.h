#ifndef ROLLCALL_SERVER_SERVICE_EVENT_SERVICE_H_
#define ROLLCALL_SERVER_SERVICE_EVENT_SERVICE_H_

#include "rollcall/v1/event_service.grpc.pb.h"
#include "server/store/store.h"

namespace rollcall {

// CreateEvent's work, for the RPC and for the bulk load (server/bulk/):
// validates `request` (errors name the field) and that every side's actor exists,
// then creates the event in `store`.
absl::StatusOr<v1::Event> CreateEventFromRequest(Store& store,
                                                 const v1::CreateEventRequest& request);

// rollcall.v1.EventService over a Store. The store must outlive the service.
class EventService final : public v1::EventService::CallbackService {
 public:
  // Pages hold at most `max_page_size` items.
  explicit EventService(Store* store, int max_page_size = 1000)
      : store_(store), max_page_size_(max_page_size) {}

  grpc::ServerUnaryReactor* CreateEvent(grpc::CallbackServerContext* context,
                                        const v1::CreateEventRequest* request,
                                        v1::Event* response) override;
  grpc::ServerUnaryReactor* GetEvent(grpc::CallbackServerContext* context,
                                     const v1::GetEventRequest* request,
                                     v1::Event* response) override;
  grpc::ServerUnaryReactor* ListEvents(grpc::CallbackServerContext* context,
                                       const v1::ListEventsRequest* request,
                                       v1::ListEventsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateEvent(grpc::CallbackServerContext* context,
                                        const v1::UpdateEventRequest* request,
                                        v1::Event* response) override;

 private:
  Store* const store_;
  const int max_page_size_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_EVENT_SERVICE_H_
