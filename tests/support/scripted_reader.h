#ifndef ROLLCALL_TESTS_SUPPORT_SCRIPTED_READER_H_
#define ROLLCALL_TESTS_SUPPORT_SCRIPTED_READER_H_

// A DocumentReader for tests of DraftService's own rules (recording,
// merging, duplicates, review), which must not depend on what the
// extractor happens to find in an article. It reads a script instead of
// prose: every line of the form
//
//   ACTOR | STANCE | QUOTE | SPEAKER
//
// ("actors/ecowas | condemns | We condemn the coup | Omar Touray") proposes
// one draft; ACTOR "?" followed by a name ("?the Sahel alliance") is a
// mention that resolves to no actor; QUOTE and SPEAKER may be empty. Other
// lines are ignored. Each draft is issued at the document's publish_time
// (else `now`), with one source and one evidence entry whose spans point
// into the text. Documents given as HTML are refused (UNIMPLEMENTED).

#include "server/service/document_reader.h"

namespace rollcall::testing {

class ScriptedReader : public DocumentReader {
 public:
  absl::StatusOr<extract::Extraction> Read(const v1::Document& document,
                                           absl::string_view event,
                                           absl::Time now) override;
};

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_SUPPORT_SCRIPTED_READER_H_
