#ifndef ROLLCALL_SERVER_METRICS_SERVER_METRICS_H_
#define ROLLCALL_SERVER_METRICS_SERVER_METRICS_H_

// ServerMetrics holds rollcalld's Prometheus metrics and, when asked,
// serves them over HTTP (GET /metrics, the Prometheus text format):
//   - RPC counts and latency by method and code (see rpc_metrics.h);
//   - rollcall_store_commit_batch_size: writes made durable by one commit
//     (histogram);
//   - rollcall_store_commit_seconds: time the commit took, WAL fsync
//     included (histogram);
//   - rollcall_log_head_sequence: the last committed sequence (gauge);
//   - rollcall_subscriptions_open: open SubscribeStatements streams (gauge);
//   - rollcall_subscriptions_behind_window: those served from the store
//     because they are behind the feed's in-memory window (gauge);
//   - rollcall_build_info{version,commit}: always 1 (gauge).
// Metrics are always collected (it is cheap); only serving them is optional.
// Thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/metrics/rpc_metrics.h"

namespace prometheus {
class Exposer;
class Histogram;
class Registry;
}  // namespace prometheus

namespace rollcall {

// Where the gauges read their values at each scrape.
struct GaugeSources {
  std::function<int64_t()> head_sequence;
  std::function<int64_t()> open_subscriptions;
  std::function<int64_t()> subscriptions_behind_window;
};

class ServerMetrics {
 public:
  ServerMetrics();
  ~ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  RpcMetrics& rpc() { return *rpc_; }

  // Records one commit of the store's writer.
  void ObserveCommit(int writes, absl::Duration commit_duration);

  // Sets where the gauges come from; until then, and after
  // ClearGaugeSources, they are not reported.
  void SetGaugeSources(GaugeSources sources) ABSL_LOCKS_EXCLUDED(gauges_mu_);
  void ClearGaugeSources() ABSL_LOCKS_EXCLUDED(gauges_mu_);

  // Serves GET /metrics on `listen` ("host:port"; port 0 picks a free port)
  // and returns the port bound. UNAVAILABLE if it cannot listen.
  absl::StatusOr<int> Serve(const std::string& listen);

 private:
  class Gauges;

  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<RpcMetrics> rpc_;
  prometheus::Histogram* commit_batch_size_;
  prometheus::Histogram* commit_seconds_;
  absl::Mutex gauges_mu_;
  std::shared_ptr<Gauges> gauges_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_METRICS_SERVER_METRICS_H_
