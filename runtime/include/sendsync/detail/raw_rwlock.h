//===- sendsync/detail/raw_rwlock.h - Futex reader-writer lock --*- C++ -*-===//
//
// Internal. This header defines:
//
//   raw_rwlock   an 8-byte reader-writer lock on two futex words that prefers
//                writers, spins briefly before parking and supports timed
//                acquisition in both modes
//
// The design is that of Rust's std futex RwLock (library/std/src/sys/sync/
// rwlock/futex.rs), plus timeouts, which Rust's lock does not have.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_RAW_RWLOCK_H
#define SENDSYNC_DETAIL_RAW_RWLOCK_H

#include <atomic>
#include <cstdint>
#include <thread>

#include "sendsync/detail/futex.h"
#include "sendsync/detail/thread_annotations.h"
#include "sendsync/detail/tsan.h"

namespace sendsync::detail {

// A reader-writer lock in one state word and one notification word.
//
// state_:
//   bits 0-29  0: unlocked; 1 to 2^30-2: that many readers; 2^30-1: a writer
//   bit 30     readers waiting: some reader sleeps on state_
//   bit 31     writers waiting: some writer sleeps on writer_notify_
// writer_notify_: a counter bumped on every wake-up sent to writers; writers
//   sleep on it, so waking one writer does not wake the readers.
//
// Fairness: writers first. A reader may join other readers only while no
// thread of either kind waits, so once a writer waits, new readers wait
// behind it and the writer gets the lock when the readers inside leave.
// Unlocking wakes one writer if one waits, else every waiting reader. A
// writer in a tight loop can therefore starve readers; the opposite, which
// glibc's pthread_rwlock_t allows, cannot happen.
//
// Uncontended, a read lock is one load and one CAS and its release one
// fetch_sub; a write lock one CAS and its release one fetch_sub. Everything
// else is out of line.
//
// Timeouts: a reader or writer that gives up leaves its waiting bit set, as
// it cannot know whether others of its kind still wait. The bit costs one
// wake-up call at the next unlock, and a writers-waiting bit keeps new
// readers out until the readers inside leave, as a real waiting writer would;
// the unlock then finds no writer to wake and wakes the readers instead.
//
// Memory ordering: every acquisition is an acquire and every release a
// release of state_ (the RMWs between them continue the release sequence),
// so everything done under the write lock happens-before every later
// acquisition, and everything done before a read unlock happens-before the
// next write lock.
//
// A Thread Safety Analysis capability (shared for read locks, exclusive for
// write locks), as raw_mutex.
class SENDSYNC_CAPABILITY("mutex") raw_rwlock {
 public:
  raw_rwlock() noexcept { tsan_mutex_create(this); }
  ~raw_rwlock() { tsan_mutex_destroy(this); }
  raw_rwlock(const raw_rwlock&) = delete;
  raw_rwlock& operator=(const raw_rwlock&) = delete;

  // Shared (read) locking.

  void lock_shared() noexcept SENDSYNC_ACQUIRE_SHARED() {
    tsan_mutex_pre_lock(this, tsan_read);
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    if (!(is_read_lockable(s) &&
          state_.compare_exchange_weak(s, s + read_locked,
                                       std::memory_order_acquire,
                                       std::memory_order_relaxed)))
      lock_shared_contended(deadline_t{});
    tsan_mutex_post_lock(this, tsan_read);
  }

  bool try_lock_shared() noexcept SENDSYNC_TRY_ACQUIRE_SHARED(true) {
    tsan_mutex_pre_lock(this, tsan_read | tsan_try);
    const bool got = try_lock_shared_now();
    tsan_mutex_post_lock(this, tsan_try_result(tsan_read, got));
    return got;
  }

  bool try_lock_shared_until(clock::time_point deadline) noexcept
      SENDSYNC_TRY_ACQUIRE_SHARED(true) {
    tsan_mutex_pre_lock(this, tsan_read | tsan_try);
    const bool got =
        try_lock_shared_now() || lock_shared_contended(deadline_t{deadline});
    tsan_mutex_post_lock(this, tsan_try_result(tsan_read, got));
    return got;
  }

  void unlock_shared() noexcept SENDSYNC_RELEASE_SHARED() {
    tsan_mutex_pre_unlock(this, tsan_read);
    const std::uint32_t s =
        state_.fetch_sub(read_locked, std::memory_order_release) -
        read_locked;
    // The last reader out wakes a waiting writer. Readers never wait on a
    // read-locked lock unless a writer waits too, so there is nothing else
    // to wake.
    if ((s & mask) == 0 && (s & writers_waiting) != 0)
      wake_writer_or_readers(s);
    tsan_mutex_post_unlock(this, tsan_read);
  }

