#ifndef ROLLCALL_SERVER_SERVICE_EVENT_SERVICE_H_
#define ROLLCALL_SERVER_SERVICE_EVENT_SERVICE_H_

#include "rollcall/v1/event_service.grpc.pb.h"
#include "server/store/store.h"

namespace rollcall {

// rollcall.v1.EventService over a Store. The store must outlive the service.
class EventService final : public v1::EventService::CallbackService {
 public:
  explicit EventService(Store* store) : store_(store) {}

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
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_EVENT_SERVICE_H_
