#include "server/service/statement_service.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/fingerprint.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/filter/statement_filter.h"
#include "absl/container/flat_hash_map.h"
#include "server/service/event_position.h"
#include "server/service/field_masks.h"
#include "server/service/masked_update.h"
#include "server/service/page_token.h"
#include "server/service/unary.h"
#include "server/service/validation.h"

namespace rollcall {
namespace {

constexpr int kMaxBatchSize = 1000;

const std::vector<std::string>& UpdatableStatementFields() {
  static const auto* const fields = new std::vector<std::string>{"event",
                                                                 "actor",
                                                                 "speaker",
                                                                 "joint_with",
                                                                 "stance",
                                                                 "stance_toward",
                                                                 "modality",
                                                                 "actions",
                                                                 "quote",
                                                                 "summary",
                                                                 "language",
                                                                 "issue_time",
                                                                 "issue_time_precision",
                                                                 "sources",
                                                                 "labels"};
  return *fields;
}

void ClearOutputOnly(v1::Statement* statement) {
  statement->clear_name();
  statement->clear_state();
  statement->clear_retraction();
  statement->clear_revision();
  statement->clear_etag();
  statement->clear_create_time();
  statement->clear_update_time();
  statement->clear_sequence();
}

// order_by for ListStatements: "" or "issue_time" [asc|desc].
absl::StatusOr<bool> ParseDescending(absl::string_view order_by) {
  const std::string normalized =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(order_by));
  if (normalized.empty() || normalized == "issue_time" ||
      normalized == "issue_time asc") {
    return false;
  }
  if (normalized == "issue_time desc") return true;
  return FieldError("order_by", absl::StrCat("\"", absl::CHexEscape(order_by),
                                             "\" is not supported; use \"issue_time\" "
                                             "or \"issue_time desc\""));
}

// The store names fields from the create request down ("statement.actor:
// ..."); a nested request (an ingest item) sees them under its own path, as
// it sees validation errors.
absl::Status NestStoreError(const absl::Status& status, absl::string_view path) {
  if (!path.empty() && (absl::StartsWith(status.message(), "statement.") ||
                        absl::StartsWith(status.message(), "request_id"))) {
    return PrefixField(status, path);
  }
  return status;
}

// Each statement's position on its event, from the event's sides as they
// are now: one read per event in the page.
absl::Status AddPositions(Store& store, v1::ListStatementsResponse* response) {
  absl::flat_hash_map<std::string, EventSides> sides;
  for (const v1::Statement& statement : response->statements()) {
    auto it = sides.find(statement.event());
    if (it == sides.end()) {
      ASSIGN_OR_RETURN(v1::Event event, store.GetEvent(statement.event()));
      it = sides.emplace(statement.event(), EventSides(event.sides())).first;
    }
    response->add_positions(
        PositionOf(statement.stance(), statement.stance_toward(), it->second));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<NewStatement> PrepareCreateStatement(const v1::CreateStatementRequest& request,
                                                    absl::string_view path) {
  NewStatement prepared;
  RETURN_IF_ERROR(
      ValidateRequestId(request.request_id(), absl::StrCat(path, "request_id")));
  prepared.statement = request.statement();
  ClearOutputOnly(&prepared.statement);
  RETURN_IF_ERROR(ValidateStatement(prepared.statement, absl::StrCat(path, "statement")));
  prepared.request_id = request.request_id();
  prepared.fingerprint = MessageFingerprint(prepared.statement);
  prepared.allow_duplicate = request.allow_duplicate();
  return prepared;
}

absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>> StatementService::CreateEach(
    absl::Span<const v1::CreateStatementRequest> requests, absl::string_view path) {
  std::vector<absl::StatusOr<v1::Statement>> results(requests.size());
  std::vector<NewStatement> valid;
  std::vector<size_t> valid_index;
  for (size_t i = 0; i < requests.size(); ++i) {
    absl::StatusOr<NewStatement> prepared = PrepareCreateStatement(requests[i], path);
    if (!prepared.ok()) {
      results[i] = prepared.status();
      continue;
    }
    valid.push_back(*std::move(prepared));
    valid_index.push_back(i);
  }
  if (valid.empty()) return results;
  ASSIGN_OR_RETURN(std::vector<absl::StatusOr<v1::Statement>> created,
                   store_->CreateEachStatement(valid));
  for (size_t k = 0; k < created.size(); ++k) {
    absl::StatusOr<v1::Statement>& result = results[valid_index[k]];
    result = std::move(created[k]);
    if (!result.ok()) result = NestStoreError(result.status(), path);
  }
  return results;
}

absl::StatusOr<v1::Statement> StatementService::Create(
    const v1::CreateStatementRequest& request) {
  ASSIGN_OR_RETURN(NewStatement prepared, PrepareCreateStatement(request, ""));
  return store_->CreateStatement(prepared);
}

grpc::ServerUnaryReactor* StatementService::CreateStatement(
    grpc::CallbackServerContext* context, const v1::CreateStatementRequest* request,
    v1::Statement* response) {
  return RunUnaryOn(workers_, context, [this, request, response]() -> absl::Status {
    ASSIGN_OR_RETURN(*response, Create(*request));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* StatementService::BatchCreateStatements(
    grpc::CallbackServerContext* context, const v1::BatchCreateStatementsRequest* request,
    v1::BatchCreateStatementsResponse* response) {
  return RunUnaryOn(workers_, context, [this, context, request, response]() -> absl::Status {
    if (request->requests().empty()) return FieldError("requests", "is empty");
    if (request->requests_size() > kMaxBatchSize) {
      return FieldError("requests", absl::StrCat("has more than ", kMaxBatchSize,
                                                 " items; split the batch"));
    }
    std::vector<NewStatement> prepared;
    prepared.reserve(request->requests_size());
    for (int i = 0; i < request->requests_size(); ++i) {
      ASSIGN_OR_RETURN(
          NewStatement item,
          PrepareCreateStatement(request->requests(i), absl::StrCat("requests[", i, "].")));
      prepared.push_back(std::move(item));
    }
    RETURN_IF_ERROR(StillWanted(context, "committing; nothing was recorded"));
    ASSIGN_OR_RETURN(std::vector<v1::Statement> created,
                     store_->CreateStatements(prepared));
    for (v1::Statement& statement : created) {
      *response->add_statements() = std::move(statement);
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* StatementService::GetStatement(
    grpc::CallbackServerContext* context, const v1::GetStatementRequest* request,
    v1::Statement* response) {
  return RunUnary(context, [&]() -> absl::Status {
    RETURN_IF_ERROR(ParseName(request->name(), kStatementsCollection, "name").status());
    ASSIGN_OR_RETURN(*response, store_->GetStatement(request->name()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* StatementService::ListStatements(
    grpc::CallbackServerContext* context, const v1::ListStatementsRequest* request,
    v1::ListStatementsResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    StatementQuery query;
    ASSIGN_OR_RETURN(query.page_size,
                     ResolvePageSize(request->page_size(), query_limits_.max_page_size));
    ASSIGN_OR_RETURN(query.filter, ParseStatementFilter(request->filter(), "filter",
                                                        query_limits_.filter));
    ASSIGN_OR_RETURN(query.descending, ParseDescending(request->order_by()));
    query.include_retracted = request->show_retracted();
    const std::string fingerprint =
        absl::StrCat("statements|", query.filter.Canonical(), "|", query.descending, "|",
                     query.include_retracted);
    if (!request->page_token().empty()) {
      ASSIGN_OR_RETURN(PagePosition position,
                       DecodePageToken(request->page_token(), fingerprint));
      query.after = StatementCursor{position.key, position.name};
    }
    ASSIGN_OR_RETURN(StatementPage page, store_->ListStatements(query));
    RETURN_IF_ERROR(StillWanted(context, "sending the page"));
    for (v1::Statement& statement : page.statements) {
      *response->add_statements() = std::move(statement);
    }
    RETURN_IF_ERROR(AddPositions(*store_, response));
    if (page.next.has_value()) {
      response->set_next_page_token(EncodePageToken(
          fingerprint, PagePosition{page.next->issue_time_micros, page.next->name}));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* StatementService::UpdateStatement(
    grpc::CallbackServerContext* context, const v1::UpdateStatementRequest* request,
    v1::Statement* response) {
  return RunUnaryOn(workers_, context, [this, request, response]() -> absl::Status {
    const v1::Statement& update = request->statement();
    RETURN_IF_ERROR(
        ParseName(update.name(), kStatementsCollection, "statement.name").status());
    v1::Statement scratch;
    RETURN_IF_ERROR(ApplyFieldMask(request->update_mask(), update,
                                   UpdatableStatementFields(), &scratch));
    ASSIGN_OR_RETURN(
        *response,
        store_->UpdateStatement(
            update.name(), MaskedUpdate<v1::Statement>(
                               update, request->update_mask(), UpdatableStatementFields(),
                               "statement.etag", [](const v1::Statement& statement) {
                                 return ValidateStatement(statement, "statement");
                               })));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* StatementService::RetractStatement(
    grpc::CallbackServerContext* context, const v1::RetractStatementRequest* request,
    v1::Statement* response) {
  return RunUnaryOn(workers_, context, [this, request, response]() -> absl::Status {
    RETURN_IF_ERROR(ParseName(request->name(), kStatementsCollection, "name").status());
    if (absl::StripAsciiWhitespace(request->reason()).empty()) {
      return FieldError("reason", "is required: say why the statement is retracted");
    }
    if (request->reason().size() > static_cast<size_t>(kMaxLongText)) {
      return FieldError("reason",
                        absl::StrCat("is longer than ", kMaxLongText, " bytes"));
    }
    ASSIGN_OR_RETURN(*response,
                     store_->UpdateStatement(
                         request->name(), [&](v1::Statement& current) -> absl::Status {
                           RETURN_IF_ERROR(CheckEtag(request->etag(), current, "etag"));
                           current.set_state(v1::STATEMENT_STATE_RETRACTED);
                           current.mutable_retraction()->set_reason(request->reason());
                           return absl::OkStatus();
                         }));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* StatementService::ListStatementRevisions(
    grpc::CallbackServerContext* context,
    const v1::ListStatementRevisionsRequest* request,
    v1::ListStatementRevisionsResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    RETURN_IF_ERROR(ParseName(request->name(), kStatementsCollection, "name").status());
    ASSIGN_OR_RETURN(int page_size,
                     ResolvePageSize(request->page_size(), query_limits_.max_page_size));
    const std::string fingerprint = absl::StrCat("revisions|", request->name());
    int64_t after_revision = 0;
    if (!request->page_token().empty()) {
      ASSIGN_OR_RETURN(PagePosition position,
                       DecodePageToken(request->page_token(), fingerprint));
      after_revision = position.key;
    }
    ASSIGN_OR_RETURN(RevisionPage page, store_->ListStatementRevisions(
                                            request->name(), after_revision, page_size));
    for (v1::Statement& revision : page.revisions) {
      *response->add_statements() = std::move(revision);
    }
    if (page.next_after_revision.has_value()) {
      response->set_next_page_token(
          EncodePageToken(fingerprint, PagePosition{*page.next_after_revision, ""}));
    }
    return absl::OkStatus();
  });
}

}  // namespace rollcall
