#include "server/store/pg_db.h"

#include <libpq-fe.h>

#include <cstring>
#include <utility>

#include "absl/base/internal/endian.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace rollcall {
namespace {

// Type OIDs (pg_type.dat).
constexpr unsigned int kBoolOid = 16;
constexpr unsigned int kByteaOid = 17;
constexpr unsigned int kInt8Oid = 20;
constexpr unsigned int kInt2Oid = 21;
constexpr unsigned int kInt4Oid = 23;
constexpr unsigned int kTextOid = 25;
constexpr unsigned int kByteaArrayOid = 1001;
constexpr unsigned int kTextArrayOid = 1009;
constexpr unsigned int kInt8ArrayOid = 1016;
// Prepared statements kept per connection.
constexpr size_t kMaxPrepared = 256;

absl::StatusCode CodeForSqlState(absl::string_view state) {
  if (state.empty()) return absl::StatusCode::kUnavailable;  // no server answer
  if (state == "23505") return absl::StatusCode::kAlreadyExists;
  if (state == "53300") return absl::StatusCode::kUnavailable;  // too many connections
  if (absl::StartsWith(state, "08") || absl::StartsWith(state, "57P")) {
    return absl::StatusCode::kUnavailable;
  }
  if (absl::StartsWith(state, "53")) return absl::StatusCode::kResourceExhausted;
  if (absl::StartsWith(state, "23")) return absl::StatusCode::kFailedPrecondition;
  if (absl::StartsWith(state, "40")) return absl::StatusCode::kAborted;
  if (absl::StartsWith(state, "22")) return absl::StatusCode::kInvalidArgument;
  if (state == "XX001" || state == "XX002") return absl::StatusCode::kDataLoss;
  return absl::StatusCode::kInternal;
}

// BEGIN, COMMIT, ROLLBACK: nothing to plan, so not worth a prepared
// statement.
bool IsTransactionControl(absl::string_view sql) {
  return sql == "BEGIN" || sql == "COMMIT" || sql == "ROLLBACK";
}

// libpq's messages end with a newline.
std::string Trimmed(const char* message) {
  std::string out = message == nullptr ? "" : message;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

PgParams& PgParams::Int(int64_t value) {
  char bytes[8];
  absl::big_endian::Store64(bytes, static_cast<uint64_t>(value));
  types_.push_back(kInt8Oid);
  values_.emplace_back(bytes, sizeof(bytes));
  nulls_.push_back(false);
  return *this;
}

PgParams& PgParams::Text(absl::string_view value) {
  types_.push_back(kTextOid);
  values_.emplace_back(value);
  nulls_.push_back(false);
  return *this;
}

PgParams& PgParams::Bytes(absl::string_view value) {
  types_.push_back(kByteaOid);
  values_.emplace_back(value);
  nulls_.push_back(false);
  return *this;
}

PgParams& PgParams::Null() {
  types_.push_back(kInt8Oid);
  values_.emplace_back();
  nulls_.push_back(true);
  return *this;
}

namespace {

void AppendInt32(std::string& out, uint32_t value) {
  char bytes[4];
  absl::big_endian::Store32(bytes, value);
  out.append(bytes, sizeof(bytes));
}

}  // namespace

// PostgreSQL's binary array form (array_recv): dimensions, a has-nulls
// flag, the element type, each dimension's size and lower bound, then each
// element as its length and bytes. An empty array has no dimension.
template <typename AddElement>
PgParams& PgParams::Array(unsigned int array_type, unsigned int element_type,
                          size_t count, const AddElement& add) {
  std::string out;
  AppendInt32(out, count == 0 ? 0 : 1);
  AppendInt32(out, 0);
  AppendInt32(out, element_type);
  if (count > 0) {
    AppendInt32(out, static_cast<uint32_t>(count));
    AppendInt32(out, 1);
  }
  for (size_t i = 0; i < count; ++i) add(i, out);
  types_.push_back(array_type);
  values_.push_back(std::move(out));
  nulls_.push_back(false);
  return *this;
}

PgParams& PgParams::IntArray(absl::Span<const int64_t> values) {
  return Array(kInt8ArrayOid, kInt8Oid, values.size(), [&](size_t i, std::string& out) {
    char bytes[8];
    absl::big_endian::Store64(bytes, static_cast<uint64_t>(values[i]));
    AppendInt32(out, sizeof(bytes));
    out.append(bytes, sizeof(bytes));
  });
}

PgParams& PgParams::TextArray(absl::Span<const std::string> values) {
  return Array(kTextArrayOid, kTextOid, values.size(), [&](size_t i, std::string& out) {
    AppendInt32(out, static_cast<uint32_t>(values[i].size()));
    out.append(values[i]);
  });
}

PgParams& PgParams::BytesArray(absl::Span<const std::string> values) {
  return Array(kByteaArrayOid, kByteaOid, values.size(), [&](size_t i, std::string& out) {
    AppendInt32(out, static_cast<uint32_t>(values[i].size()));
    out.append(values[i]);
  });
}

PgResult::PgResult(pg_result* result) : result_(result) {}
PgResult::~PgResult() {
  if (result_ != nullptr) PQclear(result_);
}
PgResult::PgResult(PgResult&& other) noexcept
    : result_(std::exchange(other.result_, nullptr)) {}
PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

int PgResult::rows() const { return result_ == nullptr ? 0 : PQntuples(result_); }

bool PgResult::IsNull(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

int64_t PgResult::Int(int row, int column) const {
  if (IsNull(row, column)) return 0;
  const char* value = PQgetvalue(result_, row, column);
  if (PQfformat(result_, column) == 0) {  // text
    int64_t number = 0;
    return absl::SimpleAtoi(value, &number) ? number : 0;
  }
  switch (PQftype(result_, column)) {
    case kInt8Oid:
      return static_cast<int64_t>(absl::big_endian::Load64(value));
    case kInt4Oid:
      return static_cast<int32_t>(absl::big_endian::Load32(value));
    case kInt2Oid:
      return static_cast<int16_t>(absl::big_endian::Load16(value));
    case kBoolOid:
      return value[0] != 0 ? 1 : 0;
    default:
      return 0;
  }
}

absl::string_view PgResult::Bytes(int row, int column) const {
  return absl::string_view(PQgetvalue(result_, row, column),
                           static_cast<size_t>(PQgetlength(result_, row, column)));
}

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Open(
    const std::string& conninfo, std::string setup) {
  pg_conn* connection = PQconnectdb(conninfo.c_str());
  if (connection == nullptr) {
    return absl::ResourceExhaustedError("cannot allocate a PostgreSQL connection");
  }
  if (PQstatus(connection) != CONNECTION_OK) {
    absl::Status error = absl::UnavailableError(absl::StrCat(
        "cannot connect to PostgreSQL: ", Trimmed(PQerrorMessage(connection))));
    PQfinish(connection);
    return error;
  }
  std::unique_ptr<PgConnection> out(
      new PgConnection(connection, conninfo, std::move(setup)));
  RETURN_IF_ERROR(out->Setup());
  return out;
}

PgConnection::PgConnection(pg_conn* connection, std::string conninfo, std::string setup)
    : connection_(connection), conninfo_(std::move(conninfo)), setup_(std::move(setup)) {}

PgConnection::~PgConnection() { PQfinish(connection_); }

absl::Status PgConnection::Setup() {
  // Quiet NOTICEs (e.g. "relation already exists, skipping") stay out of
  // the server's output.
  PQsetNoticeProcessor(
      connection_, [](void*, const char*) {}, nullptr);
  if (!setup_.empty()) RETURN_IF_ERROR(Execute(setup_));
  set_up_ = true;
  return absl::OkStatus();
}

absl::Status PgConnection::Error(absl::string_view context,
                                 const pg_result* result) const {
  const char* state =
      result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* message =
      result == nullptr ? PQerrorMessage(connection_) : PQresultErrorMessage(result);
  const absl::StatusCode code = CodeForSqlState(state == nullptr ? "" : state);
  return absl::Status(code,
                      absl::StrCat("PostgreSQL: ", context, ": ", Trimmed(message)));
}

absl::Status PgConnection::Execute(absl::string_view sql) {
  return ExecuteForRows(sql).status();
}

absl::StatusOr<PgResult> PgConnection::ExecuteForRows(absl::string_view sql) {
  PgResult result(PQexec(connection_, std::string(sql).c_str()));
  const ExecStatusType status = PQresultStatus(result.result_);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Error(sql.substr(0, 60), result.result_);
  }
  return result;
}

absl::Status PgConnection::Commit(absl::string_view before) {
  const std::string sql = absl::StrCat(before, before.empty() ? "" : "; ", "COMMIT");
  PgResult result(PQexec(connection_, sql.c_str()));
  if (PQresultStatus(result.result_) != PGRES_COMMAND_OK)
    return Error("COMMIT", result.result_);
  if (absl::string_view(PQcmdStatus(result.result_)) != "COMMIT") {
    return absl::AbortedError(
        "PostgreSQL rolled the transaction back instead of committing");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> PgConnection::Prepared(absl::string_view sql,
                                                   const PgParams& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    // Filters make many distinct queries; keep the server's memory bounded.
    if (prepared_.size() >= kMaxPrepared) {
      RETURN_IF_ERROR(Execute("DEALLOCATE ALL"));
      prepared_.clear();
    }
    std::string name = absl::StrCat("q", ++prepared_count_);
    const std::string numbered = NumberPlaceholders(sql);
    PgResult prepared(PQprepare(connection_, name.c_str(), numbered.c_str(),
                                static_cast<int>(params.size()), params.types_.data()));
    if (PQresultStatus(prepared.result_) != PGRES_COMMAND_OK) {
      return Error(sql.substr(0, 60), prepared.result_);
    }
    it = prepared_.emplace(std::string(sql), std::move(name)).first;
  }
  return it->second;
}

absl::StatusOr<PgResult> PgConnection::Query(absl::string_view sql,
                                             const PgParams& params) {
  ASSIGN_OR_RETURN(const std::string name, Prepared(sql, params));
  const int n = static_cast<int>(params.size());
  std::vector<const char*> values(n);
  std::vector<int> lengths(n);
  std::vector<int> formats(n, 1);
  for (int i = 0; i < n; ++i) {
    values[i] = params.nulls_[i] ? nullptr : params.values_[i].data();
    lengths[i] = static_cast<int>(params.values_[i].size());
  }
  PgResult result(PQexecPrepared(connection_, name.c_str(), n, values.data(),
                                 lengths.data(), formats.data(), /*resultFormat=*/1));
  const ExecStatusType status = PQresultStatus(result.result_);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Error(sql.substr(0, 60), result.result_);
  }
  return result;
}

absl::StatusOr<std::vector<PgResult>> PgConnection::Pipeline(
    absl::Span<const PgStatement> statements) {
  // Prepared first (a round trip each, once per connection), so that no
  // DEALLOCATE can come between a statement's preparation and its use.
  if (prepared_.size() + statements.size() > kMaxPrepared) {
    RETURN_IF_ERROR(Execute("DEALLOCATE ALL"));
    prepared_.clear();
  }
  std::vector<std::string> names;
  for (const PgStatement& statement : statements) {
    names.emplace_back();
    if (IsTransactionControl(statement.sql)) continue;
    ASSIGN_OR_RETURN(names.back(), Prepared(statement.sql, statement.params));
  }
  if (PQenterPipelineMode(connection_) != 1) return Error("pipeline mode", nullptr);
  for (size_t i = 0; i < statements.size(); ++i) {
    const PgParams& params = statements[i].params;
    const int n = static_cast<int>(params.size());
    int sent = 0;
    if (names[i].empty()) {
      sent = PQsendQueryParams(connection_, statements[i].sql.c_str(), 0, nullptr, nullptr,
                               nullptr, nullptr, /*resultFormat=*/1);
    } else {
      std::vector<const char*> values(n);
      std::vector<int> lengths(n);
      std::vector<int> formats(n, 1);
      for (int j = 0; j < n; ++j) {
        values[j] = params.nulls_[j] ? nullptr : params.values_[j].data();
        lengths[j] = static_cast<int>(params.values_[j].size());
      }
      sent = PQsendQueryPrepared(connection_, names[i].c_str(), n, values.data(),
                                 lengths.data(), formats.data(), /*resultFormat=*/1);
    }
    if (sent != 1) {
      absl::Status error = Error("sending a pipeline", nullptr);
      (void)Reconnect();  // the pipeline's state is unknown: start afresh
      return error;
    }
  }
  absl::StatusOr<std::vector<PgResult>> results = PipelineResults(statements);
  if (PQexitPipelineMode(connection_) != 1 && results.ok()) {
    results = Error("leaving pipeline mode", nullptr);
  }
  if (!results.ok() && PQpipelineStatus(connection_) != PQ_PIPELINE_OFF) {
    // Start afresh, the setup included; a reconnection that fails leaves
    // the connection broken() for the caller.
    (void)Reconnect();
  }
  return results;
}

absl::StatusOr<std::vector<PgResult>> PgConnection::PipelineResults(
    absl::Span<const PgStatement> statements) {
  if (PQpipelineSync(connection_) != 1) return Error("pipeline sync", nullptr);
  std::vector<PgResult> results;
  absl::Status first_error;
  for (const PgStatement& statement : statements) {
    PgResult result(PQgetResult(connection_));
    if (result.result_ == nullptr) return Error("pipeline", nullptr);
    const ExecStatusType status = PQresultStatus(result.result_);
    if (first_error.ok() && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      first_error = Error(absl::string_view(statement.sql).substr(0, 60), result.result_);
    }
    // Each statement's results end with a null.
    if (PgResult end(PQgetResult(connection_)); end.result_ != nullptr) {
      return absl::InternalError("PostgreSQL: a pipelined statement gave two results");
    }
    results.push_back(std::move(result));
  }
  PgResult sync(PQgetResult(connection_));
  if (sync.result_ == nullptr || PQresultStatus(sync.result_) != PGRES_PIPELINE_SYNC) {
    return Error("pipeline sync", sync.result_);
  }
  if (!first_error.ok()) return first_error;
  return results;
}

std::string PgResult::CommandTag() const {
  return result_ == nullptr ? "" : PQcmdStatus(result_);
}

absl::StatusOr<bool> PgConnection::Exists(absl::string_view sql, const PgParams& params) {
  ASSIGN_OR_RETURN(PgResult result, Query(sql, params));
  return result.rows() > 0;
}

bool PgConnection::broken() const {
  return !set_up_ || PQstatus(connection_) != CONNECTION_OK;
}

absl::Status PgConnection::Reconnect() {
  prepared_.clear();
  set_up_ = false;
  PQreset(connection_);
  if (PQstatus(connection_) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat("cannot reconnect to PostgreSQL: ",
                                               Trimmed(PQerrorMessage(connection_))));
  }
  return Setup();
}

absl::Status PgConnection::EnsureConnected() {
  return broken() ? Reconnect() : absl::OkStatus();
}

int PgConnection::socket() const { return PQsocket(connection_); }

absl::StatusOr<std::vector<std::string>> PgConnection::TakeNotifications() {
  if (PQconsumeInput(connection_) == 0) return Error("reading notifications", nullptr);
  std::vector<std::string> payloads;
  while (PGnotify* notify = PQnotifies(connection_)) {
    payloads.emplace_back(notify->extra == nullptr ? "" : notify->extra);
    PQfreemem(notify);
  }
  return payloads;
}

std::string NumberPlaceholders(absl::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  for (char c : sql) {
    if (c == '?') {
      absl::StrAppend(&out, "$", ++next);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string QuoteIdentifier(absl::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace rollcall
