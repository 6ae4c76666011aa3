// DraftService: reading drafts and reviewing them (accept, reject). The
// extraction is in draft_extract.cc.

#include "server/service/draft_service.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/auth/token_auth_processor.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/service/draft_filter.h"
#include "server/service/field_masks.h"
#include "server/service/masked_update.h"
#include "server/service/page_token.h"
#include "server/service/unary.h"
#include "server/service/validation.h"

namespace rollcall {
namespace {

// The paths AcceptDraft's update_mask may name: UpdateStatement's.
const std::vector<std::string>& CorrectableFields() {
  static const auto* const fields = new std::vector<std::string>{
      "event",    "actor",   "speaker",    "joint_with",           "stance",
      "stance_toward", "modality", "actions", "quote", "summary",
      "language", "issue_time", "issue_time_precision", "sources", "labels"};
  return *fields;
}

// The principal the call was authenticated as, or "" without tokens.
std::string Reviewer(grpc::CallbackServerContext* context) {
  const std::shared_ptr<const grpc::AuthContext> auth = context->auth_context();
  if (auth == nullptr) return "";
  std::vector<grpc::string_ref> values = auth->FindPropertyValues(kPrincipalProperty);
  if (values.empty()) return "";
  return std::string(values.front().data(), values.front().size());
}

// The request_id a draft's statement is created with: a retry after a
// crash between creating it and marking the draft finds it.
std::string AcceptRequestId(absl::string_view draft_name) {
  return absl::StrCat("accept:", draft_name);
}

}  // namespace

grpc::ServerUnaryReactor* DraftService::GetDocument(grpc::CallbackServerContext* context,
                                                    const v1::GetDocumentRequest* request,
                                                    v1::Document* response) {
  return RunUnary(context, [&]() -> absl::Status {
    RETURN_IF_ERROR(ParseName(request->name(), kDocumentsCollection, "name").status());
    ASSIGN_OR_RETURN(*response, drafts_->GetDocument(request->name()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DraftService::GetDraft(grpc::CallbackServerContext* context,
                                                 const v1::GetDraftRequest* request,
                                                 v1::Draft* response) {
  return RunUnary(context, [&]() -> absl::Status {
    RETURN_IF_ERROR(ParseName(request->name(), kDraftsCollection, "name").status());
    ASSIGN_OR_RETURN(*response, drafts_->GetDraft(request->name()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DraftService::ListDrafts(grpc::CallbackServerContext* context,
                                                   const v1::ListDraftsRequest* request,
                                                   v1::ListDraftsResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(DraftQuery query, ParseDraftFilter(request->filter(), "filter"));
    ASSIGN_OR_RETURN(query.page_size, ResolvePageSize(request->page_size(), max_page_size_));
    const std::string fingerprint = absl::StrCat("drafts|", CanonicalDraftFilter(query));
    if (!request->page_token().empty()) {
      ASSIGN_OR_RETURN(PagePosition position,
                       DecodePageToken(request->page_token(), fingerprint));
      query.after = position.key;
    }
    ASSIGN_OR_RETURN(DraftPage page, drafts_->ListDrafts(query));
    for (v1::Draft& draft : page.drafts) *response->add_drafts() = std::move(draft);
    if (page.next_after.has_value()) {
      response->set_next_page_token(
          EncodePageToken(fingerprint, PagePosition{*page.next_after, ""}));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DraftService::AcceptDraft(grpc::CallbackServerContext* context,
                                                    const v1::AcceptDraftRequest* request,
                                                    v1::AcceptDraftResponse* response) {
  std::string reviewer = Reviewer(context);
  return RunUnaryOn(workers_, context,
                    [this, request, response, reviewer = std::move(reviewer)]() {
                      absl::Status accepted = Accept(*request, reviewer, response);
                      if (accepted.ok()) watchers_.Notify();
                      return accepted;
                    });
}

absl::Status DraftService::Accept(const v1::AcceptDraftRequest& request,
                                  absl::string_view reviewer,
                                  v1::AcceptDraftResponse* response) {
  RETURN_IF_ERROR(ParseName(request.name(), kDraftsCollection, "name").status());
  ASSIGN_OR_RETURN(v1::Draft draft, drafts_->GetDraft(request.name()));
  if (draft.state() == v1::DRAFT_STATE_ACCEPTED) {
    ASSIGN_OR_RETURN(*response->mutable_statement(),
                     store_->GetStatement(draft.statement_name()));
    *response->mutable_draft() = std::move(draft);
    return absl::OkStatus();
  }
  if (draft.state() == v1::DRAFT_STATE_REJECTED) {
    return absl::FailedPreconditionError(
        absl::StrCat("name: ", draft.name(), " was rejected (", draft.reject_reason(),
                     "); a rejected draft cannot be accepted"));
  }
  RETURN_IF_ERROR(CheckEtag(request.etag(), draft, "etag"));
  v1::CreateStatementRequest create;
  *create.mutable_statement() = draft.statement();
  if (!request.update_mask().paths().empty()) {
    RETURN_IF_ERROR(ApplyFieldMask(request.update_mask(), request.statement(),
                                   CorrectableFields(), create.mutable_statement()));
  }
  if (create.statement().actor().empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "statement.actor: ", draft.name(), " names no actor (the text says \"",
        draft.unresolved_mention(),
        "\", which matches no actor of the directory); name one with update_mask "
        "\"actor\""));
  }
  create.set_request_id(AcceptRequestId(draft.name()));
  create.set_allow_duplicate(request.allow_duplicate());
  ASSIGN_OR_RETURN(v1::Statement statement, statements_->Create(create));
  const std::string reviewer_name(reviewer);
  ASSIGN_OR_RETURN(
      v1::Draft accepted,
      drafts_->UpdateDraft(draft.name(), [&](v1::Draft& current) -> absl::Status {
        if (current.state() == v1::DRAFT_STATE_ACCEPTED) return absl::OkStatus();
        if (current.state() == v1::DRAFT_STATE_REJECTED) {
          return absl::FailedPreconditionError(
              absl::StrCat("name: ", current.name(), " was rejected while it was accepted"));
        }
        current.set_state(v1::DRAFT_STATE_ACCEPTED);
        current.set_statement_name(statement.name());
        current.set_reviewer(reviewer_name);
        *current.mutable_review_time() = ToTimestamp(absl::Now());
        return absl::OkStatus();
      }));
  if (accepted.statement_name() != statement.name()) {
    ASSIGN_OR_RETURN(statement, store_->GetStatement(accepted.statement_name()));
  }
  *response->mutable_draft() = std::move(accepted);
  *response->mutable_statement() = std::move(statement);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* DraftService::RejectDraft(grpc::CallbackServerContext* context,
                                                    const v1::RejectDraftRequest* request,
                                                    v1::Draft* response) {
  std::string reviewer = Reviewer(context);
  return RunUnaryOn(
      workers_, context,
      [this, request, response, reviewer = std::move(reviewer)]() -> absl::Status {
        RETURN_IF_ERROR(ParseName(request->name(), kDraftsCollection, "name").status());
        if (absl::StripAsciiWhitespace(request->reason()).empty()) {
          return FieldError("reason", "is required: say why the draft is rejected");
        }
        if (request->reason().size() > static_cast<size_t>(kMaxShortText)) {
          return FieldError("reason",
                            absl::StrCat("is longer than ", kMaxShortText, " bytes"));
        }
        ASSIGN_OR_RETURN(
            *response,
            drafts_->UpdateDraft(request->name(), [&](v1::Draft& current) -> absl::Status {
              if (current.state() == v1::DRAFT_STATE_ACCEPTED) {
                return absl::FailedPreconditionError(absl::StrCat(
                    "name: ", current.name(), " was accepted as ",
                    current.statement_name(),
                    "; retract that statement instead of rejecting the draft"));
              }
              RETURN_IF_ERROR(CheckEtag(request->etag(), current, "etag"));
              if (current.state() == v1::DRAFT_STATE_REJECTED) return absl::OkStatus();
              current.set_state(v1::DRAFT_STATE_REJECTED);
              current.set_reject_reason(request->reason());
              current.set_reviewer(reviewer);
              *current.mutable_review_time() = ToTimestamp(absl::Now());
              return absl::OkStatus();
            }));
        watchers_.Notify();
        return absl::OkStatus();
      });
}

grpc::ServerWriteReactor<v1::WatchDraftsResponse>* DraftService::WatchDrafts(
    grpc::CallbackServerContext* /*context*/, const v1::WatchDraftsRequest* request) {
  return watchers_.Watch(*request);
}

}  // namespace rollcall
