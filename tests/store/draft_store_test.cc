// The DraftStore contract (documents and drafts), run against every store.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/draft_store.h"
#include "tests/store/store_test_support.h"

namespace rollcall::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kEvent[] = "events/niger-coup-2023";

v1::Document MakeDocument(const std::string& url, const std::string& text,
                          const std::string& event = kEvent) {
  v1::Document document;
  document.set_url(url);
  document.set_text(text);
  document.set_publisher("AFP");
  document.set_language("en");
  document.set_event(event);
  return document;
}

// A proposed draft by `actor` with one evidence entry and one source.
ExtractedDraft MakeDraft(const std::string& actor, const std::string& quote,
                         const std::string& source_url = "https://example.org/a") {
  ExtractedDraft extracted;
  v1::Draft& draft = extracted.draft;
  *draft.mutable_statement() = MakeStatement(actor, kEvent);
  draft.mutable_statement()->set_quote(quote);
  draft.mutable_statement()->clear_sources();
  draft.mutable_statement()->add_sources()->set_url(source_url);
  v1::DraftEvidence* evidence = draft.add_evidence();
  evidence->add_quotes()->set_text(quote);
  draft.mutable_confidence()->set_actor(0.9f);
  return extracted;
}

NewExtraction WithDocument(v1::Document document) {
  NewExtraction extraction;
  extraction.document = std::move(document);
  return extraction;
}

std::vector<std::string> Names(const std::vector<v1::Draft>& drafts) {
  std::vector<std::string> names;
  for (const v1::Draft& draft : drafts) names.push_back(draft.name());
  return names;
}

class DraftStoreTest : public StoreTestBase {
 protected:
  void SetUp() override {
    StoreTestBase::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    SeedNigerRollCall(store());
  }
  DraftStore& drafts() { return dynamic_cast<DraftStore&>(store()); }

  RecordedExtraction RecordOrDie(const NewExtraction& extraction) {
    absl::StatusOr<RecordedExtraction> recorded = drafts().RecordExtraction(extraction);
    EXPECT_TRUE(recorded.ok()) << recorded.status();
    return recorded.value_or(RecordedExtraction());
  }
  // A document at `url` giving one draft by ECOWAS and one by France.
  RecordedExtraction RecordTwo(const std::string& url) {
    NewExtraction extraction = WithDocument(MakeDocument(url, "ECOWAS condemned. France said so."));
    extraction.drafts.push_back(MakeDraft("actors/ecowas", "We condemn the coup", url));
    extraction.drafts.push_back(MakeDraft("actors/france", "We support ECOWAS", url));
    return RecordOrDie(extraction);
  }
};

TEST_P(DraftStoreTest, RecordedDraftsArePendingNamedAndPointAtTheirDocument) {
  RecordedExtraction recorded = RecordTwo("https://example.org/a");
  ASSERT_FALSE(recorded.already_extracted);
  EXPECT_THAT(recorded.document.name(), HasSubstr("documents/"));
  EXPECT_TRUE(recorded.document.has_create_time());
  ASSERT_EQ(recorded.drafts.size(), 2u);
  for (const v1::Draft& draft : recorded.drafts) {
    EXPECT_THAT(draft.name(), HasSubstr("drafts/"));
    EXPECT_EQ(draft.state(), v1::DRAFT_STATE_PENDING);
    EXPECT_FALSE(draft.etag().empty());
    EXPECT_TRUE(draft.has_create_time());
    ASSERT_EQ(draft.evidence_size(), 1);
    EXPECT_EQ(draft.evidence(0).document(), recorded.document.name());
  }
  EXPECT_EQ(recorded.drafts[0].statement().actor(), "actors/ecowas");

  Reopen();
  absl::StatusOr<v1::Draft> got = drafts().GetDraft(recorded.drafts[1].name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), recorded.drafts[1].SerializeAsString());
  absl::StatusOr<v1::Document> document = drafts().GetDocument(recorded.document.name());
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(document->text(), "ECOWAS condemned. France said so.");
  EXPECT_EQ(document->event(), kEvent);
}

