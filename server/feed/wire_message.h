#ifndef ROLLCALL_SERVER_FEED_WIRE_MESSAGE_H_
#define ROLLCALL_SERVER_FEED_WIRE_MESSAGE_H_

// Subscription messages in wire form. A change is serialized once, when it
// enters the feed, and the bytes are shared by every subscription it is
// queued for. A message carrying several changes is the concatenation of
// one-change messages: protobuf parses concatenated messages as one, with
// their repeated fields appended, so no change is parsed or serialized
// again per subscriber.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "server/store/store.h"

namespace rollcall {

// A serialized v1::SubscribeStatementsResponse, immutable and shared.
using WireMessage = std::shared_ptr<const std::string>;

// A message with `change` as its only change. `change.statement` is copied
// as it is stored, without being parsed.
WireMessage ChangeMessage(const LoggedChange& change);
// A message marking the end of the replay at `head_sequence`.
WireMessage CaughtUpMessage(int64_t head_sequence);
// An idle stream's heartbeat.
WireMessage HeartbeatMessage(int64_t head_sequence, absl::Time time);

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_FEED_WIRE_MESSAGE_H_
