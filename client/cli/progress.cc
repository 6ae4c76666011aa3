#include "client/cli/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace rollcall::cli {
namespace {

constexpr absl::Duration kRedrawEvery = absl::Milliseconds(100);
// Carriage return and "erase to the end of the line" (ECMA-48 EL).
constexpr char kErase[] = "\r\033[K";

// 12345 -> "12,345".
std::string Grouped(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// "3 s", "2 min 5 s", "1 h 4 min".
std::string Remaining(absl::Duration left) {
  const int64_t seconds = static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(left)));
  if (seconds < 60) return absl::StrCat(seconds, " s");
  if (seconds < 3600) return absl::StrCat(seconds / 60, " min ", seconds % 60, " s");
  return absl::StrCat(seconds / 3600, " h ", seconds % 3600 / 60, " min");
}

}  // namespace

bool ShowProgressOnStderr(bool quiet) { return !quiet && isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string verb, std::string noun, bool enabled, std::ostream& out)
    : verb_(std::move(verb)),
      noun_(std::move(noun)),
      start_(absl::Now()),
      out_(out),
      enabled_(enabled) {}

Progress::~Progress() { Finish(); }

std::string Progress::Line(absl::string_view verb, absl::string_view noun, int64_t count,
                           absl::Duration elapsed, double file_share, double done_share) {
  std::string line = absl::StrCat(verb, ": ", Grouped(count), " ", noun);
  const double seconds = absl::ToDoubleSeconds(elapsed);
  if (seconds >= 0.05) {
    absl::StrAppend(&line, ", ", Grouped(std::llround(count / seconds)), "/s");
  }
  if (file_share >= 0) {
    absl::StrAppend(&line, ", ", static_cast<int>(std::min(file_share, 1.0) * 100),
                    "% of the file read");
  }
  // An estimate from less than a second or a percent of the work is noise
  // (the first commits wait for the pipeline to fill).
  if (done_share >= 0.01 && seconds >= 1) {
    done_share = std::min(done_share, 1.0);
    absl::StrAppend(&line, ", about ",
                    Remaining(elapsed * ((1 - done_share) / done_share)), " left");
  }
  return line;
}

void Progress::Update(int64_t count, double file_share, double done_share) {
  absl::MutexLock lock(&mu_);
  if (!enabled_) return;
  const absl::Time now = absl::Now();
  if (now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  out_ << kErase << Line(verb_, noun_, count, now - start_, file_share, done_share)
       << std::flush;
  shown_ = true;
}

void Progress::ClearLocked() {
  if (!shown_) return;
  out_ << kErase << std::flush;
  shown_ = false;
  last_draw_ = absl::InfinitePast();
}

void Progress::Clear() {
  absl::MutexLock lock(&mu_);
  ClearLocked();
}

void Progress::Finish() {
  absl::MutexLock lock(&mu_);
  ClearLocked();
  enabled_ = false;
}

}  // namespace rollcall::cli
