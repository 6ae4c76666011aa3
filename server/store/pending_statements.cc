#include "server/store/pending_statements.h"

#include "absl/strings/str_cat.h"
#include "server/common/time_util.h"

namespace rollcall {
namespace {

// The time index's key: names hold no newline.
std::string IndexKey(absl::string_view actor, absl::string_view event) {
  return absl::StrCat(actor, "\n", event);
}

}  // namespace

void PendingStatements::Add(const v1::Statement& statement) {
  std::optional<Entry> previous;
  if (auto it = by_name_.find(statement.name()); it != by_name_.end()) {
    previous = it->second;
  }
  undo_.emplace_back(statement.name(), std::move(previous));
  Entry entry;
  entry.sequence = statement.sequence();
  entry.actor = statement.actor();
  entry.event = statement.event();
  entry.issue_time = ToUnixMicros(statement.issue_time());
  entry.active = statement.state() == v1::STATEMENT_STATE_ACTIVE;
  entry.quote = statement.quote();
  Put(statement.name(), std::move(entry));
  order_.emplace_back(statement.sequence(), statement.name());
}

void PendingStatements::RollBackTo(size_t mark) {
  while (undo_.size() > mark) {
    auto& [name, previous] = undo_.back();
    if (previous.has_value()) {
      Put(name, *std::move(previous));
    } else {
      Erase(name);
    }
    order_.pop_back();
    undo_.pop_back();
  }
}

void PendingStatements::ForgetThrough(int64_t sequence) {
  while (!order_.empty() && order_.front().first <= sequence) {
    auto it = by_name_.find(order_.front().second);
    // A later revision of the same statement may still be pending.
    if (it != by_name_.end() && it->second.sequence <= sequence) Erase(it->first);
    order_.pop_front();
  }
}

void PendingStatements::Clear() {
  by_name_.clear();
  by_actor_event_.clear();
  order_.clear();
  undo_.clear();
}

std::vector<std::pair<int64_t, DuplicateCandidate>> PendingStatements::Candidates(
    absl::string_view actor, absl::string_view event, int64_t from, int64_t to) const {
  std::vector<std::pair<int64_t, DuplicateCandidate>> candidates;
  auto index = by_actor_event_.find(IndexKey(actor, event));
  if (index == by_actor_event_.end()) return candidates;
  for (auto it = index->second.lower_bound({from, std::string()});
       it != index->second.end() && it->first <= to; ++it) {
    const Entry& entry = by_name_.at(it->second);
    if (entry.active && !entry.quote.empty()) {
      candidates.push_back({it->first, DuplicateCandidate{it->second, entry.quote}});
    }
  }
  return candidates;
}

void PendingStatements::Put(const std::string& name, Entry entry) {
  Erase(name);
  by_actor_event_[IndexKey(entry.actor, entry.event)].emplace(entry.issue_time, name);
  by_name_.emplace(name, std::move(entry));
}

void PendingStatements::Erase(const std::string& name) {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return;
  auto index = by_actor_event_.find(IndexKey(it->second.actor, it->second.event));
  index->second.erase({it->second.issue_time, name});
  if (index->second.empty()) by_actor_event_.erase(index);
  by_name_.erase(it);
}

}  // namespace rollcall
