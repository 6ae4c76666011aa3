// Checks, in the ThreadSanitizer build, that absl_mutex_tsan.cc makes
// absl::Mutex visible: `guarded` shares fields only under an absl::Mutex
// (Lock, Await, LockWhen, CondVar::Wait) and must produce no report; `race`
// adds one write that no lock orders and must produce one.

#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>

#include "absl/synchronization/mutex.h"

namespace {

struct Shared {
  absl::Mutex mu;
  absl::CondVar changed;
  int count = 0;  // guarded by mu
  bool done = false;  // guarded by mu
};

void Guarded() {
  Shared shared;
  auto add = [&shared] {
    for (int i = 0; i < 1000; ++i) {
      absl::MutexLock lock(&shared.mu);
      ++shared.count;
      shared.changed.Signal();
    }
  };
  std::thread first(add);
  std::thread second(add);
  {
    absl::MutexLock lock(&shared.mu);
    while (shared.count < 500) shared.changed.Wait(&shared.mu);
  }
  {
    absl::MutexLock lock(&shared.mu);
    shared.mu.Await(absl::Condition(
        +[](int* count) { return *count == 2000; }, &shared.count));
    shared.done = true;
  }
  first.join();
  second.join();
  shared.mu.LockWhen(absl::Condition(&shared.done));
  std::printf("count %d\n", shared.count);
  shared.mu.Unlock();
}

// A write on each side of a relaxed flag, which orders nothing.
void Race() {
  int value = 0;
  std::atomic<bool> written{false};
  std::thread writer([&] {
    value = 1;
    written.store(true, std::memory_order_relaxed);
  });
  while (!written.load(std::memory_order_relaxed)) {
  }
  value = 2;
  writer.join();
  std::printf("value %d\n", value);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "guarded") == 0) {
    Guarded();
    return 0;
  }
  if (argc == 2 && std::strcmp(argv[1], "race") == 0) {
    Race();
    return 0;
  }
  std::fprintf(stderr, "usage: absl_mutex_tsan_test guarded|race\n");
  return 2;
}
