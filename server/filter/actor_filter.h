#ifndef ROLLCALL_SERVER_FILTER_ACTOR_FILTER_H_
#define ROLLCALL_SERVER_FILTER_ACTOR_FILTER_H_

// The ListActors filter: `kind = STATE AND member_of = "actors/ecowas" AND
// country_code = "NER"` (OR between values of one field, as for statements).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rollcall/v1/actor.pb.h"

namespace rollcall {

struct ActorFilter {
  std::vector<v1::ActorKind> kinds;
  std::vector<std::string> member_of;  // organisation resource names
  std::vector<std::string> country_codes;

  std::string Canonical() const;
};

// INVALID_ARGUMENT naming `field` on any error.
absl::StatusOr<ActorFilter> ParseActorFilter(absl::string_view text,
                                             absl::string_view field);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_FILTER_ACTOR_FILTER_H_
