#include "client/cli/exchange_plover.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/cli/names.h"
#include "client/cli/values.h"
#include "google/protobuf/util/time_util.h"

namespace rollcall::cli {
namespace {

using google::protobuf::Timestamp;

std::string TimeText(const Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "";
  return google::protobuf::util::TimeUtil::ToString(time);
}

PloverActor ActorOf(const std::string& name,
                    const std::map<std::string, v1::Actor>& actors) {
  PloverActor result;
  result.set_id(ResourceId(name));
  auto it = actors.find(name);
  if (it == actors.end()) return result;
  const v1::Actor& actor = it->second;
  result.set_name(actor.display_name());
  result.set_country(actor.country_code());
  for (const auto& identifier : actor.identifiers()) {
    if (identifier.scheme() == "cameo") {
      result.set_cameo(identifier.value());
      break;
    }
  }
  return result;
}

const v1::Coding* FindCoding(const v1::Action& action, absl::string_view scheme) {
  for (const auto& coding : action.codings()) {
    if (coding.scheme() == scheme) return &coding;
  }
  return nullptr;
}

// The fields every record of `statement` shares.
PloverEvent StatementRecord(const v1::Statement& statement,
                            const std::map<std::string, v1::Actor>& actors) {
  PloverEvent event;
  event.set_date(FormatDate(statement.issue_time()));
  event.set_date_precision(Label(statement.issue_time_precision()));
  event.set_issue_time(TimeText(statement.issue_time()));
  *event.mutable_actor() = ActorOf(statement.actor(), actors);
  event.set_modality(Label(statement.modality()));
  event.set_quote(statement.quote());
  event.set_language(statement.language());
  event.set_summary(statement.summary());
  for (const auto& source : statement.sources()) {
    PloverSource* out = event.add_sources();
    out->set_publisher(source.publisher());
    out->set_url(source.url());
  }
  RollcallReference* reference = event.mutable_rollcall();
  reference->set_statement(statement.name());
  reference->set_event(ResourceId(statement.event()));
  reference->set_stance(Label(statement.stance()));
  reference->set_stance_toward(ResourceId(statement.stance_toward()));
  reference->set_speaker(statement.speaker().person_name());
  reference->set_office(statement.speaker().office());
  return event;
}

absl::Status Missing(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat("the record has no ", field));
}

// The statement fields of `event` (not its action).
absl::StatusOr<v1::Statement> StatementOf(const PloverEvent& event) {
  const RollcallReference& reference = event.rollcall();
  if (event.actor().id().empty()) return Missing("actor.id");
  if (reference.event().empty()) return Missing("rollcall.event");
  if (reference.stance().empty()) return Missing("rollcall.stance");
  v1::Statement statement;
  statement.set_name(reference.statement());
  statement.set_event(EventName(reference.event()));
  statement.set_actor(ActorName(event.actor().id()));
  auto stance = ParseEnum<v1::Stance>("rollcall.stance", reference.stance());
  if (!stance.ok()) return stance.status();
  statement.set_stance(*stance);
  if (!reference.stance_toward().empty()) {
    statement.set_stance_toward(ActorName(reference.stance_toward()));
  }
  if (!event.modality().empty()) {
    auto modality = ParseEnum<v1::Modality>("modality", event.modality());
    if (!modality.ok()) return modality.status();
    statement.set_modality(*modality);
  }
  const std::string& time =
      event.issue_time().empty() ? event.date() : event.issue_time();
  if (time.empty()) return Missing("date");
  auto issue_time = ParseTime("issue_time", time);
  if (!issue_time.ok()) return issue_time.status();
  *statement.mutable_issue_time() = issue_time->timestamp;
  if (!event.date_precision().empty()) {
    auto precision =
        ParseEnum<v1::TimePrecision>("date_precision", event.date_precision());
    if (!precision.ok()) return precision.status();
    statement.set_issue_time_precision(*precision);
  } else if (issue_time->date_only) {
    statement.set_issue_time_precision(v1::TIME_PRECISION_DAY);
  }
  statement.set_quote(event.quote());
  statement.set_language(event.language());
  statement.set_summary(event.summary());
  if (!reference.speaker().empty() || !reference.office().empty()) {
    statement.mutable_speaker()->set_person_name(reference.speaker());
    statement.mutable_speaker()->set_office(reference.office());
  }
  for (const auto& source : event.sources()) {
    v1::Source* out = statement.add_sources();
    out->set_publisher(source.publisher());
    out->set_url(source.url());
  }
  return statement;
}

// The action `event` records.
absl::StatusOr<v1::Action> ActionOf(const PloverEvent& event) {
  const RollcallReference& reference = event.rollcall();
  if (reference.action().empty()) return Missing("rollcall.action");
  v1::Action action;
  auto kind = ParseEnum<v1::ActionKind>("rollcall.action", reference.action());
  if (!kind.ok()) return kind.status();
  action.set_kind(*kind);
  for (const auto& recipient : event.recipients()) {
    if (recipient.id().empty()) return Missing("recipients.id");
    action.add_targets(ActorName(recipient.id()));
  }
  action.set_description(reference.description());
  if (!reference.deadline().empty()) {
    auto deadline = ParseTime("rollcall.deadline", reference.deadline());
    if (!deadline.ok()) return deadline.status();
    *action.mutable_deadline() = deadline->timestamp;
  }
  if (!event.cameo_code().empty()) {
    v1::Coding* coding = action.add_codings();
    coding->set_scheme("cameo");
    coding->set_codebook_version(event.cameo_version());
    coding->set_code(event.cameo_code());
  }
  if (!event.event_type().empty()) {
    v1::Coding* coding = action.add_codings();
    coding->set_scheme("plover");
    coding->set_codebook_version(event.plover_version());
    coding->set_code(event.event_type());
    *coding->mutable_modes() = event.modes();
    *coding->mutable_contexts() = event.contexts();
  }
  return action;
}

}  // namespace

