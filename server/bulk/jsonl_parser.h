#ifndef ROLLCALL_SERVER_BULK_JSONL_PARSER_H_
#define ROLLCALL_SERVER_BULK_JSONL_PARSER_H_

// The bulk load's reader: the lines of a JSONL exchange file, parsed and
// validated as `rollcall import` and the RPCs would (the same requests,
// from server/common/exchange_requests.h, and the same validation code), on threads of their own and handed out in the
// file's order, a chunk at a time.

#include <cstdint>
#include <deque>
#include <istream>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "rollcall/v1/actor_service.pb.h"
#include "rollcall/v1/event_service.pb.h"
#include "server/store/store.h"

namespace rollcall {

// One line of the file: what the store is to be asked to do, or why the
// line is refused.
struct ParsedLine {
  int64_t number = 0;  // 1-based
  std::variant<absl::Status, v1::CreateActorRequest, v1::CreateEventRequest, NewStatement>
      record;
};

// Reads `in` on one thread and parses it on `parse_threads` others. Blank
// lines and lines starting with '#' are skipped, as `rollcall import` skips
// them. `in` must outlive the parser.
class JsonlParser {
 public:
  JsonlParser(std::istream& in, int parse_threads);
  ~JsonlParser();
  JsonlParser(const JsonlParser&) = delete;
  JsonlParser& operator=(const JsonlParser&) = delete;

  // The next lines in the file's order; empty once the file is read.
  std::vector<ParsedLine> Next() ABSL_LOCKS_EXCLUDED(mu_);
  // Whether reading failed (an I/O error rather than the end of the file).
  bool failed() const { return in_.bad(); }

 private:
  using RawLine = std::pair<int64_t, std::string>;  // number, stripped text
  struct Chunk {
    std::vector<RawLine> raw;
    std::vector<ParsedLine> parsed;
    bool ready = false;
  };

  void Read() ABSL_LOCKS_EXCLUDED(mu_);
  void Parse() ABSL_LOCKS_EXCLUDED(mu_);

  std::istream& in_;
  absl::Mutex mu_;
  // In the file's order; the front is the next handed out.
  std::deque<Chunk> chunks_ ABSL_GUARDED_BY(mu_);
  int64_t front_index_ ABSL_GUARDED_BY(mu_) = 0;  // the front chunk's number
  int64_t next_to_parse_ ABSL_GUARDED_BY(mu_) = 0;
  bool read_all_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_BULK_JSONL_PARSER_H_
