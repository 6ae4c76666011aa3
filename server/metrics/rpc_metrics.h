#ifndef ROLLCALL_SERVER_METRICS_RPC_METRICS_H_
#define ROLLCALL_SERVER_METRICS_RPC_METRICS_H_

// RpcMetrics counts and times every call the server handles, by method and
// final status code, through a gRPC server interceptor, so unary, streaming
// and raw callback methods are all covered without touching the services.
// The metrics follow go-grpc-prometheus's names:
//   grpc_server_started_total{grpc_service, grpc_method, grpc_type}
//   grpc_server_handled_total{grpc_service, grpc_method, grpc_type, grpc_code}
//   grpc_server_handling_seconds{grpc_service, grpc_method, grpc_type} (histogram)
//   grpc_server_in_flight_calls (gauge)
// A call that ends without a status (the client went away, or shutdown
// cancelled it) is handled with code CANCELLED.
//
// It also logs each call's outcome: a warning with the status message when
// the server is at fault (INTERNAL, UNKNOWN, DATA_LOSS, RESOURCE_EXHAUSTED,
// UNAVAILABLE for unary calls), a debug line otherwise. Status messages name
// fields and files, never statement content.

// Thread-safe.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace rollcall {

class RpcMetrics {
 public:
  // Registers the metric families in `registry`, which must outlive this.
  explicit RpcMetrics(prometheus::Registry& registry);

  // An interceptor factory to hand to ServerBuilder::experimental()
  // .SetInterceptorCreators; it must not outlive this.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  NewInterceptorFactory();

  // Metrics of one method; created on its first call.
  struct Method {
    std::string service;
    std::string method;
    std::string type;
    prometheus::Counter* started;
    prometheus::Histogram* handling_seconds;
    // By grpc::StatusCode; created on first use under RpcMetrics::mu_.
    prometheus::Counter* handled[17] = {};
  };
  // Called by the interceptor.
  Method& Started(const char* full_method, grpc::experimental::ServerRpcInfo::Type type)
      ABSL_LOCKS_EXCLUDED(mu_);
  void Handled(Method& method, int code, absl::Duration elapsed) ABSL_LOCKS_EXCLUDED(mu_);
  void Ended() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_seconds_;
  prometheus::Gauge& in_flight_gauge_;

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> methods_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_METRICS_RPC_METRICS_H_
