// rollcall watch: follows SubscribeStatements, printing each change as it
// arrives. On a broken stream (server restart, network) it resubscribes,
// after the last sequence it saw, so every change is printed exactly once.
//
// When to resubscribe: a stream that delivered something, or that the
// server ended with "reconnect now" (a zero google.rpc.RetryInfo: graceful
// shutdown), is followed at once, after a jitter below the first backoff so
// that many watchers do not arrive in the same millisecond. The new call is
// wait-for-ready: it waits for the channel to connect, and gRPC's reconnect
// backoff (capped by --reconnect_backoff_max) paces the attempts while the
// server is down, so the stream resumes within about a cap of the server's
// return. Streams refused one after the other back off exponentially up to
// the same cap, so a server that keeps refusing is not hammered.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/random/random.h"
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
    bool resubscribing = false;
    while (true) {
      absl::StatusOr<v1::SubscribeStatementsRequest> request = Request(*filter);
      if (!request.ok()) return AsUsageError(request.status());
      std::unique_ptr<grpc::ClientContext> context = session_.NewStreamContext();
      // The first call fails at once if the server is unreachable; a
      // resubscription waits for the channel to (re)connect.
      context->set_wait_for_ready(resubscribing);
      auto reader = stub->SubscribeStatements(context.get(), *request);
      v1::SubscribeStatementsResponse response;
      bool received = false;
      while (reader->Read(&response)) {
        received = true;
        if (Handle(response)) {
          context->TryCancel();
          reader->Finish();
          return absl::OkStatus();
        }
      }
      grpc::Status status = reader->Finish();
      if (IsPermanent(status.error_code())) return ToStatus(status);
      const std::chrono::milliseconds delay = NextDelay(ToStatus(status), received);
      std::cerr << "rollcall: watch: stream ended (" << StatusLine(ToStatus(status))
                << "); reconnecting in " << delay.count() << " ms"
                << (position_ ? absl::StrCat(", resuming after sequence ", *position_)
                              : "")
                << std::endl;
      std::this_thread::sleep_for(delay);
      resubscribing = true;
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

  // The pause before resubscribing after a stream that ended with `status`
  // (see the top of this file).
  std::chrono::milliseconds NextDelay(const absl::Status& status, bool received) {
    refused_ = received ? 0 : refused_ + 1;
    const ReconnectBackoff backoff = session_.reconnect_backoff();
    const double initial_ms = backoff.initial_seconds * 1000;
    if (refused_ == 0 || (refused_ == 1 && AsksToReconnectNow(status))) {
      return std::chrono::milliseconds(
          static_cast<int64_t>(absl::Uniform(random_, 0.0, initial_ms)));
    }
    const double base_ms = std::min(initial_ms * std::pow(2.0, refused_ - 1),
                                    backoff.max_seconds * 1000);
    return std::chrono::milliseconds(
        static_cast<int64_t>(base_ms * absl::Uniform(random_, 0.8, 1.2)));
  }

  void Advance(int64_t sequence) {
    if (!position_.has_value() || sequence > *position_) position_ = sequence;
  }

  Session& session_;
  const WatchFlags& flags_;
  std::optional<int64_t> position_;
  int64_t printed_ = 0;
  bool announced_caught_up_ = false;
  int refused_ = 0;  // streams in a row that ended before a response
  absl::BitGen random_;
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
