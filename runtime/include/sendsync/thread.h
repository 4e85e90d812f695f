//===- sendsync/thread.h - Threads that return values -----------*- C++ -*-===//
//
// This header defines:
//
//   spawn(f, args...)       runs f(args...) on a new thread
//   JoinHandle<R>           join() returns f's result or rethrows its exception
//   scope(body)             runs body(Scope&); every thread spawned through
//                           the Scope is joined before scope() returns
//   Scope                   Scope::spawn(f, args...) may borrow locals
//   ScopedJoinHandle<R>     join() inside the scope, for the result
//
// Modelled on Rust's std::thread::spawn and std::thread::scope.
//
//   auto h = sendsync::spawn([](int n) { return n * 2; }, 21);
//   int r = h.join();                              // 42
//
//   std::vector<int> data = ...;
//   sendsync::scope([&](sendsync::Scope& s) {
//     s.spawn([&] { sum_first_half(data); });     // borrowing is fine here
//     s.spawn([&] { sum_second_half(data); });
//   });                                           // both joined here
//
// Unlike std::thread, a JoinHandle destroyed without join() joins (it never
// calls std::terminate and never detaches): dropping a handle waits for the
// thread. An exception from a thread whose handle is dropped unjoined is
// reported on stderr (it cannot be rethrown from a destructor).
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_THREAD_H
#define SENDSYNC_THREAD_H

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "sendsync/annotations.h"
#include "sendsync/detail/futex.h"
#include "sendsync/detail/raw_mutex.h"
#include "sendsync/detail/thread_annotations.h"

namespace sendsync {

namespace detail {

struct spawn_tag {};

// Prints an exception that nobody will ever observe, so it is not lost
// silently. Used from destructors, which cannot rethrow.
inline void report_unobserved(const char* where, std::exception_ptr e) noexcept {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "sendsync: %s: unobserved exception: %s\n", where,
                 ex.what());
  } catch (...) {
    std::fprintf(stderr, "sendsync: %s: unobserved non-std exception\n",
                 where);
  }
}

// The result type of running `F` with `Args` on another thread: the callable
// and the arguments are decay-copied and invoked as rvalues, as by
// std::thread.
template <class F, class... Args>
using spawn_result_t =
    std::invoke_result_t<std::decay_t<F>&&, std::decay_t<Args>&&...>;

// Where a thread leaves its outcome. `done` is released after the value or
// the exception is stored, so an acquire of `done == 1` makes them visible.
template <class R> struct thread_outcome {
  using stored = std::conditional_t<std::is_void_v<R>, std::monostate, R>;
  std::optional<stored> value;
  std::exception_ptr error;
  std::atomic<std::uint32_t> done{0};

  template <class Fn, class Tuple> void run(Fn& fn, Tuple& args) noexcept {
    try {
      if constexpr (std::is_void_v<R>) {
        std::apply(std::move(fn), std::move(args));
        value.emplace();
      } else {
        value.emplace(std::apply(std::move(fn), std::move(args)));
      }
    } catch (...) {
      error = std::current_exception();
    }
  }

  void finish() noexcept {
    done.store(1, std::memory_order_release);
    futex_wake_all(&done);
  }

  void wait() noexcept {
    if (spin_until([&] { return done.load(std::memory_order_acquire) != 0; }))
      return;
    while (done.load(std::memory_order_acquire) == 0)
      futex_wait(&done, 0, deadline_t{});
  }

  // Returns the value or rethrows the exception (once).
  R take() {
    if (error) std::rethrow_exception(std::exchange(error, nullptr));
    if constexpr (!std::is_void_v<R>) return std::move(*value);
  }
};

}  // namespace detail

// Thrown by join() on a handle that was already joined or moved from.
class JoinError : public std::logic_error {
 public:
  JoinError()
      : std::logic_error(
            "sendsync: join() on a handle that was already joined or moved "
            "from") {}
};

