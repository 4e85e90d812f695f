//===- sendsync/mutex.h - A mutex that owns its data ------------*- C++ -*-===//
//
// This header defines:
//
//   Mutex<T>        a mutual-exclusion lock that owns the T it protects, so
//                   the data cannot be reached without holding the lock
//   MutexGuard<T>   the RAII proof that the lock is held; `*` and `->` reach
//                   the data; the lock is released when the guard is destroyed
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

namespace sendsync {

template <class T> class Mutex;
class Condvar;

// MutexGuard<T>
//
// Proof that a Mutex<T> is locked, and the only way to reach its data. The
// lock is released by the destructor. Guards are movable (the lock moves with
// them) and not copyable. A moved-from guard holds nothing and must not be
// dereferenced.
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

  // Returns the protected data.
  //
  // Example:
  //   auto g = counter.lock();
  //   *g += 1;
  T& operator*() const noexcept {
    assert(mutex_ != nullptr && "dereferencing a moved-from MutexGuard");
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

  void release() noexcept {
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
  [[nodiscard]] MutexGuard<T> lock() noexcept {
    raw_.lock();
    return MutexGuard<T>(this);
  }

  // Acquires the lock if it is free right now, without blocking.
  //
  // Example:
  //   if (auto g = m.try_lock()) (*g)->push_back(1);
  [[nodiscard]] std::optional<MutexGuard<T>> try_lock() noexcept {
    if (!raw_.try_lock()) return std::nullopt;
    return MutexGuard<T>(this);
  }

  // Acquires the lock, waiting at most `timeout`.
  //
  // Example:
  //   if (auto g = m.try_lock_for(std::chrono::milliseconds(5))) ...
  template <class Rep, class Period>
  [[nodiscard]] std::optional<MutexGuard<T>> try_lock_for(
      std::chrono::duration<Rep, Period> timeout) noexcept {
    return try_lock_until_steady(detail::deadline_after(timeout));
  }

  // Acquires the lock, waiting at most until `deadline`.
  //
  // Example:
  //   auto until = std::chrono::steady_clock::now() + 5ms;
  //   if (auto g = m.try_lock_until(until)) ...
  template <class Clock, class Duration>
  [[nodiscard]] std::optional<MutexGuard<T>> try_lock_until(
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

 private:
  friend class MutexGuard<T>;

  std::optional<MutexGuard<T>> try_lock_until_steady(
      detail::clock::time_point deadline) noexcept {
    if (!raw_.try_lock_until(deadline)) return std::nullopt;
    return MutexGuard<T>(this);
  }

  detail::raw_mutex raw_;
  T data_;
};

}  // namespace sendsync

#endif  // SENDSYNC_MUTEX_H
