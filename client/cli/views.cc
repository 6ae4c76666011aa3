#include "client/cli/views.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/names.h"
#include "client/cli/output.h"
#include "client/cli/provenance.h"
#include "client/cli/values.h"

namespace rollcall::cli {
namespace {

std::string Labels(const google::protobuf::Map<std::string, std::string>& map) {
  // Sorted, so that output is stable.
  std::map<std::string, std::string> sorted(map.begin(), map.end());
  return absl::StrJoin(sorted, ", ", absl::PairFormatter("="));
}

std::string Ids(const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::vector<std::string> ids;
  for (const auto& name : names) ids.push_back(ResourceId(name));
  return absl::StrJoin(ids, ", ");
}

std::string MemberOf(const v1::Actor& actor) {
  std::vector<std::string> ids;
  for (const auto& membership : actor.member_of()) {
    ids.push_back(ResourceId(membership.organisation()));
  }
  return absl::StrJoin(ids, ", ");
}

std::string ActionLine(const v1::Action& action) {
  std::string line = Label(action.kind());
  if (action.targets_size() > 0) {
    absl::StrAppend(&line, " → ", Ids(action.targets()));
  }
  if (!action.description().empty()) {
    absl::StrAppend(&line, " (", action.description(), ")");
  }
  if (action.has_deadline()) {
    absl::StrAppend(&line, ", deadline ", FormatTime(action.deadline()));
  }
  return line;
}

std::string SourceLine(const v1::Source& source) {
  std::vector<std::string> parts;
  for (const std::string& part :
       {source.publisher(), Label(source.medium()), source.url()}) {
    if (!part.empty()) parts.push_back(part);
  }
  return absl::StrJoin(parts, ", ");
}

std::string Speaker(const v1::Speaker& speaker) {
  if (speaker.office().empty()) return speaker.person_name();
  if (speaker.person_name().empty()) return speaker.office();
  return absl::StrCat(speaker.person_name(), " (", speaker.office(), ")");
}

void AddMultiline(FieldView& view, absl::string_view key,
                  const std::vector<std::string>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    view.Add(i == 0 ? key : "", lines[i]);
  }
}

}  // namespace

void PrintActorList(const std::vector<v1::Actor>& actors, bool json, std::ostream& out) {
  if (json) {
    for (const auto& actor : actors) PrintJsonLine(actor, out);
    return;
  }
  Table table({"NAME", "KIND", "COUNTRY", "DISPLAY NAME", "MEMBER OF"});
  for (const auto& actor : actors) {
    table.AddRow({actor.name(), Label(actor.kind()), actor.country_code(),
                  actor.display_name(), MemberOf(actor)});
  }
  table.Print(out);
}

void PrintActor(const v1::Actor& actor, bool json, std::ostream& out) {
  if (json) return PrintJsonLine(actor, out);
  FieldView view;
  view.Add("name", actor.name());
  view.Add("display name", actor.display_name());
  view.Add("kind", Label(actor.kind()));
  view.Add("country", actor.country_code());
  std::vector<std::string> memberships;
  for (const auto& membership : actor.member_of()) {
    std::string line = membership.organisation();
    if (membership.has_start_time()) {
      absl::StrAppend(&line, " from ", FormatDate(membership.start_time()));
    }
    if (membership.has_end_time()) {
      absl::StrAppend(&line, " until ", FormatDate(membership.end_time()));
    }
    memberships.push_back(line);
  }
  AddMultiline(view, "member of", memberships);
  view.Add("aliases", absl::StrJoin(actor.aliases(), ", "));
  std::vector<std::string> identifiers;
  for (const auto& id : actor.identifiers()) {
    identifiers.push_back(absl::StrCat(id.scheme(), "=", id.value()));
  }
  view.Add("identifiers", absl::StrJoin(identifiers, ", "));
  view.Add("created", FormatTime(actor.create_time()));
  view.Add("updated", FormatTime(actor.update_time()));
  view.Add("etag", actor.etag());
  view.Print(out);
}

void PrintEventList(const std::vector<v1::Event>& events, bool json, std::ostream& out) {
  if (json) {
    for (const auto& event : events) PrintJsonLine(event, out);
    return;
  }
  Table table({"NAME", "START", "COUNTRY", "TITLE"});
  for (const auto& event : events) {
    table.AddRow({event.name(), FormatDate(event.start_time()), event.country_code(),
                  Truncate(event.title(), kQuoteWidth)});
  }
  table.Print(out);
}

void PrintEvent(const v1::Event& event, bool json, std::ostream& out) {
  if (json) return PrintJsonLine(event, out);
  FieldView view;
  view.Add("name", event.name());
  view.Add("title", event.title());
  view.Add("summary", event.summary());
  view.Add("country", event.country_code());
  view.Add("start", FormatTime(event.start_time()));
  view.Add("end", FormatTime(event.end_time()));
  std::vector<std::string> sides;
  for (const auto& side : event.sides()) {
    sides.push_back(absl::StrCat(Label(side.role()), " ", ResourceId(side.actor())));
  }
  AddMultiline(view, "sides", sides);
  view.Add("labels", Labels(event.labels()));
  view.Add("created", FormatTime(event.create_time()));
  view.Add("updated", FormatTime(event.update_time()));
  view.Add("etag", event.etag());
  view.Print(out);
}

