#include "client/cli/client.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"
#include "rollcall/v1/actor_service.grpc.pb.h"
#include "rollcall/v1/event_service.grpc.pb.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

namespace rollcall::cli {
namespace {

// The page size used when reading everything: the server's maximum.
constexpr int kMaxPageSize = 1000;

}  // namespace

struct RollcallClient::Stubs {
  explicit Stubs(const std::shared_ptr<grpc::Channel>& channel)
      : actors(v1::ActorService::NewStub(channel)),
        events(v1::EventService::NewStub(channel)),
        statements(v1::StatementService::NewStub(channel)) {}

  std::unique_ptr<v1::ActorService::Stub> actors;
  std::unique_ptr<v1::EventService::Stub> events;
  std::unique_ptr<v1::StatementService::Stub> statements;
};

RollcallClient::RollcallClient(Session& session)
    : session_(session), stubs_(std::make_unique<Stubs>(session.channel())) {}

RollcallClient::~RollcallClient() = default;

// Calls stub->method(context, request, &response) with a fresh deadline.
#define ROLLCALL_UNARY_CALL(stub, method, request, Response)               \
  do {                                                                     \
    Response response;                                                     \
    auto context = session_.NewContext();                                  \
    grpc::Status status = stub->method(context.get(), request, &response); \
    if (!status.ok()) return ToStatus(status);                             \
    return response;                                                       \
  } while (false)

absl::StatusOr<v1::Actor> RollcallClient::CreateActor(
    const v1::CreateActorRequest& request) {
  ROLLCALL_UNARY_CALL(stubs_->actors, CreateActor, request, v1::Actor);
}

absl::StatusOr<v1::Actor> RollcallClient::GetActor(const std::string& name) {
  v1::GetActorRequest request;
  request.set_name(name);
  ROLLCALL_UNARY_CALL(stubs_->actors, GetActor, request, v1::Actor);
}

absl::StatusOr<v1::Actor> RollcallClient::UpdateActor(
    const v1::UpdateActorRequest& request) {
  ROLLCALL_UNARY_CALL(stubs_->actors, UpdateActor, request, v1::Actor);
}

absl::StatusOr<std::vector<v1::Actor>> RollcallClient::ListActors(
    const std::string& filter) {
  v1::ListActorsRequest request;
  request.set_filter(filter);
  request.set_page_size(kMaxPageSize);
  std::vector<v1::Actor> actors;
  do {
    v1::ListActorsResponse response;
    auto context = session_.NewContext();
    grpc::Status status = stubs_->actors->ListActors(context.get(), request, &response);
    if (!status.ok()) return ToStatus(status);
    for (auto& actor : *response.mutable_actors()) {
      actors.push_back(std::move(actor));
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return actors;
}

absl::StatusOr<v1::Event> RollcallClient::CreateEvent(
    const v1::CreateEventRequest& request) {
  ROLLCALL_UNARY_CALL(stubs_->events, CreateEvent, request, v1::Event);
}

absl::StatusOr<v1::Event> RollcallClient::GetEvent(const std::string& name) {
  v1::GetEventRequest request;
  request.set_name(name);
  ROLLCALL_UNARY_CALL(stubs_->events, GetEvent, request, v1::Event);
}

absl::StatusOr<v1::SummarizeReactionsResponse> RollcallClient::SummarizeReactions(
    const v1::SummarizeReactionsRequest& request) {
  ROLLCALL_UNARY_CALL(stubs_->statements, SummarizeReactions, request,
                      v1::SummarizeReactionsResponse);
}

absl::StatusOr<v1::Event> RollcallClient::UpdateEvent(
    const v1::UpdateEventRequest& request) {
  ROLLCALL_UNARY_CALL(stubs_->events, UpdateEvent, request, v1::Event);
}

absl::StatusOr<std::vector<v1::Event>> RollcallClient::ListEvents(
    const std::string& filter) {
  v1::ListEventsRequest request;
  request.set_filter(filter);
  request.set_page_size(kMaxPageSize);
  std::vector<v1::Event> events;
  do {
    v1::ListEventsResponse response;
    auto context = session_.NewContext();
    grpc::Status status = stubs_->events->ListEvents(context.get(), request, &response);
    if (!status.ok()) return ToStatus(status);
    for (auto& event : *response.mutable_events()) {
      events.push_back(std::move(event));
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return events;
}

absl::StatusOr<v1::Statement> RollcallClient::CreateStatement(
    const v1::CreateStatementRequest& request) {
  if (request.request_id().empty()) {
    return absl::InternalError("CreateStatement without a request_id");
  }
  absl::Status last;
  for (int attempt = 0; attempt < 2; ++attempt) {
    v1::Statement response;
    auto context = session_.NewContext();
    grpc::Status status =
        stubs_->statements->CreateStatement(context.get(), request, &response);
    if (status.ok()) return response;
    last = ToStatus(status);
    if (!IsRetryable(last)) break;
  }
  return last;
}

namespace {

class GrpcIngestStream final : public IngestStream {
 public:
  GrpcIngestStream(v1::StatementService::Stub* stub,
                   std::unique_ptr<grpc::ClientContext> context, OnAnswer on_answer)
      : context_(std::move(context)),
        stream_(stub->IngestStatements(context_.get())),
        on_answer_(std::move(on_answer)),
        reader_([this] { ReadAnswers(); }) {}

  ~GrpcIngestStream() override {
    if (reader_.joinable()) {
      context_->TryCancel();
      reader_.join();
    }
  }

  bool Send(const v1::CreateStatementRequest& request, int64_t tag) override {
    {
      absl::MutexLock lock(&mu_);
      if (broken_) return false;
      tags_.push_back(tag);
    }
    v1::IngestStatementsRequest message;
    *message.mutable_request() = request;
    if (stream_->Write(message)) return true;
    absl::MutexLock lock(&mu_);
    tags_.pop_back();
    broken_ = true;
    return false;
  }

  void Drain() override {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](GrpcIngestStream* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) {
          return s->tags_.empty() || s->reader_done_;
        },
        this));
  }

  absl::Status Close() override {
    stream_->WritesDone();
    reader_.join();
    return ToStatus(stream_->Finish());
  }

 private:
  void ReadAnswers() {
    v1::IngestStatementsResponse response;
    while (stream_->Read(&response)) {
      int64_t tag = 0;
      {
        absl::MutexLock lock(&mu_);
        if (tags_.empty()) break;  // more answers than requests: not ours
        tag = tags_.front();
      }
      if (response.has_statement()) {
        on_answer_(tag, std::move(*response.mutable_statement()));
      } else {
        // Fields are named as in a CreateStatementRequest, as for a unary
        // create: without the stream item's "request." prefix.
        absl::string_view message = response.error().message();
        absl::ConsumePrefix(&message, "request.");
        on_answer_(tag, absl::Status(static_cast<absl::StatusCode>(response.error().code()),
                                     message));
      }
      absl::MutexLock lock(&mu_);
      tags_.pop_front();
    }
    absl::MutexLock lock(&mu_);
    reader_done_ = true;
    broken_ = true;
  }

  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::IngestStatementsRequest,
                                           v1::IngestStatementsResponse>>
      stream_;
  OnAnswer on_answer_;
  absl::Mutex mu_;
  std::deque<int64_t> tags_ ABSL_GUARDED_BY(mu_);  // sent, not yet answered
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
  bool reader_done_ ABSL_GUARDED_BY(mu_) = false;
  std::thread reader_;  // last: starts once the rest is ready
};

}  // namespace

std::unique_ptr<IngestStream> RollcallClient::OpenIngest(IngestStream::OnAnswer on_answer) {
  auto context = session_.NewContext();
  context->set_deadline(std::chrono::system_clock::time_point::max());
  return std::make_unique<GrpcIngestStream>(stubs_->statements.get(), std::move(context),
                                            std::move(on_answer));
}

absl::StatusOr<v1::Statement> RollcallClient::GetStatement(const std::string& name) {
  v1::GetStatementRequest request;
  request.set_name(name);
  ROLLCALL_UNARY_CALL(stubs_->statements, GetStatement, request, v1::Statement);
}

absl::StatusOr<v1::Statement> RollcallClient::UpdateStatement(
    const v1::UpdateStatementRequest& request) {
  ROLLCALL_UNARY_CALL(stubs_->statements, UpdateStatement, request, v1::Statement);
}

absl::StatusOr<v1::Statement> RollcallClient::RetractStatement(
    const v1::RetractStatementRequest& request) {
  ROLLCALL_UNARY_CALL(stubs_->statements, RetractStatement, request, v1::Statement);
}

absl::StatusOr<std::vector<v1::Statement>> RollcallClient::ListStatements(
    v1::ListStatementsRequest request, int limit,
    const std::function<void(size_t read)>& on_page,
    std::vector<v1::Position>* positions) {
  if (positions != nullptr) positions->clear();
  request.clear_page_token();
  std::vector<v1::Statement> statements;
  do {
    const int wanted =
        limit == 0 ? kMaxPageSize : limit - static_cast<int>(statements.size());
    request.set_page_size(std::min(wanted, kMaxPageSize));
    v1::ListStatementsResponse response;
    auto context = session_.NewContext();
    grpc::Status status =
        stubs_->statements->ListStatements(context.get(), request, &response);
    if (!status.ok()) return ToStatus(status);
    for (int i = 0; i < response.statements_size(); ++i) {
      if (limit != 0 && static_cast<int>(statements.size()) >= limit) break;
      statements.push_back(std::move(*response.mutable_statements(i)));
      if (positions != nullptr) {
        positions->push_back(i < response.positions_size()
                                 ? response.positions(i)
                                 : v1::POSITION_UNSPECIFIED);
      }
    }
    if (on_page) on_page(statements.size());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty() &&
           (limit == 0 || static_cast<int>(statements.size()) < limit));
  return statements;
}

absl::StatusOr<std::vector<v1::Statement>> RollcallClient::ListRevisions(
    const std::string& name) {
  v1::ListStatementRevisionsRequest request;
  request.set_name(name);
  request.set_page_size(kMaxPageSize);
  std::vector<v1::Statement> revisions;
  do {
    v1::ListStatementRevisionsResponse response;
    auto context = session_.NewContext();
    grpc::Status status =
        stubs_->statements->ListStatementRevisions(context.get(), request, &response);
    if (!status.ok()) return ToStatus(status);
    for (auto& revision : *response.mutable_statements()) {
      revisions.push_back(std::move(revision));
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return revisions;
}

#undef ROLLCALL_UNARY_CALL

}  // namespace rollcall::cli
