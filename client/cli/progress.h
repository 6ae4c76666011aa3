#ifndef ROLLCALL_CLIENT_CLI_PROGRESS_H_
#define ROLLCALL_CLIENT_CLI_PROGRESS_H_

// A progress line for long work (import, export) on a terminal: how many
// records done so far, how fast, and for an import how much of the file has
// been read and about how long is left:
//
//   importing: 12,345 records, 6,120/s, 41% of the file read, about 3 s left
//
// The line is redrawn in place (carriage return, erase to end of line) at
// most ten times a second and erased by Clear() or Finish(), so the lines
// printed between (errors) and after (the end line) read as without it.
// Disabled, it prints nothing: when stderr is not a terminal, or --quiet.
// Thread-safe (an import's answers arrive on another thread).

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace rollcall::cli {

// Whether progress should be shown on stderr: it is a terminal and the
// user did not ask for quiet.
bool ShowProgressOnStderr(bool quiet);

class Progress {
 public:
  // `verb`: "importing"; `noun`: what is counted, plural ("records").
  Progress(std::string verb, std::string noun, bool enabled, std::ostream& out);
  ~Progress();

  // `count` records done so far; `file_share`, 0 to 1, of the file read
  // (negative: not a file; no percentage shown); `done_share` of the work
  // done, from which the time left is estimated (negative: not known).
  void Update(int64_t count, double file_share = -1, double done_share = -1);
  // Erases the line until the next Update (before printing something else).
  void Clear();
  // Erases the line for good.
  void Finish();

  // The line for `count` records after `elapsed`.
  static std::string Line(absl::string_view verb, absl::string_view noun, int64_t count,
                          absl::Duration elapsed, double file_share, double done_share);

 private:
  void ClearLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string verb_;
  const std::string noun_;
  const absl::Time start_;
  std::ostream& out_;
  absl::Mutex mu_;
  bool enabled_ ABSL_GUARDED_BY(mu_);
  bool shown_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_draw_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_PROGRESS_H_
