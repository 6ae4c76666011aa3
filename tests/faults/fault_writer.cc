#include "tests/faults/fault_writer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "tests/faults/fault_client.h"

namespace rollcall::faults {

FaultWriter::FaultWriter(int id, v1::StatementService::Stub& stub,
                         AcknowledgedWrites& acknowledged, absl::Mutex& gate,
                         bool cancelled_means_gone)
    : id_(id),
      cancelled_means_gone_(cancelled_means_gone),
      stub_(stub),
      acknowledged_(acknowledged),
      gate_(gate) {}

absl::Status FaultWriter::Run(const std::atomic<bool>& stop) {
  while (!stop.load()) {
    absl::ReaderMutexLock lock(&gate_);
    absl::Status status = RunOne();
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status FaultWriter::RunOne() {
  if (!unknown_creates_.empty()) {
    v1::BatchCreateStatementsRequest retry = std::move(unknown_creates_.back());
    unknown_creates_.pop_back();
    return Create(std::move(retry));
  }
  const int dice = absl::Uniform(random_, 0, 100);
  if (dice < 40) return Create(NewRequests(1));
  if (dice < 50) return Create(NewRequests(absl::Uniform(random_, 2, 6)));
  if (dice < 58) return Ingest(NewRequests(absl::Uniform(random_, 2, 6)));
  if (dice < 85) return Update();
  return Retract();
}

v1::BatchCreateStatementsRequest FaultWriter::NewRequests(int count) {
  v1::BatchCreateStatementsRequest batch;
  for (int i = 0; i < count; ++i) {
    const std::string tag = absl::StrCat("w", id_, "-", next_tag_++);
    v1::CreateStatementRequest* request = batch.add_requests();
    *request->mutable_statement() = MakeStatement(random_, tag);
    request->set_request_id(tag);
    request->set_allow_duplicate(true);
  }
  return batch;
}

absl::Status FaultWriter::Create(v1::BatchCreateStatementsRequest batch) {
  grpc::Status status;
  std::vector<v1::Statement> created;
  if (batch.requests_size() == 1) {
    v1::Statement statement;
    status = stub_.CreateStatement(WaitingContext().get(), batch.requests(0), &statement);
    created.push_back(std::move(statement));
  } else {
    v1::BatchCreateStatementsResponse response;
    status = stub_.BatchCreateStatements(WaitingContext().get(), batch, &response);
    created.assign(response.statements().begin(), response.statements().end());
  }
  if (!status.ok()) {
    unknown_creates_.push_back(std::move(batch));
    return Explained(status, "create");
  }
  if (created.size() != static_cast<size_t>(batch.requests_size())) {
    return absl::InternalError("a batch create answered with another count");
  }
  for (const v1::Statement& statement : created) {
    Acknowledge(statement);
    if (statement.state() == v1::STATEMENT_STATE_ACTIVE) mine_.push_back(statement.name());
  }
  return absl::OkStatus();
}

absl::Status FaultWriter::Ingest(v1::BatchCreateStatementsRequest batch) {
  auto context = WaitingContext();
  auto stream = stub_.IngestStatements(context.get());
  for (const v1::CreateStatementRequest& request : batch.requests()) {
    v1::IngestStatementsRequest item;
    *item.mutable_request() = request;
    if (!stream->Write(item)) break;
  }
  stream->WritesDone();
  std::vector<bool> answered(static_cast<size_t>(batch.requests_size()), false);
  v1::IngestStatementsResponse response;
  while (stream->Read(&response)) {
    const int64_t index = response.index();
    if (index < 0 || index >= batch.requests_size() || answered[index]) {
      return absl::InternalError(absl::StrCat("writer ", id_, ": ingest answered index ",
                                              index, " of ", batch.requests_size()));
    }
    if (response.has_statement()) {
      answered[index] = true;
      Acknowledge(response.statement());
      mine_.push_back(response.statement().name());
    } else if (response.error().code() != grpc::StatusCode::UNAVAILABLE) {
      return absl::InternalError(
          absl::StrCat("writer ", id_, ": ingest item failed: ", response.error().code(),
                       ": ", response.error().message()));
    }
  }
  const grpc::Status status = stream->Finish();
  // Items without an answer have an unknown outcome: retried as they were.
  v1::BatchCreateStatementsRequest unanswered;
  for (int i = 0; i < batch.requests_size(); ++i) {
    if (!answered[i]) *unanswered.add_requests() = batch.requests(i);
  }
  if (unanswered.requests_size() > 0) unknown_creates_.push_back(std::move(unanswered));
  return status.ok() ? absl::OkStatus() : Explained(status, "ingest");
}

absl::StatusOr<bool> FaultWriter::ReadOneOfMine(v1::Statement* statement) {
  while (!mine_.empty()) {
    const size_t index = absl::Uniform<size_t>(random_, 0, mine_.size());
    v1::GetStatementRequest request;
    request.set_name(mine_[index]);
    grpc::Status status = stub_.GetStatement(WaitingContext().get(), request, statement);
    if (!status.ok()) {
      absl::Status explained = Explained(status, "get");
      if (!explained.ok()) return explained;
      return false;
    }
    // A retraction whose answer a crash lost may have committed.
    if (statement->state() == v1::STATEMENT_STATE_ACTIVE) return true;
    mine_.erase(mine_.begin() + static_cast<std::ptrdiff_t>(index));
  }
  return false;
}

absl::Status FaultWriter::Update() {
  v1::Statement current;
  absl::StatusOr<bool> found = ReadOneOfMine(&current);
  if (!found.ok() || !*found) return found.status();
  v1::UpdateStatementRequest request;
  request.mutable_statement()->set_name(current.name());
  request.mutable_statement()->set_etag(current.etag());
  request.mutable_statement()->set_summary(
      absl::StrCat("Corrected by writer ", id_, " after revision ", current.revision()));
  request.mutable_update_mask()->add_paths("summary");
  v1::Statement updated;
  grpc::Status status = stub_.UpdateStatement(WaitingContext().get(), request, &updated);
  if (!status.ok()) return Explained(status, "update");
  Acknowledge(updated);
  return absl::OkStatus();
}

absl::Status FaultWriter::Retract() {
  v1::Statement current;
  absl::StatusOr<bool> found = ReadOneOfMine(&current);
  if (!found.ok() || !*found) return found.status();
  v1::RetractStatementRequest request;
  request.set_name(current.name());
  request.set_etag(current.etag());
  request.set_reason(absl::StrCat("withdrawn by writer ", id_));
  v1::Statement retracted;
  grpc::Status status = stub_.RetractStatement(WaitingContext().get(), request, &retracted);
  if (!status.ok()) return Explained(status, "retract");
  Acknowledge(retracted);
  return absl::OkStatus();
}

absl::Status FaultWriter::Explained(const grpc::Status& status, absl::string_view call) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) return absl::OkStatus();
  if (cancelled_means_gone_ && status.error_code() == grpc::StatusCode::CANCELLED) {
    return absl::OkStatus();
  }
  return absl::InternalError(
      absl::StrCat("writer ", id_, ": ", call, " failed: ", Describe(status)));
}

void FaultWriter::Acknowledge(const v1::Statement& statement) {
  acknowledged_.Record(statement);
}

}  // namespace rollcall::faults
