#include "server/extract/extractor.h"

#include "google/protobuf/util/time_util.h"
#include "server/extract/actor_directory.h"
#include "server/extract/annotated_text.h"
#include "server/extract/document_text.h"
#include "server/extract/draft_builder.h"
#include "server/extract/knowledge.h"
#include "server/extract/reactions.h"

namespace rollcall::extract {

absl::StatusOr<Extraction> Extract(const Knowledge& knowledge,
                                   const ActorDirectory& directory,
                                   const v1::Document& document,
                                   absl::string_view event, absl::Time now) {
  absl::StatusOr<std::string> text = PlainText(document);
  if (!text.ok()) return text.status();
  Extraction extraction;
  v1::Document& out = extraction.document;
  out = document;
  out.clear_html();
  out.set_text(*text);
  if (out.language().empty()) {
    out.set_language(DetectLanguage(out.text()));
    out.set_language_detected(true);
  }
  const LanguageKnowledge& language = knowledge.ForLanguage(out.language());
  absl::Time published = now;
  if (out.has_publish_time()) {
    published = absl::FromUnixSeconds(out.publish_time().seconds());
  }
  absl::CivilDay day = absl::ToCivilDay(published, absl::UTCTimeZone());
  AnnotatedText annotated =
      Annotate(out.text(), language, knowledge, directory, day);
  std::vector<Reaction> reactions = FindReactions(annotated, language);
  DraftContext context{&annotated, &language, &out, std::string(event), day};
  extraction.drafts = BuildDrafts(context, reactions);
  return extraction;
}

}  // namespace rollcall::extract
