#ifndef ROLLCALL_SERVER_SERVICE_EVENT_POSITION_H_
#define ROLLCALL_SERVER_SERVICE_EVENT_POSITION_H_

// An actor's position on an event (for it, against it, concerned, neutral,
// or unclear) from a statement's stance and stance_toward and the event's
// sides. The rule table is v1::Position's (statement.proto) and
// docs/API.md's; this is its only implementation.

#include <string>

#include "absl/container/flat_hash_map.h"
#include "google/protobuf/repeated_field.h"
#include "rollcall/v1/event.pb.h"
#include "rollcall/v1/statement.pb.h"

namespace rollcall {

// The event's sides by actor name.
class EventSides {
 public:
  explicit EventSides(const google::protobuf::RepeatedPtrField<v1::EventSide>& sides);

  // The actor's side, SIDE_ROLE_UNSPECIFIED if it is on none.
  v1::SideRole RoleOf(const std::string& actor) const;

 private:
  absl::flat_hash_map<std::string, v1::SideRole> roles_;
};

// The position a statement with this stance toward `toward` (empty: the
// event itself) takes on the event. POSITION_UNSPECIFIED only for
// STANCE_UNSPECIFIED.
v1::Position PositionOf(v1::Stance stance, const std::string& toward,
                        const EventSides& sides);

// Whether a position takes a side on the event (AGAINST, FOR, CONCERNED):
// an actor's position is that of its latest statement that takes one.
bool TakesPosition(v1::Position position);

// An actor's position after a statement with position `next`, given its
// position before (POSITION_UNSPECIFIED: no statement yet): `next` unless
// `next` takes no side and `before` does.
v1::Position NextPosition(v1::Position before, v1::Position next);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_SERVICE_EVENT_POSITION_H_
