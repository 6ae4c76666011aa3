#include "tests/service/draft_fixture.h"

#include "server/common/time_util.h"

namespace rollcall::testing {

std::vector<v1::Draft> DraftsBy(const v1::ExtractDraftsResponse& response,
                                const std::string& actor) {
  std::vector<v1::Draft> drafts;
  for (const v1::Draft& draft : response.drafts()) {
    if (draft.statement().actor() == actor) drafts.push_back(draft);
  }
  return drafts;
}

void DraftTest::SetUp() {
  ServerTest::SetUp();
  if (HasFatalFailure()) return;
  drafts_ = v1::DraftService::NewStub(channel_);
  CreateNigerFixture();
  Name("actors/ecowas", "Economic Community of West African States",
       {"ECOWAS", "CEDEAO", "Communauté économique des États de l'Afrique de l'Ouest"});
  Name("actors/niger", "Niger", {});
  Name("actors/benin", "Benin", {});
}

void DraftTest::TearDown() {
  drafts_.reset();
  ServerTest::TearDown();
}

void DraftTest::Name(const std::string& actor, const std::string& display_name,
                     const std::vector<std::string>& aliases) {
  v1::UpdateActorRequest update;
  update.mutable_actor()->set_name(actor);
  update.mutable_actor()->set_display_name(display_name);
  for (const std::string& alias : aliases) update.mutable_actor()->add_aliases(alias);
  update.mutable_update_mask()->add_paths("display_name");
  update.mutable_update_mask()->add_paths("aliases");
  v1::Actor updated;
  grpc::Status status = actors_->UpdateActor(Context().get(), update, &updated);
  ASSERT_TRUE(status.ok()) << actor << ": " << status.error_message();
}

v1::ExtractDraftsRequest DraftTest::Document(const std::string& url, const std::string& text,
                                             const std::string& language) {
  v1::ExtractDraftsRequest request;
  request.set_event(kEvent);
  v1::Document* document = request.mutable_document();
  document->set_url(url);
  document->set_text(text);
  document->set_publisher(url.find("reuters") != std::string::npos ? "Reuters" : "AFP");
  document->set_language(language);
  *document->mutable_publish_time() = ToTimestamp(absl::FromUnixSeconds(1690405200));
  return request;
}

grpc::Status DraftTest::Extract(const v1::ExtractDraftsRequest& request,
                                v1::ExtractDraftsResponse* response) {
  return drafts_->ExtractDrafts(Context().get(), request, response);
}

v1::ExtractDraftsResponse DraftTest::ExtractOrDie(const v1::ExtractDraftsRequest& request) {
  v1::ExtractDraftsResponse response;
  grpc::Status status = Extract(request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

std::string DraftTest::ExtractOne(const std::string& url, const std::string& text) {
  v1::ExtractDraftsResponse response = ExtractOrDie(Document(url, text));
  EXPECT_EQ(response.drafts_size(), 1) << response.DebugString();
  return response.drafts_size() > 0 ? response.drafts(0).name() : "";
}

grpc::Status DraftTest::Accept(const v1::AcceptDraftRequest& request,
                               v1::AcceptDraftResponse* response) {
  return drafts_->AcceptDraft(Context().get(), request, response);
}

void DraftTest::AcceptOrDie(const std::string& name) {
  v1::AcceptDraftRequest request;
  request.set_name(name);
  v1::AcceptDraftResponse accepted;
  grpc::Status status = Accept(request, &accepted);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

void DraftTest::RejectOrDie(const std::string& name) {
  v1::RejectDraftRequest request;
  request.set_name(name);
  request.set_reason("not a reaction");
  v1::Draft rejected;
  grpc::Status status = drafts_->RejectDraft(Context().get(), request, &rejected);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

std::vector<v1::Draft> DraftTest::ListDrafts(const std::string& filter) {
  v1::ListDraftsRequest request;
  request.set_filter(filter);
  v1::ListDraftsResponse response;
  grpc::Status status = drafts_->ListDrafts(Context().get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.drafts().begin(), response.drafts().end()};
}

}  // namespace rollcall::testing
