#include "server/service/reaction_summary.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "server/common/field_error.h"
#include "server/common/time_util.h"
#include "server/service/event_position.h"

namespace rollcall {
namespace {

absl::Time IssueTime(const v1::Statement& statement) {
  return ToAbslTime(statement.issue_time());
}

// Issue order. Statements issued at the same time (often: the same day,
// known to the day) keep the order in which they were recorded; statements
// recorded in the same commit (group commit gives them one create_time)
// the order of their log sequences; names make the order total.
bool IssuedBefore(const v1::Statement* a, const v1::Statement* b) {
  const int64_t ta = ToUnixMicros(a->issue_time());
  const int64_t tb = ToUnixMicros(b->issue_time());
  if (ta != tb) return ta < tb;
  const int64_t ca = ToUnixMicros(a->create_time());
  const int64_t cb = ToUnixMicros(b->create_time());
  if (ca != cb) return ca < cb;
  if (a->sequence() != b->sequence()) return a->sequence() < b->sequence();
  return a->name() < b->name();
}

v1::Position PositionOf(const v1::Statement& statement, const EventSides& sides) {
  return PositionOf(statement.stance(), statement.stance_toward(), sides);
}

v1::StatementDigest Digest(const v1::Statement& statement, const EventSides& sides) {
  v1::StatementDigest digest;
  digest.set_statement(statement.name());
  *digest.mutable_issue_time() = statement.issue_time();
  *digest.mutable_speaker() = statement.speaker();
  digest.set_excerpt(Excerpt(statement));
  digest.set_stance(statement.stance());
  digest.set_stance_toward(statement.stance_toward());
  digest.set_position(PositionOf(statement, sides));
  digest.set_excerpt_is_quote(!statement.quote().empty());
  return digest;
}

bool MembershipHolds(const v1::Membership& membership, absl::Time t) {
  if (membership.has_start_time() && ToAbslTime(membership.start_time()) > t)
    return false;
  return !membership.has_end_time() || ToAbslTime(membership.end_time()) > t;
}

// Each actor's statements, in issue order.
using ByActor = std::map<std::string, std::vector<const v1::Statement*>>;

void AddStanceTotals(const std::map<std::string, v1::Stance>& latest,
                     google::protobuf::RepeatedPtrField<v1::StanceCount>* out) {
  std::map<int, int> counts;
  for (const auto& [actor, stance] : latest) ++counts[stance];
  for (const auto& [stance, count] : counts) {
    v1::StanceCount* total = out->Add();
    total->set_stance(static_cast<v1::Stance>(stance));
    total->set_actor_count(count);
  }
}

void AddPositionTotals(const std::map<std::string, v1::Position>& positions,
                       google::protobuf::RepeatedPtrField<v1::PositionCount>* out) {
  std::map<int, int> counts;
  for (const auto& [actor, position] : positions) ++counts[position];
  for (const auto& [position, count] : counts) {
    v1::PositionCount* total = out->Add();
    total->set_position(static_cast<v1::Position>(position));
    total->set_actor_count(count);
  }
}

// An actor's position after its statements, in issue order.
v1::Position ActorPosition(const std::vector<const v1::Statement*>& statements,
                           const EventSides& sides) {
  v1::Position position = v1::POSITION_UNSPECIFIED;
  for (const v1::Statement* s : statements) {
    position = NextPosition(position, PositionOf(*s, sides));
  }
  return position;
}

v1::ActorReaction Reaction(const std::string& actor, v1::ActorKind kind,
                           const std::vector<const v1::Statement*>& statements,
                           const EventSides& sides) {
  v1::ActorReaction reaction;
  reaction.set_actor(actor);
  reaction.set_actor_kind(kind);
  reaction.set_latest_stance(statements.back()->stance());
  reaction.set_latest_stance_toward(statements.back()->stance_toward());

  *reaction.mutable_first_statement() = Digest(*statements.front(), sides);
  *reaction.mutable_latest_statement() = Digest(*statements.back(), sides);
  reaction.set_statement_count(static_cast<int>(statements.size()));
  std::set<int> actions;
  v1::Position position = v1::POSITION_UNSPECIFIED;
  for (const v1::Statement* s : statements) {
    for (const v1::Action& action : s->actions()) actions.insert(action.kind());
    if (reaction.stance_history().empty() ||
        reaction.stance_history(reaction.stance_history_size() - 1) != s->stance()) {
      reaction.add_stance_history(s->stance());
    }
    position = NextPosition(position, PositionOf(*s, sides));
    if (reaction.position_history().empty() ||
        reaction.position_history(reaction.position_history_size() - 1) != position) {
      reaction.add_position_history(position);
    }
  }
  for (int action : actions) reaction.add_actions(static_cast<v1::ActionKind>(action));
  reaction.set_position(position);
  return reaction;
}

}  // namespace

std::string Excerpt(const v1::Statement& statement, size_t max_chars) {
  const std::string& text =
      statement.quote().empty() ? statement.summary() : statement.quote();
  if (text.size() <= max_chars) return text;
  size_t cut = text.rfind(' ', max_chars);
  if (cut == std::string::npos || cut < max_chars / 2) {
    cut = max_chars;
    // Never split a UTF-8 sequence: back up over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return text.substr(0, cut) + "…";
}

absl::StatusOr<v1::SummarizeReactionsResponse> SummarizeReactions(
    const SummaryInput& input) {
  v1::SummarizeReactionsResponse response;
  response.set_event(input.event);
  *response.mutable_as_of_time() = ToTimestamp(input.as_of);
  *response.mutable_event_sides() = input.sides;
  const EventSides sides(input.sides);

  absl::flat_hash_map<std::string, const v1::Actor*> actors;
  for (const v1::Actor& actor : input.actors) actors[actor.name()] = &actor;
  auto kind_of = [&](const std::string& name) {
    auto it = actors.find(name);
    return it == actors.end() ? v1::ACTOR_KIND_UNSPECIFIED : it->second->kind();
  };

  ByActor by_actor;
  for (const v1::Statement& s : input.statements) by_actor[s.actor()].push_back(&s);
  for (auto& [actor, statements] : by_actor) {
    std::sort(statements.begin(), statements.end(), IssuedBefore);
  }

  // Reactions in order of each actor's first statement.
  std::vector<const std::string*> order;
  for (const auto& [actor, statements] : by_actor) order.push_back(&actor);
  std::sort(order.begin(), order.end(), [&](const std::string* a, const std::string* b) {
    return IssuedBefore(by_actor[*a].front(), by_actor[*b].front());
  });
  std::map<int, int> action_counts;
  std::map<int, int> kind_counts;
  for (const std::string* actor : order) {
    v1::ActorReaction* reaction = response.add_reactions();
    *reaction = Reaction(*actor, kind_of(*actor), by_actor[*actor], sides);
    for (int action : reaction->actions()) ++action_counts[action];
    ++kind_counts[reaction->actor_kind()];
  }
  std::map<std::string, v1::Stance> latest;
  std::map<std::string, v1::Position> positions;
  for (const auto& [actor, statements] : by_actor) {
    latest[actor] = statements.back()->stance();
    positions[actor] = ActorPosition(statements, sides);
  }
  AddStanceTotals(latest, response.mutable_stance_totals());
  AddPositionTotals(positions, response.mutable_position_totals());
  for (const auto& [action, count] : action_counts) {
    v1::ActionCount* total = response.add_action_totals();
    total->set_kind(static_cast<v1::ActionKind>(action));
    total->set_actor_count(count);
  }
  for (const auto& [kind, count] : kind_counts) {
    v1::ActorKindCount* total = response.add_actor_kind_totals();
    total->set_kind(static_cast<v1::ActorKind>(kind));
    total->set_actor_count(count);
  }

  // Bloc roll-ups: every organisation with members at membership_time of which the
  // bloc itself or at least one member reacted. Blocs that spoke come first,
  // in order of their first statement, then the others by name.
  std::map<std::string, std::vector<std::string>> members;
  for (const v1::Actor& actor : input.actors) {
    for (const v1::Membership& membership : actor.member_of()) {
      if (MembershipHolds(membership, input.membership_time)) {
        members[membership.organisation()].push_back(actor.name());
      }
    }
  }
  std::vector<v1::BlocRollup> rollups;
  for (auto& [bloc, names] : members) {
    std::sort(names.begin(), names.end());
    v1::BlocRollup rollup;
    rollup.set_bloc(bloc);
    auto own = latest.find(bloc);
    rollup.set_bloc_stance(own == latest.end() ? v1::STANCE_UNSPECIFIED : own->second);
    auto own_position = positions.find(bloc);
    rollup.set_bloc_position(own_position == positions.end() ? v1::POSITION_UNSPECIFIED
                                                             : own_position->second);
    rollup.set_member_count(static_cast<int>(names.size()));
    std::map<std::string, v1::Stance> member_latest;
    std::map<std::string, v1::Position> member_positions;
    for (const std::string& member : names) {
      auto it = latest.find(member);
      if (it == latest.end()) {
        rollup.add_silent_members(member);
        member_latest[member] = v1::STANCE_UNSPECIFIED;
        member_positions[member] = v1::POSITION_UNSPECIFIED;
      } else {
        member_latest[member] = it->second;
        member_positions[member] = positions[member];
      }
    }
    if (own == latest.end() && rollup.silent_members_size() == rollup.member_count())
      continue;
    std::vector<const std::string*> reacting;
    for (const std::string& member : names) {
      if (latest.count(member) > 0) reacting.push_back(&member);
    }
    std::sort(reacting.begin(), reacting.end(),
              [&](const std::string* a, const std::string* b) {
                return IssuedBefore(by_actor[*a].front(), by_actor[*b].front());
              });
    for (const std::string* member : reacting) rollup.add_reacting_members(*member);
    AddStanceTotals(member_latest, rollup.mutable_member_stances());
    AddPositionTotals(member_positions, rollup.mutable_member_positions());
    rollups.push_back(std::move(rollup));
  }
  std::stable_sort(rollups.begin(), rollups.end(),
                   [&](const v1::BlocRollup& a, const v1::BlocRollup& b) {
                     const bool a_spoke = by_actor.count(a.bloc()) > 0;
                     const bool b_spoke = by_actor.count(b.bloc()) > 0;
                     if (a_spoke != b_spoke) return a_spoke;
                     if (!a_spoke) return false;  // both silent: keep name order
                     return IssuedBefore(by_actor[a.bloc()].front(),
                                         by_actor[b.bloc()].front());
                   });
  for (v1::BlocRollup& rollup : rollups) *response.add_blocs() = std::move(rollup);

  // The timeline: one point per interval (aligned to the Unix epoch in
  // UTC, so daily points fall at midnight UTC) from the first statement's
  // interval to as_of; each point summarises the statements issued before
  // its time (the last point, at as_of, all of them). One pass over the
  // statements in issue order, carrying each actor's latest stance along.
  if (input.timeline_interval.has_value() && !input.statements.empty()) {
    const absl::Duration interval = *input.timeline_interval;
    std::vector<const v1::Statement*> issued;
    for (const v1::Statement& s : input.statements) issued.push_back(&s);
    std::sort(issued.begin(), issued.end(), IssuedBefore);
    const absl::Time first = IssueTime(*issued.front());
    const absl::Time start =
        absl::UnixEpoch() + absl::Floor(first - absl::UnixEpoch(), interval);
    absl::Duration remainder;
    const int64_t points =
        input.as_of <= first
            ? 1
            : absl::IDivDuration(input.as_of - start + interval - absl::Nanoseconds(1),
                                 interval, &remainder);
    if (points > kMaxTimelinePoints) {
      return FieldError(
          "timeline_interval",
          absl::StrCat("gives ", points, " points from the first statement ",
                       "to as_of_time; at most ", kMaxTimelinePoints));
    }
    std::map<std::string, v1::Stance> latest_then;
    std::map<std::string, v1::Position> positions_then;
    size_t next = 0;
    for (int64_t k = 1; k <= points; ++k) {
      const bool last = k == points;
      const absl::Time until = last ? absl::InfiniteFuture() : start + k * interval;
      for (; next < issued.size() && IssueTime(*issued[next]) < until; ++next) {
        const v1::Statement& s = *issued[next];
        latest_then[s.actor()] = s.stance();
        v1::Position& position = positions_then[s.actor()];
        position = NextPosition(position, PositionOf(s, sides));
      }
      v1::TimelinePoint* point = response.add_timeline();
      *point->mutable_time() = ToTimestamp(last ? std::max(input.as_of, first) : until);
      AddStanceTotals(latest_then, point->mutable_stance_totals());
      AddPositionTotals(positions_then, point->mutable_position_totals());
      point->set_statement_count(static_cast<int>(next));
    }
  }
  return response;
}

}  // namespace rollcall
