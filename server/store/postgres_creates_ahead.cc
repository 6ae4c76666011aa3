// PostgresStore: a small group of creates decided before its transaction
// and written in one round trip (docs/ARCHITECTURE.md, "Creates decided
// ahead"). The group is decided on OptimisticFacts (nothing in the store
// bears on it) as of the head and last commit time this instance knows, and
// sent in one pipeline: BEGIN, the log_head lock, the group's facts, the
// insert (which writes nothing unless the store is as assumed), the
// notification and COMMIT. When the guard fails, the facts read under the
// lock decide the group again, and a second round trip writes it unless
// another instance has committed since; only then does the group take the
// usual path (BeginWithCreates).

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/postgres_group_creates.h"
#include "server/store/postgres_store.h"
#include "spdlog/spdlog.h"

namespace rollcall {
namespace {

using pg_group::GroupCreates;
using pg_group::GroupFacts;
using pg_group::GroupFactsQuery;
using pg_group::InsertedRows;
using pg_group::InsertGuard;
using pg_group::InsertStatement;
using pg_group::kLockHead;
using pg_group::OptimisticFacts;
using pg_group::ParseGroupFacts;

// What a round trip of SendAhead found.
struct AheadResult {
  bool written = false;  // the group's rows were committed
  // log_head under the lock, before the insert.
  int64_t head = 0;
  int64_t last_commit_micros = 0;
  std::optional<GroupFacts> facts;  // of the requests asked for, if any
};

absl::StatusOr<AheadResult> WrittenBeforeTheConnectionBroke(PgConnection& writer,
                                                            const GroupCreates& group);

// BEGIN, the log_head lock, the facts of `facts_of` (if any), `group`'s
// rows inserted under `guard` with the new head, its notification and
// COMMIT, in one round trip.
absl::StatusOr<AheadResult> SendAhead(PgConnection& writer, const std::string& channel,
                                      const GroupCreates& group, const InsertGuard& guard,
                                      absl::Span<const NewStatement* const> facts_of) {
  const int64_t new_head = group.head();
  std::vector<PgStatement> statements;
  statements.push_back({"BEGIN", {}});
  statements.push_back({std::string(kLockHead), {}});
  if (!facts_of.empty()) statements.push_back(GroupFactsQuery(facts_of));
  statements.push_back(InsertStatement(group.rows(), guard.commit_time, &guard));
  statements.push_back(
      {"SELECT pg_notify(?, ?) FROM log_head WHERE head = ?",
       PgParams().Text(channel).Text(absl::StrCat(new_head)).Int(new_head)});
  statements.push_back({"COMMIT", {}});
  RETURN_IF_ERROR(writer.EnsureConnected());
  absl::StatusOr<std::vector<PgResult>> results = writer.Pipeline(statements);
  if (!results.ok()) {
    if (!writer.broken() && results.status().code() != absl::StatusCode::kUnavailable) {
      // PostgreSQL refused the insert (or another statement): nothing was
      // written; the usual path finds the write at fault.
      (void)writer.Execute("ROLLBACK");
      return AheadResult{};
    }
    return WrittenBeforeTheConnectionBroke(writer, group);
  }
  if (results->back().CommandTag() != "COMMIT") {
    return absl::AbortedError(
        "PostgreSQL rolled the transaction back instead of committing");
  }
  const PgResult& locked = (*results)[1];
  if (locked.rows() != 1) return absl::DataLossError("log_head has no row");
  const int64_t inserted = InsertedRows((*results)[statements.size() - 3]);
  if (inserted != 0 && inserted != static_cast<int64_t>(group.rows().size())) {
    return absl::InternalError("PostgreSQL wrote part of a group");
  }
  AheadResult result;
  result.written = inserted != 0;
  result.head = locked.Int(0, 0);
  result.last_commit_micros = locked.Int(0, 1);
  if (!facts_of.empty()) {
    ASSIGN_OR_RETURN(result.facts, ParseGroupFacts((*results)[2], facts_of.size()));
  }
  return result;
}

absl::StatusOr<AheadResult> WrittenBeforeTheConnectionBroke(PgConnection& writer,
                                                            const GroupCreates& group) {
  // The pipeline may or may not have reached COMMIT. Once this connection
  // holds the log_head lock, the lost session's transaction has ended one
  // way or the other: its first row tells which.
  RETURN_IF_ERROR(writer.Reconnect());
  const PgStatement statements[] = {
      {"BEGIN", {}},
      {std::string(kLockHead), {}},
      {"SELECT 1 FROM statements WHERE name = ?",
       PgParams().Text(group.rows().front().statement.name())},
      {"ROLLBACK", {}}};
  ASSIGN_OR_RETURN(std::vector<PgResult> results, writer.Pipeline(statements));
  AheadResult result;
  result.written = results[2].rows() == 1;
  result.head = results[1].Int(0, 0);
  result.last_commit_micros = results[1].Int(0, 1);
  spdlog::warn("store: the PostgreSQL writer connection broke during a commit; it was {}",
               result.written ? "committed" : "not committed, and is made again");
  return result;
}

}  // namespace

absl::Time PostgresStore::CommitTimeAfter(int64_t last_commit_micros) {
  const absl::Time now = absl::FromUnixMicros(absl::ToUnixMicros(absl::Now()));
  return std::max(now, absl::FromUnixMicros(last_commit_micros));
}

absl::StatusOr<bool> PostgresStore::CreateAhead(const std::vector<CreateBatch*>& creates,
                                                std::optional<int64_t>& committed) {
  const std::vector<const NewStatement*> requests = RequestsOf(creates);
  if (requests.size() > kMaxRequestsAhead || !last_as_assumed_) return false;
  const int64_t head = head_.load();
  const absl::Time commit_time = CommitTimeAfter(last_commit_micros_);
  GroupCreates optimistic(OptimisticFacts(requests), commit_time, head);
  Decide(creates, optimistic);
  if (optimistic.rows().empty()) return false;
  ASSIGN_OR_RETURN(AheadResult first,
                   SendAhead(*writer_, channel_, optimistic,
                             InsertGuard{head, commit_time, requests}, requests));
  last_commit_micros_ = std::max(last_commit_micros_, first.last_commit_micros);
  if (first.written) {
    last_commit_micros_ = absl::ToUnixMicros(commit_time);
    committed = optimistic.head();
    return true;
  }
  if (!first.facts.has_value()) return false;
  last_as_assumed_ = pg_group::AsAssumed(*first.facts, requests);
  // Decided again on the facts read under the lock, as of its head: written
  // if no other instance has committed since.
  const absl::Time second_time = CommitTimeAfter(first.last_commit_micros);
  GroupCreates group(*std::move(first.facts), second_time, first.head);
  Decide(creates, group);
  if (group.rows().empty()) return true;  // every create failed its checks
  ASSIGN_OR_RETURN(
      AheadResult second,
      SendAhead(*writer_, channel_, group, InsertGuard{first.head, second_time, {}}, {}));
  if (!second.written) return false;
  last_commit_micros_ = absl::ToUnixMicros(second_time);
  committed = group.head();
  return true;
}

}  // namespace rollcall
