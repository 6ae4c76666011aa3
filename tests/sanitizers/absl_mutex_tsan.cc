// Makes absl::Mutex and absl::CondVar visible to ThreadSanitizer.
//
// Debian's Abseil is not built with ThreadSanitizer, so the locking inside
// libabsl_synchronization.so is invisible to it and every field guarded by
// an absl::Mutex would look unsynchronized. This library, linked into every
// program of the ThreadSanitizer build (ROLLCALL_TSAN), defines the
// Mutex and CondVar members that lock, unlock or wait. The dynamic linker
// binds all calls to them, from our code and from gRPC alike, to these
// definitions, which tell ThreadSanitizer what happens (the same
// __tsan_mutex_* annotations Abseil makes when it is built with
// ThreadSanitizer) and call the library's own definitions, found with
// dlsym(RTLD_NEXT). The library code runs between a pre_ and a post_
// annotation, where ThreadSanitizer ignores memory accesses: that covers
// Conditions evaluated inside Unlock or Await on another thread.
//
// The ...WithTimeout members are not defined here: the library's own ones call
// the ...WithDeadline ones through the dynamic linker, so defining both
// would annotate one wait twice.

#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/base/options.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

#define ROLLCALL_STRINGIFY_(x) #x
#define ROLLCALL_STRINGIFY(x) ROLLCALL_STRINGIFY_(x)

namespace {

// The library's definition of the member whose mangled name, after
// "_ZN4absl<inline namespace>", is `suffix`. Aborts if there is none: the
// build would otherwise silently lose its view of the locks.
template <typename Function>
Function Real(const char* suffix) {
  const char* inline_namespace = ROLLCALL_STRINGIFY(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  const std::string symbol = "_ZN4absl" + std::to_string(std::strlen(inline_namespace)) +
                             inline_namespace + suffix;
  void* address = dlsym(RTLD_NEXT, symbol.c_str());
  if (address == nullptr) {
    std::fprintf(stderr, "absl_mutex_tsan: %s not found\n", symbol.c_str());
    std::abort();
  }
  return reinterpret_cast<Function>(address);
}

constexpr unsigned kWrite = 0;
constexpr unsigned kRead = __tsan_mutex_read_lock;

// Runs `call` (the library acquiring `mu`) as a lock of `mu`.
template <typename Call>
auto Acquire(void* mu, unsigned flags, Call call) {
  __tsan_mutex_pre_lock(mu, flags);
  auto result = call();
  __tsan_mutex_post_lock(mu, flags, 0);
  return result;
}

// Runs `call` (the library releasing `mu`, waiting, and acquiring it
// again) as an unlock followed by a lock of `mu`.
template <typename Call>
auto Reacquire(void* mu, Call call) {
  __tsan_mutex_pre_unlock(mu, kWrite);
  __tsan_mutex_post_unlock(mu, kWrite);
  return Acquire(mu, kWrite, call);
}

bool TryAcquire(void* mu, unsigned flags, bool (*real)(void*)) {
  __tsan_mutex_pre_lock(mu, flags | __tsan_mutex_try_lock);
  const bool locked = real(mu);
  __tsan_mutex_post_lock(
      mu, flags | __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed), 0);
  return locked;
}

void Release(void* mu, unsigned flags, void (*real)(void*)) {
  __tsan_mutex_pre_unlock(mu, flags);
  real(mu);
  __tsan_mutex_post_unlock(mu, flags);
}

using Plain = void (*)(void*);
using Try = bool (*)(void*);
using When = void (*)(void*, const absl::Condition&);
using WhenDeadline = bool (*)(void*, const absl::Condition&, absl::Time);

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  static const auto real = Real<Plain>("5Mutex4LockEv");
  Acquire(this, kWrite, [&] { return real(this), 0; });
}

void Mutex::ReaderLock() {
  static const auto real = Real<Plain>("5Mutex10ReaderLockEv");
  Acquire(this, kRead, [&] { return real(this), 0; });
}

bool Mutex::TryLock() {
  static const auto real = Real<Try>("5Mutex7TryLockEv");
  return TryAcquire(this, kWrite, real);
}

bool Mutex::ReaderTryLock() {
  static const auto real = Real<Try>("5Mutex13ReaderTryLockEv");
  return TryAcquire(this, kRead, real);
}

void Mutex::Unlock() {
  static const auto real = Real<Plain>("5Mutex6UnlockEv");
  Release(this, kWrite, real);
}

void Mutex::ReaderUnlock() {
  static const auto real = Real<Plain>("5Mutex12ReaderUnlockEv");
  Release(this, kRead, real);
}

void Mutex::LockWhen(const Condition& cond) {
  static const auto real = Real<When>("5Mutex8LockWhenERKNS0_9ConditionE");
  Acquire(this, kWrite, [&] { return real(this, cond), 0; });
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static const auto real = Real<When>("5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  Acquire(this, kRead, [&] { return real(this, cond), 0; });
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real =
      Real<WhenDeadline>("5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return Acquire(this, kWrite, [&] { return real(this, cond, deadline); });
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<WhenDeadline>(
      "5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return Acquire(this, kRead, [&] { return real(this, cond, deadline); });
}

void Mutex::Await(const Condition& cond) {
  static const auto real = Real<When>("5Mutex5AwaitERKNS0_9ConditionE");
  Reacquire(this, [&] { return real(this, cond), 0; });
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  static const auto real =
      Real<WhenDeadline>("5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return Reacquire(this, [&] { return real(this, cond, deadline); });
}

void CondVar::Wait(Mutex* mu) {
  using Function = void (*)(CondVar*, Mutex*);
  static const auto real = Real<Function>("7CondVar4WaitEPNS0_5MutexE");
  Reacquire(mu, [&] { return real(this, mu), 0; });
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  using Function = bool (*)(CondVar*, Mutex*, Time);
  static const auto real =
      Real<Function>("7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  return Reacquire(mu, [&] { return real(this, mu, deadline); });
}

ABSL_NAMESPACE_END
}  // namespace absl
