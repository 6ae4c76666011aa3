#ifndef ROLLCALL_SERVER_COMMON_HAND_OFF_H_
#define ROLLCALL_SERVER_COMMON_HAND_OFF_H_

// Tells ThreadSanitizer about hand-offs it cannot see; does nothing in
// other builds.
//
// gRPC's core is not built with ThreadSanitizer. It orders a reactor's
// operations and reactions (StartWrite before OnWriteDone, Finish and every
// reaction before OnDone) with atomics in its own library, and runs them on
// whichever of its threads is free, so ThreadSanitizer sees a reactor's
// fields written on one thread and read or destroyed on another with nothing
// in between. A reactor calls HandOffRelease(this) before it hands control
// to gRPC (StartRead, StartWrite, Finish, the end of a reaction) and
// HandOffAcquire(this) where gRPC hands it back (the start of a reaction);
// ThreadSanitizer then orders the two as gRPC does. Races between our own
// threads (e.g. a feed thread and a reaction, both under a Mutex) are still
// checked, since the annotations only add the edges gRPC guarantees.

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ROLLCALL_THREAD_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) && !defined(ROLLCALL_THREAD_SANITIZER)
#define ROLLCALL_THREAD_SANITIZER 1
#endif

#ifdef ROLLCALL_THREAD_SANITIZER
#include <sanitizer/tsan_interface.h>
#endif

namespace rollcall {

inline void HandOffRelease([[maybe_unused]] const void* tag) {
#ifdef ROLLCALL_THREAD_SANITIZER
  __tsan_release(const_cast<void*>(tag));
#endif
}

inline void HandOffAcquire([[maybe_unused]] const void* tag) {
#ifdef ROLLCALL_THREAD_SANITIZER
  __tsan_acquire(const_cast<void*>(tag));
#endif
}

}  // namespace rollcall

#endif  // ROLLCALL_SERVER_COMMON_HAND_OFF_H_
