#ifndef ROLLCALL_CLIENT_CLI_DRAFT_CLIENT_H_
#define ROLLCALL_CLIENT_CLI_DRAFT_CLIENT_H_

// The DraftService calls the CLI makes, as plain functions returning
// absl::StatusOr. Each call gets the --timeout deadline; ListDrafts follows
// next_page_token. gRPC stays in draft_client.cc.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/cli/rpc.h"
#include "rollcall/v1/draft_service.pb.h"

namespace rollcall::cli {

class DraftClient {
 public:
  // `session` must outlive the client.
  explicit DraftClient(Session& session);
  ~DraftClient();

  absl::StatusOr<v1::ExtractDraftsResponse> ExtractDrafts(
      const v1::ExtractDraftsRequest& request);
  absl::StatusOr<v1::Document> GetDocument(const std::string& name);
  absl::StatusOr<v1::Draft> GetDraft(const std::string& name);
  // Every draft matching `filter`, oldest first, all pages.
  absl::StatusOr<std::vector<v1::Draft>> ListDrafts(const std::string& filter);
  absl::StatusOr<v1::AcceptDraftResponse> AcceptDraft(
      const v1::AcceptDraftRequest& request);
  absl::StatusOr<v1::Draft> RejectDraft(const v1::RejectDraftRequest& request);

 private:
  struct Stub;
  Session& session_;
  std::unique_ptr<Stub> stub_;
};

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_DRAFT_CLIENT_H_
