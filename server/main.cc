// rollcalld: parses flags, starts RollcallServer, and shuts it down cleanly
// on SIGINT or SIGTERM.

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "rollcall/version.h"
#include "server/bulk/bulk_load.h"
#include "server/logging/log_format.h"
#include "server/server.h"
#include "server/store/backup.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::string, listen, "localhost:50051",
          "host:port to serve gRPC on; port 0 picks a free port");
ABSL_FLAG(std::string, data_dir, "data",
          "directory for the database file rollcall.db (created if missing)");
ABSL_FLAG(std::string, store, "",
          "empty: SQLite in --data_dir; postgres://USER@HOST:PORT/DB (a libpq URI): "
          "PostgreSQL, shared by every rollcalld given the same database and schema");
ABSL_FLAG(std::string, postgres_schema, "public",
          "the PostgreSQL schema holding the store (created if missing)");
ABSL_FLAG(bool, postgres_accept_unsafe_durability, false,
          "start even if PostgreSQL runs with fsync=off or synchronous_commit=off "
          "(acknowledged writes may then be lost in a crash); a warning is logged");
ABSL_FLAG(std::string, log_level, "info", "trace, debug, info, warn, error or off");
ABSL_FLAG(rollcall::LogFormat, log_format, rollcall::LogFormat::kText,
          "log lines as text (logfmt: time=... level=... msg=\"...\") or json");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port to serve Prometheus metrics on (GET /metrics); empty: off");
ABSL_FLAG(bool, verify_on_start, false,
          "read every page of the database file at start (SQLite's quick_check; "
          "seconds per GiB) instead of the quick checks of its ends and length");
ABSL_FLAG(std::string, backup_to, "",
          "instead of serving, write a consistent copy of the database in "
          "--data_dir to this file and exit; safe while a rollcalld serves it");
ABSL_FLAG(std::string, bulk_load, "",
          "instead of serving, build a new store in --data_dir (which must hold none) "
          "from this JSONL file (as `rollcall import` reads it) and exit; many times "
          "faster than importing through the API, with the same result");
ABSL_FLAG(int, bulk_load_transaction, 10000,
          "statements a --bulk_load writes per transaction (and holds in memory at "
          "once); the store built is the same whatever it is");
ABSL_FLAG(absl::Duration, heartbeat_interval, absl::Seconds(10),
          "heartbeat interval for subscriptions that do not ask for one");
ABSL_FLAG(absl::Duration, drafts_relist_interval, absl::Seconds(2),
          "how often WatchDrafts streams look again for drafts changed through "
          "other servers sharing the PostgreSQL store (one listing a period for all)");
ABSL_FLAG(int, feed_window, 8192,
          "recent changes kept in memory for live delivery; subscribers further "
          "behind are served from the store");
ABSL_FLAG(int, feed_delivery_threads, 2,
          "threads that start subscribers' writes after a commit (the feed's tail "
          "thread included)");
ABSL_FLAG(int, write_threads, 64,
          "threads that run statement writes; concurrent writes wait for one "
          "group commit together, up to this many");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain: serve TLS (with --tls_key)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificates: require client certificates signed by them (mutual TLS)");
ABSL_FLAG(std::string, tokens_file, "",
          "bearer tokens, one 'NAME ROLE TOKEN' line each (role: reader, writer or "
          "admin); without it the server authenticates no one and serves loopback only");
ABSL_FLAG(bool, insecure, false,
          "allow serving a non-loopback address without authentication");
ABSL_FLAG(double, write_rate, 100,
          "write calls per second allowed to each token (0: no limit)");
ABSL_FLAG(double, write_burst, 200, "write calls each token may make at once");
ABSL_FLAG(int, max_message_bytes, 4 * 1024 * 1024,
          "largest request message accepted (larger: RESOURCE_EXHAUSTED)");
ABSL_FLAG(int, max_subscriptions, 20000,
          "open subscriptions allowed in total (0: no limit)");
ABSL_FLAG(int, max_subscriptions_per_connection, 2000,
          "open subscriptions allowed per client connection (0: no limit)");
ABSL_FLAG(int, max_page_size, 1000,
          "most items a List call returns; larger page_size values are lowered to it");
