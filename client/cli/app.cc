#include "client/cli/app.h"

#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/cord.h"
#include "client/cli/commands.h"
#include "client/cli/rpc.h"
#include "rollcall/version.h"

namespace rollcall::cli {
namespace {

constexpr char kUsagePayload[] = "type.rollcall.dev/cli.UsageError";
constexpr char kReportedPayload[] = "type.rollcall.dev/cli.AlreadyReported";

void AddGlobalFlags(CLI::App& app, GlobalOptions& options) {
  app.add_option("--server", options.server,
                 "host:port of rollcalld (default: $ROLLCALL_SERVER, else "
                 "localhost:50051)")
      ->envname("ROLLCALL_SERVER");
  app.add_option("--output", options.output, "table or json (one per line)")
      ->check(CLI::IsMember({"table", "json"}));
  app.add_option("--timeout", options.timeout_seconds,
                 "Deadline of each call, in seconds (default 10)")
      ->check(CLI::PositiveNumber);
  auto* token = app.add_option("--token", options.token,
                               "Bearer token sent with every call (default: "
                               "$ROLLCALL_TOKEN)")
                    ->envname("ROLLCALL_TOKEN");
  app.add_option("--token_file", options.token_file,
                 "File holding the bearer token (safer than --token: not in ps)")
      ->excludes(token);
  app.add_flag("--tls", options.tls,
               "Connect with TLS, verifying the server with the system's roots");
  app.add_option("--tls_ca", options.tls_ca,
                 "PEM CA certificates that verify the server (implies --tls)");
  app.add_option("--tls_cert", options.tls_cert,
                 "PEM client certificate for mutual TLS (with --tls_key)");
  app.add_option("--tls_key", options.tls_key, "PEM private key of --tls_cert");
  app.add_option("--reconnect_backoff_initial", options.reconnect_backoff_initial_seconds,
                 "First delay before reconnecting to an unreachable server, in seconds "
                 "(default 0.1)")
      ->check(CLI::PositiveNumber);
  app.add_option("--reconnect_backoff_max", options.reconnect_backoff_max_seconds,
                 "Longest delay between reconnection attempts, in seconds (default 0.75)")
      ->check(CLI::PositiveNumber);
}

std::string VersionLine() {
  return std::string("rollcall ") + kVersion + " (commit " + kGitCommit + ")";
}

// `rollcall version` and `rollcall --version` print the same line.
void AddVersionCommand(CLI::App& app, Command* selected) {
  app.set_version_flag("--version", VersionLine(), "Print the version and exit");
  CLI::App* version =
      app.add_subcommand("version", "Print the CLI's version and the commit it was built from");
  version->callback([selected] {
    *selected = [] {
      std::cout << VersionLine() << std::endl;
      return absl::OkStatus();
    };
  });
}

int Fail(const std::string& message, int exit_status) {
  std::cerr << "rollcall: " << message << std::endl;
  return exit_status;
}

}  // namespace

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord());
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

absl::Status AsUsageError(const absl::Status& status) {
  if (!absl::IsInvalidArgument(status)) return status;
  return UsageError(status.message());
}

absl::Status AlreadyReportedError() {
  absl::Status status = absl::UnknownError("already reported");
  status.SetPayload(kReportedPayload, absl::Cord());
  return status;
}

bool IsAlreadyReported(const absl::Status& status) {
  return status.GetPayload(kReportedPayload).has_value();
}

int RunCli(int argc, char** argv) {
  CLI::App app("rollcall: record and query how actors react to political events",
               "rollcall");
  // Global flags may also come after the subcommand.
  app.fallthrough();
  app.require_subcommand(1);
  GlobalOptions options;
  Session session(options);
  Command selected;
  AddGlobalFlags(app, options);
  AddActorsCommands(app, session, &selected);
  AddEventsCommands(app, session, &selected);
  AddStatementsCommands(app, session, &selected);
  AddTransferCommands(app, session, &selected);
  AddSummaryCommand(app, session, &selected);
  AddWatchCommand(app, session, &selected);
  AddExtractCommand(app, session, &selected);
  AddDraftsCommands(app, session, &selected);
  AddVersionCommand(app, &selected);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return Fail(std::string(e.what()) + " (run with --help for usage)", kExitUsage);
  }
  if (!selected) return Fail("no command given", kExitUsage);
  if (absl::Status prepared = session.Prepare(); !prepared.ok()) {
    return Fail(std::string(prepared.message()), kExitUsage);
  }
  absl::Status status = selected();
  if (status.ok()) return kExitOk;
  if (IsAlreadyReported(status)) return kExitFailure;
  if (IsUsageError(status)) {
    return Fail(std::string(status.message()), kExitUsage);
  }
  return Fail(FormatError(status, options.server), kExitFailure);
}

}  // namespace rollcall::cli
