// StatementService.IngestStatements: one response per request, in order,
// each sent once its statement is durable. One request is processed at a
// time and the next is read only after the response is written, so a
// producer that stops reading responses is paused, never buffered for.

#include "absl/strings/str_cat.h"
#include "server/service/grpc_status.h"
#include "server/service/statement_service.h"
#include "server/service/unary.h"

namespace rollcall {
namespace {

class IngestReactor final : public grpc::ServerBidiReactor<v1::IngestStatementsRequest,
                                                           v1::IngestStatementsResponse> {
 public:
  IngestReactor(StatementService* service, grpc::CallbackServerContext* context)
      : service_(service), context_(context) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // The client finished sending (or went away).
      Finish(grpc::Status::OK);
      return;
    }
    // An item read after the deadline is not recorded.
    if (absl::Status wanted = StillWanted(context_, "recording the next item");
        !wanted.ok()) {
      Finish(ToGrpcStatus(wanted));
      return;
    }
    response_.Clear();
    response_.set_index(index_);
    absl::StatusOr<v1::Statement> created =
        service_->Create(request_.request(), absl::StrCat("request."));
    if (created.ok()) {
      *response_.mutable_statement() = *std::move(created);
    } else {
      *response_.mutable_error() = ToRpcStatus(created.status());
    }
    ++index_;
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  StatementService* const service_;
  grpc::CallbackServerContext* const context_;
  v1::IngestStatementsRequest request_;
  v1::IngestStatementsResponse response_;
  int64_t index_ = 0;
};

}  // namespace

grpc::ServerBidiReactor<v1::IngestStatementsRequest, v1::IngestStatementsResponse>*
StatementService::IngestStatements(grpc::CallbackServerContext* context) {
  return new IngestReactor(this, context);
}

}  // namespace rollcall
