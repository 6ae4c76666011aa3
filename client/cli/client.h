#ifndef ROLLCALL_CLIENT_CLI_CLIENT_H_
#define ROLLCALL_CLIENT_CLI_CLIENT_H_

// The RPCs the CLI makes, as plain functions returning absl::StatusOr. Each
// call gets the --timeout deadline; List* functions follow next_page_token.
// gRPC stays in client.cc.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/cli/rpc.h"
#include "rollcall/v1/actor_service.pb.h"
#include "rollcall/v1/event_service.pb.h"
#include "rollcall/v1/statement_service.pb.h"

namespace rollcall::cli {

// An IngestStatements stream. Send() hands a request to the stream without
// waiting for its answer; the server answers each in order, and the answer
// is passed, with the tag given to Send, to the callback given when the
// stream was opened (on the stream's reader thread); an error names fields
// as for CreateStatement. The server commits the requests that arrive while
// an earlier commit is in progress together.
class IngestStream {
 public:
  using OnAnswer = std::function<void(int64_t tag, absl::StatusOr<v1::Statement> result)>;
  virtual ~IngestStream() = default;
  // Sends one request; false if the stream is broken (Close says why).
  virtual bool Send(const v1::CreateStatementRequest& request, int64_t tag) = 0;
  // Waits until every request sent so far is answered (or the stream broke).
  virtual void Drain() = 0;
  // Ends the stream after the last answer. Its status: OK, or why the stream
  // broke (the requests sent and not answered were not all recorded).
  virtual absl::Status Close() = 0;
};

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
  // Opens an IngestStatements stream (no deadline: it lasts as long as the
  // import).
  std::unique_ptr<IngestStream> OpenIngest(IngestStream::OnAnswer on_answer);
  absl::StatusOr<v1::Statement> GetStatement(const std::string& name);
  absl::StatusOr<v1::Statement> UpdateStatement(
      const v1::UpdateStatementRequest& request);
  absl::StatusOr<v1::Statement> RetractStatement(
      const v1::RetractStatementRequest& request);
  // Statements matching `request` (its page_token is ignored), following
  // pages until `limit` statements are read; limit 0 reads every page.
  // `on_page`, if set, is called after each page with the number read so
  // far; `positions`, if set, receives each statement's position on its
  // event (ListStatementsResponse.positions), in the same order.
  absl::StatusOr<std::vector<v1::Statement>> ListStatements(
      v1::ListStatementsRequest request, int limit,
      const std::function<void(size_t read)>& on_page = nullptr,
      std::vector<v1::Position>* positions = nullptr);
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
