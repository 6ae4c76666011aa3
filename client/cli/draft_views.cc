#include "client/cli/draft_views.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/cli/names.h"
#include "client/cli/output.h"
#include "client/cli/values.h"
#include "client/cli/views.h"

namespace rollcall::cli {
namespace {

constexpr char kReset[] = "\x1b[0m";
constexpr char kQuoteColour[] = "\x1b[32m";
constexpr char kCueColour[] = "\x1b[33m";
constexpr char kActorColour[] = "\x1b[1;36m";
constexpr char kStanceColour[] = "\x1b[35m";

std::string Stance(const v1::Statement& statement) {
  std::string stance = Label(statement.stance());
  if (!statement.stance_toward().empty()) {
    absl::StrAppend(&stance, " → ", ResourceId(statement.stance_toward()));
  }
  return stance;
}

std::string Actions(const v1::Statement& statement) {
  std::vector<std::string> kinds;
  for (const v1::Action& action : statement.actions()) {
    kinds.push_back(Label(action.kind()));
  }
  return absl::StrJoin(kinds, ", ");
}

std::string SpeakerText(const v1::Speaker& speaker) {
  if (speaker.office().empty()) return speaker.person_name();
  if (speaker.person_name().empty()) return speaker.office();
  return absl::StrCat(speaker.person_name(), " (", speaker.office(), ")");
}

// The lowest confidence among the fields the extractor filled, "0.72".
std::string LowestConfidence(const v1::DraftConfidence& c) {
  float lowest = 2;
  for (float value : {c.actor(), c.speaker(), c.stance(), c.actions(), c.quote(),
                      c.issue_time(), c.modality()}) {
    if (value > 0) lowest = std::min(lowest, value);
  }
  return lowest > 1 ? "" : absl::StrFormat("%.2f", lowest);
}

std::string AllConfidences(const v1::DraftConfidence& c) {
  return absl::StrFormat(
      "actor %.2f, speaker %.2f, stance %.2f, actions %.2f, quote %.2f, "
      "issue time %.2f, modality %.2f",
      c.actor(), c.speaker(), c.stance(), c.actions(), c.quote(), c.issue_time(),
      c.modality());
}

// The byte offset in UTF-8 `text` of each code point, plus text.size().
std::vector<size_t> CodePointOffsets(const std::string& text) {
  std::vector<size_t> offsets;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) offsets.push_back(i);
  }
  offsets.push_back(text.size());
  return offsets;
}

bool HasText(const v1::TextSpan& span) { return span.end() > span.start(); }

}  // namespace

std::string DraftActor(const v1::Draft& draft) {
  if (!draft.statement().actor().empty()) return ResourceId(draft.statement().actor());
  if (!draft.unresolved_mention().empty()) {
    return absl::StrCat("unresolved: ", draft.unresolved_mention());
  }
  return "unresolved";
}

void PrintDraftList(const std::vector<v1::Draft>& drafts, bool json, std::ostream& out) {
  if (json) {
    for (const v1::Draft& draft : drafts) PrintJsonLine(draft, out);
    return;
  }
  Table table({"NAME", "STATE", "ACTOR", "STANCE", "ACTIONS", "SPEAKER", "CONF",
               "DUPLICATE OF", "QUOTE"});
  for (const v1::Draft& draft : drafts) {
    const v1::Statement& s = draft.statement();
    table.AddRow({draft.name().empty() ? "(preview)" : draft.name(), Label(draft.state()),
                  DraftActor(draft), Stance(s), Actions(s), SpeakerText(s.speaker()),
                  LowestConfidence(draft.confidence()), draft.duplicate_of(),
                  Truncate(s.quote().empty() ? s.summary() : s.quote(), kQuoteWidth)});
  }
  table.Print(out);
}

void PrintDraft(const v1::Draft& draft, bool json, std::ostream& out) {
  if (json) return PrintJsonLine(draft, out);
  FieldView view;
  view.Add("draft", draft.name());
  view.Add("state", Label(draft.state()));
  view.Add("unresolved", draft.unresolved_mention());
  view.Add("duplicate of", draft.duplicate_of());
  view.Add("became", draft.statement_name());
  view.Add("rejected for", draft.reject_reason());
  view.Add("confidence", AllConfidences(draft.confidence()));
  std::vector<std::string> documents;
  for (const v1::DraftEvidence& evidence : draft.evidence()) {
    documents.push_back(evidence.document());
  }
  for (size_t i = 0; i < documents.size(); ++i) {
    view.Add(i == 0 ? "documents" : "", documents[i]);
  }
  view.Add("reviewer", draft.reviewer());
  view.Print(out);
  out << '\n';
  PrintStatement(draft.statement(), false, out);
}

bool UseColour() {
  const char* no_colour = std::getenv("NO_COLOR");
  return (no_colour == nullptr || *no_colour == '\0') && isatty(STDOUT_FILENO);
}

std::string HighlightSentence(const v1::TextSpan& sentence,
                              std::vector<Highlight> highlights) {
  const std::vector<size_t> offsets = CodePointOffsets(sentence.text());
  const int length = static_cast<int>(offsets.size()) - 1;
  std::stable_sort(highlights.begin(), highlights.end(),
                   [](const Highlight& a, const Highlight& b) {
                     return a.span.start() < b.span.start();
                   });
  std::string out;
  int at = 0;  // code points of the sentence written so far
  for (const Highlight& highlight : highlights) {
    const int start = highlight.span.start() - sentence.start();
    const int end = highlight.span.end() - sentence.start();
    if (start < at || end > length || start >= end) continue;
    out.append(sentence.text(), offsets[at], offsets[start] - offsets[at]);
    absl::StrAppend(&out, highlight.colour);
    out.append(sentence.text(), offsets[start], offsets[end] - offsets[start]);
    absl::StrAppend(&out, kReset);
    at = end;
  }
  out.append(sentence.text(), offsets[at], offsets[length] - offsets[at]);
  return out;
}

std::string RenderEvidence(const v1::Draft& draft, bool colour) {
  std::string out;
  for (const v1::DraftEvidence& evidence : draft.evidence()) {
    absl::StrAppend(&out, "  from ", evidence.document(), ":\n");
    std::vector<Highlight> highlights;
    for (const v1::TextSpan& quote : evidence.quotes()) {
      highlights.push_back({quote, kQuoteColour});
    }
    if (HasText(evidence.cue())) highlights.push_back({evidence.cue(), kCueColour});
    if (HasText(evidence.actor_mention().span())) {
      highlights.push_back({evidence.actor_mention().span(), kActorColour});
    }
    for (const auto* cues : {&evidence.stance_cues(), &evidence.action_cues()}) {
      for (const v1::TextSpan& cue : *cues) highlights.push_back({cue, kStanceColour});
    }
    for (const v1::TextSpan& sentence : evidence.sentences()) {
      absl::StrAppend(&out, "  > ",
                      colour ? HighlightSentence(sentence, highlights) : sentence.text(),
                      "\n");
    }
    std::vector<std::string> quotes;
    for (const v1::TextSpan& quote : evidence.quotes()) quotes.push_back(quote.text());
    FieldView marks;
    marks.Add("  quote", absl::StrJoin(quotes, " … "));
    marks.Add("  cue", evidence.cue().text());
    marks.Add("  actor mention", evidence.actor_mention().span().text());
    std::ostringstream printed;
    marks.Print(printed);
    absl::StrAppend(&out, printed.str());
  }
  return out;
}

}  // namespace rollcall::cli
