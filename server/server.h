#ifndef ROLLCALL_SERVER_SERVER_H_
#define ROLLCALL_SERVER_SERVER_H_

// RollcallServer wires the store and the gRPC services together, with the
// health and reflection services, and owns them. main.cc and the integration
// tests use it the same way.

#include <atomic>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/auth/server_security.h"
#include "server/service/query_limits.h"
#include "server/service/subscription_quota.h"

// The knowledge directory of the source tree, baked in by CMake.
#ifndef ROLLCALL_DEFAULT_EXTRACT_DATA_DIR
#define ROLLCALL_DEFAULT_EXTRACT_DATA_DIR "data/extract"
#endif

namespace grpc {
class Server;
class HealthCheckServiceInterface;
}  // namespace grpc

namespace rollcall {

class Store;
class ChangeFeed;
class ActorService;
class EventService;
class StatementService;
class DraftService;
class DocumentReader;
class WorkerPool;
class ServerMetrics;

struct ServerOptions {
  // host:port to listen on; port 0 picks a free port.
  std::string listen_address = "localhost:50051";
  // Directory holding the database file (rollcall.db); created if missing.
  // Unused with a PostgreSQL store.
  std::string data_dir = "data";
  // Empty: the embedded SQLite store in data_dir. postgres://... or
  // postgresql://... (a libpq connection URI): the PostgreSQL store, in
  // postgres_schema, shared with every instance given the same database
  // and schema.
  std::string store;
  std::string postgres_schema = "public";
  // Start on a PostgreSQL that runs with fsync or synchronous_commit off
  // (PostgresStoreOptions::accept_unsafe_durability).
  bool postgres_accept_unsafe_durability = false;
  // Subscriptions: heartbeat interval for streams that do not ask for one,
  // and how many recent changes the feed keeps in memory.
  absl::Duration default_heartbeat_interval = absl::Seconds(10);
  size_t feed_window = 8192;
  // How often WatchDrafts streams look again for drafts changed through
  // another server sharing a PostgreSQL store: one listing a period,
  // shared by every stream. Changes through this server are sent at once.
  absl::Duration drafts_relist_interval = absl::Seconds(2);
  // Threads that start subscribers' writes after a commit (FeedOptions).
  int feed_delivery_threads = 2;
  // Threads that run statement writes. A write blocks its thread until its
  // group commit is durable; this many writes can share one fsync.
  int write_threads = 64;
  // host:port to serve Prometheus metrics on (GET /metrics); port 0 picks a
  // free port; empty: metrics are not served.
  std::string metrics_listen;
  // Read every page of the database file at start (SQLite's quick_check)
  // instead of the quick checks; see server/store/integrity.h.
  bool verify_on_start = false;
  // The SQLite VFS the store is opened through (SqliteStoreOptions::
  // vfs_name). Tests only: no flag sets it.
  std::string sqlite_vfs;
  // TLS, bearer tokens, the listening rule and the write rate limit
  // (server/auth/server_security.h).
  SecurityOptions security;
  // The largest request message accepted; larger ones get RESOURCE_EXHAUSTED.
  int max_message_bytes = 4 * 1024 * 1024;
  // Page size and filter complexity of queries.
  QueryLimits query_limits;
  // Open subscriptions allowed in total and per connection (0: no limit).
  SubscriptionLimits subscription_limits{20000, 2000};
  // The extractor's knowledge files (lexicons, cues, office holders). If
  // they cannot be loaded the server still serves everything else and
  // ExtractDrafts answers FAILED_PRECONDITION saying why.
  std::string extract_data_dir = ROLLCALL_DEFAULT_EXTRACT_DATA_DIR;
};

class RollcallServer {
 public:
  // Opens the store under options.data_dir and starts serving. Errors: the
  // store's (DATA_LOSS for a damaged file, FAILED_PRECONDITION for a file of
  // a newer schema), the security options' (INVALID_ARGUMENT, NOT_FOUND),
  // or UNAVAILABLE if the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<RollcallServer>> Start(
      const ServerOptions& options);

  ~RollcallServer();  // Shuts down if still running.

  // The address clients can dial, with the port actually bound.
  const std::string& address() const { return address_; }
  int port() const { return port_; }
  // How the port is secured, for the start-up log.
  const std::string& security_description() const { return security_description_; }
  ChangeFeed& feed() { return *feed_; }
  // The database file.
  // The SQLite file, or a description of the PostgreSQL store (without
  // its password).
  const std::string& database_path() const { return database_path_; }
  // The port metrics are served on, or 0 if they are not.
  int metrics_port() const { return metrics_port_; }

  // Reports NOT_SERVING, stops accepting calls, ends every subscription with
  // UNAVAILABLE and "reconnect now" (ChangeFeed::Stop), lets in-flight calls
  // finish for up to `grace`, then cancels the rest and closes the store.
  // Idempotent; thread-safe.
  void Shutdown(absl::Duration grace = absl::Seconds(5));

  // Blocks until the server has shut down.
  void Wait();

 private:
  RollcallServer() = default;
  // The store stopped taking writes (a failed write or sync): the statement
  // service reports NOT_SERVING.
  void OnWritesStopped();

  std::unique_ptr<ServerMetrics> metrics_;  // outlives the gRPC server
  std::unique_ptr<Store> store_;
  std::unique_ptr<ChangeFeed> feed_;
  std::unique_ptr<WorkerPool> write_workers_;
  std::unique_ptr<ActorService> actor_service_;
  std::unique_ptr<EventService> event_service_;
  std::unique_ptr<SubscriptionQuota> subscription_quota_;
  std::unique_ptr<StatementService> statement_service_;
  std::unique_ptr<DocumentReader> document_reader_;
  std::unique_ptr<DraftService> draft_service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::string database_path_;
  std::string security_description_;
  int port_ = 0;
  int metrics_port_ = 0;
  // The gRPC server's health service, once it runs.
  std::atomic<grpc::HealthCheckServiceInterface*> health_{nullptr};
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVER_H_
