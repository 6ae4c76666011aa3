// startup: how long rollcalld takes, on an existing data directory, from
// being launched to answering health checks with SERVING.

#include <string>

#include "absl/time/clock.h"
#include "bench/figures.h"
#include "bench/scenarios.h"
#include "bench/server_child.h"

namespace rollcall::bench {

int RunStartup(const BenchOptions& options) {
  if (options.rollcalld.empty() || options.data_dir.empty()) {
    JsonLine("startup").Add("error", "needs --rollcalld and --data-dir").Print();
    return 1;
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<ServerChild> server =
      LaunchRollcalld(options.rollcalld, "127.0.0.1:0", options.data_dir);
  if (!server.ok()) {
    JsonLine("startup").Add("error", std::string(server.status().message())).Print();
    return 1;
  }
  const double listening_s = absl::ToDoubleSeconds(absl::Now() - start);
  const bool serving = AwaitServing(server->address, absl::Now() + absl::Minutes(10));
  const double serving_s = absl::ToDoubleSeconds(absl::Now() - start);
  StopRollcalld(*server);
  JsonLine("startup")
      .Add("data_dir", options.data_dir)
      .Add("seconds_to_listening", listening_s)
      .Add("seconds_to_serving", serving_s)
      .Add("serving", serving)
      .Print();
  return serving ? 0 : 1;
}

}  // namespace rollcall::bench
