#ifndef ROLLCALL_SERVER_BULK_BULK_LOAD_H_
#define ROLLCALL_SERVER_BULK_BULK_LOAD_H_

// The bulk load: builds a new SQLite store from a JSONL exchange file (the
// file `rollcall import` reads and `rollcall export` writes), offline and
// many times faster than importing it through the API, into a store that
// then serves exactly as if `rollcall import` had sent every line to a
// server on an empty store:
//   - each line is validated by the RPCs' own code (CreateActorFromRequest,
//     CreateEventFromRequest, PrepareCreateStatement) and written by the
//     store's own write path (SqliteStore::CreateEachStatement: references,
//     the duplicate check, request ids, names, sequences, the change log),
//     in the file's order; a statement gets the request id `rollcall
//     import` would give it, so importing the file again later records
//     nothing twice;
//   - a bad line is reported as FILE:LINE: CODE: message and skipped, as
//     the import reports and skips it.
// What differs is only how the work is done: transactions of 100,000
// statements without fsync or savepoints, references and request ids
// looked up in memory (server/store/bulk_lookups.h), the request ids
// written once at the end, and the applied file (the statements table, its
// indexes and the full-text index) built on a second thread in a side file
// (applied_state_builder.h) that becomes the applied file at the end
// (SqliteStore::FinishBulkLoad). The store is built in private files
// beside the target (`<db>.loading`, the side file `<db>.loading-applied`,
// then `<db minus .db>-applied.db.loading`) and renamed into place only
// once complete and fsync'd: an interrupted
// load leaves no store behind (the next load starts the private files
// afresh).

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"

namespace rollcall {

struct BulkLoadOptions {
  // The JSONL file to load.
  std::string jsonl_path;
  // The store file to create (e.g. DATA_DIR/rollcall.db). Its directory is
  // created if missing; the file must not exist.
  std::string database_path;
  // Statements written per transaction.
  int statements_per_transaction = 10000;
};

struct BulkLoadCounts {
  int64_t actors = 0;
  int64_t events = 0;
  int64_t statements = 0;
  // Lines recording what an earlier line of the file recorded already (an
  // actor or event of the same name; a statement with the same request id).
  int64_t already_present = 0;
  // Lines refused (reported on the error stream).
  int64_t errors = 0;
};

// Loads options.jsonl_path into a new store at options.database_path and
// returns what it recorded; bad lines go to `errors` as FILE:LINE: CODE:
// message. Errors: FAILED_PRECONDITION if the store file (or its WAL)
// exists; NOT_FOUND if the JSONL file cannot be read; the store's errors
// (UNAVAILABLE, RESOURCE_EXHAUSTED for a full disk) otherwise, in which
// case no store file is left.
absl::StatusOr<BulkLoadCounts> BulkLoadJsonl(const BulkLoadOptions& options,
                                             std::ostream& errors);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_BULK_BULK_LOAD_H_
