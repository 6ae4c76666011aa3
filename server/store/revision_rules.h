#ifndef ROLLCALL_SERVER_STORE_REVISION_RULES_H_
#define ROLLCALL_SERVER_STORE_REVISION_RULES_H_

// The rules every Store applies, whatever its SQL: the output-only fields of
// a new resource or revision, and how a batch of creates shares one write
// transaction. SqliteStore and PostgresStore both use them, so the stores
// can differ only in how they read and write rows.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "rollcall/v1/statement.pb.h"
#include "server/common/field_error.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/store/sqlite_rows.h"
#include "server/store/store.h"

namespace rollcall {

// The first revision of an actor or event, recorded at `commit_time`.
template <typename Message>
void StampFirstRevision(Message& message, absl::Time commit_time) {
  *message.mutable_create_time() = ToTimestamp(commit_time);
  *message.mutable_update_time() = ToTimestamp(commit_time);
  message.set_etag(RevisionEtag(1));
}

// Revision `revision` of an actor or event whose previous revision is
// `before`: the name and create time stay, whatever the mutation did.
template <typename Message>
void StampRevision(Message& message, const Message& before, int64_t revision,
                   absl::Time commit_time) {
  message.set_name(before.name());
  *message.mutable_create_time() = before.create_time();
  *message.mutable_update_time() = ToTimestamp(commit_time);
  message.set_etag(RevisionEtag(revision));
}

// A new statement named `name`: revision 1, active, recorded at
// `commit_time`.
inline void StampNewStatement(v1::Statement& statement, std::string name,
                              absl::Time commit_time) {
  statement.set_name(std::move(name));
  statement.set_state(v1::STATEMENT_STATE_ACTIVE);
  statement.clear_retraction();
  statement.set_revision(1);
  statement.set_etag(RevisionEtag(1));
  *statement.mutable_create_time() = ToTimestamp(commit_time);
  *statement.mutable_update_time() = ToTimestamp(commit_time);
}

// The next revision of `current`, as `updated` (the mutation's result):
// output-only fields are the store's, whatever the mutation did; a mutation
// that retracted it gets its retract time. Returns whether it is a
// retraction.
inline bool StampNextRevision(v1::Statement& updated, const v1::Statement& current,
                              absl::Time commit_time) {
  const bool retracted = updated.state() == v1::STATEMENT_STATE_RETRACTED;
  updated.set_name(current.name());
  updated.set_revision(current.revision() + 1);
  updated.set_etag(RevisionEtag(updated.revision()));
  *updated.mutable_create_time() = current.create_time();
  *updated.mutable_update_time() = ToTimestamp(commit_time);
  if (retracted) {
    *updated.mutable_retraction()->mutable_retract_time() = ToTimestamp(commit_time);
  } else {
    updated.set_state(v1::STATEMENT_STATE_ACTIVE);
    updated.clear_retraction();
  }
  return retracted;
}

// Store::CreateStatements inside one write transaction: all or none, the
// failing item named ("requests[3].statement.actor: ..."). `create` creates
// one statement in the transaction.
template <typename Create>
absl::Status CreateAllInTxn(absl::Span<const NewStatement> requests, const Create& create,
                            std::vector<v1::Statement>& created) {
  created.clear();
  for (size_t i = 0; i < requests.size(); ++i) {
    absl::StatusOr<v1::Statement> statement = create(requests[i]);
    if (!statement.ok()) {
      return PrefixField(statement.status(), absl::StrCat("requests[", i, "]."));
    }
    created.push_back(*std::move(statement));
  }
  return absl::OkStatus();
}

// Store::CreateEachStatement inside one write transaction: each item in a
// savepoint of `txn` (Txn::InSavepoint), so that one failing undoes only
// itself. A failing savepoint fails the transaction.
template <typename Txn, typename Create>
absl::Status CreateEachInTxn(Txn& txn, absl::Span<const NewStatement> requests,
                             const Create& create,
                             std::vector<absl::StatusOr<v1::Statement>>& results) {
  results.clear();
  for (const NewStatement& request : requests) {
    absl::StatusOr<v1::Statement>& result = results.emplace_back();
    absl::Status outcome;
    RETURN_IF_ERROR(txn.InSavepoint(
        [&]() -> absl::Status {
          ASSIGN_OR_RETURN(result, create(request));
          return absl::OkStatus();
        },
        &outcome));
    if (!outcome.ok()) result = outcome;
  }
  return absl::OkStatus();
}

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_REVISION_RULES_H_
