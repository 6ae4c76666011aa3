#include "bench/figures.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rollcall::bench {

void LatencySamples::Add(const LatencySamples& other) {
  samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
  sorted_ = false;
}

double LatencySamples::PercentileMs(double p) {
  if (samples_.empty()) return 0;
  if (!sorted_) std::sort(samples_.begin(), samples_.end());
  sorted_ = true;
  const size_t rank = static_cast<size_t>(std::ceil(p * samples_.size()));
  return samples_[std::min(samples_.size() - 1, rank == 0 ? 0 : rank - 1)] / 1000.0;
}

double LatencySamples::MaxMs() { return PercentileMs(1.0); }

JsonLine::JsonLine(const std::string& scenario)
    : text_(absl::StrCat("{\"scenario\":\"", scenario, "\"")) {}

JsonLine& JsonLine::Add(const std::string& key, int64_t value) {
  absl::StrAppend(&text_, ",\"", key, "\":", value);
  return *this;
}

JsonLine& JsonLine::Add(const std::string& key, double value) {
  if (!std::isfinite(value)) value = 0;
  absl::StrAppend(&text_, ",\"", key, "\":", absl::StrFormat("%.6g", value));
  return *this;
}

JsonLine& JsonLine::Add(const std::string& key, bool value) {
  absl::StrAppend(&text_, ",\"", key, "\":", value ? "true" : "false");
  return *this;
}

JsonLine& JsonLine::Add(const std::string& key, const std::string& value) {
  std::string escaped;
  for (char c : value) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    escaped.push_back(c);
  }
  absl::StrAppend(&text_, ",\"", key, "\":\"", escaped, "\"");
  return *this;
}

JsonLine& JsonLine::AddLatency(const std::string& prefix, LatencySamples& samples) {
  const std::string p = prefix.empty() ? "" : prefix + "_";
  Add(p + "p50_ms", samples.PercentileMs(0.50));
  Add(p + "p99_ms", samples.PercentileMs(0.99));
  Add(p + "p999_ms", samples.PercentileMs(0.999));
  Add(p + "max_ms", samples.MaxMs());
  return *this;
}

void JsonLine::Print() const { std::cout << text_ << "}" << std::endl; }

int64_t RssKib(int pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return -1;
}

}  // namespace rollcall::bench
