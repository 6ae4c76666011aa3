// PostgresStore: creating statements. Every create of a group is resolved
// together (postgres_group_creates.h): one query reads what they depend on,
// the rules of SqliteStore::CreateInTxn are applied in the group's order,
// and one statement inserts every row, change and request. CreateInTxn and
// CreateSlowly are the one-by-one path, for a group whose insert fails.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/store/postgres_group_creates.h"
#include "server/store/postgres_rows.h"
#include "server/store/postgres_store.h"
#include "server/store/revision_rules.h"
#include "server/text/text_search.h"

namespace rollcall {
namespace {

using pg_group::GroupCreates;
using pg_group::GroupFacts;
using pg_group::GroupFactsQuery;
using pg_group::InsertStatement;
using pg_group::LoadGroupFacts;
using pg_group::kLockHead;
using pg_group::NewRow;
using pg_group::ParseGroupFacts;

std::vector<DerivedColumns> DeriveAll(absl::Span<const NewStatement> requests) {
  std::vector<DerivedColumns> derived;
  derived.reserve(requests.size());
  for (const NewStatement& request : requests) {
    derived.push_back(DeriveColumns(request.statement));
  }
  return derived;
}
}  // namespace

DerivedColumns DeriveColumns(const v1::Statement& statement) {
  return DerivedColumns{TsVectorLiteral(statement.quote()),
                        TsVectorLiteral(statement.summary()), LabelsJson(statement.labels()),
                        ActionMask(statement)};
}

std::vector<const NewStatement*> PostgresStore::RequestsOf(
    const std::vector<CreateBatch*>& creates) {
  std::vector<const NewStatement*> requests;
  for (const CreateBatch* batch : creates) {
    for (const NewStatement& request : batch->requests) requests.push_back(&request);
  }
  return requests;
}

void PostgresStore::Decide(const std::vector<CreateBatch*>& creates,
                           GroupCreates& group) {
  size_t item = 0;
  for (CreateBatch* batch : creates) {
    batch->results.clear();
    batch->status = absl::OkStatus();
    const size_t mark = group.Mark();
    for (size_t i = 0; i < batch->requests.size(); ++i, ++item) {
      absl::StatusOr<v1::Statement> created =
          group.Create(item, batch->requests[i], &batch->derived[i]);
      if (!created.ok() && batch->mode == CreateBatch::Mode::kAll) {
        // All or none: undo the batch's rows, skip its remaining requests.
        batch->status =
            PrefixField(created.status(), absl::StrCat("requests[", i, "]."));
        batch->results.clear();
        group.Undo(mark);
        item += batch->requests.size() - i;
        break;
      }
      batch->results.push_back(std::move(created));
    }
  }
}

absl::StatusOr<PostgresStore::WriteTxn> PostgresStore::BeginWithCreates(
    const std::vector<CreateBatch*>& creates, PgStatement& insert) {
  const std::vector<const NewStatement*> requests = RequestsOf(creates);
  const PgStatement statements[] = {
      {"BEGIN", {}}, {std::string(kLockHead), {}}, GroupFactsQuery(requests)};
  RETURN_IF_ERROR(writer_->EnsureConnected());
  absl::StatusOr<std::vector<PgResult>> results = writer_->Pipeline(statements);
  // A connection that broke while idle is only noticed now; nothing was
  // written, so connect again and begin once more.
  if (!results.ok() && writer_->broken() && writer_->Reconnect().ok()) {
    results = writer_->Pipeline(statements);
  }
  if (!results.ok()) return results.status();
  const PgResult& locked = (*results)[1];
  if (locked.rows() != 1) return absl::DataLossError("log_head has no row");
  ASSIGN_OR_RETURN(GroupFacts facts, ParseGroupFacts((*results)[2], requests.size()));
  // Whether the next small group is decided ahead (CreateAhead).
  if (requests.size() <= kMaxRequestsAhead) {
    last_as_assumed_ = pg_group::AsAssumed(facts, requests);
  }
  WriteTxn txn{*writer_, CommitTimeAfter(locked.Int(0, 1)), locked.Int(0, 0),
               locked.Int(0, 0), false, false, creates};
  GroupCreates group(std::move(facts), txn.commit_time, txn.head);
  Decide(creates, group);
  txn.head = group.head();
  insert = group.rows().empty() ? PgStatement{}
                                : InsertStatement(group.rows(), txn.commit_time);
  return txn;
}

absl::StatusOr<v1::Statement> PostgresStore::CreateInTxn(WriteTxn& txn,
                                                         const NewStatement& request) {
  // The same rules on the facts of this request alone, its row written at
  // once.
  const NewStatement* const requests[] = {&request};
  ASSIGN_OR_RETURN(GroupFacts facts, LoadGroupFacts(txn.connection, requests));
  GroupCreates one(std::move(facts), txn.commit_time, txn.head);
  ASSIGN_OR_RETURN(v1::Statement statement, one.Create(0, request, nullptr));
  if (one.rows().empty()) return statement;  // the earlier request's statement
  const NewRow& row = one.rows()[0];
  RETURN_IF_ERROR(WriteStatementRow(txn.connection, row.statement,
                                    v1::CHANGE_KIND_CREATED, txn.commit_time,
                                    row.actor_kind, row.data, &request));
  txn.head = one.head();
  return statement;
}

absl::Status PostgresStore::CreateSlowly(WriteTxn& txn, CreateBatch& batch) {
  batch.results.clear();
  batch.status = absl::OkStatus();
  auto create = [&](const NewStatement& request) { return CreateInTxn(txn, request); };
  switch (batch.mode) {
    case CreateBatch::Mode::kOne: {
      absl::Status outcome;
      absl::StatusOr<v1::Statement>& result = batch.results.emplace_back();
      RETURN_IF_ERROR(txn.InSavepoint(
          [&] {
            result = create(batch.requests[0]);
            return result.status();
          },
          &outcome));
      return absl::OkStatus();
    }
    case CreateBatch::Mode::kAll: {
      std::vector<v1::Statement> created;
      RETURN_IF_ERROR(txn.InSavepoint(
          [&] { return CreateAllInTxn(batch.requests, create, created); },
          &batch.status));
      for (v1::Statement& statement : created) batch.results.push_back(std::move(statement));
      if (!batch.status.ok()) batch.results.clear();
      return absl::OkStatus();
    }
    case CreateBatch::Mode::kEach:
      return CreateEachInTxn(txn, batch.requests, create, batch.results);
  }
  return absl::InternalError("unknown create mode");
}

absl::StatusOr<v1::Statement> PostgresStore::CreateStatement(
    const NewStatement& request) {
  const auto requests = absl::MakeConstSpan(&request, 1);
  CreateBatch batch{requests, CreateBatch::Mode::kOne, DeriveAll(requests), {}, {}};
  RETURN_IF_ERROR(WriteCreates(batch));
  if (batch.results.size() != 1) return absl::InternalError("a create has no outcome");
  return std::move(batch.results[0]);
}

absl::StatusOr<std::vector<v1::Statement>> PostgresStore::CreateStatements(
    absl::Span<const NewStatement> requests) {
  CreateBatch batch{requests, CreateBatch::Mode::kAll, DeriveAll(requests), {}, {}};
  RETURN_IF_ERROR(WriteCreates(batch));
  RETURN_IF_ERROR(batch.status);
  if (batch.results.size() != requests.size()) {
    return absl::InternalError("a batch of creates has no outcome");
  }
  std::vector<v1::Statement> created;
  created.reserve(requests.size());
  for (absl::StatusOr<v1::Statement>& result : batch.results) {
    created.push_back(*std::move(result));
  }
  return created;
}

absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>>
PostgresStore::CreateEachStatement(absl::Span<const NewStatement> requests) {
  CreateBatch batch{requests, CreateBatch::Mode::kEach, DeriveAll(requests), {}, {}};
  RETURN_IF_ERROR(WriteCreates(batch));
  if (batch.results.size() != requests.size()) {
    return absl::InternalError("a batch of creates has no outcome");
  }
  return std::move(batch.results);
}

}  // namespace rollcall
