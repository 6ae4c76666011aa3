// StatementService.SubscribeStatements: validates the request, finds the
// start position, and hands the stream to the ChangeFeed. The reactor is the
// feed's sink: the feed decides what to write and when; the reactor only
// moves messages onto the wire and reports back. Messages arrive serialized
// and are written without a copy: the byte buffer's slice holds a reference
// to the feed's bytes.

#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/hand_off.h"
#include "server/common/shared_slice.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/feed/actor_facts.h"
#include "server/feed/change_feed.h"
#include "server/service/grpc_status.h"
#include "server/service/statement_service.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

constexpr absl::Duration kMinHeartbeat = absl::Milliseconds(100);
constexpr absl::Duration kMaxHeartbeat = absl::Hours(1);

absl::StatusOr<absl::Duration> HeartbeatInterval(
    const v1::SubscribeStatementsRequest& request, absl::Duration server_default) {
  if (!request.has_heartbeat_interval()) return server_default;
  const auto& d = request.heartbeat_interval();
  const absl::Duration interval =
      absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
  if (interval == absl::ZeroDuration()) return server_default;
  if (interval < kMinHeartbeat || interval > kMaxHeartbeat) {
    return FieldError("heartbeat_interval", "must be between 100ms and 1h");
  }
  return interval;
}

// The sequence after which the stream starts.
absl::StatusOr<int64_t> StartAfter(Store& store,
                                   const v1::SubscribeStatementsRequest& request) {
  const int64_t head = store.HeadSequence();
  switch (request.start_position_case()) {
    case v1::SubscribeStatementsRequest::kAfterSequence:
      if (request.after_sequence() < 0) {
        return FieldError("after_sequence", "must not be negative");
      }
      if (request.after_sequence() > head) {
        return absl::OutOfRangeError(
            absl::StrCat("after_sequence: ", request.after_sequence(),
                         " is beyond the head of the log (", head,
                         "); was the data directory replaced?"));
      }
      return request.after_sequence();
    case v1::SubscribeStatementsRequest::kStartTime:
      RETURN_IF_ERROR(ValidateTimestamp(request.start_time(), "start_time"));
      return store.SequenceBefore(ToAbslTime(request.start_time()));
    case v1::SubscribeStatementsRequest::kFromBeginning:
      return request.from_beginning() ? 0 : head;
    case v1::SubscribeStatementsRequest::START_POSITION_NOT_SET:
      break;
  }
  return head;
}

class SubscribeReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                               public SubscriptionSink {
 public:
  // Parsing consumes `request_bytes`, which frees them now rather than when
  // the stream ends: they may hold on to a whole transport read buffer.
  // `quota` may be null; `peer` identifies the connection for it.
  SubscribeReactor(Store& store, ChangeFeed& feed, absl::Duration default_heartbeat,
                   SubscriptionQuota* quota, const std::string& peer,
                   const FilterLimits& filter_limits, grpc::ByteBuffer& request_bytes)
      : feed_(feed) {
    absl::Status status = [&]() -> absl::Status {
      if (quota != nullptr) {
        ASSIGN_OR_RETURN(quota_slot_, quota->Acquire(peer));
      }
      v1::SubscribeStatementsRequest request;
      grpc::Status parsed =
          grpc::SerializationTraits<v1::SubscribeStatementsRequest>::Deserialize(
              &request_bytes, &request);
      if (!parsed.ok()) return absl::InvalidArgumentError("unreadable request");
      return Begin(store, default_heartbeat, filter_limits, request);
    }();
    if (!status.ok()) {
      HandOffRelease(this);
      Finish(ToGrpcStatus(status));
    }
  }

  // Called with at most one write outstanding, so one buffer suffices.
  void WriteMessage(const WireMessage& message) override {
    grpc::Slice slice = SharedSlice(message);
    buffer_ = grpc::ByteBuffer(&slice, 1);
    HandOffRelease(this);
    StartWrite(&buffer_);
  }
  void FinishStream(const absl::Status& status) override {
    HandOffRelease(this);
    Finish(ToGrpcStatus(status));
  }

  // The reactions: gRPC orders them after the operations that led to them,
  // and OnDone after every other (server/common/hand_off.h).
  void OnWriteDone(bool ok) override {
    HandOffAcquire(this);
    // Drop the message's bytes now: an idle stream would keep them.
    buffer_.Clear();
    feed_.OnWriteDone(subscription_, ok);
    HandOffRelease(this);
  }
  void OnCancel() override {
    HandOffAcquire(this);
    if (subscription_ != nullptr) {
      feed_.Close(subscription_, absl::CancelledError("cancelled by the client"));
    }
    HandOffRelease(this);
  }
  void OnDone() override {
    HandOffAcquire(this);
    if (subscription_ != nullptr) feed_.Remove(subscription_);
    delete this;
  }

 private:
  absl::Status Begin(Store& store, absl::Duration default_heartbeat,
                     const FilterLimits& filter_limits,
                     const v1::SubscribeStatementsRequest& request) {
    ASSIGN_OR_RETURN(StatementFilter filter,
                     ParseStatementFilter(request.filter(), "filter", filter_limits));
    ASSIGN_OR_RETURN(absl::Duration heartbeat,
                     HeartbeatInterval(request, default_heartbeat));
    ASSIGN_OR_RETURN(int64_t after, StartAfter(store, request));
    ASSIGN_OR_RETURN(ActorFacts facts, ResolveActorFacts(store, filter));
    subscription_ =
        feed_.Subscribe(std::move(filter), std::move(facts), after, heartbeat, this);
    if (subscription_ == nullptr) {
      return ReconnectNowError("the server is shutting down; reconnect now");
    }
    spdlog::debug("subscription opened after sequence {} with filter \"{}\"", after,
                  request.filter());
    feed_.Kick(subscription_);
    return absl::OkStatus();
  }

  ChangeFeed& feed_;
  std::shared_ptr<Subscription> subscription_;
  std::unique_ptr<SubscriptionQuota::Slot> quota_slot_;
  grpc::ByteBuffer buffer_;
};

}  // namespace

grpc::ServerWriteReactor<grpc::ByteBuffer>* StatementService::SubscribeStatements(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  // The handler owns the request buffer and only destroys it after the
  // stream ends; the reactor may consume it.
  return new SubscribeReactor(*store_, *feed_, default_heartbeat_, subscription_quota_,
                              context->peer(), query_limits_.filter,
                              *const_cast<grpc::ByteBuffer*>(request));
}

}  // namespace rollcall
