#include "server/server.h"

#include <chrono>
#include <filesystem>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "server/common/hand_off.h"
#include "server/common/worker_pool.h"
#include "server/feed/change_feed.h"
#include "server/metrics/server_metrics.h"
#include "server/service/actor_service.h"
#include "server/service/draft_service.h"
#include "server/service/extractor_reader.h"
#include "server/service/event_service.h"
#include "server/service/statement_service.h"
#include "server/store/postgres_store.h"
#include "server/store/sqlite_store.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

// How long gRPC's Shutdown has to send GOAWAY before the subscriptions end.
constexpr absl::Duration kGoAwayHeadStart = absl::Milliseconds(20);

constexpr const char* kServiceNames[] = {"rollcall.v1.ActorService",
                                         "rollcall.v1.EventService",
                                         "rollcall.v1.StatementService",
                                         "rollcall.v1.DraftService"};

void SetServing(grpc::Server* server, bool serving) {
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(serving);  // the overall "" service
  for (const char* name : kServiceNames) health->SetServingStatus(name, serving);
}

// "localhost:0" with bound port 41234 -> "localhost:41234".
std::string WithPort(const std::string& address, int port) {
  const size_t colon = address.rfind(':');
  return absl::StrCat(address.substr(0, colon), ":", port);
}

struct OpenedStore {
  std::unique_ptr<Store> store;
  DraftStore* drafts = nullptr;  // the same store's documents and drafts
  std::function<void(CommitObserver)> set_commit_observer;
  std::string description;  // for the start-up log
};

// "postgresql://rollcall:secret@db/x" -> "postgresql://rollcall@db/x".
std::string WithoutPassword(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + url.substr(at);
}

absl::StatusOr<OpenedStore> OpenStore(const ServerOptions& options) {
  OpenedStore opened;
  if (absl::StartsWith(options.store, "postgres://") ||
      absl::StartsWith(options.store, "postgresql://")) {
    if (options.verify_on_start) {
      return absl::InvalidArgumentError(
          "--verify_on_start checks a SQLite file; PostgreSQL checks its own pages");
    }
    PostgresStoreOptions store_options;
    store_options.conninfo = options.store;
    store_options.schema = options.postgres_schema;
    store_options.accept_unsafe_durability = options.postgres_accept_unsafe_durability;
    absl::StatusOr<std::unique_ptr<PostgresStore>> store =
        PostgresStore::Open(store_options);
    if (!store.ok()) return store.status();
    PostgresStore* postgres = store->get();
    opened.set_commit_observer = [postgres](CommitObserver observer) {
      postgres->SetCommitObserver(std::move(observer));
    };
    opened.description = absl::StrCat("PostgreSQL ", WithoutPassword(options.store),
                                      " schema ", options.postgres_schema);
    opened.drafts = postgres;
    opened.store = *std::move(store);
    return opened;
  }
  if (!options.store.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--store must be empty (SQLite in --data_dir) or a postgres:// or "
        "postgresql:// URI, not \"",
        options.store, "\""));
  }
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create data directory ", options.data_dir, ": ", error.message()));
  }
  SqliteStoreOptions store_options;
  store_options.path = (std::filesystem::path(options.data_dir) / "rollcall.db").string();
  store_options.startup_check =
      options.verify_on_start ? StartupCheck::kFull : StartupCheck::kQuick;
  store_options.vfs_name = options.sqlite_vfs;
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(store_options);
  if (!store.ok()) return store.status();
  SqliteStore* sqlite = store->get();
  opened.set_commit_observer = [sqlite](CommitObserver observer) {
    sqlite->SetCommitObserver(std::move(observer));
  };
  opened.description = store_options.path;
  opened.drafts = sqlite;
  opened.store = *std::move(store);
  return opened;
}

