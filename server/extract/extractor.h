#ifndef ROLLCALL_SERVER_EXTRACT_EXTRACTOR_H_
#define ROLLCALL_SERVER_EXTRACT_EXTRACTOR_H_

// The extractor reads a document and proposes the reactions it reports as
// drafts, each with its evidence (see proto/rollcall/v1/draft.proto).
//
// It knows no gRPC and no SQL: it takes a document, a read-only view of the
// actor directory and its knowledge (lexicons, attribution cues, office
// holders, loaded from files under data/), and returns drafts. The service
// records them; tests, the fuzzer, the evaluation program and the benchmark
// call it directly.
//
// Pipeline: document (text or HTML) -> plain text -> language -> sentences
// -> quotations and attributions -> mentions resolved through the directory
// and the office holders -> stance, actions and modality (lexicons, with
// negation and conditionals) -> issue time -> drafts.
//
// Thread safety: Knowledge, ActorDirectory and Extract are immutable / pure
// once built: any number of threads may extract at once with shared ones.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rollcall/v1/actor.pb.h"
#include "rollcall/v1/draft.pb.h"

namespace rollcall::extract {

// What the extractor knows that is not the actor directory: attribution
// cues, stance and action lexicons with their CAMEO and PLOVER codes,
// negation and modality words, office holders with their dates, day and
// month words — per language. Loaded once, at start.
class Knowledge;

// Loads the knowledge files under `directory` (data/extract/ in the source
// tree, described in its README.md): languages.tsv, a folder per language
// with cues, stance, actions, modality, negation, time, offices, pronouns
// and grammar (.tsv), and office-holders.jsonl (read when present). Errors:
// NOT_FOUND for a missing file, INVALID_ARGUMENT naming the file and line of
// a malformed entry.
absl::StatusOr<std::shared_ptr<const Knowledge>> LoadKnowledge(
    const std::string& directory);

// A read-only index of the actor directory for resolving mentions: display
// names, aliases, demonyms, metonyms (Actor fields), memberships and kinds.
class ActorDirectory;

std::shared_ptr<const ActorDirectory> BuildActorDirectory(
    const std::vector<v1::Actor>& actors);

// The result of reading one document.
struct Extraction {
  // The document as it should be recorded: `text` is the plain text every
  // offset refers to (HTML converted), `html` cleared, `language` set
  // (detected when it was empty, with language_detected true). Name and
  // event are left for the caller.
  v1::Document document;
  // The proposed reactions, in order of their first evidence in the text.
  // Each has statement.event = `event`, one source built from the
  // document, one evidence entry (its `document` field left empty for the
  // caller), and state, name and times unset.
  std::vector<v1::Draft> drafts;
};

// Reads `document` (text or html set) for reactions to `event`
// ("events/{id}"). Errors are INVALID_ARGUMENT naming the field (recorded
// with FieldError): "document.text: is empty", "document.html: has no
// text", "document.text: is not UTF-8 text", "document.text: longer than
// 4194304 bytes" (kMaxDocumentBytes, document_text.h), "document.html: set
// one of text and html, not both". `now` stands in for the publication time
// when the document has none. A mention that resolves to no actor gives a
// draft with no actor and Draft.unresolved_mention set.
absl::StatusOr<Extraction> Extract(const Knowledge& knowledge,
                                   const ActorDirectory& directory,
                                   const v1::Document& document,
                                   absl::string_view event, absl::Time now);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_EXTRACTOR_H_
