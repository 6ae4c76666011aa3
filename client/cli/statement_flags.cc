#include "client/cli/statement_flags.h"

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "client/cli/names.h"
#include "client/cli/prompt.h"
#include "client/cli/values.h"

namespace rollcall::cli {
namespace {

bool Given(const CLI::App& cmd, const char* flag) { return cmd.count(flag) > 0; }

void SetIssueTime(const TimeValue& time, v1::Statement* statement) {
  *statement->mutable_issue_time() = time.timestamp;
  statement->set_issue_time_precision(time.date_only ? v1::TIME_PRECISION_DAY
                                                     : v1::TIME_PRECISION_SECOND);
}

absl::Status ApplyActions(const CLI::App& cmd, const StatementFlags& flags,
                          v1::Statement* statement, google::protobuf::FieldMask* mask) {
  if (!Given(cmd, "--action") && !Given(cmd, "--target")) {
    return absl::OkStatus();
  }
  if (Given(cmd, "--action")) {
    statement->clear_actions();
    for (const auto& text : flags.actions) {
      auto kind = ParseEnum<v1::ActionKind>("--action", text);
      if (!kind.ok()) return kind.status();
      statement->add_actions()->set_kind(*kind);
    }
  }
  for (v1::Action& action : *statement->mutable_actions()) {
    if (!Given(cmd, "--target")) break;
    action.clear_targets();
    for (const auto& target : flags.targets) {
      action.add_targets(ActorName(target));
    }
  }
  mask->add_paths("actions");
  return absl::OkStatus();
}

absl::Status ApplySource(const CLI::App& cmd, const StatementFlags& flags,
                         v1::Statement* statement, google::protobuf::FieldMask* mask) {
  if (!Given(cmd, "--source-url") && !Given(cmd, "--source-publisher") &&
      !Given(cmd, "--source-medium")) {
    return absl::OkStatus();
  }
  v1::Source* source = statement->sources_size() > 0 ? statement->mutable_sources(0)
                                                     : statement->add_sources();
  if (Given(cmd, "--source-url")) source->set_url(flags.source_url);
  if (Given(cmd, "--source-publisher")) {
    source->set_publisher(flags.source_publisher);
  }
  if (Given(cmd, "--source-medium")) {
    auto medium = ParseEnum<v1::SourceMedium>("--source-medium", flags.source_medium);
    if (!medium.ok()) return medium.status();
    source->set_medium(*medium);
  }
  mask->add_paths("sources");
  return absl::OkStatus();
}

// The simple fields: strings, names and enums.
absl::Status ApplyScalars(const CLI::App& cmd, const StatementFlags& flags,
                          v1::Statement* statement, google::protobuf::FieldMask* mask) {
  if (Given(cmd, "--event")) {
    statement->set_event(EventName(flags.event));
    mask->add_paths("event");
  }
  if (Given(cmd, "--actor")) {
    statement->set_actor(ActorName(flags.actor));
    mask->add_paths("actor");
  }
  if (Given(cmd, "--stance")) {
    auto stance = ParseEnum<v1::Stance>("--stance", flags.stance);
    if (!stance.ok()) return stance.status();
    statement->set_stance(*stance);
    mask->add_paths("stance");
  }
  if (Given(cmd, "--modality")) {
    auto modality = ParseEnum<v1::Modality>("--modality", flags.modality);
    if (!modality.ok()) return modality.status();
    statement->set_modality(*modality);
    mask->add_paths("modality");
  }
  if (Given(cmd, "--stance-toward")) {
    statement->set_stance_toward(ActorName(flags.stance_toward));
    mask->add_paths("stance_toward");
  }
  if (Given(cmd, "--quote")) {
    statement->set_quote(flags.quote);
    mask->add_paths("quote");
  }
  if (Given(cmd, "--summary")) {
    statement->set_summary(flags.summary);
    mask->add_paths("summary");
  }
  if (Given(cmd, "--language")) {
    statement->set_language(flags.language);
    mask->add_paths("language");
  }
  return absl::OkStatus();
}

absl::Status ApplyOthers(const CLI::App& cmd, const StatementFlags& flags,
                         v1::Statement* statement, google::protobuf::FieldMask* mask) {
  if (Given(cmd, "--speaker")) {
    statement->mutable_speaker()->set_person_name(flags.speaker);
  }
  if (Given(cmd, "--office")) {
    statement->mutable_speaker()->set_office(flags.office);
  }
  if (Given(cmd, "--speaker") || Given(cmd, "--office")) {
    mask->add_paths("speaker");
  }
  if (Given(cmd, "--joint-with")) {
    statement->clear_joint_with();
    for (const auto& actor : flags.joint_with) {
      statement->add_joint_with(ActorName(actor));
    }
    mask->add_paths("joint_with");
  }
  if (Given(cmd, "--issue-time")) {
    auto time = ParseTime("--issue-time", flags.issue_time);
    if (!time.ok()) return time.status();
    SetIssueTime(*time, statement);
    mask->add_paths("issue_time");
    mask->add_paths("issue_time_precision");
  }
  if (Given(cmd, "--label")) {
    for (const auto& text : flags.labels) {
      auto label = ParseLabel("--label", text);
      if (!label.ok()) return label.status();
      (*statement->mutable_labels())[label->first] = label->second;
    }
    mask->add_paths("labels");
  }
  return absl::OkStatus();
}

}  // namespace

void AddStatementFieldFlags(CLI::App* cmd, StatementFlags* flags) {
  cmd->add_option("--event", flags->event, "Event id or name");
  cmd->add_option("--actor", flags->actor, "Who the statement speaks for");
  cmd->add_option("--stance", flags->stance,
                  "condemns, criticises, concerned, neutral or supports");
  cmd->add_option("--quote", flags->quote, "The verbatim words");
  cmd->add_option("--summary", flags->summary, "A summary in your words");
  cmd->add_option("--speaker", flags->speaker, "The person who spoke");
  cmd->add_option("--office", flags->office, "The speaker's office");
  cmd->add_option("--issue-time", flags->issue_time,
                  "When it was said: 2023-07-26 or 2023-07-26T14:30:00Z");
  cmd->add_option("--language", flags->language, "BCP-47 tag, e.g. fr");
  cmd->add_option("--action", flags->actions,
                  "What it demands or does, e.g. demand-release (repeatable)");
  cmd->add_option("--target", flags->targets, "An actor the actions target (repeatable)");
  cmd->add_option("--modality", flags->modality,
                  "asserted, future, hypothetical or negated");
  cmd->add_option("--joint-with", flags->joint_with,
                  "Another actor issuing it jointly (repeatable)");
  cmd->add_option("--stance-toward", flags->stance_toward,
                  "The actor the stance is toward");
  cmd->add_option("--source-url", flags->source_url, "Where it was reported");
  cmd->add_option("--source-publisher", flags->source_publisher,
                  "Who reported it, e.g. AFP");
  cmd->add_option("--source-medium", flags->source_medium,
                  "wire, broadcast, social-media, official-communique, "
                  "press-conference, interview or news-article");
  cmd->add_option("--label", flags->labels, "key=value (repeatable)");
}

absl::Status ApplyStatementFlags(const CLI::App& cmd, const StatementFlags& flags,
                                 v1::Statement* statement,
                                 google::protobuf::FieldMask* mask) {
  for (auto apply : {ApplyScalars, ApplyOthers, ApplyActions, ApplySource}) {
    absl::Status status = apply(cmd, flags, statement, mask);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

std::vector<std::string> MissingRequiredFlags(const v1::Statement& statement) {
  std::vector<std::string> missing;
  if (statement.event().empty()) missing.push_back("--event");
  if (statement.actor().empty()) missing.push_back("--actor");
  if (statement.stance() == v1::STANCE_UNSPECIFIED) {
    missing.push_back("--stance");
  }
  if (!statement.has_issue_time()) missing.push_back("--issue-time");
  if (statement.quote().empty() && statement.summary().empty()) {
    missing.push_back("--quote or --summary");
  }
  return missing;
}

absl::Status AskForMissingFields(Prompter& prompter, v1::Statement* s) {
  if (s->event().empty()) {
    auto event = prompter.AskRequired("Event (e.g. niger-coup-2023)");
    if (!event.ok()) return event.status();
    s->set_event(EventName(*event));
  }
  if (s->actor().empty()) {
    auto actor = prompter.AskRequired("Actor (e.g. ecowas)");
    if (!actor.ok()) return actor.status();
    s->set_actor(ActorName(*actor));
  }
  if (s->stance() == v1::STANCE_UNSPECIFIED) {
    auto answer =
        prompter.AskValid("Stance", Labels<v1::Stance>(), [&](const std::string& text) {
          auto stance = ParseEnum<v1::Stance>("stance", text);
          if (stance.ok()) s->set_stance(*stance);
          return stance.status();
        });
    if (!answer.ok()) return answer.status();
  }
  if (!s->has_issue_time()) {
    auto answer = prompter.AskValid("Issue time (2023-07-26 or 2023-07-26T14:30:00Z)", {},
                                    [&](const std::string& text) {
                                      auto time = ParseTime("issue time", text);
                                      if (time.ok()) SetIssueTime(*time, s);
                                      return time.status();
                                    });
    if (!answer.ok()) return answer.status();
  }
  if (s->quote().empty() && s->summary().empty()) {
    auto quote = prompter.AskLine("Quote (verbatim; Enter to give a summary instead): ");
    if (!quote.ok()) return quote.status();
    s->set_quote(*quote);
  }
  if (s->quote().empty() && s->summary().empty()) {
    auto summary = prompter.AskRequired("Summary");
    if (!summary.ok()) return summary.status();
    s->set_summary(*summary);
  }
  if (s->sources_size() == 0) {
    auto url = prompter.AskOptional("Source URL");
    if (!url.ok()) return url.status();
    if (!url->empty()) s->add_sources()->set_url(*url);
  }
  return absl::OkStatus();
}

}  // namespace rollcall::cli
