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

// Records when each of `channels` becomes READY (connected): a thread of
// its own looks at their states every 2 ms until the watch is destroyed.
class ChannelWatch {
 public:
  explicit ChannelWatch(std::vector<std::shared_ptr<grpc::Channel>> channels);
  ~ChannelWatch();
  // For each channel, the first time it was READY after `after_micros`
  // (Unix micros; 0: not since).
  std::vector<int64_t> ReadySince(int64_t after_micros) const;
  // Every time channel `i` was seen becoming READY.
  std::vector<int64_t> ReadyTimes(size_t i) const;

 private:
  void Run();

  const std::vector<std::shared_ptr<grpc::Channel>> channels_;
  mutable absl::Mutex mu_;
  // Per channel, the times it was seen becoming READY.
  std::vector<std::vector<int64_t>> ready_micros_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last
};

// The restart scenario's writer, in this process or in a child process.
class RestartWriter {
 public:
  virtual ~RestartWriter() = default;
  virtual void Stop() = 0;
  // Only after Stop().
  virtual const std::vector<WriteRecord>& writes() const = 0;
  virtual int64_t retried() const = 0;
  // When its channel became READY after `after_micros` (0: not seen).
  virtual int64_t ReadySince(int64_t after_micros) const = 0;
};

// Commits workload statements at `rate` per second until stopped; a call
// the restart interrupts is retried with its request_id (wait-for-ready),
// so writes continue across the outage. Behind schedule (after an outage)
// it writes back to back until it has caught up.
class Writer : public RestartWriter {
 public:
  // Writes over `channel`, whose states `watch` (if not null) follows.
  Writer(std::shared_ptr<grpc::Channel> channel, int events, double rate,
         const ChannelWatch* watch = nullptr);
  ~Writer() override { Stop(); }
  void Stop() override;
  int64_t retried() const override { return retried_; }
  const std::vector<WriteRecord>& writes() const override { return writes_; }
  int64_t ReadySince(int64_t after_micros) const override;

 private:
  void Run();

  const ChannelWatch* const watch_;
  std::unique_ptr<rollcall::v1::StatementService::Stub> stub_;
  const int events_;
  const double rate_;
  std::vector<WriteRecord> writes_;  // the writer thread's until Stop()
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> retried_{0};
  std::thread thread_;  // last: starts once the rest is built
};

// The same writer in a child process (`rollcall-bench restart-writer`), so
// that its calls do not share this process's gRPC threads with thousands of
// streams, as a writer in a deployment would not.
class WriterProcess : public RestartWriter {
 public:
  // Runs this program (/proc/self/exe) as the writer against `address`.
  WriterProcess(const std::string& address, int events, double rate);
  ~WriterProcess() override { Stop(); }
  bool started() const { return pid_ > 0; }
  // Closes the child's stdin, reads what it reports, and waits for it.
  void Stop() override;
  int64_t retried() const override { return retried_; }
  const std::vector<WriteRecord>& writes() const override { return writes_; }
  int64_t ReadySince(int64_t after_micros) const override;

 private:
  int pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::vector<WriteRecord> writes_;
  std::vector<int64_t> ready_micros_;
  int64_t retried_ = 0;
};

// The child's side: writes to `target` until its stdin closes, then prints
// one line per write ("write SENT ACKED COMMIT SEQUENCE EVENT"), per READY
// time of its channel ("ready MICROS") and "retries N". Returns 0.
int RunRestartWriter(const std::string& target, int events, double rate);

}  // namespace rollcall::bench

#endif  // ROLLCALL_BENCH_RESTART_CLIENTS_H_
