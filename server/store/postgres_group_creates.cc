// PostgresStore's group creates (postgres_group_creates.h): the facts
// query, the rules in the group's order, the insert.

#include "server/store/postgres_group_creates.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/numbers.h"
#include "server/common/field_error.h"
#include "server/common/names.h"
#include "server/common/status_macros.h"
#include "server/common/time_util.h"
#include "server/store/revision_rules.h"
#include "server/store/sqlite_rows.h"

namespace rollcall::pg_group {
namespace {

// A new statement's name (NewStatementId: in creation order). Not looked
// up first (a round trip per statement): the primary key refuses the
// practically impossible collision with an id of another process.
std::string NewStatementName() { return MakeName(kStatementsCollection, NewStatementId()); }

bool ChecksDuplicates(const NewStatement& request) {
  return !request.allow_duplicate && !request.statement.quote().empty();
}

absl::Status ReusedRequestId(const NewStatement& request) {
  return FieldError("request_id", absl::StrCat("\"", request.request_id,
                                               "\" was already used for a different request"));
}
void AddOtherActors(const v1::Statement& statement, std::vector<std::string>& names) {
  names.insert(names.end(), statement.joint_with().begin(), statement.joint_with().end());
  if (!statement.stance_toward().empty()) names.push_back(statement.stance_toward());
  for (const v1::Action& action : statement.actions()) {
    names.insert(names.end(), action.targets().begin(), action.targets().end());
  }
}

}  // namespace

PgStatement GroupFactsQuery(absl::Span<const NewStatement* const> requests) {
  std::vector<int64_t> items, issue_times, check_duplicates;
  std::vector<std::string> request_ids, events, actors, other_actors;
  for (size_t i = 0; i < requests.size(); ++i) {
    const NewStatement& request = *requests[i];
    items.push_back(static_cast<int64_t>(i));
    request_ids.push_back(request.request_id);
    events.push_back(request.statement.event());
    actors.push_back(request.statement.actor());
    issue_times.push_back(ToUnixMicros(request.statement.issue_time()));
    check_duplicates.push_back(ChecksDuplicates(request) ? 1 : 0);
    AddOtherActors(request.statement, other_actors);
  }
  const int64_t window = absl::ToInt64Microseconds(kDuplicateWindow);
  // A create without a request id probes no key of `requests` (none is
  // empty), one without a quote to check reads no duplicate candidates.
  return PgStatement{
          "WITH r AS (SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], "
          "?::text[], ?::bigint[], ?::bigint[]) AS r(item, request_id, event, actor, "
          "issue_time_micros, check_duplicates)) "
          "SELECT r.item, 0::bigint, q.fingerprint COLLATE \"C\", s.data, 0::bigint "
          "FROM r JOIN requests q ON q.request_id = r.request_id "
          "JOIN statements s ON s.name = q.statement WHERE r.request_id <> '' "
          "UNION ALL SELECT r.item, 1, NULL, NULL, 0 FROM r JOIN events e "
          "ON e.name = r.event "
          "UNION ALL SELECT r.item, 2, NULL, NULL, a.kind FROM r JOIN actors a "
          "ON a.name = r.actor "
          "UNION ALL SELECT r.item, 3, s.name COLLATE \"C\", convert_to(s.quote, 'UTF8'), "
          "s.issue_time_micros FROM r JOIN statements s ON s.actor = r.actor "
          "AND s.event || '' = r.event AND s.issue_time_micros BETWEEN "
          "r.issue_time_micros - ? AND r.issue_time_micros + ? AND s.state + 0 = ? "
          "AND s.quote <> '' WHERE r.check_duplicates = 1 "
          "UNION ALL SELECT -1, 4, a.name COLLATE \"C\", NULL, 0 FROM actors a "
          "WHERE a.name = ANY(?::text[])",
          PgParams()
              .IntArray(items)
              .TextArray(request_ids)
              .TextArray(events)
              .TextArray(actors)
              .IntArray(issue_times)
              .IntArray(check_duplicates)
              .Int(window)
              .Int(window)
              .Int(v1::STATEMENT_STATE_ACTIVE)
              .TextArray(other_actors)};
}

// The facts GroupFactsQuery read for `count` requests.
absl::StatusOr<GroupFacts> ParseGroupFacts(const PgResult& rows, size_t count) {
  GroupFacts facts;
  facts.creates.resize(count);
  for (int row = 0; row < rows.rows(); ++row) {
    const int64_t item = rows.Int(row, 0);
    if (rows.Int(row, 1) == 4) {
      facts.other_actors.insert(rows.Text(row, 2));
      continue;
    }
    if (item < 0 || item >= static_cast<int64_t>(count)) {
      return absl::InternalError("PostgreSQL: a create's facts name no request");
    }
    CreateFacts& create = facts.creates[static_cast<size_t>(item)];
    switch (rows.Int(row, 1)) {
      case 0:
        create.request.emplace(rows.Text(row, 2), rows.Text(row, 3));
        break;
      case 1:
        create.event_exists = true;
        break;
      case 2:
        create.actor_kind = static_cast<v1::ActorKind>(rows.Int(row, 4));
        break;
      default:
        create.candidates.push_back({rows.Text(row, 2), rows.Text(row, 3), rows.Int(row, 4)});
    }
  }
  return facts;
}

absl::StatusOr<GroupFacts> LoadGroupFacts(PgConnection& connection,
                                          absl::Span<const NewStatement* const> requests) {
  const PgStatement query = GroupFactsQuery(requests);
  ASSIGN_OR_RETURN(PgResult rows, connection.Query(query.sql, query.params));
  return ParseGroupFacts(rows, requests.size());
}

absl::StatusOr<v1::Statement> GroupCreates::Create(size_t item,
                                                   const NewStatement& request,
                                                   const DerivedColumns* derived) {
  const CreateFacts& facts = facts_.creates[item];
  const v1::Statement& statement = request.statement;
  if (!request.request_id.empty()) {
    if (auto it = row_of_request_.find(request.request_id); it != row_of_request_.end()) {
      const NewRow& earlier = rows_[it->second];
      if (earlier.request->fingerprint != request.fingerprint) {
        return ReusedRequestId(request);
      }
      return earlier.statement;
    }
    if (facts.request.has_value()) {
      if (facts.request->first != request.fingerprint) return ReusedRequestId(request);
      return ParseStored<v1::Statement>(facts.request->second, "PostgreSQL",
                                        request.request_id);
    }
  }
  if (!facts.event_exists) return MissingReference("statement.event", statement.event());
  if (!facts.actor_kind.has_value()) {
    return MissingReference("statement.actor", statement.actor());
  }
  RETURN_IF_ERROR(CheckOtherActors(statement));
  if (ChecksDuplicates(request)) {
    if (std::optional<NearDuplicate> duplicate =
            MostSimilarQuote(statement.quote(), Candidates(request, facts));
        duplicate.has_value()) {
      return DuplicateStatementError(statement, *duplicate);
    }
  }
  NewRow& row = rows_.emplace_back();
  row.statement = statement;
  StampNewStatement(row.statement, NewStatementName(), commit_time_);
  row.statement.set_sequence(++head_);
  row.actor_kind = *facts.actor_kind;
  row.data = SerializeStored(row.statement);
  row.request = &request;
  row.derived = derived;
  if (!request.request_id.empty()) row_of_request_[request.request_id] = rows_.size() - 1;
  rows_of_actor_event_[ActorEventKey(statement)].push_back(rows_.size() - 1);
  return row.statement;
}

void GroupCreates::Undo(size_t mark) {
  while (rows_.size() > mark) {
    const NewRow& row = rows_.back();
    if (!row.request->request_id.empty()) row_of_request_.erase(row.request->request_id);
    rows_of_actor_event_[ActorEventKey(row.statement)].pop_back();
    rows_.pop_back();
    --head_;
  }
}

absl::Status GroupCreates::CheckOtherActors(const v1::Statement& statement) const {
  auto check = [&](const std::string& field, const std::string& actor) {
    return facts_.other_actors.contains(actor) ? absl::OkStatus()
                                               : MissingReference(field, actor);
  };
  for (int i = 0; i < statement.joint_with_size(); ++i) {
    RETURN_IF_ERROR(
        check(absl::StrCat("statement.joint_with[", i, "]"), statement.joint_with(i)));
  }
  if (!statement.stance_toward().empty()) {
    RETURN_IF_ERROR(check("statement.stance_toward", statement.stance_toward()));
  }
  for (int i = 0; i < statement.actions_size(); ++i) {
    const v1::Action& action = statement.actions(i);
    for (int j = 0; j < action.targets_size(); ++j) {
      RETURN_IF_ERROR(check(absl::StrCat("statement.actions[", i, "].targets[", j, "]"),
                            action.targets(j)));
    }
  }
  return absl::OkStatus();
}

std::vector<DuplicateCandidate> GroupCreates::Candidates(const NewStatement& request,
                                                         const CreateFacts& facts) const {
  std::vector<Candidate> all = facts.candidates;
  const int64_t issue_time = ToUnixMicros(request.statement.issue_time());
  const int64_t window = absl::ToInt64Microseconds(kDuplicateWindow);
  if (auto it = rows_of_actor_event_.find(ActorEventKey(request.statement));
      it != rows_of_actor_event_.end()) {
    for (size_t index : it->second) {
      const v1::Statement& earlier = rows_[index].statement;
      const int64_t earlier_time = ToUnixMicros(earlier.issue_time());
      if (earlier.quote().empty() || earlier_time < issue_time - window ||
          earlier_time > issue_time + window) {
        continue;
      }
      all.push_back({earlier.name(), earlier.quote(), earlier_time});
    }
  }
  std::sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.issue_time_micros, a.name) < std::tie(b.issue_time_micros, b.name);
  });
  std::vector<DuplicateCandidate> candidates;
  candidates.reserve(all.size());
  for (Candidate& candidate : all) {
    candidates.push_back({std::move(candidate.name), std::move(candidate.quote)});
  }
  return candidates;
}