void PrintStatementList(const std::vector<v1::Statement>& statements,
                        const std::vector<v1::Position>& positions, bool show_state,
                        bool json, std::ostream& out) {
  if (json) {
    for (const auto& statement : statements) PrintJsonLine(statement, out);
    return;
  }
  std::vector<std::string> header = {"NAME", "ISSUED", "ACTOR", "POSITION", "STANCE"};
  if (show_state) header.push_back("STATE");
  header.push_back(kWordsHeader);
  Table table(header);
  for (size_t i = 0; i < statements.size(); ++i) {
    const v1::Statement& s = statements[i];
    std::vector<std::string> row = {
        s.name(), FormatDate(s.issue_time()), ResourceId(s.actor()),
        i < positions.size() ? Label(positions[i]) : "",
        StanceWithTarget(s.stance(), s.stance_toward())};
    if (show_state) row.push_back(Label(s.state()));
    row.push_back(Words(s, kQuoteWidth));
    table.AddRow(std::move(row));
  }
  table.Print(out);
}

void PrintStatement(const v1::Statement& s, bool json, std::ostream& out) {
  if (json) return PrintJsonLine(s, out);
  FieldView view;
  view.Add("name", s.name());
  view.Add("event", s.event());
  view.Add("actor", s.actor());
  view.Add("speaker", Speaker(s.speaker()));
  view.Add("joint with", absl::StrJoin(s.joint_with(), ", "));
  view.Add("stance", StanceWithTarget(s.stance(), s.stance_toward()));
  view.Add("modality", Label(s.modality()));
  std::vector<std::string> actions;
  for (const auto& action : s.actions()) actions.push_back(ActionLine(action));
  AddMultiline(view, "actions", actions);
  view.Add("quote", s.quote().empty() ? "" : absl::StrCat("“", s.quote(), "”"));
  view.Add("summary", s.summary().empty()
                          ? ""
                          : absl::StrCat(s.summary(), " (the recorder's words)"));
  view.Add("language", s.language());
  view.Add("issued", FormatTime(s.issue_time()));
  view.Add("precision", Label(s.issue_time_precision()));
  std::vector<std::string> sources;
  for (const auto& source : s.sources()) sources.push_back(SourceLine(source));
  AddMultiline(view, "sources", sources);
  view.Add("labels", Labels(s.labels()));
  view.Add("state", Label(s.state()));
  if (s.has_retraction()) {
    view.Add("retracted", FormatTime(s.retraction().retract_time()));
    view.Add("reason", s.retraction().reason());
  }
  view.Add("revision", s.revision() == 0 ? "" : absl::StrCat(s.revision()));
  view.Add("etag", s.etag());
  view.Add("created", FormatTime(s.create_time()));
  view.Add("updated", FormatTime(s.update_time()));
  view.Add("sequence", s.sequence() == 0 ? "" : absl::StrCat(s.sequence()));
  view.Print(out);
}

void PrintRevisionList(const std::vector<v1::Statement>& revisions, bool json,
                       std::ostream& out) {
  if (json) {
    for (const auto& revision : revisions) PrintJsonLine(revision, out);
    return;
  }
  Table table({"REVISION", "UPDATED", "STATE", "STANCE", kWordsHeader});
  for (const auto& s : revisions) {
    // A retraction changes nothing but the state: show why instead.
    const std::string text =
        s.has_retraction() && s.state() == v1::STATEMENT_STATE_RETRACTED
            ? Truncate("reason: " + s.retraction().reason(), kQuoteWidth)
            : Words(s, kQuoteWidth);
    table.AddRow({absl::StrCat(s.revision()), FormatTime(s.update_time()),
                  Label(s.state()), StanceWithTarget(s.stance(), s.stance_toward()),
                  text});
  }
  table.Print(out);
}

void PrintChange(const v1::StatementChange& change, bool json, std::ostream& out) {
  if (json) {
    PrintJsonLine(change, out);
    return;
  }
  const v1::Statement& s = change.statement();
  const std::string text =
      change.kind() == v1::CHANGE_KIND_RETRACTED
          ? Truncate("retracted: " + s.retraction().reason(), kQuoteWidth)
          : Words(s, kQuoteWidth);
  out << absl::StrJoin({absl::StrCat("#", change.sequence()), Label(change.kind()),
                        ResourceId(s.name()), FormatDate(s.issue_time()),
                        ResourceId(s.actor()),
                        StanceWithTarget(s.stance(), s.stance_toward()), text},
                       "  ")
      << std::endl;
}

}  // namespace rollcall::cli
