// PostgresStore: connecting, the reader pool, the commit log and the
// listening thread. The schema is in postgres_schema.cc, the write path in
// postgres_write.cc, creates in postgres_creates.cc, the other resources in
// postgres_actors_events.cc and postgres_statements.cc.

#include "server/store/postgres_store.h"

#include <poll.h>

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/postgres_schema.h"
#include "server/store/sqlite_rows.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

constexpr int kMaxSchemaLength = 40;
// How long the listening thread waits on its socket before checking the
// head itself, and its longest back-off between reconnection attempts.
constexpr absl::Duration kListenPoll = absl::Seconds(2);
constexpr absl::Duration kMaxReconnectDelay = absl::Seconds(2);

absl::StatusOr<int64_t> ReadHead(PgConnection& connection) {
  ASSIGN_OR_RETURN(PgResult result, connection.Query("SELECT head FROM log_head"));
  if (result.rows() != 1) return absl::DataLossError("PostgreSQL: log_head has no row");
  return result.Int(0, 0);
}

// Microseconds, rounded up: a time t is after every commit time < t.
int64_t CeilMicros(absl::Time t) {
  int64_t micros = absl::ToUnixMicros(t);
  if (absl::FromUnixMicros(micros) < t) ++micros;
  return micros;
}

// How the writer's statements are planned: once per connection (a generic
// plan, kept), and never by scanning or hashing a table, whatever the
// statistics say, since every one of them reaches its rows through a key,
// a name or a time-bounded range. Costed freely, it hashed all of
// `requests` to match a group's few request ids (34 ms a group of 200 at
// 32,000 requests) and, planning afresh for every group, spent 0.4 ms a
// create planning; a plan cached while a new store's tables were nearly
// empty kept scanning them as they grew (docs/BENCHMARKS.md, "Where a
// create's time goes"). A table without a key to use (log_head's one row) is still scanned, at a
// cost the planner counts as huge, so JIT, which that cost would set off
// (hundreds of milliseconds compiling a one-row lock), is off too.
constexpr absl::string_view kWriterPlans =
    "; SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off; "
    "SET enable_hashjoin = off; SET enable_mergejoin = off; SET jit = off";

std::string SetupSql(const std::string& schema) {
  return absl::StrCat("SET search_path TO ", QuoteIdentifier(schema));
}

}  // namespace

std::string PostgresStore::ChannelOf(absl::string_view schema) {
  return absl::StrCat("rollcall.", schema);
}

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const PostgresStoreOptions& options) {
  if (options.schema.empty() || options.schema.size() > kMaxSchemaLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "PostgreSQL schema name must have 1 to ", kMaxSchemaLength, " characters"));
  }
  const std::string setup = SetupSql(options.schema);
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> writer,
                   PgConnection::Open(options.conninfo, absl::StrCat(setup, kWriterPlans)));
  RETURN_IF_ERROR(CheckPostgresDurability(*writer, options.accept_unsafe_durability));
  RETURN_IF_ERROR(MigratePostgresSchema(*writer, options.schema));
  ASSIGN_OR_RETURN(const int64_t head, ReadHead(*writer));
  std::unique_ptr<PostgresStore> store(
      new PostgresStore(options, std::move(writer), head));
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> reader,
                     PgConnection::Open(options.conninfo, setup));
    absl::MutexLock lock(&store->pool_mu_);
    store->idle_readers_.push_back(std::move(reader));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> listening,
                   PgConnection::Open(options.conninfo, setup));
  RETURN_IF_ERROR(
      listening->Execute(absl::StrCat("LISTEN ", QuoteIdentifier(store->channel_))));
  store->listening_ = std::move(listening);
  store->listener_ =
      std::thread([store = store.get()] { store->Listen(*store->listening_); });
  return store;
}

PostgresStore::PostgresStore(PostgresStoreOptions options,
                             std::unique_ptr<PgConnection> writer, int64_t head)
    : options_(std::move(options)),
      channel_(ChannelOf(options_.schema)),
      writer_(std::move(writer)),
      head_(head) {}

PostgresStore::~PostgresStore() {
  stopping_.store(true);
  if (listener_.joinable()) listener_.join();
}

void PostgresStore::Advance(int64_t head) {
  absl::MutexLock lock(&listener_mu_);
  if (head <= head_.load()) return;
  head_.store(head);
  if (commit_listener_) commit_listener_(head);
}

