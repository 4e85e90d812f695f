//===- sendsync/once.h - One-time initialisation ----------------*- C++ -*-===//
//
// This header defines:
//
//   OnceLock<T>      a cell written at most once, then read by any thread
//   LazyLock<T, F>   a value computed by F on first access
//
// Modelled on Rust's std::sync::OnceLock and LazyLock.
//
//   sendsync::OnceLock<Config> config;
//   const Config& c = config.get_or_init([] { return load_config(); });
//
//   static const sendsync::LazyLock table([] { return build_table(); });
//   lookup(*table, key);
//
// Exactly one initialiser runs; concurrent callers wait for it (spinning
// briefly, then parking). If the initialiser throws, the exception reaches
// its caller, the cell stays empty and the next caller (or a waiting one)
// runs its own initialiser.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_ONCE_H
#define SENDSYNC_ONCE_H

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "sendsync/annotations.h"
#include "sendsync/detail/futex.h"

namespace sendsync {

// OnceLock<T>
//
// Send iff T is Send: the T lives in raw storage, which structural inference
// cannot see, hence the explicit annotation. Sync and ThreadSafe iff T is
// Send and Sync: every thread may read the `const T&` (Sync), and the T is
// constructed on whichever thread initialises and destroyed on whichever
// thread destroys the lock (Send), as for Rust's OnceLock.
//
// Memory ordering: initialisation is published with a release store and
// every successful `get()`/`get_or_init()` is an acquire, so the constructed
// T (and everything the initialiser wrote before) is visible to every reader.
template <class T>
class SENDSYNC_SEND_IF("T: Send") SENDSYNC_SYNC_IF("T: Send + Sync")
    SENDSYNC_THREAD_SAFE_IF("T: Send + Sync") OnceLock {
  static_assert(!std::is_reference_v<T>, "OnceLock<T&> is not supported");

 public:
  OnceLock() noexcept = default;
  OnceLock(const OnceLock&) = delete;
  OnceLock& operator=(const OnceLock&) = delete;

  ~OnceLock() {
    if (state_.load(std::memory_order_acquire) == complete) ptr()->~T();
  }

  // Returns the value, or nullptr if not initialised (yet).
  //
  // Example:
  //   if (const Config* c = config.get()) use(*c);
  [[nodiscard]] const T* get() const noexcept {
    if (state_.load(std::memory_order_acquire) != complete) return nullptr;
    return ptr();
  }

  // True once the value is initialised.
  //
  // Example:
  //   assert(config.has_value());
  [[nodiscard]] bool has_value() const noexcept { return get() != nullptr; }

  // Returns the value, running `f()` to create it if nobody has. If another
  // thread is initialising, waits for it. `f` must not re-enter this lock
  // (that deadlocks, like a recursive std::call_once).
  //
  // Example:
  //   const auto& c = config.get_or_init([] { return load_config(); });
  template <class F> const T& get_or_init(F&& f) {
    if (const T* v = get()) return *v;
    initialize([&] { return std::invoke(std::forward<F>(f)); });
    return *ptr();
  }

  // Stores `value` if the lock is empty; returns whether it did. If the lock
  // was already initialised, `value` is not moved from.
  //
  // Example:
  //   if (!config.set(std::move(c))) log("config already set");
  template <class U = T>
    requires std::is_constructible_v<T, U&&>
  bool set(U&& value) {
    if (get() != nullptr) return false;
    bool mine = false;
    initialize([&]() -> T {
      mine = true;
      return T(std::forward<U>(value));
    });
    return mine;
  }

  // Consumes the lock and returns its value, if any.
  //
  // Example:
  //   std::optional<Config> c = std::move(config).into_inner();
  [[nodiscard]] std::optional<T> into_inner() && {
    if (state_.load(std::memory_order_acquire) != complete) return std::nullopt;
    std::optional<T> out(std::move(*ptr()));
    ptr()->~T();
    state_.store(empty, std::memory_order_relaxed);
    return out;
  }

 private:
  static constexpr std::uint32_t empty = 0;    // no value, nobody running
  static constexpr std::uint32_t running = 1;  // an initialiser runs
  static constexpr std::uint32_t waiting = 2;  // ... and somebody is parked
  static constexpr std::uint32_t complete = 3; // the value is published

  T* ptr() noexcept { return std::launder(reinterpret_cast<T*>(storage_)); }
  const T* ptr() const noexcept {
    return std::launder(reinterpret_cast<const T*>(storage_));
  }

  // Runs `make()` unless another thread completes first; `make` returns T.
  template <class Make> void initialize(Make&& make) {
    for (;;) {
      std::uint32_t s = state_.load(std::memory_order_acquire);
      if (s == complete) return;
      if (s == empty) {
        if (!state_.compare_exchange_strong(s, running,
                                            std::memory_order_acquire))
          continue;
        try {
          ::new (static_cast<void*>(storage_)) T(make());
        } catch (...) {
          // Reopen the cell so that a waiter can try its own initialiser.
          if (state_.exchange(empty, std::memory_order_release) == waiting)
            detail::futex_wake_all(&state_);
          throw;
        }
        if (state_.exchange(complete, std::memory_order_release) == waiting)
          detail::futex_wake_all(&state_);
        return;
      }
      // Somebody else is initialising: spin briefly, then park.
      if (detail::spin_until([&] {
            s = state_.load(std::memory_order_acquire);
            return s == empty || s == complete;
          }))
        continue;
      if (s == running &&
          !state_.compare_exchange_strong(s, waiting,
                                          std::memory_order_relaxed))
        continue;
      detail::futex_wait(&state_, waiting, detail::deadline_t{});
    }
  }

  std::atomic<std::uint32_t> state_{empty};
  alignas(T) unsigned char storage_[sizeof(T)];
};

// LazyLock<T, F>
//
// A value computed on first access by the initialiser `f` given to the
// constructor; every access after that returns the same value. Access is
// const (laziness is invisible to readers), so a `static const LazyLock`
// works.
//
// Send iff T and F are Send (both may be destroyed on another thread).
// Sync and ThreadSafe iff T is Send and Sync and F is Send: any thread may run
// F (once) and then read the T (Rust: `impl<T: Send + Sync, F: Send> Sync`).
//
// Memory ordering: as OnceLock.
template <class T, class F = T (*)()>
class SENDSYNC_SEND_IF("T: Send, F: Send")
    SENDSYNC_SYNC_IF("T: Send + Sync, F: Send")
    SENDSYNC_THREAD_SAFE_IF("T: Send + Sync, F: Send") LazyLock {
 public:
  // Stores the initialiser; nothing runs yet.
  //
  // Example:
  //   sendsync::LazyLock<std::string> greeting([] { return std::string("hi"); });
  explicit LazyLock(F f) : init_(std::move(f)) {}

  LazyLock(const LazyLock&) = delete;
  LazyLock& operator=(const LazyLock&) = delete;

  // Returns the value, computing it first if needed. If the initialiser
  // throws, the exception propagates and the next access tries again.
  //
  // Example:
  //   std::size_t n = table.get().size();
  const T& get() const {
    return cell_.get_or_init([this] { return T(std::invoke(init_)); });
  }
  const T& operator*() const { return get(); }
  const T* operator->() const { return &get(); }

  // True once the value has been computed.
  [[nodiscard]] bool has_value() const noexcept { return cell_.has_value(); }

 private:
  // mutable: the initialiser runs from const access, at most one thread at a
  // time (OnceLock's state machine serialises it).
  mutable F init_;
  mutable OnceLock<T> cell_;
};

// Deduces LazyLock<T, F> from the initialiser, e.g. LazyLock x([] { ... }).
template <class F>
LazyLock(F) -> LazyLock<std::decay_t<std::invoke_result_t<F&>>, F>;

}  // namespace sendsync

#endif  // SENDSYNC_ONCE_H
