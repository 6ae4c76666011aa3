// StatementService.IngestStatements: one response per request, in order,
// each sent once its statement is durable.
//
// The stream is pipelined: requests are read while earlier ones commit, and
// the requests read during one commit are committed together in the next
// (Store::CreateEachStatement: one transaction and one fsync, each item
// succeeding or failing on its own). At most kWindow requests are read and
// not yet answered; beyond that the stream stops reading, so a producer
// that sends faster than the store commits, or that stops reading its
// responses, is paused by flow control rather than buffered for.
//
// Concurrency: the reactions (OnReadDone, OnWriteDone) and the commit
// running on the service's worker pool share the state under mu_. Each
// decides under the lock what to start next and starts it after releasing
// the lock, since gRPC may run a reaction inline from StartRead/StartWrite.

#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "server/common/hand_off.h"
#include "server/service/grpc_status.h"
#include "server/service/statement_service.h"
#include "server/service/unary.h"

namespace rollcall {
namespace {

// Requests read and not yet answered, at most.
constexpr size_t kWindow = 512;

class IngestReactor final : public grpc::ServerBidiReactor<v1::IngestStatementsRequest,
                                                           v1::IngestStatementsResponse> {
 public:
  IngestReactor(StatementService* service, grpc::CallbackServerContext* context)
      : service_(service), context_(context) {
    {
      absl::MutexLock lock(&mu_);
      reading_ = true;
    }
    HandOffRelease(this);
    StartRead(&read_);
  }

  // The reactions acquire what the operations that led to them released
  // (server/common/hand_off.h); Run releases before starting operations.
  void OnReadDone(bool ok) override {
    HandOffAcquire(this);
    Actions next;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (ok) {
        pending_.push_back(std::move(*read_.mutable_request()));
      } else {
        input_done_ = true;  // the client finished sending (or went away)
      }
      next = Decide();
    }
    if (next.any()) Run(next);
  }

  void OnWriteDone(bool ok) override {
    HandOffAcquire(this);
    Actions next;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {  // the client went away: stop reading and answering
        End(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      }
      next = Decide();
    }
    if (next.any()) Run(next);
  }

  void OnDone() override {
    HandOffAcquire(this);
    delete this;
  }

 private:
  // What to start after releasing mu_.
  struct Actions {
    bool read = false;
    const v1::IngestStatementsResponse* write = nullptr;
    std::vector<v1::CreateStatementRequest> commit;
    int64_t first_index = 0;
    bool finish = false;
    grpc::Status status;

    // Whether there is anything to start. Without, the caller must not
    // touch the reactor again once it has released mu_: another callback
    // may have finished the stream and gRPC may have deleted the reactor.
    bool any() const { return read || write != nullptr || !commit.empty() || finish; }
  };

  Actions Decide() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Actions next;
    if (finished_) return next;
    if (!writing_ && !unanswered_.empty()) {
      writing_ = true;
      sending_ = std::move(unanswered_.front());
      unanswered_.pop_front();
      next.write = &sending_;
    }
    if (!committing_ && !pending_.empty() && !broken_) {
      committing_ = true;
      next.commit.assign(std::make_move_iterator(pending_.begin()),
                         std::make_move_iterator(pending_.end()));
      pending_.clear();
      next.first_index = next_index_;
      next_index_ += static_cast<int64_t>(next.commit.size());
      in_commit_ = next.commit.size();
    }
    const size_t outstanding =
        pending_.size() + in_commit_ + unanswered_.size() + (writing_ ? 1 : 0);
    if (!reading_ && !input_done_ && !broken_ && outstanding < kWindow) {
      reading_ = true;
      next.read = true;
    }
    const bool idle = !reading_ && !writing_ && !committing_;
    if (idle && (broken_ || (input_done_ && pending_.empty() && unanswered_.empty()))) {
      finished_ = true;
      next.finish = true;
      next.status = end_status_.value_or(grpc::Status::OK);
    }
    return next;
  }

  void Run(Actions& next) {
    HandOffRelease(this);
    if (next.write != nullptr) StartWrite(next.write);
    if (next.read) StartRead(&read_);
    if (!next.commit.empty()) {
      service_->workers()->Schedule(
          [this, batch = std::move(next.commit), first = next.first_index] {
            Commit(batch, first);
          });
    }
    if (next.finish) Finish(next.status);
  }

  // Stops reading and answering; the stream ends with `status` once nothing
  // is in progress.
  void End(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    broken_ = true;
    if (!end_status_.has_value()) end_status_ = std::move(status);
    pending_.clear();
    unanswered_.clear();
  }

  // On the worker pool: records `batch` and queues its responses. Items
  // still to record when the deadline has passed are not recorded.
  void Commit(const std::vector<v1::CreateStatementRequest>& batch, int64_t first_index) {
    const absl::Status wanted = StillWanted(context_, "recording the next items");
    absl::StatusOr<std::vector<absl::StatusOr<v1::Statement>>> results =
        wanted.ok() ? service_->CreateEach(batch, "request.") : wanted;
    Actions next;
    {
      absl::MutexLock lock(&mu_);
      committing_ = false;
      in_commit_ = 0;
      if (!wanted.ok()) End(ToGrpcStatus(wanted));
      if (!broken_) {
        for (size_t i = 0; i < batch.size(); ++i) {
          v1::IngestStatementsResponse& response = unanswered_.emplace_back();
          response.set_index(first_index + static_cast<int64_t>(i));
          const absl::Status& status = results.ok() ? (*results)[i].status()
                                                    : results.status();
          if (status.ok()) {
            *response.mutable_statement() = std::move(*(*results)[i]);
          } else {
            *response.mutable_error() = ToRpcStatus(status);
          }
        }
      }
      next = Decide();
    }
    if (next.any()) Run(next);
  }

  StatementService* const service_;
  grpc::CallbackServerContext* const context_;
  v1::IngestStatementsRequest read_;  // the read in progress
  absl::Mutex mu_;
  std::vector<v1::CreateStatementRequest> pending_ ABSL_GUARDED_BY(mu_);
  std::deque<v1::IngestStatementsResponse> unanswered_ ABSL_GUARDED_BY(mu_);
  // The write in progress: set under mu_ only while no write is in flight.
  v1::IngestStatementsResponse sending_;
  size_t in_commit_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t next_index_ ABSL_GUARDED_BY(mu_) = 0;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool committing_ ABSL_GUARDED_BY(mu_) = false;
  bool input_done_ ABSL_GUARDED_BY(mu_) = false;
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> end_status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

grpc::ServerBidiReactor<v1::IngestStatementsRequest, v1::IngestStatementsResponse>*
StatementService::IngestStatements(grpc::CallbackServerContext* context) {
  return new IngestReactor(this, context);
}

}  // namespace rollcall