GroupFacts OptimisticFacts(absl::Span<const NewStatement* const> requests) {
  GroupFacts facts;
  facts.creates.resize(requests.size());
  std::vector<std::string> others;
  for (size_t i = 0; i < requests.size(); ++i) {
    facts.creates[i].event_exists = true;
    facts.creates[i].actor_kind = v1::ACTOR_KIND_UNSPECIFIED;
    AddOtherActors(requests[i]->statement, others);
  }
  facts.other_actors.insert(others.begin(), others.end());
  return facts;
}

bool AsAssumed(const GroupFacts& facts, absl::Span<const NewStatement* const> requests) {
  for (const NewStatement* request : requests) {
    std::vector<std::string> others;
    AddOtherActors(request->statement, others);
    for (const std::string& other : others) {
      if (!facts.other_actors.contains(other)) return false;
    }
  }
  for (const CreateFacts& create : facts.creates) {
    if (create.request.has_value() || !create.event_exists ||
        !create.actor_kind.has_value() || !create.candidates.empty()) {
      return false;
    }
  }
  return true;
}

namespace {

// The guard's condition, `ok`, over the requests `r` it checks (none: the
// head and the last commit time only). The same text whatever the guard,
// so that it is prepared once. Each check is a join of its own, so that
// the plan probes the keys of the group's events and actors (a NOT EXISTS
// under an OR became a hashed subplan of every event and every actor).
constexpr char kGuardSql[] =
    "r AS (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], "
    "?::bigint[]) AS r(request_id, event, actor, issue_time_micros, check_duplicates)), "
    "ok AS (SELECT (SELECT head = ? AND last_commit_micros <= ? FROM log_head) "
    "AND NOT EXISTS (SELECT 1 FROM r JOIN requests q ON q.request_id = r.request_id "
    "WHERE r.request_id <> '') "
    "AND NOT EXISTS (SELECT 1 FROM r LEFT JOIN events e ON e.name = r.event "
    "WHERE e.name IS NULL) "
    "AND NOT EXISTS (SELECT 1 FROM r LEFT JOIN actors a ON a.name = r.actor "
    "WHERE a.name IS NULL) "
    "AND (SELECT count(*) FROM actors a WHERE a.name = ANY(?::text[])) = ? "
    "AND NOT EXISTS (SELECT 1 FROM r JOIN statements s ON s.actor = r.actor "
    "AND s.event || '' = r.event AND s.issue_time_micros BETWEEN "
    "r.issue_time_micros - ? AND r.issue_time_micros + ? AND s.state + 0 = ? "
    "AND s.quote <> '' WHERE r.check_duplicates = 1) AS ok), ";

void AddGuardParams(const InsertGuard& guard, PgParams& params) {
  std::vector<std::string> request_ids, events, actors, others;
  std::vector<int64_t> issue_times, check_duplicates;
  for (const NewStatement* request : guard.clean) {
    request_ids.push_back(request->request_id);
    events.push_back(request->statement.event());
    actors.push_back(request->statement.actor());
    issue_times.push_back(ToUnixMicros(request->statement.issue_time()));
    check_duplicates.push_back(ChecksDuplicates(*request) ? 1 : 0);
    AddOtherActors(request->statement, others);
  }
  std::sort(others.begin(), others.end());
  others.erase(std::unique(others.begin(), others.end()), others.end());
  const int64_t window = absl::ToInt64Microseconds(kDuplicateWindow);
  params.TextArray(request_ids)
      .TextArray(events)
      .TextArray(actors)
      .IntArray(issue_times)
      .IntArray(check_duplicates)
      .Int(guard.head)
      .Int(absl::ToUnixMicros(guard.commit_time))
      .TextArray(others)
      .Int(static_cast<int64_t>(others.size()))
      .Int(window)
      .Int(window)
      .Int(v1::STATEMENT_STATE_ACTIVE);
}

}  // namespace

