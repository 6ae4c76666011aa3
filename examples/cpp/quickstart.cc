// Rollcall from C++ with nothing but the generated stubs: record a
// statement, list an event's roll call page by page, and follow new
// statements live, resuming after a server restart. docs/API.md walks
// through it.
//
//   quickstart --server=localhost:50051 add
//   quickstart --server=localhost:50051 list
//   quickstart --server=localhost:50051 --count=3 watch

#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

ABSL_FLAG(std::string, server, "localhost:50051", "host:port of rollcalld");
ABSL_FLAG(std::string, event, "events/niger-coup-2023", "the event to list or watch");
ABSL_FLAG(int, count, 0, "watch: stop after this many changes (0: never)");
ABSL_FLAG(std::string, quote,
          "The African Union condemns the unconstitutional change of government.",
          "add: the statement's quote");

namespace v1 = rollcall::v1;
using google::protobuf::util::TimeUtil;

namespace {

// Prints an RPC error the way a user wants to read it: code and message.
int Fail(const char* what, const grpc::Status& status) {
  std::cerr << what << " failed: " << status.error_code() << " " << status.error_message()
            << "\n";
  return 1;
}

int Add(v1::StatementService::Stub& stub) {
  v1::CreateStatementRequest request;
  v1::Statement* statement = request.mutable_statement();
  statement->set_event(absl::GetFlag(FLAGS_event));
  statement->set_actor("actors/african-union");
  statement->set_stance(v1::STANCE_CONDEMNS);
  // The same quote by the same actor within a day is refused as a duplicate
  // (ALREADY_EXISTS) unless request.set_allow_duplicate(true).
  statement->set_quote(absl::GetFlag(FLAGS_quote));
  statement->set_language("en");
  *statement->mutable_issue_time() = TimeUtil::GetCurrentTime();
  // Choose the request_id once per statement and send it again on a retry:
  // the server then returns the statement the first attempt created.
  std::random_device random;
  request.set_request_id(
      absl::StrCat("quickstart-", absl::Hex(random()), absl::Hex(random())));

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::Statement created;
  grpc::Status status = stub.CreateStatement(&context, request, &created);
  if (!status.ok()) return Fail("CreateStatement", status);
  std::cout << "created " << created.name() << " (sequence " << created.sequence()
            << ", etag " << created.etag() << ")\n";
  return 0;
}

int List(v1::StatementService::Stub& stub) {
  v1::ListStatementsRequest request;
  request.set_filter("event = \"" + absl::GetFlag(FLAGS_event) + "\"");
  request.set_page_size(10);
  int total = 0;
  do {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::ListStatementsResponse page;
    grpc::Status status = stub.ListStatements(&context, request, &page);
    if (!status.ok()) return Fail("ListStatements", status);
    for (const v1::Statement& statement : page.statements()) {
      std::cout << TimeUtil::ToString(statement.issue_time()) << "  " << statement.actor()
                << "  " << v1::Stance_Name(statement.stance()) << "\n";
      ++total;
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  std::cout << total << " statements\n";
  return 0;
}

int Watch(v1::StatementService::Stub& stub) {
  const int count = absl::GetFlag(FLAGS_count);
  int64_t resume_after = -1;  // none yet: start from now
  int seen = 0;
  std::mt19937 random(std::random_device{}());
  int refused = 0;  // streams in a row that ended before a message
  while (true) {
    v1::SubscribeStatementsRequest request;
    request.set_filter("event = \"" + absl::GetFlag(FLAGS_event) + "\"");
    if (resume_after >= 0) request.set_after_sequence(resume_after);
    grpc::ClientContext context;
    // After a failure, wait for the channel to reconnect rather than fail
    // at once with the last connection error.
    context.set_wait_for_ready(resume_after >= 0);
    std::unique_ptr<grpc::ClientReader<v1::SubscribeStatementsResponse>> stream =
        stub.SubscribeStatements(&context, request);
    v1::SubscribeStatementsResponse message;
    bool received = false;
    while (stream->Read(&message)) {
      received = true;
      for (const v1::StatementChange& change : message.changes()) {
        std::cout << change.sequence() << "  " << v1::ChangeKind_Name(change.kind())
                  << "  " << change.statement().actor() << "  "
                  << change.statement().quote() << std::endl;
        resume_after = change.sequence();
        if (count > 0 && ++seen == count) {
          context.TryCancel();
          return 0;
        }
      }
      if (message.has_caught_up()) {
        resume_after = std::max(resume_after, message.caught_up().head_sequence());
      }
      // A heartbeat says every matching change up to head_sequence was sent.
      if (message.has_heartbeat()) resume_after = message.heartbeat().head_sequence();
    }
    // A server that stops ends streams with UNAVAILABLE, and a call that
    // reaches it while it is stopping comes back CANCELLED: both mean "try
    // again". Anything else (a bad filter, say) will not get better.
    grpc::Status status = stream->Finish();
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
        status.error_code() != grpc::StatusCode::CANCELLED) {
      return Fail("Subscribe", status);
    }
    // After a stream that delivered something (the server went away, or is
    // shutting down and said "reconnect now"), resubscribe at once, with a
    // jitter so that many watchers do not arrive together: the call waits
    // for the channel, whose backoff paces reconnection. Back off from a
    // server that refuses stream after stream.
    refused = received ? 0 : refused + 1;
    const int cap_ms = refused == 0 ? 100 : std::min(100 << std::min(refused - 1, 3), 750);
    const auto delay = std::chrono::milliseconds(
        std::uniform_int_distribution<int>(refused == 0 ? 0 : cap_ms * 4 / 5, cap_ms)(random));
    std::cerr << status.error_message() << "; resuming after sequence " << resume_after
              << " in " << delay.count() << " ms\n";
    std::this_thread::sleep_for(delay);
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("quickstart [--server=HOST:PORT] add|list|watch");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2) {
    std::cerr << "usage: quickstart [--server=HOST:PORT] add|list|watch\n";
    return 2;
  }
  // Reconnect 0.1 s after a lost connection, growing to 0.75 s (gRPC's
  // defaults, 1 s growing to 120 s, would keep a watch stale for up to two
  // minutes after a long outage).
  grpc::ChannelArguments channel_args;
  channel_args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  channel_args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 750);
  std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
      absl::GetFlag(FLAGS_server), grpc::InsecureChannelCredentials(), channel_args);
  std::unique_ptr<v1::StatementService::Stub> stub =
      v1::StatementService::NewStub(channel);
  const std::string command = args[1];
  if (command == "add") return Add(*stub);
  if (command == "list") return List(*stub);
  if (command == "watch") return Watch(*stub);
  std::cerr << "unknown command " << command << "\n";
  return 2;
}