// JoinHandle<R>
//
// Owns a thread started by sendsync::spawn. join() waits for it and returns
// its result or rethrows its exception. Move-only. Destroying (or assigning
// over) an unjoined handle joins the thread.
//
// Send iff R is Send: the handle carries the thread's R to whichever thread
// joins. Inference from its unique_ptr to the outcome agrees, but only where
// detail::thread_outcome<R> is instantiated (an incomplete type is not
// judged), so the annotation stays.
// Sync (asserted): the only const members, is_finished() and get_id(), read
// an atomic flag and the thread id, never the R.
template <class R>
class SENDSYNC_SEND_IF("R: Send") SENDSYNC_UNSAFE_SYNC JoinHandle {
 public:
  using result_type = R;

  // Internal: made by sendsync::spawn (the tag keeps it out of overload sets).
  JoinHandle(detail::spawn_tag, std::thread t,
             std::unique_ptr<detail::thread_outcome<R>> outcome) noexcept
      : thread_(std::move(t)), outcome_(std::move(outcome)) {}

  JoinHandle(JoinHandle&&) noexcept = default;
  JoinHandle& operator=(JoinHandle&& other) noexcept {
    if (this != &other) {
      join_quietly();
      thread_ = std::move(other.thread_);
      outcome_ = std::move(other.outcome_);
    }
    return *this;
  }
  JoinHandle(const JoinHandle&) = delete;
  JoinHandle& operator=(const JoinHandle&) = delete;

  // Joins the thread if join() was not called; see the file comment.
  ~JoinHandle() { join_quietly(); }

  // Waits for the thread to finish and returns its result, or rethrows the
  // exception that escaped it. Throws JoinError if already joined.
  //
  // Example:
  //   auto h = sendsync::spawn([] { return compute(); });
  //   auto r = h.join();
  R join() {
    if (!thread_.joinable()) throw JoinError();
    thread_.join();
    auto outcome = std::move(outcome_);
    return outcome->take();
  }

  // True until join() is called (or the handle is moved from).
  [[nodiscard]] bool joinable() const noexcept { return thread_.joinable(); }

  // True once the thread has finished running (join() will not block).
  //
  // Example:
  //   while (!h.is_finished()) do_other_work();
  [[nodiscard]] bool is_finished() const noexcept {
    return outcome_ == nullptr ||
           outcome_->done.load(std::memory_order_acquire) != 0;
  }

  // The id of the thread (a default id once joined).
  [[nodiscard]] std::thread::id get_id() const noexcept {
    return thread_.get_id();
  }

 private:

  void join_quietly() noexcept {
    if (!thread_.joinable()) return;
    thread_.join();
    if (outcome_ && outcome_->error)
      detail::report_unobserved("thread dropped unjoined", outcome_->error);
    outcome_.reset();
  }

  std::thread thread_;
  std::unique_ptr<detail::thread_outcome<R>> outcome_;
};

// Runs `f(args...)` on a new thread and returns the handle to join it. `f`
// and `args` are decay-copied (moved when rvalues) into the thread, as by
// std::thread; pass std::ref(x) to share x. Throws std::system_error if the
// thread cannot be started.
//
// Both parameters cross to the new thread, which may outlive the caller's
// locals: the checker requires them to be Send.
//
// Example:
//   auto h = sendsync::spawn([](std::vector<int> v) { return v.size(); },
//                            std::vector<int>{1, 2, 3});
//   assert(h.join() == 3);
template <class F, class... Args>
[[nodiscard]] JoinHandle<detail::spawn_result_t<F, Args...>> spawn(
    SENDSYNC_CROSSES_THREAD F&& f, SENDSYNC_CROSSES_THREAD Args&&... args) {
  using R = detail::spawn_result_t<F, Args...>;
  static_assert(!std::is_reference_v<R>,
                "sendsync::spawn: a thread cannot return a reference; return "
                "a value or a std::reference_wrapper");
  auto outcome = std::make_unique<detail::thread_outcome<R>>();
  std::thread t(
      [out = outcome.get(), fn = std::decay_t<F>(std::forward<F>(f)),
       tup = std::tuple<std::decay_t<Args>...>(
           std::forward<Args>(args)...)]() mutable noexcept {
        out->run(fn, tup);
        out->finish();
      });
  return JoinHandle<R>(detail::spawn_tag{}, std::move(t), std::move(outcome));
}

