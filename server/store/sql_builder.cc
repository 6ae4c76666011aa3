#include "server/store/sql_builder.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/store/sqlite_rows.h"
#include "server/text/text_search.h"

namespace rollcall {

void SqlWhere::Add(std::string condition, std::vector<SqlValue> params) {
  conditions_.push_back(std::move(condition));
  for (SqlValue& param : params) params_.push_back(std::move(param));
}

void SqlWhere::AddIn(absl::string_view column, const std::vector<SqlValue>& values) {
  if (values.empty()) return;
  Add(absl::StrCat(column, " IN (", Placeholders(values.size()), ")"), values);
}

void SqlWhere::AddLabels(absl::string_view column,
                         const std::vector<std::pair<std::string, std::string>>& labels) {
  for (const auto& [key, value] : labels) {
    if (dialect_ == SqlDialect::kPostgres) {
      google::protobuf::Map<std::string, std::string> pair;
      pair[key] = value;
      Add(absl::StrCat(column, " @> ?::jsonb"), {LabelsJson(pair)});
      continue;
    }
    // A JSON path cannot quote a key holding '"' or '\'; json_each can.
    if (absl::StrContains(key, '"') || absl::StrContains(key, '\\')) {
      Add(absl::StrCat("EXISTS (SELECT 1 FROM json_each(", column,
                       ") WHERE key = ? AND value = ?)"),
          {key, value});
    } else {
      Add(absl::StrCat("json_extract(", column, ", ?) = ?"),
          {absl::StrCat("$.\"", key, "\""), value});
    }
  }
}

std::string SqlWhere::Sql() const {
  if (conditions_.empty()) return std::string();
  return absl::StrCat(" WHERE ", absl::StrJoin(conditions_, " AND "));
}

std::string Placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) absl::StrAppend(&out, i == 0 ? "?" : ", ?");
  return out;
}

void BindAll(Statement& statement, const std::vector<SqlValue>& params) {
  for (const SqlValue& param : params) {
    if (const int64_t* number = std::get_if<int64_t>(&param)) {
      statement.BindInt(*number);
    } else {
      statement.BindText(std::get<std::string>(param));
    }
  }
}

std::vector<SqlValue> TextValues(const std::vector<std::string>& values) {
  return std::vector<SqlValue>(values.begin(), values.end());
}

namespace {

void AddBlocs(const std::vector<std::string>& blocs, int64_t now_micros,
              SqlWhere& where) {
  if (blocs.empty()) return;
  std::vector<SqlValue> params = TextValues(blocs);
  for (const std::string& bloc : blocs) params.emplace_back(bloc);
  params.emplace_back(now_micros);
  where.Add(absl::StrCat("(actor IN (", Placeholders(blocs.size()),
                         ") OR actor IN (SELECT member FROM memberships WHERE "
                         "organisation IN (",
                         Placeholders(blocs.size()), ") AND ", kCurrentMembership, "))"),
            std::move(params));
}

void AddActions(const std::vector<v1::ActionKind>& actions, SqlWhere& where) {
  if (actions.empty()) return;
  int64_t mask = 0;
  for (v1::ActionKind kind : actions) mask |= int64_t{1} << static_cast<int>(kind);
  where.Add("(action_mask & ?) != 0", {mask});
}

void AddStates(const StatementQuery& query, SqlWhere& where) {
  if (!query.filter.states.empty()) {
    where.AddIn("state", EnumValues(query.filter.states));
  } else if (!query.include_retracted) {
    where.Add("state = ?", {int64_t{v1::STATEMENT_STATE_ACTIVE}});
  }
}

}  // namespace

std::string FreeTextQuery(const StatementFilter& filter) {
  std::vector<std::string> phrases;
  for (const std::string& text : filter.texts) {
    phrases.push_back(SearchPhraseFromString(text).ToFts5Query());
  }
  return absl::StrJoin(phrases, " AND ");
}

