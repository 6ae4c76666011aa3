#ifndef ROLLCALL_BENCH_RESTART_CLIENTS_H_
#define ROLLCALL_BENCH_RESTART_CLIENTS_H_

// The restart scenario's writer and channel watches: the clients whose
// timestamps decompose "the first change after SERVING" into when each
// client had a connection again, when the first write after SERVING was
// committed, and when it reached the subscribers.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "grpcpp/channel.h"
#include "rollcall/v1/statement_service.grpc.pb.h"

namespace rollcall::bench {

// Channels with the clients' reconnect backoff (0.1 s growing to 0.75 s),
// each its own connection.
std::vector<std::shared_ptr<grpc::Channel>> ClientChannels(const std::string& address,
                                                           int count,
                                                           const std::string& role);

// One acknowledged write, times in Unix microseconds.
struct WriteRecord {
  int64_t sent_micros;    // its first attempt started
  int64_t acked_micros;   // its acknowledgement arrived
  int64_t commit_micros;  // its update_time: when the server committed it
  int64_t sequence;
  int event;
};

// Commits workload statements at `rate` per second until stopped; a call
// the restart interrupts is retried with its request_id (wait-for-ready),
// so writes continue across the outage. Behind schedule (after an outage)
// it writes back to back until it has caught up.
class Writer {
 public:
  Writer(std::shared_ptr<grpc::Channel> channel, int events, double rate);
  ~Writer() { Stop(); }
  void Stop();
  int64_t committed() const { return committed_; }
  int64_t retried() const { return retried_; }
  // Only after Stop().
  const std::vector<WriteRecord>& writes() const { return writes_; }

 private:
  void Run();

  std::unique_ptr<rollcall::v1::StatementService::Stub> stub_;
  const int events_;
  const double rate_;
  std::vector<WriteRecord> writes_;  // the writer thread's until Stop()
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> committed_{0};
  std::atomic<int64_t> retried_{0};
  std::thread thread_;  // last: starts once the rest is built
};

// Records when each of `channels` becomes READY (connected): a thread of
// its own looks at their states every 2 ms until the watch is destroyed.
class ChannelWatch {
 public:
  explicit ChannelWatch(std::vector<std::shared_ptr<grpc::Channel>> channels);
  ~ChannelWatch();
  // For each channel, the first time it was READY after `after_micros`
  // (Unix micros; 0: not since).
  std::vector<int64_t> ReadySince(int64_t after_micros) const;

 private:
  void Run();

  const std::vector<std::shared_ptr<grpc::Channel>> channels_;
  mutable absl::Mutex mu_;
  // Per channel, the times it was seen becoming READY.
  std::vector<std::vector<int64_t>> ready_micros_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last
};

}  // namespace rollcall::bench

#endif  // ROLLCALL_BENCH_RESTART_CLIENTS_H_
