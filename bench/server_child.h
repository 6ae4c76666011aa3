#ifndef ROLLCALL_BENCH_SERVER_CHILD_H_
#define ROLLCALL_BENCH_SERVER_CHILD_H_

// A rollcalld the benchmark runs itself (startup, restart): launched as a
// child process, awaited until it serves, stopped with SIGTERM.

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace rollcall::bench {

struct ServerChild {
  pid_t pid = 0;
  std::string address;  // "127.0.0.1:PORT", from its "listening on" line
};

// Runs `rollcalld --listen=LISTEN --data_dir=DATA_DIR --log_level=warn` and
// waits for its "rollcalld listening on ADDRESS" line. An error if it
// cannot be run or exits first.
absl::StatusOr<ServerChild> LaunchRollcalld(const std::string& rollcalld,
                                            const std::string& listen,
                                            const std::string& data_dir);

// Asks `address`'s health service until it answers SERVING; false if it
// has not by `deadline`.
bool AwaitServing(const std::string& address, absl::Time deadline);

// Sends SIGTERM and waits for the process to exit; its wait status.
int StopRollcalld(const ServerChild& server);

}  // namespace rollcall::bench

#endif  // ROLLCALL_BENCH_SERVER_CHILD_H_