// The reader ExtractDrafts uses, or null with `*unavailable` saying why.
std::unique_ptr<DocumentReader> OpenDocumentReader(const ServerOptions& options,
                                                   Store* store,
                                                   std::string* unavailable) {
  absl::StatusOr<std::unique_ptr<ExtractorReader>> reader =
      ExtractorReader::Load(options.extract_data_dir, store);
  if (reader.ok()) {
    spdlog::info("extractor knowledge loaded from {}", options.extract_data_dir);
    return *std::move(reader);
  }
  *unavailable = absl::StrCat("drafts cannot be extracted: the extractor's knowledge in ",
                              options.extract_data_dir, " did not load (",
                              reader.status().message(), "); see --extract_data_dir");
  spdlog::error("{}", *unavailable);
  return nullptr;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RollcallServer>> RollcallServer::Start(
    const ServerOptions& options) {
  absl::StatusOr<ListeningCredentials> credentials =
      MakeListeningCredentials(options.security, options.listen_address);
  if (!credentials.ok()) return credentials.status();
  std::unique_ptr<RollcallServer> server(new RollcallServer());
  server->security_description_ = credentials->description;
  absl::StatusOr<OpenedStore> opened = OpenStore(options);
  if (!opened.ok()) return opened.status();
  server->database_path_ = opened->description;
  server->metrics_ = std::make_unique<ServerMetrics>();
  ServerMetrics* metrics = server->metrics_.get();
  RollcallServer* self = server.get();
  opened->set_commit_observer(
      {[metrics](int writes, absl::Duration duration) {
         metrics->ObserveCommit(writes, duration);
       },
       [self](const absl::Status&) { self->OnWritesStopped(); }});
  server->store_ = std::move(opened->store);
  FeedOptions feed_options;
  feed_options.window_size = options.feed_window;
  feed_options.delivery_threads = options.feed_delivery_threads;
  server->feed_ = std::make_unique<ChangeFeed>(server->store_.get(), feed_options);
  ChangeFeed* feed = server->feed_.get();
  server->store_->SetCommitListener([feed](int64_t head) { feed->OnCommit(head); });
  feed->Start();
  const int max_page_size = options.query_limits.max_page_size;
  server->actor_service_ =
      std::make_unique<ActorService>(server->store_.get(), max_page_size);
  server->event_service_ =
      std::make_unique<EventService>(server->store_.get(), max_page_size);
  server->subscription_quota_ =
      std::make_unique<SubscriptionQuota>(options.subscription_limits);
  server->write_workers_ = std::make_unique<WorkerPool>(options.write_threads);
  server->statement_service_ = std::make_unique<StatementService>(
      server->store_.get(), feed, server->write_workers_.get(),
      options.default_heartbeat_interval, server->subscription_quota_.get(),
      options.query_limits);
  std::string reader_unavailable;
  server->document_reader_ =
      OpenDocumentReader(options, server->store_.get(), &reader_unavailable);
  server->draft_service_ = std::make_unique<DraftService>(
      server->store_.get(), opened->drafts, server->statement_service_.get(),
      server->write_workers_.get(), server->document_reader_.get(), reader_unavailable,
      max_page_size, options.drafts_relist_interval);

  grpc::EnableDefaultHealthCheckService(true);
  // Reflection answers from the linked descriptors; the default health
  // service has none of its own, so make sure health.proto's are linked in
  // (grpcurl can then call grpc.health.v1.Health/Check by name).
  grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Without this, Linux lets a second server bind the same port and the two
  // would share the traffic.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.AddListeningPort(options.listen_address, credentials->credentials,
                           &server->port_);
  builder.RegisterService(server->actor_service_.get());
  builder.RegisterService(server->event_service_.get());
  builder.RegisterService(server->statement_service_.get());
  builder.RegisterService(server->draft_service_.get());
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(metrics->rpc().NewInterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  // The resubscriptions a restart brings arrive as soon as the port accepts
  // connections: have the window ready for them by then.
  feed->AwaitWindowFilled();
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.listen_address, " (address in use or not local?)"));
  }
  server->address_ = WithPort(options.listen_address, server->port_);
  server->health_.store(server->server_->GetHealthCheckService());
  metrics->SetGaugeSources(
      {[store = server->store_.get()] { return store->HeadSequence(); },
       [feed] { return static_cast<int64_t>(feed->subscription_count()); },
       [feed] { return static_cast<int64_t>(feed->replaying_count()); }});
  if (!options.metrics_listen.empty()) {
    absl::StatusOr<int> metrics_port = metrics->Serve(options.metrics_listen);
    if (!metrics_port.ok()) return metrics_port.status();
    server->metrics_port_ = *metrics_port;
  }
  SetServing(server->server_.get(), true);
  return server;
}

RollcallServer::~RollcallServer() {
  Shutdown(absl::ZeroDuration());
  server_.reset();  // before the services it calls into
  // Every call has ended: each one's last step, RpcMetrics::Ended, comes
  // before gRPC's destructor returns (unseen by ThreadSanitizer otherwise).
  if (metrics_ != nullptr) HandOffAcquire(&metrics_->rpc());
  draft_service_.reset();
  statement_service_.reset();
  write_workers_.reset();  // idle: every call has finished
  feed_.reset();  // before the store it reads
  store_.reset();
}

void RollcallServer::Shutdown(absl::Duration grace) {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  SetServing(server_.get(), false);
  // gRPC's Shutdown first refuses new calls (sending GOAWAY on every
  // connection), then waits for the calls in flight. The subscriptions end
  // meanwhile, with "reconnect now" (ChangeFeed::Stop): a client's
  // resubscription then opens a new connection, to another instance or to
  // this one once it is back, instead of landing on this dying one.
  std::thread end_subscriptions([this] {
    absl::SleepFor(kGoAwayHeadStart);
    feed_->Stop();
    draft_service_->StopWatches();
  });
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
  end_subscriptions.join();
  // No call is running now: the store can close.
  metrics_->ClearGaugeSources();
  store_.reset();
  spdlog::info("rollcalld stopped; store closed");
}

void RollcallServer::OnWritesStopped() {
  // Not under shutdown_mu_: Shutdown holds it while it waits for the write
  // that calls this.
  grpc::HealthCheckServiceInterface* health = health_.load();
  if (health != nullptr) health->SetServingStatus("rollcall.v1.StatementService", false);
}

void RollcallServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace rollcall
