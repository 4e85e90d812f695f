//===- sendsync/condvar.h - Condition variable for Mutex<T> -----*- C++ -*-===//
//
// This header defines:
//
//   Condvar            a condition variable that waits on a MutexGuard<T>
//   WaitTimeoutResult  what wait_timeout_while() returns: timed_out()
//
// Waiting takes the guard, so the predicate can only be evaluated with the
// lock held; the predicate forms are the ones to use (spurious wake-ups are
// possible, as with every condition variable). Two spellings, one for each
// tradition, with opposite senses that their names say:
//
//   wait_while(g, cond)  Rust's: blocks WHILE `cond` is true
//   wait(g, pred)        std::condition_variable's: blocks UNTIL `pred` is true
//
//   sendsync::Mutex<std::deque<Job>> jobs;
//   sendsync::Condvar ready;
//   auto g = jobs.lock();
//   ready.wait_while(g, [](std::deque<Job>& q) { return q.empty(); });
//   Job j = std::move(g->front());
//
// Why both: a Rust user reaches for wait_while and a C++ user for
// wait(lock, pred); each name keeps the meaning it has in its own standard
// library, so neither reader is surprised. The one form that would mislead,
// a `wait_while` meaning "until", does not exist.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_CONDVAR_H
#define SENDSYNC_CONDVAR_H

#include <chrono>
#include <type_traits>

#include "sendsync/annotations.h"
#include "sendsync/detail/raw_mutex.h"
#include "sendsync/detail/thread_annotations.h"
#include "sendsync/mutex.h"

namespace sendsync {

// The result of Condvar::wait_timeout_while (Rust's WaitTimeoutResult).
class WaitTimeoutResult {
 public:
  explicit WaitTimeoutResult(bool timed_out) noexcept : timed_out_(timed_out) {}
  // True iff the wait ended because the timeout passed with the condition
  // still true.
  [[nodiscard]] bool timed_out() const noexcept { return timed_out_; }

 private:
  bool timed_out_;
};

// Condvar
//
// ThreadSafe: every member only touches an atomic sequence number, so waits
// and notifications may run concurrently through a plain `Condvar&`. No
// annotation: the checker infers it from that one atomic member.
//
// A predicate may take the protected data (`bool(T&)`) or nothing
// (`bool()`); it is only ever called with the lock held.
//
// Memory ordering: a notification carries no data. Whatever the notifier
// wrote under the mutex is visible to the woken waiter because the waiter
// re-acquires that mutex before returning.
class Condvar {
 public:
  Condvar() = default;
  Condvar(const Condvar&) = delete;
  Condvar& operator=(const Condvar&) = delete;

  // Unlocks the guard's mutex, blocks until notified (or a spurious wake-up)
  // and re-locks it before returning. Prefer the predicate form.
  //
  // Example:
  //   while (!g->done) cv.wait(g);
  template <class T> void wait(MutexGuard<T>& guard) noexcept {
    park(guard, detail::deadline_t{});
  }

  // Blocks while `cond` holds (Rust's wait_while); returns with the lock held
  // and `cond` false.
  //
  // Example:
  //   cv.wait_while(g, [](std::deque<Job>& q) { return q.empty(); });
  template <class T, class Cond>
  void wait_while(MutexGuard<T>& guard, Cond cond) {
    while (call(cond, guard)) park(guard, detail::deadline_t{});
  }

  // Blocks while `cond` holds, at most `timeout` (Rust's wait_timeout_while).
  // The result's timed_out() is true iff `cond` still held when the time ran
  // out; either way the lock is held on return.
  //
  // Example:
  //   auto r = cv.wait_timeout_while(g, 100ms, [](State& s) { return !s.done; });
  //   if (r.timed_out()) return Status::timeout;
  template <class T, class Rep, class Period, class Cond>
  WaitTimeoutResult wait_timeout_while(
      MutexGuard<T>& guard, std::chrono::duration<Rep, Period> timeout,
      Cond cond) {
    auto until = [&] { return !call(cond, guard); };
    return WaitTimeoutResult(
        !wait_until_steady(guard, detail::deadline_after(timeout), until));
  }

  // Blocks until `pred` holds (std::condition_variable's sense, the opposite
  // of wait_while); returns with the lock held and `pred` true.
  //
  // Example:
  //   cv.wait(g, [](State& s) { return s.done; });
  template <class T, class Pred> void wait(MutexGuard<T>& guard, Pred pred) {
    while (!call(pred, guard)) park(guard, detail::deadline_t{});
  }

  // Blocks until notified or `timeout` passes; returns false on timeout.
  //
  // Example:
  //   if (!cv.wait_for(g, 10ms)) log("still waiting");
  template <class T, class Rep, class Period>
  bool wait_for(MutexGuard<T>& guard,
                std::chrono::duration<Rep, Period> timeout) noexcept {
    return park(guard, detail::deadline_after(timeout));
  }

  // Blocks until `pred` holds or `timeout` passes; returns the final value of
  // `pred` (evaluated with the lock held).
  //
  // Example:
  //   if (!cv.wait_for(g, 100ms, [](State& s) { return s.done; }))
  //     return Status::timeout;
  template <class T, class Rep, class Period, class Pred>
  bool wait_for(MutexGuard<T>& guard, std::chrono::duration<Rep, Period> timeout,
                Pred pred) {
    return wait_until_steady(guard, detail::deadline_after(timeout), pred);
  }

  // As wait_for, with an absolute deadline on any clock.
  //
  // Example:
  //   cv.wait_until(g, std::chrono::steady_clock::now() + 1s, ready);
  template <class T, class Clock, class Duration, class Pred>
  bool wait_until(MutexGuard<T>& guard,
                  std::chrono::time_point<Clock, Duration> deadline,
                  Pred pred) {
    return wait_for(guard, deadline - Clock::now(), pred);
  }

  // Wakes one waiting thread, if any.
  //
  // Example:
  //   m.lock()->done = true;
  //   cv.notify_one();
  void notify_one() noexcept { raw_.notify_one(); }

  // Wakes every waiting thread.
  //
  // Example:
  //   m.lock()->shutdown = true;
  //   cv.notify_all();
  void notify_all() noexcept { raw_.notify_all(); }

 private:
  template <class Pred, class T>
  static bool call(Pred& pred, MutexGuard<T>& guard) {
    if constexpr (std::is_invocable_v<Pred&, T&>)
      return static_cast<bool>(pred(*guard));
    else
      return static_cast<bool>(pred());
  }

  // raw_condvar::wait requires the mutex held; a guard is the proof that
  // it is, which the analysis cannot see through the guard's pointer.
  template <class T>
  bool park(MutexGuard<T>& guard, const detail::deadline_t& deadline) noexcept
      SENDSYNC_NO_THREAD_SAFETY_ANALYSIS {
    return raw_.wait(guard.raw(), deadline);
  }

  template <class T, class Pred>
  bool wait_until_steady(MutexGuard<T>& guard,
                         detail::clock::time_point deadline, Pred& pred) {
    while (!call(pred, guard)) {
      if (!park(guard, detail::deadline_t{deadline}))
        return call(pred, guard);
    }
    return true;
  }

  detail::raw_condvar raw_;
};

}  // namespace sendsync

#endif  // SENDSYNC_CONDVAR_H
