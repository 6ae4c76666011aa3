#include "server/metrics/rpc_metrics.h"

#include "grpcpp/support/status.h"
#include "server/common/hand_off.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

constexpr const char* kCodeNames[] = {
    "OK",        "CANCELLED",         "UNKNOWN",           "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
    "UNIMPLEMENTED", "INTERNAL",      "UNAVAILABLE",       "DATA_LOSS",
    "UNAUTHENTICATED"};

const char* TypeName(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY:
      return "unary";
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unknown";
}

// One per call: started when the call is matched to a method, handled when
// its status is sent (or, if none is, when the call is destroyed), ended
// when the call is destroyed (its status is on its way to the client).
// Codes that say the server, not the request, is at fault. UNAVAILABLE
// ends every stream at shutdown, so it counts only for unary calls.
bool IsServerFault(grpc::StatusCode code, const std::string& type) {
  switch (code) {
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    case grpc::StatusCode::UNAVAILABLE:
      return type == "unary";
    default:
      return false;
  }
}

void LogHandled(const RpcMetrics::Method& method, const grpc::Status& status,
                absl::Duration elapsed) {
  const int code = status.error_code();
  const char* code_name = code >= 0 && code <= 16 ? kCodeNames[code] : "UNKNOWN";
  if (IsServerFault(status.error_code(), method.type)) {
    spdlog::warn("rpc {}/{} failed: {}: {}", method.service, method.method, code_name,
                 status.error_message());
  } else {
    spdlog::debug("rpc {}/{} {} in {}", method.service, method.method, code_name,
                  absl::FormatDuration(elapsed));
  }
}

class CallInterceptor : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(RpcMetrics& metrics, ServerRpcInfo& info)
      : metrics_(metrics),
        method_(metrics.Started(info.method(), info.type())),
        start_(absl::Now()) {}
  ~CallInterceptor() override {
    if (!handled_) {
      metrics_.Handled(method_, grpc::StatusCode::CANCELLED, absl::Now() - start_);
    }
    metrics_.Ended();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!handled_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      handled_ = true;
      const grpc::Status status = methods->GetSendStatus();
      const absl::Duration elapsed = absl::Now() - start_;
      metrics_.Handled(method_, status.error_code(), elapsed);
      LogHandled(method_, status, elapsed);
    }
    methods->Proceed();
  }

 private:
  RpcMetrics& metrics_;
  RpcMetrics::Method& method_;
  const absl::Time start_;
  bool handled_ = false;
};

class InterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit InterceptorFactory(RpcMetrics& metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(ServerRpcInfo* info) override {
    return new CallInterceptor(metrics_, *info);
  }

 private:
  RpcMetrics& metrics_;
};

prometheus::Histogram::BucketBoundaries LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
}

}  // namespace

RpcMetrics::RpcMetrics(prometheus::Registry& registry)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("Calls started on the server, by method.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("Calls completed on the server, by method and status code.")
                   .Register(registry)),
      handling_seconds_(prometheus::BuildHistogram()
                            .Name("grpc_server_handling_seconds")
                            .Help("Time from the start of a call to its status, by "
                                  "method (for streams: the stream's life).")
                            .Register(registry)),
      in_flight_gauge_(prometheus::BuildGauge()
                           .Name("grpc_server_in_flight_calls")
                           .Help("Calls started and not yet handled.")
                           .Register(registry)
                           .Add({})) {}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
RpcMetrics::NewInterceptorFactory() {
  return std::make_unique<InterceptorFactory>(*this);
}

RpcMetrics::Method& RpcMetrics::Started(const char* full_method,
                                        ServerRpcInfo::Type type) {
  const std::string key = full_method != nullptr ? full_method : "/unknown/unknown";
  in_flight_gauge_.Increment();
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Method>& method = methods_[key];
  if (method == nullptr) {
    method = std::make_unique<Method>();
    // "/rollcall.v1.StatementService/CreateStatement"
    const size_t slash = key.rfind('/');
    method->service = key.substr(1, slash == 0 ? 0 : slash - 1);
    method->method = key.substr(slash + 1);
    method->type = TypeName(type);
    const prometheus::Labels labels = {{"grpc_service", method->service},
                                       {"grpc_method", method->method},
                                       {"grpc_type", method->type}};
    method->started = &started_.Add(labels);
    method->handling_seconds = &handling_seconds_.Add(labels, LatencyBuckets());
  }
  method->started->Increment();
  return *method;
}

void RpcMetrics::Handled(Method& method, int code, absl::Duration elapsed) {
  if (code < 0 || code > 16) code = grpc::StatusCode::UNKNOWN;
  method.handling_seconds->Observe(absl::ToDoubleSeconds(elapsed));
  absl::MutexLock lock(&mu_);
  if (method.handled[code] == nullptr) {
    method.handled[code] = &handled_.Add({{"grpc_service", method.service},
                                          {"grpc_method", method.method},
                                          {"grpc_type", method.type},
                                          {"grpc_code", kCodeNames[code]}});
  }
  method.handled[code]->Increment();
}

// The interceptor's destructor is the last thing gRPC runs for a call, after
// OnDone; then it counts the call finished with an atomic in libgrpc++,
// which the server's destructor waits for. ThreadSanitizer sees neither, so
// the hand-off is marked here and in ~RollcallServer (hand_off.h).
void RpcMetrics::Ended() {
  in_flight_gauge_.Decrement();
  HandOffRelease(this);
}

}  // namespace rollcall
