#ifndef ROLLCALL_SERVER_STORE_PG_DB_H_
#define ROLLCALL_SERVER_STORE_PG_DB_H_

// Thin wrappers over libpq that report errors as absl::Status values.
//
// Parameters are typed (bigint, text, bytea) and sent in binary; results
// come back in binary, so integers are read without parsing text and
// serialized protos (bytea) without hex decoding. SQL uses `?` for
// parameters, as the SQLite store's does; they are numbered ($1, $2, ...)
// here, so one query builder serves both stores. No SQL text of ours holds
// a literal `?`.
//
// SQLSTATE classes map to canonical codes:
//   08 (connection), 57P (shutdown), 53300 (too many connections),
//   no SQLSTATE at all (the connection broke)        -> UNAVAILABLE
//   53 (insufficient resources: disk full, memory)   -> RESOURCE_EXHAUSTED
//   23505 (unique violation)                         -> ALREADY_EXISTS
//   23 (other integrity violations)                  -> FAILED_PRECONDITION
//   40 (serialization failure, deadlock)             -> ABORTED
//   22 (data exception: a value PostgreSQL refuses)  -> INVALID_ARGUMENT
//   XX001, XX002 (damaged data)                      -> DATA_LOSS
//   anything else                                    -> INTERNAL
//
// A PgConnection is used by one thread at a time; the caller locks.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

struct pg_conn;
struct pg_result;

namespace rollcall {

// Parameters of one query, in order.
class PgParams {
 public:
  PgParams& Int(int64_t value);
  PgParams& Text(absl::string_view value);
  PgParams& Bytes(absl::string_view value);
  PgParams& Null();  // a NULL bigint
  // One-dimensional arrays (bigint[], text[], bytea[]) without NULLs, for
  // statements that take many rows at once (unnest).
  PgParams& IntArray(absl::Span<const int64_t> values);
  PgParams& TextArray(absl::Span<const std::string> values);
  PgParams& BytesArray(absl::Span<const std::string> values);
  size_t size() const { return types_.size(); }

 private:
  friend class PgConnection;
  std::vector<unsigned int> types_;
  std::vector<std::string> values_;
  std::vector<bool> nulls_;

  // An array of `count` elements of type `element_type`; `add(i, out)`
  // appends element i's binary form.
  template <typename AddElement>
  PgParams& Array(unsigned int array_type, unsigned int element_type, size_t count,
                  const AddElement& add);
};

// The rows of one query. Integer columns must be bigint.
class PgResult {
 public:
  explicit PgResult(pg_result* result);
  ~PgResult();
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  int rows() const;
  // The command tag ("COMMIT", "ROLLBACK", "INSERT 0 3", ...).
  std::string CommandTag() const;
  bool IsNull(int row, int column) const;
  int64_t Int(int row, int column) const;
  // Text or bytea, as stored.
  absl::string_view Bytes(int row, int column) const;
  std::string Text(int row, int column) const { return std::string(Bytes(row, column)); }

 private:
  friend class PgConnection;
  pg_result* result_;
};

// One statement of a pipeline: SQL with `?` placeholders and its
// parameters (none for BEGIN or COMMIT).
struct PgStatement {
  std::string sql;
  PgParams params;
};

class PgConnection {
 public:
  // Connects with `conninfo` (a postgres:// URI or key=value pairs) and
  // runs `setup` (e.g. SET search_path) after every (re)connection.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Open(const std::string& conninfo,
                                                            std::string setup);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql` (one or more statements, no parameters, no results kept).
  absl::Status Execute(absl::string_view sql);
  // Runs `sql` (one or more statements, no parameters: one round trip) and
  // returns the last statement's rows, in text (PgResult reads both).
  absl::StatusOr<PgResult> ExecuteForRows(absl::string_view sql);
  // Runs `before` (statements, may be empty) and COMMIT in one round trip.
  // Fails unless the transaction committed (PostgreSQL answers COMMIT of a
  // failed transaction with ROLLBACK, not with an error).
  absl::Status Commit(absl::string_view before = "");
  // Runs one statement with `params`, prepared once per connection and SQL
  // text (the 256 most recent; then all are deallocated and prepared again
  // as used).
  absl::StatusOr<PgResult> Query(absl::string_view sql, const PgParams& params = {});
  // Runs `statements` in one round trip (libpq's pipeline mode), each but
  // BEGIN, COMMIT and ROLLBACK prepared once per connection as Query's are
  // (so a statement must be one statement), and returns their results
  // in order. The first statement that fails is the error; PostgreSQL skips
  // the ones after it (a transaction they were in is then failed and must
  // be rolled back).
  absl::StatusOr<std::vector<PgResult>> Pipeline(absl::Span<const PgStatement> statements);
  // Runs one statement and returns whether it yielded a row.
  absl::StatusOr<bool> Exists(absl::string_view sql, const PgParams& params);

  // Whether the connection broke (or a reconnection did not finish its
  // setup); Reconnect tries to establish it again, setup included
  // (UNAVAILABLE if it cannot). A pipeline that fails midway reconnects.
  bool broken() const;
  absl::Status Reconnect();
  // Reconnects if broken; otherwise nothing.
  absl::Status EnsureConnected();

  // For LISTEN: the socket, and the notifications that have arrived (their
  // payloads, in order), reading what the socket holds without blocking.
  int socket() const;
  absl::StatusOr<std::vector<std::string>> TakeNotifications();

 private:
  PgConnection(pg_conn* connection, std::string conninfo, std::string setup);
  absl::Status Error(absl::string_view context, const pg_result* result) const;
  absl::Status Setup();
  // The name `sql` is prepared under on this connection, preparing it first
  // if it is not (`params` gives the types).
  absl::StatusOr<std::string> Prepared(absl::string_view sql, const PgParams& params);
  // Reads the results of `count` pipelined statements and the sync.
  absl::StatusOr<std::vector<PgResult>> PipelineResults(
      absl::Span<const PgStatement> statements);

  pg_conn* connection_;
  const std::string conninfo_;
  const std::string setup_;
  // SQL text -> prepared statement name (at most kMaxPrepared of them).
  absl::flat_hash_map<std::string, std::string> prepared_;
  int64_t prepared_count_ = 0;  // names are never reused
  // Whether `setup_` ran on the current connection: a connection whose
  // search_path or settings are missing must not be used.
  bool set_up_ = false;
};

// "$1, $2" for `?, ?`: numbers the placeholders of `sql` from 1.
std::string NumberPlaceholders(absl::string_view sql);

// A quoted identifier ("name", with quotes doubled).
std::string QuoteIdentifier(absl::string_view name);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_PG_DB_H_
