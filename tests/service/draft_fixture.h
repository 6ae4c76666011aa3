// What the DraftService tests share: a real server with the Niger fixture
// whose actors the extractor can find by name, and helpers that extract,
// review and list drafts through a real channel.
#ifndef ROLLCALL_TESTS_SERVICE_DRAFT_FIXTURE_H_
#define ROLLCALL_TESTS_SERVICE_DRAFT_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "rollcall/v1/draft_service.grpc.pb.h"
#include "tests/service/server_fixture.h"

namespace rollcall::testing {

// The event every document of the fixture reports.
inline constexpr char kEvent[] = "events/niger-coup-2023";

// Two one-line wires, each reporting one reaction to kEvent: Benin's and
// ECOWAS's (support, not condemnation).
inline constexpr char kBeninCallsForCalm[] =
    "Cotonou (AFP) - Benin on Wednesday called for calm in Niger.\n";
inline constexpr char kEcowasWelcomes[] =
    "Abuja (Reuters) - ECOWAS on Wednesday welcomed the mediation led by Benin.\n";

// The drafts of `response` by `actor`.
std::vector<v1::Draft> DraftsBy(const v1::ExtractDraftsResponse& response,
                                const std::string& actor);

class DraftTest : public ServerTest {
 protected:
  // Starts the server (on options_), creates the Niger fixture and names
  // ECOWAS (with its French names), Niger and Benin.
  void SetUp() override;
  void TearDown() override;

  // Gives `actor` the names the extractor finds it by.
  void Name(const std::string& actor, const std::string& display_name,
            const std::vector<std::string>& aliases);

  // A request for a document of kEvent at `url` (none if empty) with
  // `text`, published on Wednesday 26 July 2023 by Reuters if the URL
  // says so, else by AFP.
  static v1::ExtractDraftsRequest Document(const std::string& url, const std::string& text,
                                           const std::string& language = "en");

  grpc::Status Extract(const v1::ExtractDraftsRequest& request,
                       v1::ExtractDraftsResponse* response);
  // Extracts `request`, expecting success.
  v1::ExtractDraftsResponse ExtractOrDie(const v1::ExtractDraftsRequest& request);
  // Extracts the document of `text` at `url`, expecting one draft; returns
  // its name (empty if there is none).
  std::string ExtractOne(const std::string& url, const std::string& text);

  grpc::Status Accept(const v1::AcceptDraftRequest& request,
                      v1::AcceptDraftResponse* response);
  // Accepts draft `name` as proposed, expecting success.
  void AcceptOrDie(const std::string& name);
  // Rejects draft `name` as "not a reaction", expecting success.
  void RejectOrDie(const std::string& name);

  // The drafts matching `filter` (the first page), expecting success.
  std::vector<v1::Draft> ListDrafts(const std::string& filter);

  std::unique_ptr<v1::DraftService::Stub> drafts_;
};

}  // namespace rollcall::testing

#endif  // ROLLCALL_TESTS_SERVICE_DRAFT_FIXTURE_H_
