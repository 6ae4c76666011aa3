// summary: the roll call of one event — who stands where, per bloc or per
// actor, optionally as it stood at a past time and as a timeline.

#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/client.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/output.h"
#include "client/cli/provenance.h"
#include "client/cli/values.h"
#include "google/protobuf/util/time_util.h"

namespace rollcall::cli {
namespace {

struct SummaryFlags {
  std::string event;
  std::string as_of;
  std::string by = "bloc";
  std::string timeline;
  std::string filter;
};

std::string Short(const std::string& name) { return ResourceId(name); }

// "concerned → against" (or just "against"): where the actor stood.
std::string PositionHistory(const v1::ActorReaction& reaction) {
  std::vector<std::string> positions;
  for (int position : reaction.position_history()) {
    positions.push_back(Label(static_cast<v1::Position>(position)));
  }
  return absl::StrJoin(positions, " → ");
}

// "against 7, for 2, concerned 2, neutral 1, said nothing 9".
std::string PositionCounts(
    const google::protobuf::RepeatedPtrField<v1::PositionCount>& counts) {
  std::vector<std::string> parts;
  int silent = 0;
  for (const v1::PositionCount& count : counts) {
    if (count.position() == v1::POSITION_UNSPECIFIED) {
      silent = count.actor_count();
    } else {
      parts.push_back(absl::StrCat(Label(count.position()), " ", count.actor_count()));
    }
  }
  if (silent > 0) parts.push_back(absl::StrCat("said nothing ", silent));
  return parts.empty() ? "none" : absl::StrJoin(parts, ", ");
}

// "initiator niger-coup-leaders; target niger-government".
std::string Sides(const v1::SummarizeReactionsResponse& summary) {
  if (summary.event_sides().empty()) {
    return "none recorded (a stance toward an actor gives an unclear position)";
  }
  std::vector<std::string> sides;
  for (const v1::EventSide& side : summary.event_sides()) {
    sides.push_back(absl::StrCat(Label(side.role()), " ", Short(side.actor())));
  }
  return absl::StrJoin(sides, "; ");
}

// "condemns 3, concerned 1, said nothing 9".
std::string StanceCounts(
    const google::protobuf::RepeatedPtrField<v1::StanceCount>& counts) {
  std::vector<std::string> parts;
  int silent = 0;
  for (const v1::StanceCount& count : counts) {
    if (count.stance() == v1::STANCE_UNSPECIFIED) {
      silent = count.actor_count();
    } else {
      parts.push_back(absl::StrCat(Label(count.stance()), " ", count.actor_count()));
    }
  }
  if (silent > 0) parts.push_back(absl::StrCat("said nothing ", silent));
  return parts.empty() ? "none" : absl::StrJoin(parts, ", ");
}

Table ReactionTable() {
  return Table({"ACTOR", "KIND", "POSITION", "LATEST STANCE", "N", "LATEST", "SPEAKER",
                std::string("LATEST ") + kWordsHeader});
}

void AddReaction(Table& table, const v1::ActorReaction& reaction) {
  const v1::StatementDigest& latest = reaction.latest_statement();
  std::string speaker = latest.speaker().person_name();
  if (!latest.speaker().office().empty()) {
    speaker = speaker.empty() ? latest.speaker().office()
                              : absl::StrCat(speaker, ", ", latest.speaker().office());
  }
  table.AddRow({Short(reaction.actor()), Label(reaction.actor_kind()),
                PositionHistory(reaction),
                StanceWithTarget(reaction.latest_stance(), reaction.latest_stance_toward()),
                absl::StrCat(reaction.statement_count()), FormatDate(latest.issue_time()),
                Truncate(speaker, 28), Words(latest, 70)});
}

void PrintHeader(const v1::SummarizeReactionsResponse& summary, std::ostream& out) {
  int statements = 0;
  for (const v1::ActorReaction& reaction : summary.reactions()) {
    statements += reaction.statement_count();
  }
  out << "Roll call of " << summary.event() << " as of "
      << FormatTime(summary.as_of_time()) << ": " << summary.reactions_size()
      << " actors, " << statements << " statements\n";
  out << "Sides: " << Sides(summary) << "\n";
  out << "Positions: " << PositionCounts(summary.position_totals()) << "\n";
  out << "Stances: " << StanceCounts(summary.stance_totals()) << "\n";
}

void PrintByActor(const v1::SummarizeReactionsResponse& summary, std::ostream& out) {
  Table table = ReactionTable();
  for (const v1::ActorReaction& reaction : summary.reactions())
    AddReaction(table, reaction);
  out << "\n";
  table.Print(out);
}

// Each bloc: its own line, the bloc and its reacting members, who said
// nothing; then every reacting actor in no bloc shown.
void PrintByBloc(const v1::SummarizeReactionsResponse& summary, std::ostream& out) {
  std::map<std::string, const v1::ActorReaction*> reactions;
  for (const v1::ActorReaction& reaction : summary.reactions()) {
    reactions[reaction.actor()] = &reaction;
  }
  std::set<std::string> shown;
  for (const v1::BlocRollup& bloc : summary.blocs()) {
    out << "\n"
        << Short(bloc.bloc()) << ": "
        << (bloc.bloc_position() == v1::POSITION_UNSPECIFIED
                ? "said nothing"
                : absl::StrCat(Label(bloc.bloc_position()), " (",
                               Label(bloc.bloc_stance()), ")"))
        << "; " << bloc.member_count()
        << " members: " << PositionCounts(bloc.member_positions()) << "\n";
    Table table = ReactionTable();
    auto add = [&](const std::string& actor) {
      auto it = reactions.find(actor);
      if (it == reactions.end()) return;
      AddReaction(table, *it->second);
      shown.insert(actor);
    };
    add(bloc.bloc());
    for (const std::string& member : bloc.reacting_members()) add(member);
    if (!table.empty()) table.Print(out);
    if (!bloc.silent_members().empty()) {
      // A long list (the UN's members) is cut: the JSON output has it all.
      constexpr int kShown = 15;
      std::vector<std::string> names;
      for (const std::string& name : bloc.silent_members()) {
        if (static_cast<int>(names.size()) == kShown) break;
        names.push_back(Short(name));
      }
      out << "  said nothing: " << absl::StrJoin(names, ", ");
      if (bloc.silent_members_size() > kShown) {
        out << " and " << bloc.silent_members_size() - kShown << " more";
      }
      out << "\n";
    }
  }
  Table others = ReactionTable();
  for (const v1::ActorReaction& reaction : summary.reactions()) {
    if (shown.count(reaction.actor()) == 0) AddReaction(others, reaction);
  }
  if (!others.empty()) {
    out << "\nOther actors:\n";
    others.Print(out);
  }
}

void PrintTimeline(const v1::SummarizeReactionsResponse& summary, std::ostream& out) {
  if (summary.timeline().empty()) return;
  out << "\nTimeline:\n";
  Table table({"UNTIL", "STATEMENTS", "ACTORS BY POSITION", "ACTORS BY LATEST STANCE"});
  for (const v1::TimelinePoint& point : summary.timeline()) {
    table.AddRow({FormatTime(point.time()), absl::StrCat(point.statement_count()),
                  PositionCounts(point.position_totals()),
                  StanceCounts(point.stance_totals())});
  }
  table.Print(out);
}

absl::Status RunSummary(Session& session, const SummaryFlags& flags) {
  v1::SummarizeReactionsRequest request;
  request.set_event(EventName(flags.event));
  request.set_filter(flags.filter);
  if (!flags.as_of.empty()) {
    absl::StatusOr<TimeValue> as_of = ParseTime("--as-of", flags.as_of);
    if (!as_of.ok()) return AsUsageError(as_of.status());
    *request.mutable_as_of_time() = as_of->timestamp;
  }
  if (flags.timeline == "day") {
    request.mutable_timeline_interval()->set_seconds(86400);
  } else if (flags.timeline == "hour") {
    request.mutable_timeline_interval()->set_seconds(3600);
  }
  RollcallClient client(session);
  absl::StatusOr<v1::SummarizeReactionsResponse> summary =
      client.SummarizeReactions(request);
  if (!summary.ok()) return summary.status();
  if (session.json_output()) {
    PrintJsonLine(*summary, std::cout);
    return absl::OkStatus();
  }
  PrintHeader(*summary, std::cout);
  if (flags.by == "actor") {
    PrintByActor(*summary, std::cout);
  } else {
    PrintByBloc(*summary, std::cout);
  }
  PrintTimeline(*summary, std::cout);
  return absl::OkStatus();
}

}  // namespace

void AddSummaryCommand(CLI::App& app, Session& session, Command* selected) {
  auto flags = std::make_shared<SummaryFlags>();
  CLI::App* cmd = app.add_subcommand(
      "summary", "The roll call of an event: who stands where, per bloc or per actor");
  cmd->add_option("--event", flags->event, "The event, e.g. niger-coup-2023")->required();
  cmd->add_option("--as-of", flags->as_of,
                  "As the record stood at this time (later corrections not applied)");
  cmd->add_option("--by", flags->by,
                  "bloc (default): blocs and their members; actor: one table")
      ->check(CLI::IsMember({"bloc", "actor"}));
  cmd->add_option("--timeline", flags->timeline,
                  "Also how reactions accumulated, per day or hour")
      ->check(CLI::IsMember({"day", "hour"}));
  cmd->add_option("--filter", flags->filter, "Only statements matching this raw filter");
  cmd->callback([=, &session] {
    *selected = [=, &session] { return RunSummary(session, *flags); };
  });
}

}  // namespace rollcall::cli