ABSL_FLAG(int, max_filter_length, 4096, "longest statement filter accepted, in bytes");
ABSL_FLAG(int, max_filter_terms, 64, "most restrictions a statement filter may have");
ABSL_FLAG(int, max_filter_depth, 16, "most levels of parentheses in a statement filter");
ABSL_FLAG(std::string, extract_data_dir, ROLLCALL_DEFAULT_EXTRACT_DATA_DIR,
          "the extractor's knowledge files (lexicons, cues, office holders); if "
          "they cannot be loaded, ExtractDrafts answers FAILED_PRECONDITION");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(5),
          "how long in-flight calls may run after SIGTERM before they are cancelled");

namespace {

// --backup_to: copies the database in --data_dir and reports on stdout.
int Backup() {
  const std::string database = absl::GetFlag(FLAGS_data_dir) + "/rollcall.db";
  const std::string backup = absl::GetFlag(FLAGS_backup_to);
  absl::StatusOr<int64_t> bytes = rollcall::BackupDatabase(database, backup);
  if (!bytes.ok()) {
    std::cerr << "rollcalld: backup failed: " << bytes.status().message() << std::endl;
    return 1;
  }
  std::cout << "rollcalld backed up " << database << " to " << backup << " (" << *bytes
            << " bytes)" << std::endl;
  return 0;
}

// --bulk_load: builds the store in --data_dir and reports on stdout.
int BulkLoad() {
  rollcall::BulkLoadOptions options;
  options.jsonl_path = absl::GetFlag(FLAGS_bulk_load);
  options.database_path = absl::GetFlag(FLAGS_data_dir) + "/rollcall.db";
  options.statements_per_transaction = std::max(1, absl::GetFlag(FLAGS_bulk_load_transaction));
  const absl::Time start = absl::Now();
  absl::StatusOr<rollcall::BulkLoadCounts> counts =
      rollcall::BulkLoadJsonl(options, std::cerr);
  if (!counts.ok()) {
    std::cerr << "rollcalld: bulk load failed: " << counts.status().message()
              << " (no store was created)" << std::endl;
    return 1;
  }
  std::cout << "rollcalld bulk-loaded " << options.jsonl_path << " into "
            << options.database_path << " in "
            << absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Milliseconds(1)))
            << ": " << counts->statements << " statements, " << counts->actors
            << " actors, " << counts->events << " events, " << counts->already_present
            << " already present, " << counts->errors << " lines refused" << std::endl;
  return counts->errors > 0 ? 1 : 0;
}

std::string VersionLine() {
  return absl::StrCat("rollcalld ", rollcall::kVersion, " (commit ", rollcall::kGitCommit,
                      ")");
}

// --help and --helpshort list rollcalld's own flags (those defined under
// server/, grouped by file, each with its default); --helpfull adds
// Abseil's. --version prints VersionLine().
void ConfigureUsage() {
  absl::SetProgramUsageMessage(
      "the Rollcall server.\n"
      "Usage: rollcalld [--listen=localhost:50051] [--data_dir=data | "
      "--store=postgres://USER@HOST:PORT/DB] [--flagfile=FILE]");
  absl::FlagsUsageConfig config;
  config.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(absl::StrCat("/", file), "/server/");
  };
  config.contains_helpshort_flags = config.contains_help_flags;
  config.normalize_filename = [](absl::string_view file) {  // "../server/x.cc"
    const size_t start = absl::StrCat("/", file).rfind("/server/");
    return std::string(start == std::string::npos ? file : file.substr(start));
  };
  config.version_string = [] { return VersionLine() + "\n"; };
  absl::SetFlagsUsageConfig(config);
}

}  // namespace

