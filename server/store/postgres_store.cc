// PostgresStore: connecting, the schema, the write path, the reader pool,
// the commit log and the listening thread. Resources are in
// postgres_resources.cc.

#include "server/store/postgres_store.h"

#include <poll.h>

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/sqlite_rows.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

// Migration i (0-based) takes a schema from version i to i + 1. Never edit
// a released migration: append a new one. Names compare byte by byte
// (COLLATE "C"), as in SQLite, so pages and cursors order alike.
const char* const kPostgresMigrations[] = {
    R"sql(
CREATE TABLE log_head (
  id bigint PRIMARY KEY CHECK (id = 1),
  head bigint NOT NULL,
  last_commit_micros bigint NOT NULL);
INSERT INTO log_head (id, head, last_commit_micros) VALUES (1, 0, 0);
CREATE TABLE actors (
  name text COLLATE "C" PRIMARY KEY,
  kind bigint NOT NULL,
  country_code text NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL);
CREATE TABLE memberships (
  member text COLLATE "C" NOT NULL,
  organisation text COLLATE "C" NOT NULL,
  start_time_micros bigint,
  end_time_micros bigint);
CREATE INDEX memberships_by_organisation ON memberships (organisation, member);
CREATE INDEX memberships_by_member ON memberships (member);
CREATE TABLE events (
  name text COLLATE "C" PRIMARY KEY,
  country_code text NOT NULL,
  start_time_micros bigint NOT NULL,
  labels jsonb NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL);
CREATE INDEX events_by_start_time ON events (start_time_micros DESC, name);
CREATE TABLE statements (
  name text COLLATE "C" PRIMARY KEY,
  event text COLLATE "C" NOT NULL,
  actor text COLLATE "C" NOT NULL,
  actor_kind bigint NOT NULL,
  stance bigint NOT NULL,
  modality bigint NOT NULL,
  state bigint NOT NULL,
  issue_time_micros bigint NOT NULL,
  action_mask bigint NOT NULL,
  quote text NOT NULL,
  summary text NOT NULL,
  quote_terms tsvector NOT NULL,
  summary_terms tsvector NOT NULL,
  labels jsonb NOT NULL,
  revision bigint NOT NULL,
  sequence bigint NOT NULL,
  data bytea NOT NULL);
CREATE INDEX statements_by_event_time ON statements (event, issue_time_micros, name);
CREATE INDEX statements_by_actor_time ON statements (actor, issue_time_micros, name);
CREATE INDEX statements_by_time ON statements (issue_time_micros, name);
CREATE INDEX statements_by_stance_time ON statements (stance, issue_time_micros);
CREATE INDEX statements_by_event_stance_time
  ON statements (event, stance, state, issue_time_micros, name);
CREATE INDEX statements_by_quote_terms ON statements USING gin (quote_terms);
CREATE INDEX statements_by_summary_terms ON statements USING gin (summary_terms);
CREATE TABLE changes (
  sequence bigint PRIMARY KEY,
  statement text COLLATE "C" NOT NULL,
  revision bigint NOT NULL,
  kind bigint NOT NULL,
  commit_time_micros bigint NOT NULL,
  event text COLLATE "C" NOT NULL,
  data bytea NOT NULL,
  UNIQUE (statement, revision));
CREATE INDEX changes_by_commit_time ON changes (commit_time_micros);
CREATE INDEX changes_by_event_time ON changes (event, commit_time_micros);
CREATE TABLE requests (
  request_id text COLLATE "C" PRIMARY KEY,
  fingerprint text NOT NULL,
  statement text NOT NULL);
)sql",
    // v2: documents and the drafts extracted from them (draft_tables.h).
    // New tables only.
    R"sql(
CREATE TABLE documents (
  name text COLLATE "C" PRIMARY KEY,
  event text COLLATE "C" NOT NULL,
  doc_key text NOT NULL,
  create_time_micros bigint NOT NULL,
  data bytea NOT NULL,
  UNIQUE (event, doc_key));
CREATE TABLE drafts (
  create_order bigserial PRIMARY KEY,
  name text COLLATE "C" NOT NULL UNIQUE,
  event text COLLATE "C" NOT NULL,
  state bigint NOT NULL,
  actor text COLLATE "C" NOT NULL,
  revision bigint NOT NULL,
  data bytea NOT NULL);
