// statements add|get|list|update|retract|history.

#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/cli/client.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/prompt.h"
#include "client/cli/statement_filter.h"
#include "client/cli/statement_flags.h"
#include "client/cli/views.h"

namespace rollcall::cli {
namespace {

struct StatementCommandFlags {
  std::string id;
  StatementFlags fields;
  std::string request_id;
  std::string etag;
  std::string reason;
  StatementListFlags list;
};

// A request id no other invocation will choose: "cli-" and 128 random bits.
std::string NewRequestId() {
  std::random_device random;
  std::mt19937_64 generator((static_cast<uint64_t>(random()) << 32) ^ random());
  return absl::StrFormat("cli-%016x%016x", generator(), generator());
}

absl::Status RunAdd(Session& session, const CLI::App& cmd,
                    const StatementCommandFlags& flags) {
  v1::CreateStatementRequest request;
  v1::Statement* statement = request.mutable_statement();
  google::protobuf::FieldMask unused;
  absl::Status applied = ApplyStatementFlags(cmd, flags.fields, statement, &unused);
  if (!applied.ok()) return AsUsageError(applied);
  std::vector<std::string> missing = MissingRequiredFlags(*statement);
  if (!missing.empty()) {
    if (!IsInteractive()) {
      return UsageError(
          absl::StrCat("missing required flags: ", absl::StrJoin(missing, ", ")));
    }
    Prompter prompter(std::cin, std::cout);
    absl::Status asked = AskForMissingFields(prompter, statement);
    if (!asked.ok()) return asked;
  }
  request.set_request_id(flags.request_id.empty() ? NewRequestId() : flags.request_id);
  RollcallClient client(session);
  absl::StatusOr<v1::Statement> created = client.CreateStatement(request);
  if (!created.ok()) return created.status();
  PrintStatement(*created, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunGet(Session& session, const StatementCommandFlags& flags) {
  RollcallClient client(session);
  auto statement = client.GetStatement(StatementName(flags.id));
  if (!statement.ok()) return statement.status();
  PrintStatement(*statement, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunList(Session& session, const StatementCommandFlags& flags) {
  absl::StatusOr<v1::ListStatementsRequest> request = BuildListRequest(flags.list);
  if (!request.ok()) return AsUsageError(request.status());
  RollcallClient client(session);
  auto statements = client.ListStatements(*request, flags.list.limit);
  if (!statements.ok()) return statements.status();
  PrintStatementList(*statements, flags.list.show_retracted, session.json_output(),
                     std::cout);
  return absl::OkStatus();
}

absl::Status RunUpdate(Session& session, const CLI::App& cmd,
                       const StatementCommandFlags& flags) {
  RollcallClient client(session);
  // Start from the current statement so that --office alone keeps the
  // speaker's name, --label adds to the labels, and so on.
  absl::StatusOr<v1::Statement> current = client.GetStatement(StatementName(flags.id));
  if (!current.ok()) return current.status();
  v1::UpdateStatementRequest request;
  v1::Statement* statement = request.mutable_statement();
  *statement = *current;
  statement->set_etag(flags.etag);
  absl::Status applied =
      ApplyStatementFlags(cmd, flags.fields, statement, request.mutable_update_mask());
  if (!applied.ok()) return AsUsageError(applied);
  if (request.update_mask().paths_size() == 0) {
    return UsageError("nothing to update: give at least one field flag");
  }
  auto updated = client.UpdateStatement(request);
  if (!updated.ok()) return updated.status();
  PrintStatement(*updated, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunRetract(Session& session, const StatementCommandFlags& flags) {
  v1::RetractStatementRequest request;
  request.set_name(StatementName(flags.id));
  request.set_reason(flags.reason);
  request.set_etag(flags.etag);
  RollcallClient client(session);
  auto retracted = client.RetractStatement(request);
  if (!retracted.ok()) return retracted.status();
  PrintStatement(*retracted, session.json_output(), std::cout);
  return absl::OkStatus();
}

absl::Status RunHistory(Session& session, const StatementCommandFlags& flags) {
  RollcallClient client(session);
  auto revisions = client.ListRevisions(StatementName(flags.id));
  if (!revisions.ok()) return revisions.status();
  PrintRevisionList(*revisions, session.json_output(), std::cout);
  return absl::OkStatus();
}

// Adds a subcommand whose positional argument is a statement id.
CLI::App* AddWithId(CLI::App* parent, const char* name, const char* help,
                    StatementCommandFlags* flags) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("id", flags->id, "Statement id or name")->required();
  return cmd;
}

}  // namespace

void AddStatementsCommands(CLI::App& app, Session& session, Command* selected) {
  CLI::App* statements = app.add_subcommand("statements", "Manage statements");
  statements->require_subcommand(1);
  auto flags = std::make_shared<StatementCommandFlags>();

  CLI::App* add = statements->add_subcommand(
      "add", "Record a statement; asks for missing fields on a terminal");
  AddStatementFieldFlags(add, &flags->fields);
  add->add_option("--request-id", flags->request_id,
                  "Makes retries safe; generated if not given");
  add->callback([=, &session] {
    *selected = [=, &session] { return RunAdd(session, *add, *flags); };
  });

  CLI::App* get = AddWithId(statements, "get", "Show one statement", flags.get());
  get->callback(
      [=, &session] { *selected = [=, &session] { return RunGet(session, *flags); }; });

  CLI::App* list = statements->add_subcommand("list", "List statements, oldest first");
  AddStatementListFlags(list, &flags->list);
  list->callback(
      [=, &session] { *selected = [=, &session] { return RunList(session, *flags); }; });

  CLI::App* update =
      AddWithId(statements, "update",
                "Correct the fields given as flags (makes a new revision)", flags.get());
  AddStatementFieldFlags(update, &flags->fields);
  update->add_option("--etag", flags->etag,
                     "Update only if this is still the current etag");
  update->callback([=, &session] {
    *selected = [=, &session] { return RunUpdate(session, *update, *flags); };
  });

  CLI::App* retract = AddWithId(statements, "retract",
                                "Retract a statement, keeping its history", flags.get());
  retract->add_option("--reason", flags->reason, "Why it is retracted")->required();
  retract->add_option("--etag", flags->etag,
                      "Retract only if this is still the current etag");
  retract->callback([=, &session] {
    *selected = [=, &session] { return RunRetract(session, *flags); };
  });

  CLI::App* history =
      AddWithId(statements, "history", "List every revision, oldest first", flags.get());
  history->callback([=, &session] {
    *selected = [=, &session] { return RunHistory(session, *flags); };
  });
}

}  // namespace rollcall::cli
