// rollcall watch: follows SubscribeStatements, printing each change as it
// arrives. On a broken stream (server restart, network) it reconnects with
// backoff and resumes after the last sequence it saw, so every change is
// printed exactly once.

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/cli/statement_filter.h"
#include "client/cli/values.h"
#include "client/cli/views.h"
#include "grpcpp/grpcpp.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

namespace rollcall::cli {
namespace {

struct WatchFlags {
  StatementListFlags filter;
  int64_t after = -1;
  bool from_start = false;
  std::string since;
  int64_t count = 0;
  double heartbeat_seconds = 0;
};

constexpr std::chrono::milliseconds kFirstBackoff{250};
constexpr std::chrono::milliseconds kMaxBackoff{8000};

// Errors that a reconnect cannot cure.
bool IsPermanent(grpc::StatusCode code) {
  return code == grpc::StatusCode::INVALID_ARGUMENT ||
         code == grpc::StatusCode::OUT_OF_RANGE || code == grpc::StatusCode::NOT_FOUND ||
         code == grpc::StatusCode::FAILED_PRECONDITION ||
         code == grpc::StatusCode::UNAUTHENTICATED ||
         code == grpc::StatusCode::PERMISSION_DENIED ||
         code == grpc::StatusCode::UNIMPLEMENTED;
}

class Watcher {
 public:
  Watcher(Session& session, const WatchFlags& flags) : session_(session), flags_(flags) {}

  absl::Status Run() {
    absl::StatusOr<std::string> filter = BuildStatementFilter(flags_.filter);
    if (!filter.ok()) return AsUsageError(filter.status());
    if (flags_.after >= 0) position_ = flags_.after;
    auto stub = v1::StatementService::NewStub(session_.channel());
    std::chrono::milliseconds backoff = kFirstBackoff;
    while (true) {
      absl::StatusOr<v1::SubscribeStatementsRequest> request = Request(*filter);
      if (!request.ok()) return AsUsageError(request.status());
      std::unique_ptr<grpc::ClientContext> context = session_.NewStreamContext();
      auto reader = stub->SubscribeStatements(context.get(), *request);
      v1::SubscribeStatementsResponse response;
      while (reader->Read(&response)) {
        backoff = kFirstBackoff;
        if (Handle(response)) {
          context->TryCancel();
          reader->Finish();
          return absl::OkStatus();
        }
      }
      grpc::Status status = reader->Finish();
      if (IsPermanent(status.error_code())) return ToStatus(status);
      std::cerr << "rollcall: watch: stream ended (" << StatusLine(ToStatus(status))
                << "); reconnecting in " << backoff.count() << " ms"
                << (position_ ? absl::StrCat(", resuming after sequence ", *position_)
                              : "")
                << std::endl;
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }

 private:
  // The request for the next stream: the user's start position the first
  // time, then resumption after the last position seen.
  absl::StatusOr<v1::SubscribeStatementsRequest> Request(const std::string& filter) {
    v1::SubscribeStatementsRequest request;
    request.set_filter(filter);
    if (flags_.heartbeat_seconds > 0) {
      const auto nanos = static_cast<int64_t>(flags_.heartbeat_seconds * 1e9);
      request.mutable_heartbeat_interval()->set_seconds(nanos / 1000000000);
      request.mutable_heartbeat_interval()->set_nanos(
          static_cast<int32_t>(nanos % 1000000000));
    }
    if (position_.has_value()) {
      request.set_after_sequence(*position_);
    } else if (flags_.from_start) {
      request.set_from_beginning(true);
    } else if (!flags_.since.empty()) {
      absl::StatusOr<TimeValue> since = ParseTime("--since", flags_.since);
      if (!since.ok()) return since.status();
      *request.mutable_start_time() = since->timestamp;
    }
    return request;
  }

  // Prints the changes and notes the position; true when --count is reached.
  bool Handle(const v1::SubscribeStatementsResponse& response) {
    for (const v1::StatementChange& change : response.changes()) {
      PrintChange(change, session_.json_output(), std::cout);
      position_ = change.sequence();
      if (flags_.count > 0 && ++printed_ >= flags_.count) {
        std::cout.flush();
        return true;
      }
    }
    std::cout.flush();
    if (response.has_caught_up()) {
      Advance(response.caught_up().head_sequence());
      if (!announced_caught_up_) {
        std::cerr << "rollcall: watch: caught up at sequence "
                  << response.caught_up().head_sequence() << "; waiting for changes"
                  << std::endl;
        announced_caught_up_ = true;
      }
    } else if (response.has_heartbeat()) {
      Advance(response.heartbeat().head_sequence());
    }
    return false;
  }

  void Advance(int64_t sequence) {
    if (!position_.has_value() || sequence > *position_) position_ = sequence;
  }

  Session& session_;
  const WatchFlags& flags_;
  std::optional<int64_t> position_;
  int64_t printed_ = 0;
  bool announced_caught_up_ = false;
};

}  // namespace

void AddWatchCommand(CLI::App& app, Session& session, Command* selected) {
  auto flags = std::make_shared<WatchFlags>();
  CLI::App* watch = app.add_subcommand(
      "watch", "Print each new, corrected or retracted statement as it is committed");
  AddStatementFilterFlags(watch, &flags->filter, /*issue_time_flags=*/false);
  auto* after =
      watch->add_option("--after", flags->after, "Resume: start after this sequence")
          ->check(CLI::NonNegativeNumber);
  auto* from_start = watch->add_flag("--from-start", flags->from_start,
                                     "Start from the first change ever committed");
  auto* since = watch->add_option("--since", flags->since,
                                  "Start from changes committed at or after this time");
  after->excludes(from_start)->excludes(since);
  from_start->excludes(since);
  watch->add_option("--count", flags->count, "Exit after printing this many changes")
      ->check(CLI::NonNegativeNumber);
  watch->add_option("--heartbeat", flags->heartbeat_seconds,
                    "Ask for heartbeats at this interval, in seconds");
  watch->callback([&session, selected, flags] {
    *selected = [&session, flags] { return Watcher(session, *flags).Run(); };
  });
}

}  // namespace rollcall::cli
