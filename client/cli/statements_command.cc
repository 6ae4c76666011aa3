// statements add|get|list|update|retract|history.

#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/cli/client.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/prompt.h"
#include "client/cli/rpc.h"
#include "client/cli/statement_filter.h"
#include "client/cli/statement_flags.h"
#include "client/cli/views.h"

namespace rollcall::cli {
namespace {

struct StatementCommandFlags {
  std::string id;
  StatementFlags fields;
  std::string request_id;
  bool allow_duplicate = false;
  bool add_source_to_existing = false;
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

// Whether `source` is already among `sources`: the same URL, or for a
// source without one, the same content.
bool Cites(const google::protobuf::RepeatedPtrField<v1::Source>& sources,
           const v1::Source& source) {
  for (const v1::Source& cited : sources) {
    if (source.url().empty() ? cited.SerializeAsString() == source.SerializeAsString()
                             : cited.url() == source.url()) {
      return true;
    }
  }
  return false;
}

// Appends the sources of `statement` that `existing_name` does not cite yet,
// in one update conditioned on the etag just read (read again and retried
// if another writer got in between), and prints the result.
absl::Status AddSourcesToExisting(Session& session, RollcallClient& client,
                                  const v1::Statement& statement,
                                  const std::string& existing_name) {
  if (statement.sources().empty()) {
    return UsageError(
        absl::StrCat("this statement has no source to add to ", existing_name,
                     "; give --source-url (and --source-publisher, --source-medium)"));
  }
  constexpr int kAttempts = 3;
  absl::Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    absl::StatusOr<v1::Statement> existing = client.GetStatement(existing_name);
    if (!existing.ok()) return existing.status();
    v1::UpdateStatementRequest request;
    v1::Statement* update = request.mutable_statement();
    update->set_name(existing->name());
    update->set_etag(existing->etag());
    *update->mutable_sources() = existing->sources();
    for (const v1::Source& source : statement.sources()) {
      if (!Cites(update->sources(), source)) *update->add_sources() = source;
    }
    if (update->sources_size() == existing->sources_size()) {
      std::cerr << existing_name << " already cites this statement's sources\n";
      PrintStatement(*existing, session.json_output(), std::cout);
      return absl::OkStatus();
    }
    request.mutable_update_mask()->add_paths("sources");
    absl::StatusOr<v1::Statement> updated = client.UpdateStatement(request);
    if (updated.ok()) {
      PrintStatement(*updated, session.json_output(), std::cout);
      return absl::OkStatus();
    }
    last = updated.status();
    if (!absl::IsAborted(last)) break;
  }
  return last;
}

// Says which statement `refusal` (ALREADY_EXISTS) names and what it says.
void DescribeDuplicate(const absl::Status& refusal, const v1::Statement& existing,
                       std::ostream& out) {
  out << "rollcall: " << StatusLine(refusal) << "\n"
      << "rollcall: " << existing.name() << " says: \"" << existing.quote() << "\"\n";
}

// The server refused `request` as a near-duplicate of `existing_name`:
// add its sources there instead, record it anyway, or give up, as the flags
// say or, on a terminal, as the user answers.
absl::Status ResolveDuplicate(Session& session, RollcallClient& client,
                              v1::CreateStatementRequest request,
                              const std::string& existing_name,
                              const absl::Status& refusal,
                              const StatementCommandFlags& flags) {
  if (flags.add_source_to_existing) {
    return AddSourcesToExisting(session, client, request.statement(), existing_name);
  }
  absl::StatusOr<v1::Statement> existing = client.GetStatement(existing_name);
  if (!existing.ok()) return refusal;
  if (!IsInteractive()) {
    DescribeDuplicate(refusal, *existing, std::cerr);
    std::cerr << "rollcall: rerun with --add-source-to-existing to add this "
                 "statement's sources to "
              << existing_name << ", or with --allow-duplicate to record it anyway\n";
    return AlreadyReportedError();
  }
  DescribeDuplicate(refusal, *existing, std::cout);
  Prompter prompter(std::cin, std::cout);
  absl::StatusOr<std::string> choice = prompter.AskValid(
      absl::StrCat("[a] add this statement's sources to ", existing_name,
                   " instead, [r] record it anyway, [c] cancel"),
      {"a", "r", "c"}, [](const std::string& answer) {
        return answer == "a" || answer == "r" || answer == "c"
                   ? absl::OkStatus()
                   : absl::InvalidArgumentError("Answer a, r or c.");
      });
  if (!choice.ok()) return choice.status();
  if (*choice == "a") {
    return AddSourcesToExisting(session, client, request.statement(), existing_name);
  }
  if (*choice == "c") {
    std::cout << "Cancelled: nothing recorded.\n";
    return AlreadyReportedError();
  }
  // The refused request recorded nothing, so its request_id is still free.
  request.set_allow_duplicate(true);
  absl::StatusOr<v1::Statement> created = client.CreateStatement(request);
  if (!created.ok()) return created.status();
  PrintStatement(*created, session.json_output(), std::cout);
  return absl::OkStatus();
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
  request.set_allow_duplicate(flags.allow_duplicate);
  RollcallClient client(session);
  absl::StatusOr<v1::Statement> created = client.CreateStatement(request);
  if (absl::IsAlreadyExists(created.status())) {
    if (std::optional<std::string> existing = ConflictingResourceName(created.status());
        existing.has_value()) {
      return ResolveDuplicate(session, client, request, *existing, created.status(),
                              flags);
    }
  }
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
  std::vector<v1::Position> positions;
  auto statements =
      client.ListStatements(*request, flags.list.limit, nullptr, &positions);
  if (!statements.ok()) return statements.status();
  PrintStatementList(*statements, positions, flags.list.show_retracted, session.json_output(),
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
  CLI::Option* allow_duplicate = add->add_flag(
      "--allow-duplicate", flags->allow_duplicate,
      "Record it even if it is near-identical to a statement already recorded");
  add->add_flag("--add-source-to-existing", flags->add_source_to_existing,
                "If it is near-identical to a statement already recorded, add its "
                "sources to that statement instead")
      ->excludes(allow_duplicate);
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