  // Exclusive (write) locking.

  void lock() noexcept SENDSYNC_ACQUIRE() {
    tsan_mutex_pre_lock(this, 0);
    std::uint32_t expected = 0;
    if (!state_.compare_exchange_weak(expected, write_locked,
                                      std::memory_order_acquire,
                                      std::memory_order_relaxed))
      lock_contended(deadline_t{});
    tsan_mutex_post_lock(this, 0);
  }

  bool try_lock() noexcept SENDSYNC_TRY_ACQUIRE(true) {
    tsan_mutex_pre_lock(this, tsan_try);
    const bool got = try_lock_now();
    tsan_mutex_post_lock(this, tsan_try_result(0, got));
    return got;
  }

  bool try_lock_until(clock::time_point deadline) noexcept
      SENDSYNC_TRY_ACQUIRE(true) {
    tsan_mutex_pre_lock(this, tsan_try);
    const bool got = try_lock_now() || lock_contended(deadline_t{deadline});
    tsan_mutex_post_lock(this, tsan_try_result(0, got));
    return got;
  }

  void unlock() noexcept SENDSYNC_RELEASE() {
    tsan_mutex_pre_unlock(this, 0);
    const std::uint32_t s =
        state_.fetch_sub(write_locked, std::memory_order_release) -
        write_locked;
    // Now unlocked: anything left in `s` is a waiting bit.
    if (s != 0) wake_writer_or_readers(s);
    tsan_mutex_post_unlock(this, 0);
  }

  // Whether nobody holds the lock right now (for assertions).
  [[nodiscard]] bool is_unlocked() const noexcept {
    return (state_.load(std::memory_order_relaxed) & mask) == 0;
  }

 private:
  static constexpr std::uint32_t read_locked = 1;
  static constexpr std::uint32_t mask = (1u << 30) - 1;
  static constexpr std::uint32_t write_locked = mask;
  static constexpr std::uint32_t max_readers = mask - 1;
  static constexpr std::uint32_t readers_waiting = 1u << 30;
  static constexpr std::uint32_t writers_waiting = 1u << 31;

  // A reader may enter when there are fewer than max_readers readers, no
  // writer holds the lock, and nobody waits (not even readers: a readers-
  // waiting bit on an unlocked lock means an unlocker is waking a writer,
  // which goes first). The waiting bits are the top two, so all of that is
  // one unsigned comparison.
  static constexpr bool is_read_lockable(std::uint32_t s) noexcept {
    return s < max_readers;
  }

  bool try_lock_shared_now() noexcept {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    while (is_read_lockable(s))
      if (state_.compare_exchange_weak(s, s + read_locked,
                                       std::memory_order_acquire,
                                       std::memory_order_relaxed))
        return true;
    return false;
  }

  // A writer takes an unlocked lock whatever the waiting bits say: waiting
  // writers are woken to compete, not handed the lock.
  bool try_lock_now() noexcept {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    while ((s & mask) == 0)
      if (state_.compare_exchange_weak(s, s + write_locked,
                                       std::memory_order_acquire,
                                       std::memory_order_relaxed))
        return true;
    return false;
  }

  // Polls while a writer holds the lock and nobody waits yet: a writer that
  // is running usually leaves within the spin, and once threads wait,
  // queueing behind them is the fair thing to do.
  std::uint32_t spin_read() const noexcept {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    for (int i = 0; s == write_locked && i < spin_rounds; ++i) {
      cpu_relax();
      s = state_.load(std::memory_order_relaxed);
    }
    return s;
  }

  // Polls while the lock is held and no other writer waits.
  std::uint32_t spin_write() const noexcept {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    for (int i = 0;
         (s & mask) != 0 && (s & writers_waiting) == 0 && i < spin_rounds;
         ++i) {
      cpu_relax();
      s = state_.load(std::memory_order_relaxed);
    }
    return s;
  }