TEST_P(DraftStoreTest, MissingDraftOrDocumentIsNotFound) {
  EXPECT_EQ(drafts().GetDraft("drafts/dnothere").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(drafts().GetDocument("documents/tnothere").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(drafts()
                .UpdateDraft("drafts/dnothere", [](v1::Draft&) { return absl::OkStatus(); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(DraftStoreTest, SameUrlForTheSameEventIsAlreadyExtractedAndRecordsNothing) {
  RecordedExtraction first = RecordTwo("https://example.org/a");
  RecordedExtraction again = RecordTwo("https://example.org/a");
  EXPECT_TRUE(again.already_extracted);
  EXPECT_EQ(again.document.name(), first.document.name());
  EXPECT_THAT(Names(again.drafts), ElementsAre(first.drafts[0].name(), first.drafts[1].name()));
  absl::StatusOr<DraftPage> all = drafts().ListDrafts(DraftQuery{});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->drafts.size(), 2u);

  absl::StatusOr<std::optional<RecordedExtraction>> found =
      drafts().FindExtraction(kEvent, DocumentKey(first.document));
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->document.name(), first.document.name());
  EXPECT_FALSE(drafts().FindExtraction("events/other", DocumentKey(first.document))->has_value());
}

TEST_P(DraftStoreTest, WithoutUrlTheTextIdentifiesTheDocument) {
  NewExtraction a = WithDocument(MakeDocument("", "The same text."));
  NewExtraction b = WithDocument(MakeDocument("", "Another text."));
  RecordedExtraction first = RecordOrDie(a);
  EXPECT_TRUE(RecordOrDie(a).already_extracted);
  RecordedExtraction other = RecordOrDie(b);
  EXPECT_FALSE(other.already_extracted);
  EXPECT_NE(other.document.name(), first.document.name());
  EXPECT_NE(DocumentKey(a.document), DocumentKey(b.document));
}

TEST_P(DraftStoreTest, MergedDraftGainsTheEvidenceAndSourceOfTheSecondDocument) {
  RecordedExtraction afp = RecordTwo("https://afp.example/1");
  NewExtraction reuters = WithDocument(MakeDocument("https://reuters.example/1", "ECOWAS condemned."));
  reuters.drafts.push_back(
      MakeDraft("actors/ecowas", "We condemn the coup", "https://reuters.example/1"));
  reuters.drafts.back().merge_into = afp.drafts[0].name();
  RecordedExtraction recorded = RecordOrDie(reuters);
  ASSERT_EQ(recorded.drafts.size(), 1u);
  const v1::Draft& merged = recorded.drafts[0];
  EXPECT_EQ(merged.name(), afp.drafts[0].name());
  ASSERT_EQ(merged.evidence_size(), 2);
  EXPECT_EQ(merged.evidence(0).document(), afp.document.name());
  EXPECT_EQ(merged.evidence(1).document(), recorded.document.name());
  ASSERT_EQ(merged.statement().sources_size(), 2);
  EXPECT_EQ(merged.statement().sources(1).url(), "https://reuters.example/1");
  EXPECT_NE(merged.etag(), afp.drafts[0].etag());

  // Both documents list it.
  for (const std::string& document : {afp.document.name(), recorded.document.name()}) {
    DraftQuery query;
    query.document = document;
    query.actor = "actors/ecowas";
    absl::StatusOr<DraftPage> page = drafts().ListDrafts(query);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_THAT(Names(page->drafts), ElementsAre(merged.name()));
  }
}

TEST_P(DraftStoreTest, MergeIntoADraftNoLongerPendingRecordsANewDraft) {
  RecordedExtraction afp = RecordTwo("https://afp.example/1");
  ASSERT_TRUE(drafts()
                  .UpdateDraft(afp.drafts[0].name(),
                               [](v1::Draft& draft) {
                                 draft.set_state(v1::DRAFT_STATE_REJECTED);
                                 draft.set_reject_reason("not a reaction");
                                 return absl::OkStatus();
                               })
                  .ok());
  NewExtraction reuters = WithDocument(MakeDocument("https://reuters.example/1", "ECOWAS condemned."));
  reuters.drafts.push_back(MakeDraft("actors/ecowas", "We condemn the coup"));
  reuters.drafts.back().merge_into = afp.drafts[0].name();
  RecordedExtraction recorded = RecordOrDie(reuters);
  ASSERT_EQ(recorded.drafts.size(), 1u);
  EXPECT_NE(recorded.drafts[0].name(), afp.drafts[0].name());
  EXPECT_EQ(recorded.drafts[0].state(), v1::DRAFT_STATE_PENDING);
  EXPECT_EQ(recorded.drafts[0].evidence_size(), 1);
}

TEST_P(DraftStoreTest, ListFiltersByEventStateActorAndPagesInCreateOrder) {
  RecordedExtraction a = RecordTwo("https://example.org/a");
  RecordedExtraction b = RecordTwo("https://example.org/b");
  ASSERT_TRUE(drafts()
                  .UpdateDraft(b.drafts[0].name(),
                               [](v1::Draft& draft) {
                                 draft.set_state(v1::DRAFT_STATE_REJECTED);
                                 return absl::OkStatus();
                               })
                  .ok());
  DraftQuery pending;
  pending.event = kEvent;
  pending.state = v1::DRAFT_STATE_PENDING;
  absl::StatusOr<DraftPage> page = drafts().ListDrafts(pending);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(Names(page->drafts),
              ElementsAre(a.drafts[0].name(), a.drafts[1].name(), b.drafts[1].name()));

  DraftQuery by_actor;
  by_actor.actor = "actors/ecowas";
  EXPECT_THAT(Names(drafts().ListDrafts(by_actor)->drafts),
              ElementsAre(a.drafts[0].name(), b.drafts[0].name()));
  DraftQuery other_event;
  other_event.event = "events/other";
  EXPECT_TRUE(drafts().ListDrafts(other_event)->drafts.empty());

  // Pages of two: every draft once, in create order.
  std::vector<std::string> seen;
  DraftQuery query;
  query.page_size = 2;
  for (int pages = 0; pages < 5; ++pages) {
    absl::StatusOr<DraftPage> next = drafts().ListDrafts(query);
    ASSERT_TRUE(next.ok()) << next.status();
    for (const v1::Draft& draft : next->drafts) seen.push_back(draft.name());
    if (!next->next_after.has_value()) break;
    query.after = next->next_after;
  }
  EXPECT_THAT(seen, ElementsAre(a.drafts[0].name(), a.drafts[1].name(), b.drafts[0].name(),
                                b.drafts[1].name()));
}

TEST_P(DraftStoreTest, UpdateKeepsNameAndCreateTimeChangesEtagAndAFailedMutationWritesNothing) {
  RecordedExtraction a = RecordTwo("https://example.org/a");
  const v1::Draft& before = a.drafts[0];
  absl::StatusOr<v1::Draft> updated =
      drafts().UpdateDraft(before.name(), [](v1::Draft& draft) {
        draft.set_name("drafts/stolen");
        draft.set_state(v1::DRAFT_STATE_ACCEPTED);
        draft.set_statement_name("statements/s1");
        return absl::OkStatus();
      });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->name(), before.name());
  EXPECT_EQ(updated->create_time().seconds(), before.create_time().seconds());
  EXPECT_NE(updated->etag(), before.etag());
  EXPECT_EQ(updated->state(), v1::DRAFT_STATE_ACCEPTED);

  absl::Status refused = drafts()
                             .UpdateDraft(before.name(),
                                          [](v1::Draft& draft) {
                                            draft.set_reject_reason("x");
                                            return absl::AbortedError("etag");
                                          })
                             .status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kAborted);
  absl::StatusOr<v1::Draft> got = drafts().GetDraft(before.name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->SerializeAsString(), updated->SerializeAsString());

  DraftQuery accepted;
  accepted.state = v1::DRAFT_STATE_ACCEPTED;
  EXPECT_THAT(Names(drafts().ListDrafts(accepted)->drafts), ElementsAre(before.name()));
}

TEST_P(DraftStoreTest, DraftsAreNotStatementsAndDoNotTouchTheLog) {
  const int64_t head = store().HeadSequence();
  RecordTwo("https://example.org/a");
  EXPECT_EQ(store().HeadSequence(), head);
  StatementQuery query;
  absl::StatusOr<StatementPage> statements = store().ListStatements(query);
  ASSERT_TRUE(statements.ok());
  EXPECT_TRUE(statements->statements.empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, DraftStoreTest, ::testing::ValuesIn(AllStoreFactories()),
                         FactoryName);

}  // namespace
}  // namespace rollcall::testing
