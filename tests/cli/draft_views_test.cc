// Unit tests of how drafts are shown: the JSON form (whose statement is the
// JSON `statements get` prints), the table, highlighted evidence, and the
// ListDrafts filter of `drafts list`.

#include "client/cli/draft_views.h"

#include <sstream>

#include "client/cli/commands.h"
#include "client/cli/output.h"
#include "client/cli/views.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace rollcall::cli {
namespace {

// "Le président de la Commission de la CEDEAO a « condamné » le coup."
// with the quote, cue and actor mention at code-point offsets.
v1::Draft SampleDraft() {
  v1::Draft draft;
  draft.set_name("drafts/d1");
  draft.set_state(v1::DRAFT_STATE_PENDING);
  v1::Statement* s = draft.mutable_statement();
  s->set_event("events/niger-coup-2023");
  s->set_actor("actors/ecowas");
  s->set_stance(v1::STANCE_CONDEMNS);
  s->set_stance_toward("actors/niger-junta");
  s->add_actions()->set_kind(v1::ACTION_KIND_CONDEMN);
  s->set_quote("condamné");
  s->mutable_speaker()->set_person_name("Omar Touray");
  draft.mutable_confidence()->set_actor(0.9f);
  draft.mutable_confidence()->set_stance(0.75f);
  draft.set_duplicate_of("statements/s9");
  v1::DraftEvidence* evidence = draft.add_evidence();
  evidence->set_document("documents/doc1");
  v1::TextSpan* sentence = evidence->add_sentences();
  sentence->set_start(10);
  sentence->set_text("La CEDEAO a « condamné » le coup.");
  sentence->set_end(10 + 33);
  v1::TextSpan* quote = evidence->add_quotes();
  quote->set_start(10 + 14);
  quote->set_end(10 + 22);
  quote->set_text("condamné");
  v1::TextSpan* mention = evidence->mutable_actor_mention()->mutable_span();
  mention->set_start(10 + 3);
  mention->set_end(10 + 9);
  mention->set_text("CEDEAO");
  return draft;
}

TEST(DraftViewsTest, JsonHoldsTheStatementAsStatementsGetPrintsIt) {
  const v1::Draft draft = SampleDraft();
  std::ostringstream draft_json;
  PrintDraftList({draft}, true, draft_json);
  std::ostringstream statement_json;
  PrintStatement(draft.statement(), true, statement_json);
  std::string statement_line = statement_json.str();
  statement_line.pop_back();  // the newline
  EXPECT_NE(draft_json.str().find("\"statement\":" + statement_line), std::string::npos)
      << draft_json.str();
  for (const char* key : {"\"name\":\"drafts/d1\"", "\"state\":\"DRAFT_STATE_PENDING\"",
                          "\"evidence\":[", "\"confidence\":{", "\"duplicateOf\":"}) {
    EXPECT_NE(draft_json.str().find(key), std::string::npos) << key;
  }
  v1::Draft parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(draft_json.str(), &parsed).ok());
  EXPECT_EQ(parsed.SerializeAsString(), draft.SerializeAsString());
}

TEST(DraftViewsTest, TableShowsActorStanceActionsSpeakerConfidenceDuplicate) {
  v1::Draft unresolved = SampleDraft();
  unresolved.mutable_statement()->clear_actor();
  unresolved.set_unresolved_mention("the Sahel States Alliance");
  std::ostringstream out;
  PrintDraftList({SampleDraft(), unresolved}, false, out);
  const std::string table = out.str();
  for (const char* cell : {"drafts/d1", "pending", "ecowas", "condemns → niger-junta",
                           "condemn", "Omar Touray", "0.75", "statements/s9", "condamné",
                           "unresolved: the Sahel States Alliance"}) {
    EXPECT_NE(table.find(cell), std::string::npos) << cell << " in\n" << table;
  }
}

TEST(DraftViewsTest, HighlightCountsCodePoints) {
  const v1::Draft draft = SampleDraft();
  const v1::DraftEvidence& evidence = draft.evidence(0);
  const std::string highlighted = HighlightSentence(
      evidence.sentences(0),
      {{evidence.quotes(0), "<Q>"}, {evidence.actor_mention().span(), "<A>"}});
  EXPECT_EQ(highlighted, "La <A>CEDEAO\x1b[0m a « <Q>condamné\x1b[0m » le coup.");
}

TEST(DraftViewsTest, HighlightSkipsSpansOutsideOrOverlapping) {
  v1::TextSpan sentence;
  sentence.set_start(100);
  sentence.set_end(105);
  sentence.set_text("abcde");
  v1::TextSpan outside;
  outside.set_start(3);
  outside.set_end(6);
  v1::TextSpan first;
  first.set_start(101);
  first.set_end(104);
  v1::TextSpan overlapping;
  overlapping.set_start(102);
  overlapping.set_end(105);
  EXPECT_EQ(HighlightSentence(sentence,
                              {{outside, "<X>"}, {first, "<F>"}, {overlapping, "<O>"}}),
            "a<F>bcd\x1b[0me");
}

TEST(DraftViewsTest, EvidenceWithoutColourIsPlainAndNamesTheMarks) {
  const std::string plain = RenderEvidence(SampleDraft(), false);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos) << plain;
  EXPECT_NE(plain.find("> La CEDEAO a « condamné » le coup."), std::string::npos)
      << plain;
  EXPECT_NE(plain.find("quote:"), std::string::npos) << plain;
  EXPECT_NE(plain.find("actor mention:"), std::string::npos) << plain;
  const std::string coloured = RenderEvidence(SampleDraft(), true);
  EXPECT_NE(coloured.find("\x1b[32mcondamné\x1b[0m"), std::string::npos) << coloured;
  EXPECT_NE(coloured.find("\x1b[1;36mCEDEAO\x1b[0m"), std::string::npos) << coloured;
}

TEST(DraftFilterTest, JoinsTheFlagsWithAnd) {
  EXPECT_EQ(*DraftFilter("", "", "", ""), "");
  EXPECT_EQ(*DraftFilter("niger-coup-2023", "Pending", "ecowas", "doc1"),
            "event = \"events/niger-coup-2023\" AND state = PENDING AND "
            "actor = \"actors/ecowas\" AND document = \"documents/doc1\"");
  EXPECT_TRUE(absl::IsInvalidArgument(DraftFilter("", "maybe", "", "").status()));
}

}  // namespace
}  // namespace rollcall::cli
