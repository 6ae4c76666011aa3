#ifndef ROLLCALL_SERVER_STORE_BULK_LOOKUPS_H_
#define ROLLCALL_SERVER_STORE_BULK_LOOKUPS_H_

// BulkLookups: what a statement's create looks up, kept in memory during a
// bulk load (SqliteStoreOptions::bulk_load) instead of asked of SQLite for
// every statement. A bulk load starts from an empty store and only adds, so
//   - an actor or event once found exists for good, with the same kind (a
//     bulk load neither deletes nor updates them): found ones are
//     remembered, others are still looked up (a line naming a missing one
//     is refused as the API refuses it);
//   - every request id recorded so far is here, and only here until
//     SqliteStore::FinishBulkLoad writes them to the requests table in
//     request-id order (appended to its index rather than inserted at
//     random places, as in the file's order).
// Not thread-safe: used by the writer only, under the store's write lock.

#include <optional>
#include <string>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "rollcall/v1/actor.pb.h"

namespace rollcall {

class BulkLookups {
 public:
  // An actor's kind, if it was found before.
  std::optional<v1::ActorKind> KnownActor(absl::string_view name) const {
    auto it = actors_.find(name);
    if (it == actors_.end()) return std::nullopt;
    return it->second;
  }
  void RememberActor(absl::string_view name, v1::ActorKind kind) {
    actors_.emplace(name, kind);
  }

  bool KnownEvent(absl::string_view name) const { return events_.contains(name); }
  void RememberEvent(absl::string_view name) { events_.emplace(name); }

  // A recorded request id: its request's fingerprint and the statement it
  // created. Recorded last in a create, so that only a failed transaction
  // (which fails the load) could leave one that is not in the store.
  struct Request {
    std::string fingerprint;
    std::string statement;
  };
  const Request* FindRequest(absl::string_view request_id) const {
    auto it = requests_.find(request_id);
    return it == requests_.end() ? nullptr : &it->second;
  }
  void RecordRequest(absl::string_view request_id, std::string fingerprint,
                     std::string statement) {
    requests_.emplace(request_id, Request{std::move(fingerprint), std::move(statement)});
  }
  // Every recorded request id, in order.
  const absl::btree_map<std::string, Request>& requests() const { return requests_; }

 private:
  absl::flat_hash_map<std::string, v1::ActorKind> actors_;
  absl::flat_hash_set<std::string> events_;
  absl::btree_map<std::string, Request> requests_;
};

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_STORE_BULK_LOOKUPS_H_
