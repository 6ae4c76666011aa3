#include "client/cli/statement_filter.h"

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "client/cli/filters.h"
#include "client/cli/names.h"
#include "client/cli/values.h"

namespace rollcall::cli {
namespace {

// The filter names of enum values typed by the user, e.g. {"CONDEMNS"}.
template <typename Enum>
absl::StatusOr<std::vector<std::string>> EnumValues(
    const char* flag, const std::vector<std::string>& texts) {
  std::vector<std::string> values;
  for (const auto& text : texts) {
    absl::StatusOr<Enum> value = ParseEnum<Enum>(flag, text);
    if (!value.ok()) return value.status();
    values.push_back(EnumFilterName(*google::protobuf::GetEnumDescriptor<Enum>(),
                                    static_cast<int>(*value)));
  }
  return values;
}

std::vector<std::string> QuotedNames(const std::vector<std::string>& ids) {
  std::vector<std::string> values;
  for (const auto& id : ids) values.push_back(QuoteFilterValue(ActorName(id)));
  return values;
}

absl::StatusOr<std::string> TimeRange(const StatementListFlags& flags) {
  std::vector<std::string> parts;
  if (!flags.since.empty()) {
    auto since = ParseTime("--since", flags.since);
    if (!since.ok()) return since.status();
    parts.push_back("issue_time >= " + QuoteFilterValue(FormatTime(since->timestamp)));
  }
  if (!flags.until.empty()) {
    auto until = ParseTime("--until", flags.until);
    if (!until.ok()) return until.status();
    if (until->date_only) {
      google::protobuf::Timestamp next_day = until->timestamp;
      next_day.set_seconds(next_day.seconds() + 24 * 60 * 60);
      parts.push_back("issue_time < " + QuoteFilterValue(FormatTime(next_day)));
    } else {
      parts.push_back("issue_time <= " + QuoteFilterValue(FormatTime(until->timestamp)));
    }
  }
  return AllOf(parts, "");
}

}  // namespace

void AddStatementFilterFlags(CLI::App* cmd, StatementListFlags* flags,
                             bool issue_time_flags) {
  cmd->add_option("--event", flags->event, "Only reactions to this event");
  cmd->add_option("--actor", flags->actors, "Only this actor (repeatable)");
  cmd->add_option("--bloc", flags->bloc, "Only this bloc and its member actors");
  cmd->add_option("--actor-kind", flags->actor_kinds,
                  "Only actors of this kind (repeatable)");
  cmd->add_option("--stance", flags->stances,
                  "Only this stance (repeatable: any of them)");
  cmd->add_option("--action", flags->actions,
                  "Only statements with this action kind (repeatable)");
  if (issue_time_flags) {
    cmd->add_option("--since", flags->since, "Issued at or after this time");
    cmd->add_option("--until", flags->until,
                    "Issued at or before this time (a date: that whole day)");
  }
  cmd->add_option("--text", flags->text,
                  "A word or phrase in the quote or summary (full-text; condemn* for a prefix)");
  cmd->add_option("--label", flags->labels, "key=value (repeatable)");
  cmd->add_option("--filter", flags->filter,
                  "A raw filter in the server's syntax, ANDed");
}

void AddStatementListFlags(CLI::App* cmd, StatementListFlags* flags) {
  AddStatementFilterFlags(cmd, flags, /*issue_time_flags=*/true);
  cmd->add_flag("--show-retracted", flags->show_retracted,
                "Include retracted statements");
  cmd->add_option("--order", flags->order, "asc (oldest first) or desc")
      ->check(CLI::IsMember({"asc", "desc"}));
  cmd->add_option("--limit", flags->limit,
                  "At most this many statements; 0 for all (default 50)")
      ->check(CLI::NonNegativeNumber);
}

absl::StatusOr<std::string> BuildStatementFilter(const StatementListFlags& flags) {
  std::vector<std::string> parts;
  if (!flags.event.empty()) {
    parts.push_back("event = " + QuoteFilterValue(EventName(flags.event)));
  }
  parts.push_back(AnyOf("actor", QuotedNames(flags.actors)));
  if (!flags.bloc.empty()) {
    parts.push_back("bloc = " + QuoteFilterValue(ActorName(flags.bloc)));
  }
  auto kinds = EnumValues<v1::ActorKind>("--actor-kind", flags.actor_kinds);
  if (!kinds.ok()) return kinds.status();
  parts.push_back(AnyOf("actor_kind", *kinds));
  auto stances = EnumValues<v1::Stance>("--stance", flags.stances);
  if (!stances.ok()) return stances.status();
  parts.push_back(AnyOf("stance", *stances));
  auto actions = EnumValues<v1::ActionKind>("--action", flags.actions);
  if (!actions.ok()) return actions.status();
  parts.push_back(AnyOf("action", *actions));
  auto range = TimeRange(flags);
  if (!range.ok()) return range.status();
  parts.push_back(*range);
  if (!flags.text.empty()) {
    parts.push_back("text : " + QuoteFilterValue(flags.text));
  }
  for (const auto& text : flags.labels) {
    auto label = ParseLabel("--label", text);
    if (!label.ok()) return label.status();
    parts.push_back(
        absl::StrCat("labels.", label->first, " = ", QuoteFilterValue(label->second)));
  }
  return AllOf(parts, flags.filter);
}

absl::StatusOr<v1::ListStatementsRequest> BuildListRequest(
    const StatementListFlags& flags) {
  absl::StatusOr<std::string> filter = BuildStatementFilter(flags);
  if (!filter.ok()) return filter.status();
  v1::ListStatementsRequest request;
  request.set_filter(*filter);
  request.set_order_by(flags.order == "desc" ? "issue_time desc" : "issue_time");
  request.set_show_retracted(flags.show_retracted);
  return request;
}

}  // namespace rollcall::cli
