#ifndef ROLLCALL_SERVER_SERVICE_DOCUMENT_READER_H_
#define ROLLCALL_SERVER_SERVICE_DOCUMENT_READER_H_

// What DraftService asks of the extractor: read one document for an event
// and propose its reactions (server/extract/extractor.h). The server's
// reader runs the extractor with its knowledge and a snapshot of the actor
// directory; it is an interface so that the service does not depend on how
// the knowledge is loaded or the directory kept current.

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rollcall/v1/draft.pb.h"
#include "server/extract/extractor.h"

namespace rollcall {

class DocumentReader {
 public:
  virtual ~DocumentReader() = default;
  // The extractor's result for `document` (text or html set) and `event`;
  // its errors (INVALID_ARGUMENT naming the field for an unreadable
  // document), or FAILED_PRECONDITION saying why the extractor cannot run
  // (its knowledge did not load). Thread-safe.
  virtual absl::StatusOr<extract::Extraction> Read(const v1::Document& document,
                                                   absl::string_view event,
                                                   absl::Time now) = 0;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_DOCUMENT_READER_H_