CREATE INDEX drafts_by_event_state ON drafts (event, state, create_order);
CREATE INDEX drafts_by_actor ON drafts (actor, create_order);
CREATE TABLE draft_documents (
  document text COLLATE "C" NOT NULL,
  draft text COLLATE "C" NOT NULL,
  position bigint NOT NULL,
  PRIMARY KEY (document, draft));
CREATE INDEX draft_documents_by_draft ON draft_documents (draft);
)sql",
};
constexpr int kPostgresSchemaVersion =
    sizeof(kPostgresMigrations) / sizeof(kPostgresMigrations[0]);

// Any number from outside; it only has to be the same in every instance.
constexpr int64_t kMigrationLockKey = 0x726f6c6c63616c6c;  // "rollcall"
constexpr int kMaxSchemaLength = 40;
// How long the listening thread waits on its socket before checking the
// head itself, and its longest back-off between reconnection attempts.
constexpr absl::Duration kListenPoll = absl::Seconds(2);
constexpr absl::Duration kMaxReconnectDelay = absl::Seconds(2);

// Creates or upgrades the schema, in one transaction that holds an
// advisory lock: instances starting together migrate once.
absl::Status Migrate(PgConnection& connection, const std::string& schema) {
  RETURN_IF_ERROR(connection.Execute("BEGIN"));
  absl::Status status = [&]() -> absl::Status {
    RETURN_IF_ERROR(
        connection
            .Query("SELECT pg_advisory_xact_lock(?)", PgParams().Int(kMigrationLockKey))
            .status());
    RETURN_IF_ERROR(connection.Execute(
        absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", QuoteIdentifier(schema))));
    RETURN_IF_ERROR(connection.Execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version bigint NOT NULL)"));
    ASSIGN_OR_RETURN(
        PgResult result,
        connection.Query("SELECT coalesce(max(version), 0) FROM schema_version"));
    const int64_t version = result.Int(0, 0);
    if (version > kPostgresSchemaVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat("PostgreSQL schema ", schema, " has schema version ", version,
                       ", newer than version ", kPostgresSchemaVersion,
                       " that this rollcalld expects; use a newer rollcalld"));
    }
    for (int64_t next = version + 1; next <= kPostgresSchemaVersion; ++next) {
      RETURN_IF_ERROR(connection.Execute(kPostgresMigrations[next - 1]));
      spdlog::info("migrated PostgreSQL schema {} to version {}", schema, next);
    }
    if (version < kPostgresSchemaVersion) {
      RETURN_IF_ERROR(connection.Execute("DELETE FROM schema_version"));
      RETURN_IF_ERROR(connection
                          .Query("INSERT INTO schema_version (version) VALUES (?)",
                                 PgParams().Int(kPostgresSchemaVersion))
                          .status());
    }
    return connection.Execute("COMMIT");
  }();
  if (!status.ok()) (void)connection.Execute("ROLLBACK");
  return status;
}

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
// create's time goes").
// A table without a key to use (log_head's one row) is still scanned, at a
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

namespace {

// The settings a commit's durability rests on, as the writer's session sees
// them (server, database and role settings included).
absl::Status CheckDurabilitySettings(PgConnection& connection, bool accept_unsafe) {
  ASSIGN_OR_RETURN(PgResult settings,
                   connection.Query("SELECT current_setting('fsync'), "
                                    "current_setting('synchronous_commit'), "
                                    "current_setting('full_page_writes')"));
  if (settings.rows() != 1) {
    return absl::InternalError("reading the durability settings gave no row");
  }
  const std::string fsync = settings.Text(0, 0);
  const std::string synchronous_commit = settings.Text(0, 1);
  if (settings.Text(0, 2) == "off") {
    spdlog::warn(
        "PostgreSQL runs with full_page_writes = off: a page torn by a power cut "
        "cannot be repaired unless the file system writes whole pages atomically");
  }
  std::string unsafe;
  if (fsync == "off") {
    unsafe = "fsync = off: PostgreSQL does not flush its writes to the disk";
  } else if (synchronous_commit == "off") {
    unsafe = "synchronous_commit = off: a commit returns before its WAL is flushed";
  }
  if (unsafe.empty()) return absl::OkStatus();
  const std::string message = absl::StrCat(
      "PostgreSQL runs with ", unsafe,
      ", so a write rollcalld acknowledges can be lost in a crash or power cut");
  if (accept_unsafe) {
    spdlog::warn("{} (accepted: --postgres_accept_unsafe_durability)", message);
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat(message,
                   "; set it on in postgresql.conf (or for the database or role), or "
                   "start with --postgres_accept_unsafe_durability to accept the risk"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const PostgresStoreOptions& options) {
  if (options.schema.empty() || options.schema.size() > kMaxSchemaLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "PostgreSQL schema name must have 1 to ", kMaxSchemaLength, " characters"));
  }
  const std::string setup = SetupSql(options.schema);
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> writer,
                   PgConnection::Open(options.conninfo, absl::StrCat(setup, kWriterPlans)));
  RETURN_IF_ERROR(CheckDurabilitySettings(*writer, options.accept_unsafe_durability));
  RETURN_IF_ERROR(Migrate(*writer, options.schema));
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

std::string PostgresStore::WriteTxn::NextChange(v1::Statement& statement) {
  statement.set_sequence(++head);
  return SerializeStored(statement);
}

absl::Status PostgresStore::WriteTxn::InSavepoint(
    const std::function<absl::Status()>& step, absl::Status* outcome) {
  // Never released: a released savepoint costs a round trip and saves
  // nothing (its writes belong to the transaction either way), and a new
  // one of the same name shadows it.
  RETURN_IF_ERROR(connection.Execute("SAVEPOINT step"));
  const int64_t head_before = head;
  *outcome = step();
  if (outcome->ok()) return absl::OkStatus();
  head = head_before;
  return connection.Execute("ROLLBACK TO step");
}

absl::Status PostgresStore::Write(const WriteBody& body) {
  // Runs after the group's creates (see CommitGroup).
  const WriteBody deferred = [&body](WriteTxn& txn) {
    return txn.collecting ? absl::OkStatus() : body(txn);
  };
  return commits_.Run(
      deferred,
      [this](absl::Span<Commits::Pending* const> group) { return CommitGroup(group); },
      [this](int64_t head) { Advance(head); });
}

absl::Status PostgresStore::WriteCreates(CreateBatch& batch) {
  const WriteBody body = [&batch](WriteTxn& txn) {
    txn.creates.push_back(&batch);
    txn.registered = true;
    return absl::OkStatus();
  };
  return commits_.Run(
      body,
      [this](absl::Span<Commits::Pending* const> group) { return CommitGroup(group); },
      [this](int64_t head) { Advance(head); });
}

absl::StatusOr<PostgresStore::WriteTxn> PostgresStore::BeginWrite() {
  RETURN_IF_ERROR(writer_->EnsureConnected());
  // BEGIN and the row lock that orders every instance's commits (see the
  // header), in one round trip.
  constexpr absl::string_view kBeginAndLock =
      "BEGIN; SELECT head, last_commit_micros FROM log_head FOR UPDATE";
  absl::StatusOr<PgResult> locked = writer_->ExecuteForRows(kBeginAndLock);
  // A connection that broke while idle is only noticed now; nothing was
  // written, so connect again and begin once more.
  if (!locked.ok() && writer_->broken() && writer_->Reconnect().ok()) {
    locked = writer_->ExecuteForRows(kBeginAndLock);
  }
  if (!locked.ok()) return locked.status();
  if (locked->rows() != 1) return absl::DataLossError("log_head has no row");
  const absl::Time last_commit = absl::FromUnixMicros(locked->Int(0, 1));
  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
  return WriteTxn{*writer_,           std::max(now, last_commit), locked->Int(0, 0),
                  locked->Int(0, 0), false, false, {}};
}

absl::Status PostgresStore::CommitWithInsert(const WriteTxn& txn, PgStatement insert) {
  std::vector<PgStatement> statements;
  statements.push_back(std::move(insert));
  statements.push_back({"UPDATE log_head SET head = ?, last_commit_micros = ?",
                        PgParams().Int(txn.head).Int(absl::ToUnixMicros(txn.commit_time))});
  statements.push_back(
      {"SELECT pg_notify(?, ?)", PgParams().Text(channel_).Text(absl::StrCat(txn.head))});
  statements.push_back({"COMMIT", {}});
  ASSIGN_OR_RETURN(std::vector<PgResult> results, writer_->Pipeline(statements));
  if (results.back().CommandTag() != "COMMIT") {
    return absl::AbortedError("PostgreSQL rolled the transaction back instead of committing");
  }
  return absl::OkStatus();
}

absl::Status PostgresStore::CommitTxn(const WriteTxn& txn) {
  // The new head and its notification (delivered to the listeners of every
  // instance when this commits) travel with COMMIT: one round trip.
  const std::string before_commit =
      txn.head == txn.start_head
          ? std::string()
          : absl::StrCat("UPDATE log_head SET head = ", txn.head,
                         ", last_commit_micros = ", absl::ToUnixMicros(txn.commit_time),
                         "; NOTIFY ", QuoteIdentifier(channel_), ", '", txn.head, "'");
  return writer_->Commit(before_commit);
}

absl::Status PostgresStore::CreateOneByOne(WriteTxn& txn, const absl::Status& failure) {
  // If the connection broke (UNAVAILABLE: no answer from PostgreSQL), the
  // outcome of COMMIT is unknown: the callers get UNAVAILABLE and retry
  // with their request ids.
  if (writer_->broken() || failure.code() == absl::StatusCode::kUnavailable) {
    return failure;
  }
  // Nothing but the creates was written: begin again and make them one by
  // one, so that only the writes at fault fail.
  spdlog::debug("store: creating one by one: {}", failure.ToString());
  (void)writer_->Execute("ROLLBACK");
  ASSIGN_OR_RETURN(const WriteTxn again, BeginWrite());
  txn.head = txn.start_head = again.head;
  txn.commit_time = again.commit_time;
  for (CreateBatch* batch : txn.creates) RETURN_IF_ERROR(CreateSlowly(txn, *batch));
  return absl::OkStatus();
}

absl::Status PostgresStore::RunInSavepoints(WriteTxn& txn,
                                            absl::Span<Commits::Pending* const> writes) {
  for (Commits::Pending* write : writes) {
    absl::Status status =
        txn.InSavepoint([&] { return (*write->body)(txn); }, &write->status);
    if (!status.ok()) return write->status.ok() ? status : write->status;
  }
  return absl::OkStatus();
}

std::optional<int64_t> PostgresStore::CommitGroup(
    absl::Span<Commits::Pending* const> group) {
  absl::MutexLock lock(&write_mu_);
  auto fail_all = [&](const absl::Status& status) -> std::optional<int64_t> {
    for (Commits::Pending* write : group) {
      if (write->status.ok()) write->status = status;
    }
    if (!writer_->broken()) (void)writer_->Execute("ROLLBACK");
    return std::nullopt;
  };
  // The creates register their batches; the other writes run after them.
  WriteTxn collector{*writer_, absl::InfinitePast(), 0, 0, true, false, {}};
  std::vector<Commits::Pending*> others;
  for (Commits::Pending* write : group) {
    collector.registered = false;
    write->status = (*write->body)(collector);
    if (!collector.registered) others.push_back(write);
  }
  const std::vector<CreateBatch*>& creates = collector.creates;
  PgStatement insert;
  absl::StatusOr<WriteTxn> begun =
      creates.empty() ? BeginWrite() : BeginWithCreates(creates, insert);
  if (!begun.ok()) return fail_all(begun.status());
  WriteTxn& txn = *begun;
  const absl::Time commit_start = absl::Now();
  auto observe = [&] {
    if (commit_observer_.on_commit) {
      commit_observer_.on_commit(static_cast<int>(group.size()), absl::Now() - commit_start);
    }
  };
  absl::Status inserted;
  if (!insert.sql.empty() && others.empty()) {
    inserted = CommitWithInsert(txn, std::move(insert));
    if (inserted.ok()) {
      observe();
      return txn.head;
    }
  } else if (!insert.sql.empty()) {
    inserted = writer_->Query(insert.sql, insert.params).status();
  }
  if (!inserted.ok()) {
    if (absl::Status status = CreateOneByOne(txn, inserted); !status.ok()) {
      return fail_all(status);
    }
  }
  if (others.empty() && txn.head == txn.start_head) {
    // Every create failed its checks: nothing was written.
    (void)writer_->Execute("ROLLBACK");
    return std::nullopt;
  }
  if (group.size() == 1 && others.size() == 1) {
    others[0]->status = (*others[0]->body)(txn);
    if (!others[0]->status.ok()) {
      (void)writer_->Execute("ROLLBACK");
      return std::nullopt;
    }
  } else if (absl::Status status = RunInSavepoints(txn, others); !status.ok()) {
    return fail_all(status);
  }
  if (absl::Status status = CommitTxn(txn); !status.ok()) return fail_all(status);
  observe();
  if (txn.head == txn.start_head) return std::nullopt;
  return txn.head;
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
