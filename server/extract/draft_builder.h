#ifndef ROLLCALL_SERVER_EXTRACT_DRAFT_BUILDER_H_
#define ROLLCALL_SERVER_EXTRACT_DRAFT_BUILDER_H_

// Reactions become drafts: one per actor and stance (an actor's words with
// no stance of their own join its draft with a stance), each with its
// evidence in code points and a confidence per field.

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "rollcall/v1/draft.pb.h"
#include "server/extract/annotated_text.h"
#include "server/extract/reactions.h"

namespace rollcall::extract {

struct DraftContext {
  const AnnotatedText* text;
  const LanguageKnowledge* language;
  const v1::Document* document;  // language and publication set
  std::string event;
  absl::CivilDay day;  // publication day, UTC
};

std::vector<v1::Draft> BuildDrafts(const DraftContext& context,
                                   const std::vector<Reaction>& reactions);

}  // namespace rollcall::extract

#endif  // ROLLCALL_SERVER_EXTRACT_DRAFT_BUILDER_H_