  [[gnu::noinline]] bool lock_shared_contended(
      const deadline_t& deadline) noexcept {
    std::uint32_t s = spin_read();
    for (;;) {
      if (is_read_lockable(s)) {
        if (state_.compare_exchange_weak(s, s + read_locked,
                                         std::memory_order_acquire,
                                         std::memory_order_relaxed))
          return true;
        continue;
      }
      if ((s & mask) == max_readers) {
        // 2^30-2 read guards alive at once. Unlocking readers wake nobody
        // unless a writer waits, so do not park: yield until one leaves.
        if (deadline && clock::now() >= *deadline) return false;
        std::this_thread::yield();
        s = state_.load(std::memory_order_relaxed);
        continue;
      }
      // Announce the wait before sleeping; the unlocker that clears the bit
      // wakes every reader.
      if ((s & readers_waiting) == 0 &&
          !state_.compare_exchange_weak(s, s | readers_waiting,
                                        std::memory_order_relaxed,
                                        std::memory_order_relaxed))
        continue;
      // Sleeps only while state_ is exactly what was seen, with the bit set:
      // any unlock changes it, so no wake-up is missed.
      if (!futex_wait(&state_, s | readers_waiting, deadline))
        return try_lock_shared_now();  // a lock freed at the deadline counts
      s = spin_read();
    }
  }

  [[gnu::noinline]] bool lock_contended(const deadline_t& deadline) noexcept {
    std::uint32_t s = spin_write();
    // Once this writer has waited, others may wait too (it cannot tell), so
    // it keeps the writers-waiting bit set when it takes the lock: its
    // unlock then wakes the next writer.
    std::uint32_t keep = 0;
    for (;;) {
      if ((s & mask) == 0) {
        if (state_.compare_exchange_weak(s, s | write_locked | keep,
                                         std::memory_order_acquire,
                                         std::memory_order_relaxed))
          return true;
        continue;
      }
      if ((s & writers_waiting) == 0 &&
          !state_.compare_exchange_weak(s, s | writers_waiting,
                                        std::memory_order_relaxed,
                                        std::memory_order_relaxed))
        continue;
      keep = writers_waiting;
      // Read the counter before re-checking the state: an unlocker bumps the
      // counter after clearing the bit (with release, read here with
      // acquire), so either this load sees the bump and the state load below
      // sees the unlock, or the futex call sees a changed counter and
      // returns at once.
      const std::uint32_t seq = writer_notify_.load(std::memory_order_acquire);
      s = state_.load(std::memory_order_relaxed);
      if ((s & mask) == 0 || (s & writers_waiting) == 0) continue;
      if (!futex_wait(&writer_notify_, seq, deadline)) {
        // Timed out. The writers-waiting bit stays (see the class comment);
        // a lock freed at the deadline still counts.
        s = state_.load(std::memory_order_relaxed);
        while ((s & mask) == 0)
          if (state_.compare_exchange_weak(s, s | write_locked | keep,
                                           std::memory_order_acquire,
                                           std::memory_order_relaxed))
            return true;
        return false;
      }
      s = spin_write();
    }
  }

  // Called by an unlock that left `s` unlocked with a waiting bit set.
  // Wakes one writer if any waits, else all readers. Writers take an
  // unlocked lock whatever the bits say, so if the state changed under us
  // because one did, its unlock will do this instead.
  [[gnu::noinline]] void wake_writer_or_readers(std::uint32_t s) noexcept {
    if (s == writers_waiting) {
      if (state_.compare_exchange_strong(s, 0, std::memory_order_relaxed,
                                         std::memory_order_relaxed)) {
        wake_writer();
        return;
      }
      // A reader started waiting meanwhile (then `s` is both bits), or a
      // writer took the lock (then nothing matches below).
    }
    if (s == (readers_waiting | writers_waiting)) {
      // Leave the readers waiting and wake one writer. If no writer was
      // asleep to be woken (it timed out, or was about to sleep and will
      // see the counter change and retry), wake the readers as well rather
      // than risk leaving them asleep on an unlocked lock.
      if (!state_.compare_exchange_strong(s, readers_waiting,
                                          std::memory_order_relaxed,
                                          std::memory_order_relaxed))
        return;
      if (wake_writer()) return;
      s = readers_waiting;
    }
    if (s == readers_waiting &&
        state_.compare_exchange_strong(s, 0, std::memory_order_relaxed,
                                       std::memory_order_relaxed))
      futex_wake_all(&state_);
  }

  // Returns whether a writer asleep in futex_wait was woken.
  bool wake_writer() noexcept {
    writer_notify_.fetch_add(1, std::memory_order_release);
    return futex_wake_one(&writer_notify_);
  }

  std::atomic<std::uint32_t> state_{0};
  std::atomic<std::uint32_t> writer_notify_{0};
};

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_RAW_RWLOCK_H
