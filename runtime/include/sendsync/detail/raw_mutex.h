//===- sendsync/detail/raw_mutex.h - Spin-then-park mutex -------*- C++ -*-===//
//
// Internal. This header defines:
//
//   raw_mutex    a 4-byte futex mutex that spins briefly before parking and
//                supports timed acquisition (std::mutex cannot time out, and
//                std::timed_mutex does not work with std::condition_variable)
//   raw_condvar  a futex condition variable for raw_mutex
//   raw_lock_guard  std::lock_guard for raw_mutex, known to -Wthread-safety
//
// Both follow the design of Rust's std futex mutex and condvar. raw_mutex
// tells ThreadSanitizer when it is locked and unlocked (detail/tsan.h), so
// raw_condvar, which only unlocks and relocks it, needs no annotation.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_RAW_MUTEX_H
#define SENDSYNC_DETAIL_RAW_MUTEX_H

#include <atomic>
#include <cstdint>

#include "sendsync/detail/futex.h"
#include "sendsync/detail/thread_annotations.h"
#include "sendsync/detail/tsan.h"

namespace sendsync::detail {

// A mutual-exclusion lock with the states 0 (unlocked), 1 (locked, nobody
// parked) and 2 (locked, maybe somebody parked). Unlocking only issues a
// wake-up system call from state 2, so the uncontended path is one CAS to lock
// and one exchange to unlock.
//
// Memory ordering: a successful lock is an acquire of `state_`, unlock is a
// release of it, so everything written before unlock() happens-before
// everything after the next successful lock().
//
// A Thread Safety Analysis capability: members declared
// SENDSYNC_GUARDED_BY(mu_) of a raw_mutex mu_ are checked by -Wthread-safety
// (and counted as ThreadSafe by the sendsync checker).
class SENDSYNC_CAPABILITY("mutex") raw_mutex {
 public:
  raw_mutex() noexcept { tsan_mutex_create(this); }
  ~raw_mutex() { tsan_mutex_destroy(this); }
  raw_mutex(const raw_mutex&) = delete;
  raw_mutex& operator=(const raw_mutex&) = delete;

  // Acquires the lock, spinning briefly and then parking.
  void lock() noexcept SENDSYNC_ACQUIRE() {
    tsan_mutex_pre_lock(this, 0);
    if (!try_lock_now()) lock_contended(deadline_t{});
    tsan_mutex_post_lock(this, 0);
  }

  // Acquires the lock if it is free right now.
  bool try_lock() noexcept SENDSYNC_TRY_ACQUIRE(true) {
    tsan_mutex_pre_lock(this, tsan_try);
    const bool got = try_lock_now();
    tsan_mutex_post_lock(this, tsan_try_result(0, got));
    return got;
  }

  // Acquires the lock unless `deadline` passes first; returns whether it did.
  bool try_lock_until(clock::time_point deadline) noexcept
      SENDSYNC_TRY_ACQUIRE(true) {
    tsan_mutex_pre_lock(this, tsan_try);
    const bool got = try_lock_now() || lock_contended(deadline_t{deadline});
    tsan_mutex_post_lock(this, tsan_try_result(0, got));
    return got;
  }

  // Releases the lock and wakes one parked thread if there may be one.
  void unlock() noexcept SENDSYNC_RELEASE() {
    tsan_mutex_pre_unlock(this, 0);
    if (state_.exchange(0, std::memory_order_release) == 2)
      futex_wake_one(&state_);
    tsan_mutex_post_unlock(this, 0);
  }

 private:
  bool try_lock_now() noexcept {
    std::uint32_t expected = 0;
    return state_.compare_exchange_strong(expected, 1,
                                          std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }

  std::uint32_t spin() noexcept {
    // Spin only while the lock is held by a running thread (state 1): once
    // there are parked threads (2), joining the queue is the fair thing to do.
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    for (int i = 0; s == 1 && i < spin_rounds; ++i) {
      cpu_relax();
      s = state_.load(std::memory_order_relaxed);
    }
    return s;
  }

  bool lock_contended(const deadline_t& deadline) noexcept {
    std::uint32_t s = spin();
    if (s == 0) {
      std::uint32_t expected = 0;
      if (state_.compare_exchange_strong(expected, 1,
                                         std::memory_order_acquire,
                                         std::memory_order_relaxed))
        return true;
      s = expected;
    }
    for (;;) {
      // Mark the lock contended. If it was free we now own it (in state 2,
      // which costs at most one unnecessary wake-up at unlock).
      if (s != 2 && state_.exchange(2, std::memory_order_acquire) == 0)
        return true;
      if (!futex_wait(&state_, 2, deadline)) {
        // Timed out; one last attempt so that a lock released exactly at the
        // deadline is not reported as a timeout.
        return state_.exchange(2, std::memory_order_acquire) == 0;
      }
      s = spin();
    }
  }

  std::atomic<std::uint32_t> state_{0};
};

// Holds a raw_mutex for a scope, as std::lock_guard, but declared to Thread
// Safety Analysis (libstdc++'s std::lock_guard is not), so that members
// SENDSYNC_GUARDED_BY the mutex may be touched in that scope. The adopting
// form takes a mutex the caller has just locked (after a try_lock()).
struct adopt_lock_t {
  explicit adopt_lock_t() = default;
};
inline constexpr adopt_lock_t adopt_lock{};

class SENDSYNC_SCOPED_CAPABILITY raw_lock_guard {
 public:
  explicit raw_lock_guard(raw_mutex& m) noexcept SENDSYNC_ACQUIRE(m) : m_(m) {
    m_.lock();
  }
  raw_lock_guard(raw_mutex& m, adopt_lock_t) noexcept SENDSYNC_REQUIRES(m)
      : m_(m) {}
  ~raw_lock_guard() SENDSYNC_RELEASE() { m_.unlock(); }
  raw_lock_guard(const raw_lock_guard&) = delete;
  raw_lock_guard& operator=(const raw_lock_guard&) = delete;

 private:
  raw_mutex& m_;
};

// A condition variable for raw_mutex: a sequence number that notify bumps and
// wait sleeps on. A notify between the unlock in wait() and the futex call
// changes the number, so the futex call returns immediately: no lost wake-ups.
//
// Memory ordering: the sequence number carries no data; the mutex that wait()
// re-acquires orders everything.
class raw_condvar {
 public:
  raw_condvar() = default;
  raw_condvar(const raw_condvar&) = delete;
  raw_condvar& operator=(const raw_condvar&) = delete;

  // Atomically unlocks `m` and waits for a notification (or a spurious
  // wake-up), then re-locks `m`. Returns false iff `deadline` passed.
  bool wait(raw_mutex& m, const deadline_t& deadline) noexcept
      SENDSYNC_REQUIRES(m) {
    const std::uint32_t seq = seq_.load(std::memory_order_relaxed);
    m.unlock();
    const bool in_time = futex_wait(&seq_, seq, deadline);
    m.lock();
    return in_time;
  }

  void notify_one() noexcept {
    seq_.fetch_add(1, std::memory_order_relaxed);
    futex_wake_one(&seq_);
  }

  void notify_all() noexcept {
    seq_.fetch_add(1, std::memory_order_relaxed);
    futex_wake_all(&seq_);
  }

 private:
  std::atomic<std::uint32_t> seq_{0};
};

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_RAW_MUTEX_H
