#ifndef ROLLCALL_TESTS_METRICS_SCRAPE_H_
#define ROLLCALL_TESTS_METRICS_SCRAPE_H_

// Reading rollcalld's Prometheus metrics the way Prometheus does: an HTTP
// GET of /metrics, then picking samples out of the text format.

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/types/optional.h"

namespace rollcall::testing {

// GET http://127.0.0.1:PORT/metrics; the body, or UNAVAILABLE.
absl::StatusOr<std::string> ScrapeMetrics(int port);

// The value of the first sample of `name` whose labels include `labels`,
// or nullopt if there is none.
absl::optional<double> SampleValue(const std::string& text, const std::string& name,
                                   const std::map<std::string, std::string>& labels = {});

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_METRICS_SCRAPE_H_
