#ifndef ROLLCALL_SERVER_SERVICE_STATEMENT_SERVICE_H_
#define ROLLCALL_SERVER_SERVICE_STATEMENT_SERVICE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rollcall/v1/statement_service.grpc.pb.h"
#include "server/store/store.h"

namespace rollcall {

// rollcall.v1.StatementService over a Store. The store must outlive the
// service. SubscribeStatements and SummarizeReactions are not overridden yet
// and answer UNIMPLEMENTED.
class StatementService final : public v1::StatementService::CallbackService {
 public:
  explicit StatementService(Store* store) : store_(store) {}

  grpc::ServerUnaryReactor* CreateStatement(grpc::CallbackServerContext* context,
                                            const v1::CreateStatementRequest* request,
                                            v1::Statement* response) override;
  grpc::ServerUnaryReactor* BatchCreateStatements(
      grpc::CallbackServerContext* context,
      const v1::BatchCreateStatementsRequest* request,
      v1::BatchCreateStatementsResponse* response) override;
  grpc::ServerBidiReactor<v1::IngestStatementsRequest, v1::IngestStatementsResponse>*
  IngestStatements(grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* GetStatement(grpc::CallbackServerContext* context,
                                         const v1::GetStatementRequest* request,
                                         v1::Statement* response) override;
  grpc::ServerUnaryReactor* ListStatements(grpc::CallbackServerContext* context,
                                           const v1::ListStatementsRequest* request,
                                           v1::ListStatementsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateStatement(grpc::CallbackServerContext* context,
                                            const v1::UpdateStatementRequest* request,
                                            v1::Statement* response) override;
  grpc::ServerUnaryReactor* RetractStatement(grpc::CallbackServerContext* context,
                                             const v1::RetractStatementRequest* request,
                                             v1::Statement* response) override;
  grpc::ServerUnaryReactor* ListStatementRevisions(
      grpc::CallbackServerContext* context,
      const v1::ListStatementRevisionsRequest* request,
      v1::ListStatementRevisionsResponse* response) override;

  // Validates and records one create request; `path` prefixes field names in
  // errors (e.g. "requests[3]."). Shared by the unary, batch and streaming
  // creates.
  absl::StatusOr<v1::Statement> Create(const v1::CreateStatementRequest& request,
                                       absl::string_view path);

 private:
  Store* const store_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_STATEMENT_SERVICE_H_