namespace {

// The filter's conditions and the page's cursor, without the ordering.
SqlWhere StatementWhere(const StatementQuery& query, int64_t now_micros, SqlDialect dialect) {
  const StatementFilter& filter = query.filter;
  SqlWhere where(dialect);
  where.AddIn("event", TextValues(filter.events));
  where.AddIn("actor", TextValues(filter.actors));
  AddBlocs(filter.blocs, now_micros, where);
  where.AddIn("actor_kind", EnumValues(filter.actor_kinds));
  where.AddIn("stance", EnumValues(filter.stances));
  AddActions(filter.actions, where);
  where.AddIn("modality", EnumValues(filter.modalities));
  AddStates(query, where);
  if (filter.issue_time_min_micros.has_value()) {
    where.Add("issue_time_micros >= ?", {*filter.issue_time_min_micros});
  }
  if (filter.issue_time_max_micros.has_value()) {
    where.Add("issue_time_micros < ?", {*filter.issue_time_max_micros});
  }
  if (!filter.texts.empty() && dialect == SqlDialect::kPostgres) {
    // Each phrase in the quote or in the summary, as FTS5 matches it.
    for (const std::string& text : filter.texts) {
      const std::string phrase = SearchPhraseFromString(text).ToTsQuery();
      where.Add("(quote_terms @@ ?::tsquery OR summary_terms @@ ?::tsquery)",
                {phrase, phrase});
    }
  } else if (!filter.texts.empty()) {
    where.Add(
        "statements.rowid IN (SELECT rowid FROM statement_text WHERE "
        "statement_text MATCH ?)",
        {FreeTextQuery(filter)});
  }
  where.AddLabels(dialect == SqlDialect::kPostgres ? "labels" : "labels_json",
                  filter.labels);
  if (query.after.has_value()) {
    where.Add(query.descending ? "(issue_time_micros, name) < (?, ?)"
                               : "(issue_time_micros, name) > (?, ?)",
              {query.after->issue_time_micros, query.after->name});
  }
  return where;
}

}  // namespace

SqlQuery StatementListSql(const StatementQuery& query, int64_t now_micros,
                          SqlDialect dialect, absl::string_view index) {
  const SqlWhere where = StatementWhere(query, now_micros, dialect);
  const char* direction = query.descending ? " DESC" : "";
  SqlQuery out;
  out.sql = absl::StrCat("SELECT data, issue_time_micros, name FROM statements",
                         index.empty() ? "" : " INDEXED BY ", index, where.Sql(),
                         " ORDER BY issue_time_micros", direction, ", name",
                         direction, " LIMIT ?");
  out.params = where.params();
  out.params.emplace_back(int64_t{query.page_size} + 1);
  return out;
}

SqlQuery MergedStatementListSql(const StatementQuery& query, int64_t now_micros,
                                absl::string_view index, const std::vector<ListArm>& arms) {
  const SqlWhere where = StatementWhere(query, now_micros, SqlDialect::kSqlite);
  const std::string conditions = where.Sql();
  SqlQuery out;
  for (const ListArm& arm : arms) {
    absl::StrAppend(&out.sql, out.sql.empty() ? "" : " UNION ALL ",
                    "SELECT data, issue_time_micros, name FROM statements INDEXED BY ", index,
                    conditions, conditions.empty() ? " WHERE " : " AND ", arm.condition);
    out.params.insert(out.params.end(), where.params().begin(), where.params().end());
    out.params.insert(out.params.end(), arm.params.begin(), arm.params.end());
  }
  // SQLite runs each arm as a co-routine reading its range in this order
  // and merges them, pulling a row from an arm only when the merge needs
  // it: the page costs about page_size + arms rows.
  const char* direction = query.descending ? " DESC" : "";
  absl::StrAppend(&out.sql, " ORDER BY issue_time_micros", direction, ", name", direction,
                  " LIMIT ?");
  out.params.emplace_back(int64_t{query.page_size} + 1);
  return out;
}

}  // namespace rollcall
