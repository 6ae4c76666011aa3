#ifndef ROLLCALL_SERVER_SERVICE_STATEMENT_SERVICE_H_
#define ROLLCALL_SERVER_SERVICE_STATEMENT_SERVICE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "rollcall/v1/statement_service.grpc.pb.h"
#include "server/common/worker_pool.h"
#include "server/feed/change_feed.h"
#include "server/service/query_limits.h"
#include "server/service/subscription_quota.h"
#include "server/store/store.h"

namespace rollcall {

// What CreateStatement (and each item of a batch or stream, under `path`,
// e.g. "requests[3].") asks the store to create: the request validated
// (errors name the field), output-only fields cleared, its fingerprint
// taken. The RPCs and the bulk load (server/bulk/) share it.
absl::StatusOr<NewStatement> PrepareCreateStatement(const v1::CreateStatementRequest& request,
                                                    absl::string_view path);

// rollcall.v1.StatementService over a Store and the ChangeFeed that follows
// it; both must outlive the service.
//
// SubscribeStatements is a raw method (its responses are byte buffers): the
// feed serializes each change once for every subscriber, so the stream
// writes those bytes instead of serializing a message per write. Its wire
// format, and what reflection reports, are those of the typed method.
class StatementService final
    : public v1::StatementService::WithRawCallbackMethod_SubscribeStatements<
          v1::StatementService::CallbackService> {
 public:
  // `default_heartbeat` is used for subscriptions that do not ask for one.
  // Writes run on `workers`, which must outlive the service.
  // `subscription_quota`, if not null, limits open subscriptions and must
  // outlive the service.
  StatementService(Store* store, ChangeFeed* feed, WorkerPool* workers,
                   absl::Duration default_heartbeat,
                   SubscriptionQuota* subscription_quota = nullptr,
                   QueryLimits query_limits = QueryLimits())
      : store_(store),
        feed_(feed),
        workers_(workers),
        default_heartbeat_(default_heartbeat),
        subscription_quota_(subscription_quota),
        query_limits_(query_limits) {}

  grpc::ServerUnaryReactor* CreateStatement(grpc::CallbackServerContext* context,
                                            const v1::CreateStatementRequest* request,
                                            v1::Statement* response) override;
  grpc::ServerUnaryReactor* BatchCreateStatements(
      grpc::CallbackServerContext* context,
      const v1::BatchCreateStatementsRequest* request,
      v1::BatchCreateStatementsResponse* response) override;
  grpc::ServerBidiReactor<v1::IngestStatementsRequest, v1::IngestStatementsResponse>*
  IngestStatements(grpc::CallbackServerContext* context) override;
  // The request is a serialized v1::SubscribeStatementsRequest; the responses
  // are serialized v1::SubscribeStatementsResponse messages.
  grpc::ServerWriteReactor<grpc::ByteBuffer>* SubscribeStatements(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) override;
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
  grpc::ServerUnaryReactor* SummarizeReactions(grpc::CallbackServerContext* context,
                                               const v1::SummarizeReactionsRequest* request,
                                               v1::SummarizeReactionsResponse* response) override;

  // Validates and records each request on its own (Store::CreateEachStatement):
  // one result per request, in order; `path` prefixes field names in errors
  // (the ingest stream's "request."). Blocks until the statements are
  // durable; an error for the whole call only if the store failed.
  absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>> CreateEach(
      absl::Span<const v1::CreateStatementRequest> requests, absl::string_view path);
  // Validates and records one statement exactly as CreateStatement does;
  // blocks until it is durable (AcceptDraft records drafts through it).
  absl::StatusOr<v1::Statement> Create(const v1::CreateStatementRequest& request);
  WorkerPool* workers() { return workers_; }

 private:
  Store* const store_;
  ChangeFeed* const feed_;
  WorkerPool* const workers_;
  const absl::Duration default_heartbeat_;
  SubscriptionQuota* const subscription_quota_;
  const QueryLimits query_limits_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_STATEMENT_SERVICE_H_
