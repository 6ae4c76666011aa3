// ExtractDrafts with the real extractor and its knowledge (data/extract),
// through a real server: articles in English and French, HTML, and a
// server whose knowledge does not load.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/service/extractor_reader.h"
#include "server/store/sqlite_store.h"
#include "tests/service/draft_fixture.h"

namespace rollcall::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kAfp[] =
    "Niamey (AFP) - Soldiers detained the president of Niger on Wednesday.\n\n"
    "\"ECOWAS condemns in the strongest terms the attempt to seize power by force,\" the "
    "Economic Community of West African States said in a statement.\n";

constexpr char kFrench[] =
    "Niamey (AFP) - Des soldats ont retenu mercredi le président du Niger.\n\n"
    "« La CEDEAO condamne dans les termes les plus forts la tentative de prise du pouvoir "
    "par la force », a déclaré la Communauté économique des États de l'Afrique de "
    "l'Ouest dans un communiqué.\n";

using DraftExtractorTest = DraftTest;

TEST_F(DraftExtractorTest, AnEnglishAndAFrenchReportOfOneReactionAreOneDraft) {
  v1::ExtractDraftsResponse english;
  grpc::Status status = drafts_->ExtractDrafts(
      Context().get(), Document("https://afp.example/en", kAfp, "en"), &english);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<v1::Draft> ecowas = DraftsBy(english, "actors/ecowas");
  ASSERT_EQ(ecowas.size(), 1u) << english.DebugString();
  const v1::Draft& draft = ecowas[0];
  EXPECT_EQ(draft.statement().stance(), v1::STANCE_CONDEMNS);
  EXPECT_THAT(draft.statement().quote(), HasSubstr("ECOWAS condemns in the strongest terms"));
  EXPECT_EQ(english.document().language(), "en");

  v1::ExtractDraftsResponse french;
  status = drafts_->ExtractDrafts(Context().get(),
                                  Document("https://afp.example/fr", kFrench, "fr"), &french);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<v1::Draft> merged = DraftsBy(french, "actors/ecowas");
  ASSERT_EQ(merged.size(), 1u) << french.DebugString();
  EXPECT_EQ(merged[0].name(), draft.name());
  ASSERT_EQ(merged[0].evidence_size(), 2);
  EXPECT_EQ(merged[0].evidence(1).document(), french.document().name());
  EXPECT_EQ(merged[0].statement().sources_size(), 2);

  v1::ListDraftsRequest list;
  list.set_filter("state = PENDING AND actor = \"actors/ecowas\"");
  v1::ListDraftsResponse pending;
  ASSERT_TRUE(drafts_->ListDrafts(Context().get(), list, &pending).ok());
  EXPECT_EQ(pending.drafts_size(), 1);
}

TEST_F(DraftExtractorTest, HtmlIsReadAsItsVisibleTextAndScriptsAloneAreInvalid) {
  v1::ExtractDraftsRequest request = Document("https://afp.example/html", "", "en");
  request.mutable_document()->set_html(
      "<html><head><style>p { color: red }</style><script>var ECOWAS = 1;</script></head>"
      "<body><p>West African leaders on Wednesday condemned the coup.</p>"
      "<p>&quot;ECOWAS condemns in the strongest terms the attempt to seize power by "
      "force,&quot; the Economic Community of West African States said.</p></body></html>");
  v1::ExtractDraftsResponse response;
  grpc::Status status = drafts_->ExtractDrafts(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.document().html().empty());
  EXPECT_THAT(response.document().text(), HasSubstr("West African leaders"));
  EXPECT_THAT(response.document().text(), ::testing::Not(HasSubstr("color")));
  EXPECT_EQ(DraftsBy(response, "actors/ecowas").size(), 1u) << response.DebugString();

  v1::ExtractDraftsRequest scripts = Document("https://afp.example/scripts", "", "en");
  scripts.mutable_document()->set_html(
      "<html><head><style>body { margin: 0 }</style></head><body><script>track();</script>"
      "<script>var x = \"ECOWAS condemns\";</script></body></html>");
  status = drafts_->ExtractDrafts(Context().get(), scripts, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("document.html"));
  v1::ListDraftsRequest list;
  list.set_filter("document = \"documents/unknown\"");
  v1::ListDraftsResponse none;
  ASSERT_TRUE(drafts_->ListDrafts(Context().get(), list, &none).ok());
  EXPECT_EQ(none.drafts_size(), 0);
}

TEST_F(DraftExtractorTest, WithoutKnowledgeExtractionIsFailedPreconditionAndTheRestServes) {
  options_.extract_data_dir = temp_dir_.File("no-such-knowledge");
  RestartServer();
  drafts_ = v1::DraftService::NewStub(channel_);
  v1::ExtractDraftsResponse response;
  grpc::Status status = drafts_->ExtractDrafts(
      Context().get(), Document("https://afp.example/en", kAfp, "en"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("no-such-knowledge"));
  v1::ListDraftsResponse drafts;
  EXPECT_TRUE(drafts_->ListDrafts(Context().get(), v1::ListDraftsRequest(), &drafts).ok());
  v1::GetActorRequest get;
  get.set_name("actors/ecowas");
  v1::Actor actor;
  EXPECT_TRUE(actors_->GetActor(Context().get(), get, &actor).ok());
}

TEST(ExtractorReaderTest, TheDirectoryIsRebuiltOnlyWhenTheActorsChange) {
  TempDir dir;
  SqliteStoreOptions store_options;
  store_options.path = dir.File("rollcall.db");
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(store_options);
  ASSERT_TRUE(store.ok()) << store.status();
  v1::Actor niger;
  niger.set_name("actors/niger");
  niger.set_display_name("Niger");
  niger.set_kind(v1::ACTOR_KIND_STATE);
  ASSERT_TRUE((*store)->CreateActor(niger).ok());
  absl::StatusOr<std::unique_ptr<ExtractorReader>> reader =
      ExtractorReader::Load(ROLLCALL_DEFAULT_EXTRACT_DATA_DIR, store->get());
  ASSERT_TRUE(reader.ok()) << reader.status();

  v1::Document document;
  document.set_language("en");
  document.set_text(kAfp);
  const absl::Time now = absl::FromUnixSeconds(1690405200);
  absl::StatusOr<extract::Extraction> before = (*reader)->Read(document, kEvent, now);
  ASSERT_TRUE(before.ok()) << before.status();
  for (const v1::Draft& draft : before->drafts) {
    EXPECT_NE(draft.statement().actor(), "actors/ecowas") << "not in the directory yet";
  }
  ASSERT_TRUE((*reader)->Read(document, kEvent, now).ok());
  EXPECT_EQ((*reader)->directory_builds(), 1) << "nothing changed: no rebuild";

  v1::Actor ecowas;
  ecowas.set_name("actors/ecowas");
  ecowas.set_display_name("Economic Community of West African States");
  ecowas.add_aliases("ECOWAS");
  ecowas.set_kind(v1::ACTOR_KIND_REGIONAL_BLOC);
  ASSERT_TRUE((*store)->CreateActor(ecowas).ok());
  absl::StatusOr<extract::Extraction> after = (*reader)->Read(document, kEvent, now);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ((*reader)->directory_builds(), 2);
  bool resolved = false;
  for (const v1::Draft& draft : after->drafts) {
    resolved = resolved || draft.statement().actor() == "actors/ecowas";
  }
  EXPECT_TRUE(resolved) << "the new actor is resolved by the next extraction";
}

}  // namespace
}  // namespace rollcall::testing
