#include "server/metrics/server_metrics.h"

#include <exception>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "prometheus/collectable.h"
#include "prometheus/exposer.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "rollcall/version.h"

namespace rollcall {

// Reads the gauges' values from their sources at each scrape, so they are
// never stale and cost nothing between scrapes.
class ServerMetrics::Gauges : public prometheus::Collectable {
 public:
  void Set(GaugeSources sources) {
    absl::MutexLock lock(&mu_);
    sources_ = std::move(sources);
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    absl::MutexLock lock(&mu_);
    std::vector<prometheus::MetricFamily> families;
    Add(families, "rollcall_log_head_sequence", "The last committed sequence.",
        sources_.head_sequence);
    Add(families, "rollcall_subscriptions_open", "Open SubscribeStatements streams.",
        sources_.open_subscriptions);
    Add(families, "rollcall_subscriptions_behind_window",
        "Subscriptions served from the store because they are behind the in-memory "
        "window of recent changes.",
        sources_.subscriptions_behind_window);
    return families;
  }

 private:
  static void Add(std::vector<prometheus::MetricFamily>& families, std::string name,
                  std::string help, const std::function<int64_t()>& source) {
    if (!source) return;
    prometheus::MetricFamily& family = families.emplace_back();
    family.name = std::move(name);
    family.help = std::move(help);
    family.type = prometheus::MetricType::Gauge;
    family.metric.emplace_back().gauge.value = static_cast<double>(source());
  }

  mutable absl::Mutex mu_;
  GaugeSources sources_ ABSL_GUARDED_BY(mu_);
};

ServerMetrics::ServerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      rpc_(std::make_unique<RpcMetrics>(*registry_)),
      gauges_(std::make_shared<Gauges>()) {
  commit_batch_size_ = &prometheus::BuildHistogram()
                            .Name("rollcall_store_commit_batch_size")
                            .Help("Writes made durable together by one commit.")
                            .Register(*registry_)
                            .Add({}, prometheus::Histogram::BucketBoundaries{
                                         1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  commit_seconds_ = &prometheus::BuildHistogram()
                         .Name("rollcall_store_commit_seconds")
                         .Help("Time one commit took, the WAL fsync included.")
                         .Register(*registry_)
                         .Add({}, prometheus::Histogram::BucketBoundaries{
                                      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                      0.01, 0.025, 0.05, 0.1, 0.25, 1});
  prometheus::BuildGauge()
      .Name("rollcall_build_info")
      .Help("Always 1; its labels name the version and git commit of this rollcalld.")
      .Register(*registry_)
      .Add({{"version", kVersion}, {"commit", kGitCommit}})
      .Set(1);
}

ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::ObserveCommit(int writes, absl::Duration commit_duration) {
  commit_batch_size_->Observe(writes);
  commit_seconds_->Observe(absl::ToDoubleSeconds(commit_duration));
}

void ServerMetrics::SetGaugeSources(GaugeSources sources) {
  gauges_->Set(std::move(sources));
}

void ServerMetrics::ClearGaugeSources() { gauges_->Set(GaugeSources()); }

absl::StatusOr<int> ServerMetrics::Serve(const std::string& listen) {
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(listen, /*num_threads=*/1);
  } catch (const std::exception& error) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", listen, ": ", error.what()));
  }
  exposer_->RegisterCollectable(registry_);
  exposer_->RegisterCollectable(gauges_);
  const std::vector<int> ports = exposer_->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", listen));
  }
  return ports.front();
}

}  // namespace rollcall
