//===- sendsync/mutex.h - A mutex that owns its data ------------*- C++ -*-===//
//
// This header defines:
//
//   Mutex<T>        a mutual-exclusion lock that owns the T it protects, so
//                   the data cannot be reached without holding the lock
//   MutexGuard<T>   the RAII proof that the lock is held; `*` and `->` reach
//                   the data; the lock is released when the guard is destroyed
//                   (try_lock() returns an empty guard when the lock is busy)
//
// Modelled on Rust's std::sync::Mutex and folly::Synchronized. Unlike a
// std::mutex next to the data it protects, the data lives inside the lock:
//
//   sendsync::Mutex<std::vector<int>> v;
//   v.lock()->push_back(1);                       // locked for one expression
//   {
//     auto g = v.lock();                          // locked until `g` dies
//     g->push_back(2);
//   }
//   v.with_lock([](std::vector<int>& x) { x.clear(); });
//
// The lock spins briefly before parking (see detail/raw_mutex.h), supports
// try_lock(), try_lock_for() and try_lock_until(), and works with
// sendsync::Condvar (condvar.h).
//
// Mutex<T> is not recursive: locking it twice on one thread deadlocks.
//
// No poisoning. Rust marks a Mutex poisoned when a thread panics while
// holding its guard, and every later lock() returns an error. Here an
// exception that unwinds through a guard simply unlocks the mutex (the guard's
// destructor runs), and the next lock() succeeds with the data as the throwing
// code left it. Why: in C++ an exception is an ordinary, recoverable error
// path rather than a bug report, and keeping the data consistent across one is
// the job of the code that modifies it (the basic exception-safety
// guarantee); std::mutex, absl::Mutex and folly::Synchronized do not poison
// either, nor does Rust's parking_lot. Code that must not see half-done
// updates should make them exception-safe (build the new value, then swap it
// in) or catch and repair while it still holds the guard.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_MUTEX_H
#define SENDSYNC_MUTEX_H

#include <cassert>
#include <chrono>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include "sendsync/annotations.h"
#include "sendsync/detail/raw_mutex.h"
#include "sendsync/detail/thread_annotations.h"

namespace sendsync {

template <class T> class Mutex;
class Condvar;

// MutexGuard<T>
//
// Proof that a Mutex<T> is locked, and the only way to reach its data. The
// lock is released by the destructor. Guards are movable (the lock moves with
// them) and not copyable. A guard may be empty: moved from, or returned by a
// try_lock*() that did not get the lock. An empty guard converts to false and
// must not be dereferenced (as folly's LockedPtr from tryLock(), and as
// std::unique_lock made with std::try_to_lock).
//
// Not Send, because the lock must be released by the thread that acquired it
// (as for std::lock_guard and Rust's MutexGuard). Sync iff T is Sync, because
// a `const MutexGuard&` hands out only `const T&`.
template <class T>
class [[nodiscard]] SENDSYNC_NOT_SEND SENDSYNC_SYNC_IF("T: Sync") MutexGuard {
 public:
  MutexGuard(MutexGuard&& other) noexcept
      : mutex_(std::exchange(other.mutex_, nullptr)) {}

  MutexGuard& operator=(MutexGuard&& other) noexcept {
    if (this != &other) {
      release();
      mutex_ = std::exchange(other.mutex_, nullptr);
    }
    return *this;
  }

  MutexGuard(const MutexGuard&) = delete;
  MutexGuard& operator=(const MutexGuard&) = delete;

  ~MutexGuard() { release(); }

  // Whether this guard holds the lock: false if it is moved from or comes
  // from a try_lock*() that failed.
  //
  // Example:
  //   if (auto g = m.try_lock()) g->push_back(1);
  explicit operator bool() const noexcept { return mutex_ != nullptr; }
  [[nodiscard]] bool owns_lock() const noexcept { return mutex_ != nullptr; }

  // Returns the protected data.
  //
  // Example:
  //   auto g = counter.lock();
  //   *g += 1;
  T& operator*() const noexcept {
    assert(mutex_ != nullptr && "dereferencing an empty MutexGuard");
    return mutex_->data_;
  }

  // Accesses a member of the protected data.
  //
  // Example:
  //   names.lock()->push_back("ada");
  T* operator->() const noexcept { return &**this; }

 private:
  friend class Mutex<T>;
  friend class Condvar;

  explicit MutexGuard(Mutex<T>* m) noexcept : mutex_(m) {}

  // Unlocks what lock() handed over; the analysis cannot tie a movable
  // guard's pointer to the lock it was given.
  void release() noexcept SENDSYNC_NO_THREAD_SAFETY_ANALYSIS {
    if (mutex_ != nullptr) std::exchange(mutex_, nullptr)->raw_.unlock();
  }

  detail::raw_mutex& raw() const noexcept {
    assert(mutex_ != nullptr && "waiting with a moved-from MutexGuard");
    return mutex_->raw_;
  }