class Scope;

template <class R> class ScopedJoinHandle;

namespace detail {

struct scoped_entry_base {
  virtual ~scoped_entry_base() = default;
  // Guarded by the owning Scope's mu_ (another class's member, which
  // SENDSYNC_GUARDED_BY cannot name; Scope reaches it only through its
  // guarded entries_).
  std::thread thread;
  std::uint64_t error_seq = 0;     // written by the thread before `done`
  std::atomic<bool> observed{false};
  virtual std::exception_ptr error() const noexcept = 0;
};

template <class R> struct scoped_entry final : scoped_entry_base {
  thread_outcome<R> outcome;
  std::exception_ptr error() const noexcept override { return outcome.error; }
};

}  // namespace detail

// ScopedJoinHandle<R>
//
// The handle of a thread spawned through a Scope. join() waits for that thread
// and returns its result or rethrows its exception (which then no longer
// propagates out of scope()). A handle dropped unjoined is fine: scope() joins
// the thread. Must not outlive the scope() call that made it.
//
// Send iff R is Send: it refers to the thread's outcome through a raw pointer,
// which structural inference would judge differently.
template <class R> class SENDSYNC_SEND_IF("R: Send") ScopedJoinHandle {
 public:
  ScopedJoinHandle(ScopedJoinHandle&& o) noexcept
      : entry_(std::exchange(o.entry_, nullptr)) {}
  ScopedJoinHandle& operator=(ScopedJoinHandle&& o) noexcept {
    entry_ = std::exchange(o.entry_, nullptr);
    return *this;
  }
  ScopedJoinHandle(const ScopedJoinHandle&) = delete;
  ScopedJoinHandle& operator=(const ScopedJoinHandle&) = delete;
  ~ScopedJoinHandle() = default;

  // Waits for the thread and returns its result or rethrows its exception.
  // Throws JoinError if already joined.
  //
  // Example:
  //   auto h = s.spawn([&] { return count(data); });
  //   std::size_t n = h.join();
  R join() {
    if (entry_ == nullptr) throw JoinError();
    auto* e = std::exchange(entry_, nullptr);
    e->outcome.wait();
    e->observed.store(true, std::memory_order_relaxed);
    return e->outcome.take();
  }

  // True once the thread has finished.
  [[nodiscard]] bool is_finished() const noexcept {
    return entry_ == nullptr ||
           entry_->outcome.done.load(std::memory_order_acquire) != 0;
  }

 private:
  friend class Scope;
  explicit ScopedJoinHandle(detail::scoped_entry<R>* e) noexcept : entry_(e) {}
  detail::scoped_entry<R>* entry_;
};

// Scope
//
// Made by sendsync::scope() and passed to its body; spawns threads that are
// all joined before scope() returns, so they may borrow the caller's locals.
// Neither copyable nor movable.
//
// ThreadSafe: spawn() locks an internal mutex, so threads of the scope may
// spawn more threads through the same `Scope&`. Not annotated: the checker
// infers it from the members, an atomic and a list SENDSYNC_GUARDED_BY mu_.
class Scope {
 public:
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  // Runs `f(args...)` on a new thread joined before scope() returns. Arguments
  // are decay-copied as by std::thread; lambdas may capture by reference.
  //
  // Example:
  //   sendsync::scope([&](sendsync::Scope& s) {
  //     s.spawn([&] { ++hits[0]; });
  //     s.spawn([&] { ++hits[1]; });
  //   });
  template <class F, class... Args>
  ScopedJoinHandle<detail::spawn_result_t<F, Args...>> spawn(
      SENDSYNC_CROSSES_THREAD_SCOPED F&& f,
      SENDSYNC_CROSSES_THREAD_SCOPED Args&&... args) {
    using R = detail::spawn_result_t<F, Args...>;
    static_assert(!std::is_reference_v<R>,
                  "sendsync::Scope::spawn: a thread cannot return a reference");
    auto entry = std::make_unique<detail::scoped_entry<R>>();
    auto* e = entry.get();
    detail::raw_lock_guard lock(mu_);
    entries_.push_back(std::move(entry));
    try {
      e->thread = std::thread(
          [this, e, fn = std::decay_t<F>(std::forward<F>(f)),
           tup = std::tuple<std::decay_t<Args>...>(
               std::forward<Args>(args)...)]() mutable noexcept {
            e->outcome.run(fn, tup);
            if (e->outcome.error)
              e->error_seq = next_error_seq_.fetch_add(1);
            e->outcome.finish();
          });
    } catch (...) {
      entries_.pop_back();
      throw;
    }
    return ScopedJoinHandle<R>(e);
  }

