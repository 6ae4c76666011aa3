// drafts list|get|accept|reject|review.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/commands.h"
#include "client/cli/draft_client.h"
#include "client/cli/draft_views.h"
#include "client/cli/names.h"
#include "client/cli/prompt.h"
#include "client/cli/review.h"
#include "client/cli/statement_flags.h"
#include "client/cli/values.h"
#include "client/cli/views.h"

namespace rollcall::cli {
namespace {

struct DraftCommandFlags {
  std::string id;
  // list and review
  std::string event;
  std::string state;
  std::string actor;
  std::string document;
  // accept
  StatementFlags fields;
  bool allow_duplicate = false;
  std::string etag;
  // reject
  std::string reason;
};

std::string Quoted(const std::string& value) { return absl::StrCat("\"", value, "\""); }

}  // namespace

// The ListDrafts filter the flags ask for. INVALID_ARGUMENT for a bad
// --state.
absl::StatusOr<std::string> DraftFilter(const std::string& event,
                                        const std::string& state,
                                        const std::string& actor,
                                        const std::string& document) {
  std::vector<std::string> terms;
  if (!event.empty()) terms.push_back("event = " + Quoted(EventName(event)));
  if (!state.empty()) {
    absl::StatusOr<v1::DraftState> parsed = ParseEnum<v1::DraftState>("--state", state);
    if (!parsed.ok()) return parsed.status();
    terms.push_back(
        "state = " +
        EnumFilterName(*google::protobuf::GetEnumDescriptor<v1::DraftState>(), *parsed));
  }
  if (!actor.empty()) terms.push_back("actor = " + Quoted(ActorName(actor)));
  if (!document.empty()) terms.push_back("document = " + Quoted(DocumentName(document)));
  return absl::StrJoin(terms, " AND ");
}

namespace {

absl::Status RunList(Session& session, const DraftCommandFlags& flags) {
  absl::StatusOr<std::string> filter =
      DraftFilter(flags.event, flags.state, flags.actor, flags.document);
  if (!filter.ok()) return AsUsageError(filter.status());
  DraftClient client(session);
  absl::StatusOr<std::vector<v1::Draft>> drafts = client.ListDrafts(*filter);
  if (!drafts.ok()) return drafts.status();
  PrintDraftList(*drafts, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunGet(Session& session, const DraftCommandFlags& flags) {
  DraftClient client(session);
  absl::StatusOr<v1::Draft> draft = client.GetDraft(DraftName(flags.id));
  if (!draft.ok()) return draft.status();
  PrintDraft(*draft, session.json_output(), std::cout);
  if (!session.json_output()) std::cout << '\n' << RenderEvidence(*draft, UseColour());
  return absl::OkStatus();
}

absl::Status RunAccept(Session& session, const CLI::App& cmd,
                       const DraftCommandFlags& flags) {
  DraftClient client(session);
  v1::AcceptDraftRequest request;
  request.set_name(DraftName(flags.id));
  request.set_etag(flags.etag);
  request.set_allow_duplicate(flags.allow_duplicate);
  // Start from the proposal so that --office alone keeps the speaker's name
  // and --target alone retargets the proposed actions, as `statements
  // update` does with the current statement.
  absl::StatusOr<v1::Draft> draft = client.GetDraft(request.name());
  if (!draft.ok()) return draft.status();
  *request.mutable_statement() = draft->statement();
  absl::Status applied = ApplyStatementFlags(
      cmd, flags.fields, request.mutable_statement(), request.mutable_update_mask());
  if (!applied.ok()) return AsUsageError(applied);
  if (request.update_mask().paths_size() == 0) request.clear_statement();
  absl::StatusOr<v1::AcceptDraftResponse> accepted = client.AcceptDraft(request);
  if (!accepted.ok()) return accepted.status();
  if (!session.json_output()) {
    std::cout << accepted->draft().name() << " accepted as "
              << accepted->statement().name() << "\n";
  }
  PrintStatement(accepted->statement(), session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunReject(Session& session, const DraftCommandFlags& flags) {
  v1::RejectDraftRequest request;
  request.set_name(DraftName(flags.id));
  request.set_reason(flags.reason);
  request.set_etag(flags.etag);
  DraftClient client(session);
  absl::StatusOr<v1::Draft> rejected = client.RejectDraft(request);
  if (!rejected.ok()) return rejected.status();
  PrintDraft(*rejected, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunReview(Session& session, const DraftCommandFlags& flags) {
  if (!IsInteractive()) {
    return UsageError(
        "drafts review is interactive: run it on a terminal (use drafts list, "
        "accept and reject in scripts)");
  }
  absl::StatusOr<std::string> filter = DraftFilter(flags.event, "pending", "", "");
  if (!filter.ok()) return AsUsageError(filter.status());
  DraftClient client(session);
  absl::StatusOr<std::vector<v1::Draft>> drafts = client.ListDrafts(*filter);
  if (!drafts.ok()) return drafts.status();
  if (drafts->empty()) {
    std::cout << "No pending drafts.\n";
    return absl::OkStatus();
  }
  Prompter prompter(std::cin, std::cout);
  absl::StatusOr<ReviewCounts> counts =
      ReviewDrafts(client, *drafts, prompter, std::cout, UseColour());
  if (absl::IsCancelled(counts.status())) return absl::OkStatus();
  return counts.status();
}

CLI::App* AddWithId(CLI::App* parent, const char* name, const char* help,
                    DraftCommandFlags* flags) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("id", flags->id, "Draft id or name")->required();
  return cmd;
}

}  // namespace

void AddDraftsCommands(CLI::App& app, Session& session, Command* selected) {
  CLI::App* drafts =
      app.add_subcommand("drafts", "Review statements proposed from documents");
  drafts->require_subcommand(1);
  auto flags = std::make_shared<DraftCommandFlags>();

  CLI::App* list = drafts->add_subcommand("list", "List drafts, oldest first");
  list->add_option("--event", flags->event, "Only drafts of this event");
  list->add_option("--state", flags->state, "pending, accepted or rejected");
  list->add_option("--actor", flags->actor, "Only drafts proposing this actor");
  list->add_option("--document", flags->document,
                   "Only drafts with evidence from this document");
  list->callback(
      [=, &session] { *selected = [=, &session] { return RunList(session, *flags); }; });

  CLI::App* get =
      AddWithId(drafts, "get", "Show one draft and its evidence", flags.get());
  get->callback(
      [=, &session] { *selected = [=, &session] { return RunGet(session, *flags); }; });

  CLI::App* accept = AddWithId(
      drafts, "accept",
      "Record the draft's statement, with the corrections given as flags", flags.get());
  AddStatementFieldFlags(accept, &flags->fields);
  accept->add_flag("--allow-duplicate", flags->allow_duplicate,
                   "Record it even if it repeats a statement already recorded");
  accept->add_option("--etag", flags->etag, "Accept only if the draft is unchanged");
  accept->callback([=, &session] {
    *selected = [=, &session] { return RunAccept(session, *accept, *flags); };
  });

  CLI::App* reject = AddWithId(drafts, "reject", "Reject the draft", flags.get());
  reject->add_option("--reason", flags->reason, "Why, e.g. \"not a reaction\"")
      ->required();
  reject->add_option("--etag", flags->etag, "Reject only if the draft is unchanged");
  reject->callback([=, &session] {
    *selected = [=, &session] { return RunReject(session, *flags); };
  });

  CLI::App* review = drafts->add_subcommand(
      "review", "Review pending drafts one by one on the terminal");
  review->add_option("--event", flags->event, "Only drafts of this event");
  review->callback([=, &session] {
    *selected = [=, &session] { return RunReview(session, *flags); };
  });
}

}  // namespace rollcall::cli
