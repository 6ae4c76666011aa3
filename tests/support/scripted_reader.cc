#include "tests/support/scripted_reader.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/time_util.h"

namespace rollcall::testing {
namespace {

// Code points before byte `offset` of `text` (UTF-8).
int CodePoints(absl::string_view text, size_t offset) {
  int count = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++count;
  }
  return count;
}

void SetSpan(absl::string_view text, size_t start, absl::string_view part,
             v1::TextSpan* span) {
  span->set_start(CodePoints(text, start));
  span->set_end(CodePoints(text, start + part.size()));
  span->set_text(std::string(part));
}

}  // namespace

absl::StatusOr<extract::Extraction> ScriptedReader::Read(const v1::Document& document,
                                                         absl::string_view event,
                                                         absl::Time now) {
  if (!document.html().empty()) {
    return absl::UnimplementedError("the scripted reader reads text only");
  }
  extract::Extraction extraction;
  extraction.document = document;
  if (extraction.document.language().empty()) {
    extraction.document.set_language("en");
    extraction.document.set_language_detected(true);
  }
  const std::string& text = extraction.document.text();
  const absl::Time issued =
      document.has_publish_time() ? ToAbslTime(document.publish_time()) : now;
  size_t line_start = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    const size_t start = line_start;
    line_start += line.size() + 1;
    std::vector<std::string> fields = absl::StrSplit(line, '|');
    if (fields.size() != 4) continue;
    for (std::string& field : fields) absl::StripAsciiWhitespace(&field);
    v1::Draft& draft = extraction.drafts.emplace_back();
    v1::Statement& statement = *draft.mutable_statement();
    v1::DraftEvidence& evidence = *draft.add_evidence();
    v1::ActorMention& mention = *evidence.mutable_actor_mention();
    statement.set_event(std::string(event));
    if (absl::StartsWith(fields[0], "?")) {
      draft.set_unresolved_mention(fields[0].substr(1));
      mention.set_resolution(v1::MENTION_RESOLUTION_UNRESOLVED);
    } else {
      statement.set_actor(fields[0]);
      mention.set_actor(fields[0]);
      mention.set_resolution(v1::MENTION_RESOLUTION_NAME);
      draft.mutable_confidence()->set_actor(1);
    }
    SetSpan(text, start, line.substr(0, line.find('|')), mention.mutable_span());
    v1::Stance stance = v1::STANCE_UNSPECIFIED;
    v1::Stance_Parse(absl::StrCat("STANCE_", absl::AsciiStrToUpper(fields[1])), &stance);
    statement.set_stance(stance);
    if (!fields[2].empty()) {
      statement.set_quote(fields[2]);
      SetSpan(text, start + line.find(fields[2]), fields[2], evidence.add_quotes());
    }
    if (!fields[3].empty()) statement.mutable_speaker()->set_person_name(fields[3]);
    statement.set_summary(absl::StrCat(fields[0], " ", fields[1]));
    statement.set_language(extraction.document.language());
    *statement.mutable_issue_time() = ToTimestamp(issued);
    statement.set_issue_time_precision(v1::TIME_PRECISION_DAY);
    v1::Source& source = *statement.add_sources();
    source.set_url(document.url());
    source.set_title(document.title());
    source.set_publisher(document.publisher());
    source.set_medium(document.medium());
    SetSpan(text, start, line, evidence.add_sentences());
  }
  return extraction;
}

}  // namespace rollcall::testing