void PostgresStore::Listen(PgConnection& connection) {
  absl::Duration delay = absl::Milliseconds(50);
  bool connected = true;
  absl::Time next_check = absl::Now() + kListenPoll;
  while (!stopping_.load()) {
    if (!connected) {
      absl::SleepFor(delay);
      absl::Status status = connection.Reconnect();
      if (status.ok()) {
        status = connection.Execute(absl::StrCat("LISTEN ", QuoteIdentifier(channel_)));
      }
      if (!status.ok()) {
        delay = std::min(delay * 2, kMaxReconnectDelay);
        continue;
      }
      spdlog::info("store: listening for commits on PostgreSQL again");
      connected = true;
      delay = absl::Milliseconds(50);
      next_check = absl::InfinitePast();  // catch up at once
    }
    if (absl::Now() >= next_check) {
      // Commits made while the connection was down, or whose notification
      // was lost, are found here.
      absl::StatusOr<int64_t> head = ReadHead(connection);
      if (head.ok()) Advance(*head);
      next_check = absl::Now() + kListenPoll;
    }
    // Notifications that arrived during the query above are already
    // buffered: take them before waiting on the socket.
    absl::StatusOr<std::vector<std::string>> payloads = connection.TakeNotifications();
    if (!payloads.ok() || connection.broken()) {
      spdlog::warn(
          "store: lost the PostgreSQL connection that listens for commits; "
          "reconnecting");
      connected = false;
      continue;
    }
    int64_t newest = 0;
    for (const std::string& payload : *payloads) {
      int64_t head = 0;
      if (absl::SimpleAtoi(payload, &head)) newest = std::max(newest, head);
    }
    if (newest > 0) Advance(newest);
    pollfd fd{connection.socket(), POLLIN, 0};
    // Short, so that a stopping store is not kept waiting.
    if (fd.fd < 0 || poll(&fd, 1, 100) < 0) connected = false;
  }
}

absl::Status PostgresStore::Read(const ReadBody& body, bool snapshot) {
  std::unique_ptr<PgConnection> reader;
  {
    absl::MutexLock lock(&pool_mu_);
    pool_mu_.Await(absl::Condition(
        +[](std::vector<std::unique_ptr<PgConnection>>* idle) { return !idle->empty(); },
        &idle_readers_));
    reader = std::move(idle_readers_.back());
    idle_readers_.pop_back();
  }
  auto attempt = [&]() -> absl::Status {
    RETURN_IF_ERROR(reader->EnsureConnected());
    if (!snapshot) return body(*reader);
    RETURN_IF_ERROR(reader->Execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    absl::Status status = body(*reader);
    if (status.ok()) return reader->Execute("COMMIT");
    if (!reader->broken()) (void)reader->Execute("ROLLBACK");
    return status;
  };
  absl::Status status = attempt();
  // A connection that broke since its last use (a database restart, a
  // network blip): reads can simply be tried again on a new one.
  if (!status.ok() && reader->broken()) status = attempt();
  absl::MutexLock lock(&pool_mu_);
  idle_readers_.push_back(std::move(reader));
  return status;
}

absl::StatusOr<std::vector<LoggedChange>> PostgresStore::ReadChanges(
    int64_t after_sequence, int limit) {
  std::vector<LoggedChange> changes;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(
        PgResult result,
        connection.Query("SELECT sequence, kind, commit_time_micros, data "
                         "FROM changes WHERE sequence > ? "
                         "ORDER BY sequence LIMIT ?",
                         PgParams().Int(after_sequence).Int(std::max(limit, 0))));
    changes.clear();
    changes.reserve(static_cast<size_t>(result.rows()));
    for (int row = 0; row < result.rows(); ++row) {
      LoggedChange& change = changes.emplace_back();
      change.sequence = result.Int(row, 0);
      change.kind = static_cast<v1::ChangeKind>(result.Int(row, 1));
      change.commit_time_micros = result.Int(row, 2);
      change.statement = std::string(result.Bytes(row, 3));
    }
    return absl::OkStatus();
  }));
  return changes;
}

int64_t PostgresStore::HeadSequence() {
  // Other instances' commits reach head_ through the listener a little after
  // they commit. A subscription starting now must count them: a client that
  // wrote through another instance, or resumes after a sequence another
  // instance delivered, would otherwise be told the sequence is beyond the
  // head, or be marked caught up without its own write. So ask the database
  // (a subscription's start and a metrics scrape are rare enough).
  int64_t head = 0;
  const absl::Status read = Read([&](PgConnection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(head, ReadHead(connection));
    return absl::OkStatus();
  });
  if (read.ok()) Advance(head);
  return head_.load();
}

absl::StatusOr<int64_t> PostgresStore::SequenceBefore(absl::Time t) {
  int64_t sequence = 0;
  RETURN_IF_ERROR(Read([&](PgConnection& connection) -> absl::Status {
    ASSIGN_OR_RETURN(PgResult result,
                     connection.Query("SELECT sequence FROM changes "
                                      "WHERE commit_time_micros < ? ORDER BY "
                                      "commit_time_micros DESC, sequence DESC LIMIT 1",
                                      PgParams().Int(CeilMicros(t))));
    sequence = result.rows() > 0 ? result.Int(0, 0) : 0;
    return absl::OkStatus();
  }));
  return sequence;
}

void PostgresStore::SetCommitListener(std::function<void(int64_t head)> listener) {
  absl::MutexLock lock(&listener_mu_);
  commit_listener_ = std::move(listener);
}

void PostgresStore::SetCommitObserver(CommitObserver observer) {
  commit_observer_ = std::move(observer);
}

}  // namespace rollcall
