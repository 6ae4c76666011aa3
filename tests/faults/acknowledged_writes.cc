#include "tests/faults/acknowledged_writes.h"

#include <algorithm>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"

namespace rollcall::faults {
namespace {

using google::protobuf::util::MessageDifferencer;

absl::Status Violation(const v1::StatementChange& change, absl::string_view problem) {
  return absl::DataLossError(absl::StrCat("log sequence ", change.sequence(), " (",
                                          change.statement().name(), " revision ",
                                          change.statement().revision(), "): ", problem));
}

}  // namespace

absl::Status CheckLogIsWellFormed(const std::vector<v1::StatementChange>& log) {
  absl::flat_hash_map<std::string, const v1::Statement*> latest;
  for (size_t i = 0; i < log.size(); ++i) {
    const v1::StatementChange& change = log[i];
    const v1::Statement& statement = change.statement();
    if (change.sequence() != static_cast<int64_t>(i) + 1) {
      return Violation(change, absl::StrCat("expected sequence ", i + 1));
    }
    if (statement.sequence() != change.sequence()) {
      return Violation(change, "the statement carries another sequence");
    }
    const v1::Statement*& previous = latest[statement.name()];
    const int64_t expected_revision = previous == nullptr ? 1 : previous->revision() + 1;
    if (statement.revision() != expected_revision) {
      return Violation(change, absl::StrCat("expected revision ", expected_revision));
    }
    const bool created = change.kind() == v1::CHANGE_KIND_CREATED;
    if (created != (previous == nullptr)) {
      return Violation(change, "a statement is created by its first change only");
    }
    if (previous != nullptr && previous->state() == v1::STATEMENT_STATE_RETRACTED) {
      return Violation(change, "changed after its retraction");
    }
    const bool retracted = statement.state() == v1::STATEMENT_STATE_RETRACTED;
    if (retracted != (change.kind() == v1::CHANGE_KIND_RETRACTED)) {
      return Violation(change, "state and change kind disagree");
    }
    previous = &statement;
  }
  return absl::OkStatus();
}

absl::Status CheckStatementsMatchLog(const std::vector<v1::StatementChange>& log,
                                     const std::vector<v1::Statement>& current) {
  absl::flat_hash_map<std::string, const v1::Statement*> latest;
  for (const v1::StatementChange& change : log) {
    latest[change.statement().name()] = &change.statement();
  }
  if (current.size() != latest.size()) {
    return absl::DataLossError(absl::StrCat("the log has ", latest.size(),
                                            " statements, ListStatements ",
                                            current.size()));
  }
  for (const v1::Statement& statement : current) {
    auto it = latest.find(statement.name());
    if (it == latest.end()) {
      return absl::DataLossError(absl::StrCat(statement.name(), " is not in the log"));
    }
    std::string difference;
    MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&difference);
    if (!differencer.Compare(*it->second, statement)) {
      return absl::DataLossError(absl::StrCat(
          statement.name(), " differs from its last revision in the log: ", difference));
    }
  }
  return absl::OkStatus();
}

void AcknowledgedWrites::Record(const v1::Statement& statement) {
  absl::MutexLock lock(&mu_);
  acknowledged_.push_back(statement);
}

int64_t AcknowledgedWrites::count() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(acknowledged_.size());
}

absl::Status AcknowledgedWrites::CheckPresentIn(
    const std::vector<v1::StatementChange>& log, int64_t first_n) const {
  absl::MutexLock lock(&mu_);
  const size_t count = first_n < 0 ? acknowledged_.size()
                                   : std::min(acknowledged_.size(), static_cast<size_t>(first_n));
  for (size_t i = 0; i < count; ++i) {
    const v1::Statement& statement = acknowledged_[i];
    const int64_t sequence = statement.sequence();
    if (sequence < 1 || sequence > static_cast<int64_t>(log.size())) {
      return absl::DataLossError(absl::StrCat(
          "acknowledged ", statement.name(), " revision ", statement.revision(),
          " at sequence ", sequence, " is missing: the log ends at ", log.size()));
    }
    std::string difference;
    MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&difference);
    if (!differencer.Compare(statement, log[sequence - 1].statement())) {
      return absl::DataLossError(absl::StrCat("acknowledged ", statement.name(),
                                              " revision ", statement.revision(),
                                              " differs from the log: ", difference));
    }
  }
  return absl::OkStatus();
}

}  // namespace rollcall::faults
