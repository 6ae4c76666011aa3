#include "server/service/event_position.h"

namespace rollcall {

EventSides::EventSides(const google::protobuf::RepeatedPtrField<v1::EventSide>& sides) {
  for (const v1::EventSide& side : sides) roles_[side.actor()] = side.role();
}

v1::SideRole EventSides::RoleOf(const std::string& actor) const {
  auto it = roles_.find(actor);
  return it == roles_.end() ? v1::SIDE_ROLE_UNSPECIFIED : it->second;
}

v1::Position PositionOf(v1::Stance stance, const std::string& toward,
                        const EventSides& sides) {
  bool opposes;  // condemns or criticises (else supports)
  switch (stance) {
    case v1::STANCE_CONCERNED:
      return v1::POSITION_CONCERNED;
    case v1::STANCE_NEUTRAL:
      return v1::POSITION_NEUTRAL;
    case v1::STANCE_CONDEMNS:
    case v1::STANCE_CRITICISES:
      opposes = true;
      break;
    case v1::STANCE_SUPPORTS:
      opposes = false;
      break;
    default:
      return v1::POSITION_UNSPECIFIED;
  }
  // Toward the event itself, or toward its initiators: the stance is the
  // position. Toward its targets: the reverse. Toward anyone else: unknown.
  bool with_event;
  if (toward.empty()) {
    with_event = true;
  } else {
    switch (sides.RoleOf(toward)) {
      case v1::SIDE_ROLE_INITIATOR:
        with_event = true;
        break;
      case v1::SIDE_ROLE_TARGET:
        with_event = false;
        break;
      default:
        return v1::POSITION_UNCLEAR;
    }
  }
  return opposes == with_event ? v1::POSITION_AGAINST : v1::POSITION_FOR;
}

bool TakesPosition(v1::Position position) {
  return position == v1::POSITION_AGAINST || position == v1::POSITION_FOR ||
         position == v1::POSITION_CONCERNED;
}

v1::Position NextPosition(v1::Position before, v1::Position next) {
  if (!TakesPosition(next) && TakesPosition(before)) return before;
  return next;
}

}  // namespace rollcall
