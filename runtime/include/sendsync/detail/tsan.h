//===- sendsync/detail/tsan.h - ThreadSanitizer mutex annotations -*- C++ -*-//
//
// Internal. The one place the runtime talks to ThreadSanitizer:
//
//   SENDSYNC_TSAN                      1 in a -fsanitize=thread build, else 0
//   tsan_mutex_create / _destroy       a lock's lifetime
//   tsan_mutex_pre_lock / _post_lock   around an acquisition (also a failed
//                                      try or timed one)
//   tsan_mutex_pre_unlock / _post_unlock  around a release
//   tsan_read, tsan_try, tsan_try_failed  the flags those take
//
// Why: TSan understands pthread and std mutexes because it intercepts them,
// but the runtime's locks are atomics and futex(2) system calls. From the
// atomics alone TSan still derives happens-before, so data under a lock is
// not reported; but it does not know a lock is held, so it cannot report
// lock-order inversions (potential deadlocks), unlocks of unlocked locks, or
// list the locks held in a race report. With these annotations it treats
// the runtime's locks as it treats pthread_mutex_t and pthread_rwlock_t, and
// ignores the atomics inside them (<sanitizer/tsan_interface.h>).
//
// Outside TSan builds every function is an empty inline one: no code, no
// data, nothing to link.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_TSAN_H
#define SENDSYNC_DETAIL_TSAN_H

// Clang spells the test __has_feature(thread_sanitizer), GCC defines
// __SANITIZE_THREAD__ (and GCC 12 has no __has_feature at all, so the two
// cannot share one #if).
#if defined(__SANITIZE_THREAD__)
#define SENDSYNC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SENDSYNC_TSAN 1
#endif
#endif
#ifndef SENDSYNC_TSAN
#define SENDSYNC_TSAN 0
#endif

#if SENDSYNC_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace sendsync::detail {

// The flags of <sanitizer/tsan_interface.h>, spelled here so that code which
// passes them compiles without that header.
inline constexpr unsigned tsan_read = 1u << 3;        // a shared (read) lock
inline constexpr unsigned tsan_try = 1u << 4;         // may fail: try or timed
inline constexpr unsigned tsan_try_failed = 1u << 5;  // ... and did fail

#if SENDSYNC_TSAN
static_assert(tsan_read == __tsan_mutex_read_lock &&
                  tsan_try == __tsan_mutex_try_lock &&
                  tsan_try_failed == __tsan_mutex_try_lock_failed,
              "the flags above must match <sanitizer/tsan_interface.h>");

// __tsan_mutex_not_static: the runtime's locks are constructed and destroyed
// like any object (also at namespace scope), so a use after the destructor
// is reported, as for absl::Mutex.
inline void tsan_mutex_create(const void* m) noexcept {
  __tsan_mutex_create(const_cast<void*>(m), __tsan_mutex_not_static);
}
inline void tsan_mutex_destroy(const void* m) noexcept {
  __tsan_mutex_destroy(const_cast<void*>(m), __tsan_mutex_not_static);
}
inline void tsan_mutex_pre_lock(const void* m, unsigned flags) noexcept {
  __tsan_mutex_pre_lock(const_cast<void*>(m), flags);
}
inline void tsan_mutex_post_lock(const void* m, unsigned flags) noexcept {
  __tsan_mutex_post_lock(const_cast<void*>(m), flags, 0);
}
inline void tsan_mutex_pre_unlock(const void* m, unsigned flags) noexcept {
  __tsan_mutex_pre_unlock(const_cast<void*>(m), flags);
}
inline void tsan_mutex_post_unlock(const void* m, unsigned flags) noexcept {
  __tsan_mutex_post_unlock(const_cast<void*>(m), flags);
}
#else
inline void tsan_mutex_create(const void*) noexcept {}
inline void tsan_mutex_destroy(const void*) noexcept {}
inline void tsan_mutex_pre_lock(const void*, unsigned) noexcept {}
inline void tsan_mutex_post_lock(const void*, unsigned) noexcept {}
inline void tsan_mutex_pre_unlock(const void*, unsigned) noexcept {}
inline void tsan_mutex_post_unlock(const void*, unsigned) noexcept {}
#endif

// The flags for the end of a try or timed acquisition that returned `got`.
inline constexpr unsigned tsan_try_result(unsigned flags, bool got) noexcept {
  return got ? flags | tsan_try : flags | tsan_try | tsan_try_failed;
}

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_TSAN_H