 private:
  template <class Body> friend auto scope(Body&& body);

  Scope() = default;
  ~Scope() = default;

  // Joins every thread, including ones spawned while joining.
  void join_all() noexcept {
    for (;;) {
      std::thread t;
      {
        detail::raw_lock_guard lock(mu_);
        for (auto& e : entries_) {
          if (e->thread.joinable()) {
            t = std::move(e->thread);
            break;
          }
        }
      }
      if (!t.joinable()) return;
      t.join();
    }
  }

  // After join_all(): rethrows the earliest exception nobody observed
  // through join(), if any (`body_error` is the body's own).
  void rethrow_first(std::exception_ptr body_error, std::uint64_t body_seq) {
    std::exception_ptr first = body_error;
    std::uint64_t first_seq = body_seq;
    {
      // Every thread is joined, but the lock is cheap here and lets
      // -Wthread-safety check this function as the others.
      detail::raw_lock_guard lock(mu_);
      for (auto& e : entries_) {
        auto err = e->error();
        if (!err || e->observed.load(std::memory_order_relaxed)) continue;
        if (!first || e->error_seq < first_seq) {
          first = err;
          first_seq = e->error_seq;
        }
      }
    }
    if (first) std::rethrow_exception(first);
  }

  detail::raw_mutex mu_;
  std::vector<std::unique_ptr<detail::scoped_entry_base>> entries_
      SENDSYNC_GUARDED_BY(mu_);
  std::atomic<std::uint64_t> next_error_seq_{0};
};

// Runs `body(scope)` and then joins every thread spawned through `scope`
// (also when `body` throws) before returning what `body` returned. If the
// body or any thread threw (and the thread's exception was not already
// observed through ScopedJoinHandle::join), the earliest such exception is
// rethrown after all threads are joined; the others are dropped.
//
// Example:
//   std::vector<int> v(1000, 1);
//   long left = 0, right = 0;
//   sendsync::scope([&](sendsync::Scope& s) {
//     s.spawn([&] { left = std::accumulate(v.cbegin(), v.cbegin() + 500, 0L); });
//     s.spawn([&] { right = std::accumulate(v.cbegin() + 500, v.cend(), 0L); });
//   });
//   assert(left + right == 1000);
template <class Body> auto scope(Body&& body) {
  using R = std::invoke_result_t<Body&&, Scope&>;
  static_assert(!std::is_reference_v<R>,
                "sendsync::scope: the body must return a value");
  Scope s;
  std::exception_ptr body_error;
  std::uint64_t body_seq = 0;
  using stored = std::conditional_t<std::is_void_v<R>, std::monostate, R>;
  std::optional<stored> result;
  try {
    if constexpr (std::is_void_v<R>) {
      std::invoke(std::forward<Body>(body), s);
    } else {
      result.emplace(std::invoke(std::forward<Body>(body), s));
    }
  } catch (...) {
    body_error = std::current_exception();
    body_seq = s.next_error_seq_.fetch_add(1);
  }
  s.join_all();
  s.rethrow_first(body_error, body_seq);
  if constexpr (!std::is_void_v<R>) return std::move(*result);
}

}  // namespace sendsync

#endif  // SENDSYNC_THREAD_H