PgStatement InsertStatement(const std::vector<NewRow>& rows, absl::Time commit_time,
                            const InsertGuard* guard) {
  std::vector<std::string> names, events, actors, quotes, summaries, quote_terms,
      summary_terms, labels, data, request_ids, fingerprints, requested;
  std::vector<int64_t> stances, modalities, issue_times, action_masks, sequences;
  for (const NewRow& row : rows) {
    const v1::Statement& statement = row.statement;
    names.push_back(statement.name());
    events.push_back(statement.event());
    actors.push_back(statement.actor());
    stances.push_back(statement.stance());
    // The filter treats an unspecified modality as asserted.
    modalities.push_back(statement.modality() == v1::MODALITY_UNSPECIFIED
                             ? v1::MODALITY_ASSERTED
                             : statement.modality());
    issue_times.push_back(ToUnixMicros(statement.issue_time()));
    action_masks.push_back(row.derived->action_mask);
    quotes.push_back(statement.quote());
    summaries.push_back(statement.summary());
    quote_terms.push_back(row.derived->quote_terms);
    summary_terms.push_back(row.derived->summary_terms);
    labels.push_back(row.derived->labels);
    sequences.push_back(statement.sequence());
    data.push_back(row.data);
    if (!row.request->request_id.empty()) {
      request_ids.push_back(row.request->request_id);
      fingerprints.push_back(row.request->fingerprint);
      requested.push_back(statement.name());
    }
  }
  PgParams params;
  std::string sql = "WITH ";
  // Without a guard, `ok` is simply true.
  absl::string_view only_if = "";
  if (guard != nullptr) {
    sql += kGuardSql;
    AddGuardParams(*guard, params);
    only_if = " WHERE (SELECT ok FROM ok)";
  }
  absl::StrAppend(
      &sql,
      "s AS (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], "
      "?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], "
      "?::text[], ?::text[], ?::bigint[], ?::bytea[]) AS s(name, event, actor, stance, modality, "
      "issue_time_micros, action_mask, quote, summary, quote_terms, summary_terms, "
      "labels, sequence, data)",
      only_if, "), ");
  params.TextArray(names)
      .TextArray(events)
      .TextArray(actors)
      .IntArray(stances)
      .IntArray(modalities)
      .IntArray(issue_times)
      .IntArray(action_masks)
      .TextArray(quotes)
      .TextArray(summaries)
      .TextArray(quote_terms)
      .TextArray(summary_terms)
      .TextArray(labels)
      .IntArray(sequences)
      .BytesArray(data);
  if (guard != nullptr) {
    absl::StrAppend(&sql,
                    "head AS (UPDATE log_head SET head = ?, last_commit_micros = ?",
                    only_if, "), ");
    params.Int(rows.empty() ? guard->head : rows.back().statement.sequence())
        .Int(absl::ToUnixMicros(commit_time));
  }
  absl::StrAppend(
      &sql,
      "change AS (INSERT INTO changes (sequence, statement, revision, kind, "
      "commit_time_micros, data, event) SELECT sequence, name, 1, ?, ?, data, "
      "event FROM s), "
      "request AS (INSERT INTO requests (request_id, fingerprint, statement) "
      "SELECT * FROM unnest(?::text[], ?::text[], ?::text[])",
      only_if,
      ") "
      "INSERT INTO statements (name, event, actor, actor_kind, stance, modality, "
      "state, issue_time_micros, action_mask, quote, summary, quote_terms, "
      "summary_terms, labels, revision, sequence, data) SELECT name, event, actor, "
      "(SELECT a.kind FROM actors a WHERE a.name = s.actor), stance, modality, ?, "
      "issue_time_micros, action_mask, quote, summary, quote_terms::tsvector, "
      "summary_terms::tsvector, labels::jsonb, 1, sequence, data FROM s");
  params.Int(v1::CHANGE_KIND_CREATED)
      .Int(absl::ToUnixMicros(commit_time))
      .TextArray(request_ids)
      .TextArray(fingerprints)
      .TextArray(requested)
      .Int(v1::STATEMENT_STATE_ACTIVE);
  return PgStatement{std::move(sql), std::move(params)};
}

int64_t InsertedRows(const PgResult& result) {
  // "INSERT 0 <rows>"
  const std::string tag = result.CommandTag();
  int64_t rows = 0;
  const size_t space = tag.rfind(' ');
  if (space == std::string::npos || !absl::SimpleAtoi(tag.substr(space + 1), &rows)) {
    return -1;
  }
  return rows;
}

}  // namespace rollcall::pg_group
