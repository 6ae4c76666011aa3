#include "client/cli/draft_client.h"

#include <utility>

#include "grpcpp/grpcpp.h"
#include "rollcall/v1/draft_service.grpc.pb.h"

namespace rollcall::cli {
namespace {

// The page size used when reading everything: the server's maximum.
constexpr int kMaxPageSize = 1000;

}  // namespace

struct DraftClient::Stub {
  explicit Stub(const std::shared_ptr<grpc::Channel>& channel)
      : drafts(v1::DraftService::NewStub(channel)) {}
  std::unique_ptr<v1::DraftService::Stub> drafts;
};

DraftClient::DraftClient(Session& session)
    : session_(session), stub_(std::make_unique<Stub>(session.channel())) {}

DraftClient::~DraftClient() = default;

// Calls stub_->drafts->method(context, request, &response) with a fresh
// deadline.
#define ROLLCALL_DRAFT_CALL(method, request, Response)                              \
  do {                                                                              \
    Response response;                                                              \
    auto context = session_.NewContext();                                           \
    grpc::Status status = stub_->drafts->method(context.get(), request, &response); \
    if (!status.ok()) return ToStatus(status);                                      \
    return response;                                                                \
  } while (false)

absl::StatusOr<v1::ExtractDraftsResponse> DraftClient::ExtractDrafts(
    const v1::ExtractDraftsRequest& request) {
  ROLLCALL_DRAFT_CALL(ExtractDrafts, request, v1::ExtractDraftsResponse);
}

absl::StatusOr<v1::Document> DraftClient::GetDocument(const std::string& name) {
  v1::GetDocumentRequest request;
  request.set_name(name);
  ROLLCALL_DRAFT_CALL(GetDocument, request, v1::Document);
}

absl::StatusOr<v1::Draft> DraftClient::GetDraft(const std::string& name) {
  v1::GetDraftRequest request;
  request.set_name(name);
  ROLLCALL_DRAFT_CALL(GetDraft, request, v1::Draft);
}

absl::StatusOr<std::vector<v1::Draft>> DraftClient::ListDrafts(
    const std::string& filter) {
  v1::ListDraftsRequest request;
  request.set_filter(filter);
  request.set_page_size(kMaxPageSize);
  std::vector<v1::Draft> drafts;
  do {
    v1::ListDraftsResponse response;
    auto context = session_.NewContext();
    grpc::Status status = stub_->drafts->ListDrafts(context.get(), request, &response);
    if (!status.ok()) return ToStatus(status);
    for (auto& draft : *response.mutable_drafts()) drafts.push_back(std::move(draft));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return drafts;
}

absl::StatusOr<v1::AcceptDraftResponse> DraftClient::AcceptDraft(
    const v1::AcceptDraftRequest& request) {
  ROLLCALL_DRAFT_CALL(AcceptDraft, request, v1::AcceptDraftResponse);
}

absl::StatusOr<v1::Draft> DraftClient::RejectDraft(
    const v1::RejectDraftRequest& request) {
  ROLLCALL_DRAFT_CALL(RejectDraft, request, v1::Draft);
}

#undef ROLLCALL_DRAFT_CALL

}  // namespace rollcall::cli
