#ifndef ROLLCALL_CLIENT_CLI_EXTRACT_COMMAND_H_
#define ROLLCALL_CLIENT_CLI_EXTRACT_COMMAND_H_

// Shared by `extract` and `extract --follow`: the flags, and sending one
// document to ExtractDrafts and printing its drafts.

#include <string>

#include "absl/status/statusor.h"
#include "client/cli/draft_client.h"
#include "client/cli/extract_documents.h"
#include "client/cli/rpc.h"

namespace rollcall::cli {

struct ExtractFlags {
  std::string source;
  std::string event;
  DocumentFlags document;
  bool dry_run = false;
  // extract --follow URL --every DURATION [--state FILE]
  std::string follow;
  std::string every = "10m";
  std::string state;
};

// Sends `document` to ExtractDrafts for flags.event (a preview when
// --dry-run) and prints its drafts: one JSON object per draft, or a line
// naming the document followed by the drafts' table.
absl::StatusOr<v1::ExtractDraftsResponse> ExtractAndPrint(Session& session,
                                                          DraftClient& client,
                                                          const ExtractFlags& flags,
                                                          v1::Document document);

// extract --follow: polls the feed at flags.follow every flags.every until
// interrupted (SIGINT or SIGTERM), extracting each item not extracted before.
absl::Status RunFollow(Session& session, const ExtractFlags& flags);

}  // namespace rollcall::cli

#endif  // ROLLCALL_CLIENT_CLI_EXTRACT_COMMAND_H_