  Mutex<T>* mutex_;
};

// Mutex<T>
//
// Sync and ThreadSafe iff T is Send: the lock hands the T to one thread at a
// time, so T itself need not be Sync (Rust: `impl<T: Send> Sync for Mutex<T>`).
// Send is inferred structurally: the members are an atomic word and the T.
//
// Memory ordering: everything a thread does while holding the lock
// happens-before everything the next holder does (unlock is a release,
// lock an acquire).
template <class T>
class SENDSYNC_SYNC_IF("T: Send") SENDSYNC_THREAD_SAFE_IF("T: Send") Mutex {
 public:
  using value_type = T;
  using guard = MutexGuard<T>;

  // Constructs the protected value from `args` (value-initialised if none).
  //
  // Example:
  //   sendsync::Mutex<std::string> name("ada");
  //   sendsync::Mutex<std::vector<int>> v(3, 7);   // {7, 7, 7}
  template <class... Args>
    requires std::is_constructible_v<T, Args...>
  explicit Mutex(Args&&... args) : data_(std::forward<Args>(args)...) {}

  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  // Blocks until the lock is acquired; returns the guard that releases it.
  //
  // Example:
  //   auto g = m.lock();
  //   g->insert(key);
  //
  // (Unchecked by -Wthread-safety: the lock passes to the returned guard,
  // whose lifetime the analysis cannot follow.)
  [[nodiscard]] MutexGuard<T> lock() noexcept
      SENDSYNC_NO_THREAD_SAFETY_ANALYSIS {
    raw_.lock();
    return MutexGuard<T>(this);
  }

  // Acquires the lock if it is free right now, without blocking. Returns a
  // guard that is empty (false) if the lock was busy; a held one is used
  // exactly as lock()'s. (Rust's try_lock returns a Result whose Ok is the
  // guard; a nullable guard is the C++ shape of the same thing, and reaches
  // the data with one `->` where std::optional<MutexGuard> needed `(*g)->`.)
  //
  // Example:
  //   if (auto g = m.try_lock()) g->push_back(1);
  [[nodiscard]] MutexGuard<T> try_lock() noexcept {
    return MutexGuard<T>(raw_.try_lock() ? this : nullptr);
  }

  // Acquires the lock, waiting at most `timeout`; an empty guard if it could
  // not.
  //
  // Example:
  //   if (auto g = m.try_lock_for(std::chrono::milliseconds(5))) ++*g;
  template <class Rep, class Period>
  [[nodiscard]] MutexGuard<T> try_lock_for(
      std::chrono::duration<Rep, Period> timeout) noexcept {
    return try_lock_until_steady(detail::deadline_after(timeout));
  }

  // Acquires the lock, waiting at most until `deadline`.
  //
  // Example:
  //   auto until = std::chrono::steady_clock::now() + 5ms;
  //   if (auto g = m.try_lock_until(until)) ++*g;
  template <class Clock, class Duration>
  [[nodiscard]] MutexGuard<T> try_lock_until(
      std::chrono::time_point<Clock, Duration> deadline) noexcept {
    return try_lock_for(deadline - Clock::now());
  }

  // Runs `f(data)` with the lock held and returns what `f` returns. The lock
  // is released even if `f` throws.
  //
  // Example:
  //   int n = m.with_lock([](std::vector<int>& v) { return v.size(); });
  template <class F>
  decltype(auto) with_lock(F&& f) {
    auto g = lock();
    return std::invoke(std::forward<F>(f), *g);
  }

  // Consumes the mutex and returns the data. No lock is taken: an rvalue
  // mutex has no other users.
  //
  // Example:
  //   std::vector<int> v = std::move(m).into_inner();
  [[nodiscard]] T into_inner() && { return std::move(data_); }

  // Returns the data without locking, for code that has the mutex to itself:
  // before it is shared with other threads, or after they have been joined
  // (e.g. after sendsync::scope returns). Rust's get_mut takes `&mut self`,
  // which proves that nobody else can lock; C++ cannot prove it, so this is
  // the caller's promise. A debug build asserts that the lock is free (a
  // guard alive on this or another thread breaks the promise for sure).
  //
  // Example:
  //   sendsync::Mutex<std::vector<int>> m;
  //   m.get_mut().reserve(1024);              // not shared yet
  //   sendsync::scope([&](auto& s) { ... });  // threads lock m
  //   use(m.get_mut());                       // they are joined
  [[nodiscard]] T& get_mut() noexcept {
    assert(raw_.try_lock() && (raw_.unlock(), true) &&
           "Mutex::get_mut while the mutex is locked");
    return data_;
  }

 private:
  friend class MutexGuard<T>;

  MutexGuard<T> try_lock_until_steady(
      detail::clock::time_point deadline) noexcept {
    return MutexGuard<T>(raw_.try_lock_until(deadline) ? this : nullptr);
  }

  detail::raw_mutex raw_;
  T data_;
};

}  // namespace sendsync

#endif  // SENDSYNC_MUTEX_H
