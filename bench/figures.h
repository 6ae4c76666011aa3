#ifndef ROLLCALL_BENCH_FIGURES_H_
#define ROLLCALL_BENCH_FIGURES_H_

// What the scenarios report: latency samples with exact percentiles, and the
// one JSON line each scenario prints.

#include <cstdint>
#include <string>
#include <vector>

namespace rollcall::bench {

// Latencies in microseconds. Percentiles are exact: the samples are sorted
// once, when first asked. Not thread-safe; merge per-thread samples with
// Add(const LatencySamples&).
class LatencySamples {
 public:
  void Add(int64_t micros) { samples_.push_back(micros), sorted_ = false; }
  void Add(const LatencySamples& other);
  int64_t count() const { return static_cast<int64_t>(samples_.size()); }
  // The value below which a fraction `p` (0..1) of the samples lie, in
  // milliseconds; 0 without samples.
  double PercentileMs(double p);
  double MaxMs();

 private:
  std::vector<int64_t> samples_;
  bool sorted_ = true;
};

// One line of JSON: {"scenario":"...","key":value,...}. Keys are added in
// order and printed as given (they are identifiers, never user text).
class JsonLine {
 public:
  explicit JsonLine(const std::string& scenario);
  JsonLine& Add(const std::string& key, int64_t value);
  JsonLine& Add(const std::string& key, int value) { return Add(key, int64_t{value}); }
  JsonLine& Add(const std::string& key, double value);
  JsonLine& Add(const std::string& key, bool value);
  JsonLine& Add(const std::string& key, const std::string& value);
  JsonLine& Add(const std::string& key, const char* value) {
    return Add(key, std::string(value));
  }
  // Adds key_p50_ms, key_p99_ms, key_p999_ms and key_max_ms ("p50_ms"...
  // when `prefix` is empty).
  JsonLine& AddLatency(const std::string& prefix, LatencySamples& samples);
  // Writes the line and a newline to stdout and flushes it.
  void Print() const;

 private:
  std::string text_;
};

// The memory the process `pid` holds (VmRSS from /proc), in KiB, or -1.
int64_t RssKib(int pid);

}  // namespace rollcall::bench

#endif  // ROLLCALL_BENCH_FIGURES_H_
