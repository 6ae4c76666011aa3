#include "tests/faults/fault_client.h"

#include "absl/strings/str_cat.h"
#include "rollcall/v1/actor_service.grpc.pb.h"
#include "rollcall/v1/event_service.grpc.pb.h"

namespace rollcall::faults {
namespace {

absl::Status ToAbsl(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

google::protobuf::Timestamp Seconds(int64_t seconds) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  return timestamp;
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 50);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   arguments);
}

std::unique_ptr<grpc::ClientContext> WaitingContext(absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_wait_for_ready(true);
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

absl::Status CreateFixture(grpc::Channel& channel) {
  auto actors = v1::ActorService::NewStub(channel.shared_from_this());
  const v1::ActorKind kinds[] = {v1::ACTOR_KIND_REGIONAL_BLOC, v1::ACTOR_KIND_STATE};
  for (int i = 0; i < 2; ++i) {
    v1::CreateActorRequest request;
    request.set_actor_id(std::string(kActors[i]).substr(sizeof("actors/") - 1));
    request.mutable_actor()->set_display_name(kActors[i]);
    request.mutable_actor()->set_kind(kinds[i]);
    v1::Actor actor;
    absl::Status status = ToAbsl(
        actors->CreateActor(WaitingContext().get(), request, &actor), kActors[i]);
    if (!status.ok()) return status;
  }
  auto events = v1::EventService::NewStub(channel.shared_from_this());
  v1::CreateEventRequest request;
  request.set_event_id(std::string(kEvent).substr(sizeof("events/") - 1));
  request.mutable_event()->set_title("An event the fault tests react to");
  *request.mutable_event()->mutable_start_time() = Seconds(1690351200);
  v1::Event event;
  return ToAbsl(events->CreateEvent(WaitingContext().get(), request, &event), kEvent);
}

v1::Statement MakeStatement(absl::BitGen& random, const std::string& tag) {
  v1::Statement statement;
  statement.set_event(kEvent);
  statement.set_actor(kActors[absl::Uniform(random, 0, 2)]);
  statement.set_stance(static_cast<v1::Stance>(absl::Uniform(random, 1, 6)));
  statement.set_quote(absl::StrCat("Statement ", tag, " condemns the seizure of power."));
  statement.set_language("en");
  *statement.mutable_issue_time() =
      Seconds(1690400000 + absl::Uniform(random, 0, 86400 * 30));
  v1::Source* source = statement.add_sources();
  source->set_publisher("Fault wire");
  source->set_url(absl::StrCat("https://example.org/faults/", tag));
  (*statement.mutable_labels())["tag"] = tag;
  return statement;
}

absl::StatusOr<std::vector<v1::StatementChange>> ReadWholeLog(
    v1::StatementService::Stub& stub) {
  auto context = WaitingContext();
  v1::SubscribeStatementsRequest request;
  request.set_from_beginning(true);
  auto stream = stub.SubscribeStatements(context.get(), request);
  std::vector<v1::StatementChange> log;
  v1::SubscribeStatementsResponse response;
  while (stream->Read(&response)) {
    for (v1::StatementChange& change : *response.mutable_changes()) {
      log.push_back(std::move(change));
    }
    if (response.has_caught_up()) {
      context->TryCancel();
      stream->Finish().IgnoreError();
      return log;
    }
  }
  grpc::Status status = stream->Finish();
  return ToAbsl(status.ok() ? grpc::Status(grpc::StatusCode::INTERNAL,
                                           "stream ended before caught_up")
                            : status,
                "reading the log");
}

absl::StatusOr<std::vector<v1::Statement>> ListAllStatements(
    v1::StatementService::Stub& stub) {
  std::vector<v1::Statement> all;
  v1::ListStatementsRequest request;
  request.set_page_size(1000);
  request.set_show_retracted(true);
  do {
    v1::ListStatementsResponse response;
    absl::Status status = ToAbsl(
        stub.ListStatements(WaitingContext().get(), request, &response), "ListStatements");
    if (!status.ok()) return status;
    for (v1::Statement& statement : *response.mutable_statements()) {
      all.push_back(std::move(statement));
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat(status.error_code(), ": ", status.error_message());
}

absl::Status CheckStoreHoldsAcknowledged(v1::StatementService::Stub& stub,
                                         const AcknowledgedWrites& acknowledged,
                                         std::vector<v1::StatementChange>* log) {
  absl::StatusOr<std::vector<v1::StatementChange>> read = ReadWholeLog(stub);
  if (!read.ok()) return read.status();
  *log = *std::move(read);
  absl::Status status = CheckLogIsWellFormed(*log);
  if (status.ok()) status = acknowledged.CheckPresentIn(*log);
  if (!status.ok()) return status;
  absl::StatusOr<std::vector<v1::Statement>> current = ListAllStatements(stub);
  if (!current.ok()) return current.status();
  return CheckStatementsMatchLog(*log, *current);
}

}  // namespace rollcall::faults