std::vector<PloverEvent> PloverEvents(const v1::Statement& statement,
                                      const std::map<std::string, v1::Actor>& actors,
                                      v1::Position position) {
  std::vector<PloverEvent> events;
  PloverEvent shared = StatementRecord(statement, actors);
  shared.mutable_rollcall()->set_position(Label(position));
  for (int i = 0; i < statement.actions_size(); ++i) {
    const v1::Action& action = statement.actions(i);
    const v1::Coding* plover = FindCoding(action, "plover");
    const v1::Coding* cameo = FindCoding(action, "cameo");
    if (plover == nullptr && cameo == nullptr) continue;
    PloverEvent event = shared;
    event.set_id(absl::StrCat(ResourceId(statement.name()), "-", i));
    for (const auto& target : action.targets()) {
      *event.add_recipients() = ActorOf(target, actors);
    }
    if (plover != nullptr) {
      event.set_event_type(plover->code());
      *event.mutable_modes() = plover->modes();
      *event.mutable_contexts() = plover->contexts();
      event.set_plover_version(plover->codebook_version());
    }
    if (cameo != nullptr) {
      event.set_cameo_code(cameo->code());
      event.set_cameo_version(cameo->codebook_version());
    }
    RollcallReference* reference = event.mutable_rollcall();
    reference->set_action_index(i);
    reference->set_action(Label(action.kind()));
    reference->set_description(action.description());
    reference->set_deadline(TimeText(action.deadline()));
    events.push_back(std::move(event));
  }
  return events;
}

std::string PloverStatementKey(const PloverEvent& event) {
  if (!event.rollcall().statement().empty()) return event.rollcall().statement();
  const size_t dash = event.id().rfind('-');
  int index = 0;
  if (dash == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(event.id()).substr(dash + 1), &index)) {
    return "";
  }
  return event.id().substr(0, dash);
}

absl::StatusOr<v1::Statement> StatementFromPlover(std::vector<PloverEvent> events) {
  if (events.empty()) return absl::InvalidArgumentError("no records");
  std::stable_sort(events.begin(), events.end(),
                   [](const PloverEvent& a, const PloverEvent& b) {
                     return a.rollcall().action_index() < b.rollcall().action_index();
                   });
  absl::StatusOr<v1::Statement> statement = StatementOf(events.front());
  if (!statement.ok()) return statement.status();
  for (const auto& event : events) {
    absl::StatusOr<v1::Action> action = ActionOf(event);
    if (!action.ok()) return action.status();
    *statement->add_actions() = *std::move(action);
  }
  return statement;
}

}  // namespace rollcall::cli