int main(int argc, char** argv) {
  ConfigureUsage();
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil checks every mutex acquisition for lock-order cycles;
  // the tests keep that check, the server does not pay for it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // Logs go to stderr; stdout carries only the "listening on" line.
  spdlog::set_default_logger(spdlog::stderr_color_mt("rollcalld"));
  spdlog::set_formatter(rollcall::NewLogFormatter(absl::GetFlag(FLAGS_log_format)));
  spdlog::set_level(spdlog::level::from_str(absl::GetFlag(FLAGS_log_level)));
  if (!absl::GetFlag(FLAGS_backup_to).empty()) {
    if (!absl::GetFlag(FLAGS_store).empty()) {
      std::cerr << "rollcalld: --backup_to copies a SQLite store; back up a PostgreSQL "
                   "store with pg_dump or pg_basebackup (docs/DEPLOY.md)"
                << std::endl;
      return 2;
    }
    return Backup();
  }
  if (!absl::GetFlag(FLAGS_bulk_load).empty()) {
    if (!absl::GetFlag(FLAGS_store).empty()) {
      std::cerr << "rollcalld: --bulk_load builds a SQLite store in --data_dir; load a "
                   "PostgreSQL store with rollcall import"
                << std::endl;
      return 2;
    }
    return BulkLoad();
  }

  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  rollcall::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.store = absl::GetFlag(FLAGS_store);
  options.postgres_schema = absl::GetFlag(FLAGS_postgres_schema);
  options.postgres_accept_unsafe_durability =
      absl::GetFlag(FLAGS_postgres_accept_unsafe_durability);
  options.default_heartbeat_interval = absl::GetFlag(FLAGS_heartbeat_interval);
  options.drafts_relist_interval = absl::GetFlag(FLAGS_drafts_relist_interval);
  if (options.drafts_relist_interval <= absl::ZeroDuration()) {
    std::cerr << "rollcalld: --drafts_relist_interval must be positive" << std::endl;
    return 2;
  }
  if (absl::GetFlag(FLAGS_feed_window) < 1) {
    std::cerr << "rollcalld: --feed_window must be at least 1" << std::endl;
    return 2;
  }
  options.feed_window = static_cast<size_t>(absl::GetFlag(FLAGS_feed_window));
  if (absl::GetFlag(FLAGS_feed_delivery_threads) < 1) {
    std::cerr << "rollcalld: --feed_delivery_threads must be at least 1" << std::endl;
    return 2;
  }
  options.feed_delivery_threads = absl::GetFlag(FLAGS_feed_delivery_threads);
  if (absl::GetFlag(FLAGS_write_threads) < 1) {
    std::cerr << "rollcalld: --write_threads must be at least 1" << std::endl;
    return 2;
  }
  options.write_threads = absl::GetFlag(FLAGS_write_threads);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.verify_on_start = absl::GetFlag(FLAGS_verify_on_start);
  if (absl::GetFlag(FLAGS_max_message_bytes) < 1024) {
    std::cerr << "rollcalld: --max_message_bytes must be at least 1024" << std::endl;
    return 2;
  }
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.extract_data_dir = absl::GetFlag(FLAGS_extract_data_dir);
  options.query_limits.max_page_size = absl::GetFlag(FLAGS_max_page_size);
  options.query_limits.filter.max_length = absl::GetFlag(FLAGS_max_filter_length);
  options.query_limits.filter.max_restrictions = absl::GetFlag(FLAGS_max_filter_terms);
  options.query_limits.filter.max_depth = absl::GetFlag(FLAGS_max_filter_depth);
  if (options.query_limits.max_page_size < 1 ||
      options.query_limits.filter.max_length < 1 ||
      options.query_limits.filter.max_restrictions < 1 ||
      options.query_limits.filter.max_depth < 1) {
    std::cerr << "rollcalld: --max_page_size and --max_filter_* must be at least 1"
              << std::endl;
    return 2;
  }
  options.subscription_limits.max_total = absl::GetFlag(FLAGS_max_subscriptions);
  options.subscription_limits.max_per_connection =
      absl::GetFlag(FLAGS_max_subscriptions_per_connection);
  options.security.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.security.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  options.security.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.security.tokens_file = absl::GetFlag(FLAGS_tokens_file);
  options.security.insecure = absl::GetFlag(FLAGS_insecure);
  options.security.write_rate_per_second = absl::GetFlag(FLAGS_write_rate);
  options.security.write_burst = absl::GetFlag(FLAGS_write_burst);
  auto server = rollcall::RollcallServer::Start(options);
  if (!server.ok()) {
    std::cerr << "rollcalld: " << server.status().message() << std::endl;
    return 1;
  }
  spdlog::info("{} serving {} with the store in {}", VersionLine(), (*server)->address(),
               (*server)->database_path());
  spdlog::info("security: {}", (*server)->security_description());
  if ((*server)->metrics_port() != 0) {
    spdlog::info("serving metrics on port {}", (*server)->metrics_port());
  }
  std::cout << "rollcalld listening on " << (*server)->address() << std::endl;
  // Under systemd (Type=notify): ready now, and stopping after a signal.
  sd_notify(0, absl::StrCat("READY=1\nSTATUS=serving ", (*server)->address()).c_str());

  std::thread signal_waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    spdlog::info("received {}; shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
    sd_notify(0, "STOPPING=1");
    const absl::Time start = absl::Now();
    (*server)->Shutdown(absl::GetFlag(FLAGS_shutdown_grace));
    spdlog::info("shut down in {}", absl::FormatDuration(absl::Now() - start));
  });
  (*server)->Wait();
  signal_waiter.join();
  return 0;
}
