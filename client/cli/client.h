#ifndef ROLLCALL_CLIENT_CLI_CLIENT_H_
#define ROLLCALL_CLIENT_CLI_CLIENT_H_

// The RPCs the CLI makes, as plain functions returning absl::StatusOr. Each
// call gets the --timeout deadline; List* functions follow next_page_token.
// gRPC stays in client.cc.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/cli/rpc.h"
#include "rollcall/v1/actor_service.pb.h"
#include "rollcall/v1/event_service.pb.h"
#include "rollcall/v1/statement_service.pb.h"

namespace rollcall::cli {

class RollcallClient {
 public:
  // `session` must outlive the client.
  explicit RollcallClient(Session& session);
  ~RollcallClient();

  absl::StatusOr<v1::Actor> CreateActor(const v1::CreateActorRequest& request);
  absl::StatusOr<v1::Actor> GetActor(const std::string& name);
  absl::StatusOr<v1::Actor> UpdateActor(const v1::UpdateActorRequest& request);
  // Every actor matching `filter`, all pages.
  absl::StatusOr<std::vector<v1::Actor>> ListActors(const std::string& filter);

  absl::StatusOr<v1::Event> CreateEvent(const v1::CreateEventRequest& request);
  absl::StatusOr<v1::Event> GetEvent(const std::string& name);
  absl::StatusOr<v1::Event> UpdateEvent(const v1::UpdateEventRequest& request);
  // Every event matching `filter`, all pages.
  absl::StatusOr<std::vector<v1::Event>> ListEvents(const std::string& filter);

  // Creates a statement; on UNAVAILABLE or DEADLINE_EXCEEDED retries once
  // with the same request (the request_id makes the retry safe). An empty
  // request_id is an error: the caller must set one.
  absl::StatusOr<v1::Statement> CreateStatement(
      const v1::CreateStatementRequest& request);
  absl::StatusOr<v1::Statement> GetStatement(const std::string& name);
  absl::StatusOr<v1::Statement> UpdateStatement(
      const v1::UpdateStatementRequest& request);
  absl::StatusOr<v1::Statement> RetractStatement(
      const v1::RetractStatementRequest& request);
  // Statements matching `request` (its page_token is ignored), following
  // pages until `limit` statements are read; limit 0 reads every page.
  absl::StatusOr<std::vector<v1::Statement>> ListStatements(
      v1::ListStatementsRequest request, int limit);
  // Every revision of a statement, oldest first, all pages.
  absl::StatusOr<std::vector<v1::Statement>> ListRevisions(const std::string& name);
  absl::StatusOr<v1::SummarizeReactionsResponse> SummarizeReactions(
      const v1::SummarizeReactionsRequest& request);

 private:
  struct Stubs;
  Session& session_;
  std::unique_ptr<Stubs> stubs_;
};

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_CLIENT_H_
