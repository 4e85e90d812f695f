//===- sendsync/detail/futex.h - Park/unpark on a 32-bit word ---*- C++ -*-===//
//
// Internal. The one blocking primitive the runtime is built on:
//
//   futex_wait(word, expected, deadline)  sleep while *word == expected
//   futex_park(word, expected, deadline)  the same, telling whether a wake
//                                         call woke it
//   futex_wake_one(word) / futex_wake_all(word)  (how many they woke)
//   spin_until / cpu_relax / backoff      bounded spinning before parking
//
// On Linux this is the futex(2) system call (private futexes), which is what
// makes timed waits possible; C++20's std::atomic::wait has no timeout. Other
// platforms fall back to std::atomic::wait for untimed waits and to short
// sleeps for timed ones (correct, less efficient).
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_FUTEX_H
#define SENDSYNC_DETAIL_FUTEX_H

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <optional>
#include <thread>

#if defined(__linux__)
#include <cerrno>
#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace sendsync::detail {

using clock = std::chrono::steady_clock;
using deadline_t = std::optional<clock::time_point>;

// The cache-line size used to keep independently written atomics apart.
// std::hardware_destructive_interference_size is not provided by every
// standard library (and GCC warns when it appears in headers), so 64, the
// value for every x86-64 and most AArch64 parts, is used directly.
inline constexpr std::size_t cache_line = 64;

// Converts a relative timeout to an absolute deadline, saturating instead of
// overflowing for huge durations (e.g. duration::max()).
template <class Rep, class Period>
clock::time_point deadline_after(std::chrono::duration<Rep, Period> d) {
  const auto now = clock::now();
  if (d <= d.zero()) return now;
  const auto max_left = clock::time_point::max() - now;
  if (d >= std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(
               max_left))
    return clock::time_point::max();
  return now + std::chrono::ceil<clock::duration>(d);
}

// Tells the CPU that this is a spin loop (frees the sibling hyper-thread).
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

// One round of waiting for another thread to finish what it has claimed
// (a channel slot, a block it installs, a CAS it won): 1, 2, 4, ... 32
// pauses, then yields, since the other thread may be preempted. `step`
// starts at 0 and is the caller's.
inline void backoff(unsigned& step) noexcept {
  if (step < 6) {
    for (unsigned i = 0; i < (1u << step); ++i) cpu_relax();
  } else {
    std::this_thread::yield();
  }
  if (step < 10) ++step;
}

// Number of polling rounds before parking. A park/unpark round trip costs
// tens of microseconds, an uncontended hand-off a few nanoseconds, so a short
// spin wins whenever the other side is already running.
inline constexpr int spin_rounds = 100;

// Polls `ready()` with exponential backoff before the caller parks:
// 1, 2, 4, ... 64 pause instructions between polls (about 127 in all, a few
// microseconds), then a few sched_yield()s, which let a descheduled peer run
// when the machine has more runnable threads than cores. Returns ready().
// (crossbeam's Backoff follows the same spin-then-yield-then-park shape.)
template <class Ready> bool spin_until(Ready&& ready) {
  for (int step = 0; step < 7; ++step) {
    if (ready()) return true;
    for (int i = 0; i < (1 << step); ++i) cpu_relax();
  }
  for (int step = 0; step < 4; ++step) {
    if (ready()) return true;
    std::this_thread::yield();
  }
  return ready();
}

#if defined(__linux__)
inline long futex_call(std::atomic<std::uint32_t>* word, int op,
                       std::uint32_t val, const timespec* ts) noexcept {
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), op, val,
                   ts, nullptr, 0);
}
#endif

// How a futex_park ended.
enum class park_result {
  woken,      // a futex_wake_* call took this thread off the futex's queue
  returned,   // *word was not `expected`, or a signal or a spurious wake-up
  timed_out,  // the deadline passed
};

// Blocks while `*word == expected`, until woken or `deadline` passes, and
// says why it returned.
//
// `woken` is exact on Linux: FUTEX_WAIT returns 0 only if a FUTEX_WAKE took
// the thread off the queue (a timeout, a signal or a changed word return an
// error instead), and FUTEX_WAKE returns how many it took off. So a waker
// may account for the threads it woke (see wait_side in flavors/waker.h),
// and the woken thread, seeing `woken`, knows it has been accounted for.
// Other platforms never report `woken` (and their wakes report 0).
//
// Memory ordering: the comparison is made by the kernel atomically with
// going to sleep, so a waker that changes *word and then calls futex_wake_*
// can never be missed. No ordering is implied for other memory: callers
// re-load what they need with acquire loads.
inline park_result futex_park(std::atomic<std::uint32_t>* word,
                              std::uint32_t expected,
                              const deadline_t& deadline) noexcept {
#if defined(__linux__)
  const timespec* timeout = nullptr;
  timespec ts{};
  if (deadline && *deadline != clock::time_point::max()) {
    const auto now = clock::now();
    if (*deadline <= now) return park_result::timed_out;
    const auto left =
        std::chrono::duration_cast<std::chrono::nanoseconds>(*deadline - now);
    ts.tv_sec = static_cast<time_t>(left.count() / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(left.count() % 1'000'000'000);
    timeout = &ts;
  }
  // FUTEX_WAIT takes a relative timeout measured on CLOCK_MONOTONIC, the
  // clock behind steady_clock on Linux.
  if (futex_call(word, FUTEX_WAIT_PRIVATE, expected, timeout) == 0)
    return park_result::woken;
  return errno == ETIMEDOUT ? park_result::timed_out : park_result::returned;
#else
  if (!deadline) {
    word->wait(expected, std::memory_order_relaxed);
    return park_result::returned;
  }
  // Portable fallback: poll with short sleeps.
  while (word->load(std::memory_order_relaxed) == expected) {
    if (clock::now() >= *deadline) return park_result::timed_out;
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return park_result::returned;
#endif
}

// Blocks while `*word == expected`, until woken or `deadline` passes.
// Returns false only when the deadline has passed; spurious wake-ups return
// true, so callers always re-check their condition in a loop.
inline bool futex_wait(std::atomic<std::uint32_t>* word, std::uint32_t expected,
                       const deadline_t& deadline) noexcept {
  return futex_park(word, expected, deadline) != park_result::timed_out;
}

// Wakes at most one thread blocked in futex_wait on `word`. Returns true if
// it woke one; false if none was blocked, or (other platforms) if it cannot
// tell. A caller that hands something to "the one thread it woke" must treat
// false as "maybe nobody" (raw_rwlock does: a writer whose wait timed out).
inline bool futex_wake_one(std::atomic<std::uint32_t>* word) noexcept {
#if defined(__linux__)
  return futex_call(word, FUTEX_WAKE_PRIVATE, 1, nullptr) > 0;
#else
  word->notify_one();
  return false;
#endif
}

// Wakes every thread blocked in futex_wait on `word`; returns how many it
// woke (0 on other platforms, which cannot tell).
inline unsigned futex_wake_all(std::atomic<std::uint32_t>* word) noexcept {
#if defined(__linux__)
  const long n = futex_call(word, FUTEX_WAKE_PRIVATE, INT_MAX, nullptr);
  return n > 0 ? static_cast<unsigned>(n) : 0;
#else
  word->notify_all();
  return 0;
#endif
}

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_FUTEX_H
