#ifndef ROLLCALL_CLIENT_CLI_DRAFT_VIEWS_H_
#define ROLLCALL_CLIENT_CLI_DRAFT_VIEWS_H_

// How drafts are shown: a table row per draft, a "key: value" view of one
// draft, one protobuf JSON object per line (whose "statement" is exactly
// what `statements get --output json` prints), and the evidence with the
// quote, the cue and the actor mention highlighted for review.

#include <ostream>
#include <string>
#include <vector>

#include "rollcall/v1/draft.pb.h"

namespace rollcall::cli {

// Columns NAME, STATE, ACTOR (or "unresolved: MENTION"), STANCE (with
// "→ toward"), ACTIONS, SPEAKER, CONF (the lowest confidence of the fields
// the extractor filled), DUPLICATE OF, QUOTE.
void PrintDraftList(const std::vector<v1::Draft>& drafts, bool json, std::ostream& out);
void PrintDraft(const v1::Draft& draft, bool json, std::ostream& out);

// The actor column: the actor's id, or "unresolved: MENTION".
std::string DraftActor(const v1::Draft& draft);

// True when highlighting should use ANSI colours: stdout is a terminal and
// NO_COLOR is not set (to anything).
bool UseColour();

// The evidence of `draft` for review: per document, its sentences with the
// quotes (green), the attribution cue (yellow), the actor mention (bold
// cyan) and the stance and action cues (magenta) highlighted when `colour`;
// then one line per highlighted kind ("quote: …", "cue: …", "actor
// mention: …") so that nothing depends on colour alone.
std::string RenderEvidence(const v1::Draft& draft, bool colour);

// `text` (a sentence starting at code point `start` of its document) with
// ANSI colours around each span of `spans` that lies inside it. Spans are
// in code points of the document; overlapping spans keep the first.
struct Highlight {
  v1::TextSpan span;
  std::string colour;  // an ANSI SGR sequence, e.g. "\x1b[32m"
};
std::string HighlightSentence(const v1::TextSpan& sentence,
                              std::vector<Highlight> highlights);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_DRAFT_VIEWS_H_
