//===- sendsync/task.h - Lazy coroutine tasks on a ThreadPool ---*- C++ -*-===//
//
// This header defines:
//
//   Task<T>               a lazy coroutine producing a T (Task<> produces
//                         nothing); co_await it from another Task
//   block_on(task)        runs a Task to completion on the calling thread and
//                         returns its value (or rethrows its exception)
//   ThreadPool::spawn     (declared in thread_pool.h) starts a Task on a pool
//                         and returns a std::future of its value
//
// With ThreadPool::schedule() (thread_pool.h), `co_await pool.schedule()`,
// which moves the rest of a coroutine onto one of the pool's workers:
//
//   sendsync::Task<long> sum(sendsync::ThreadPool& pool, std::vector<int> v) {
//     co_await pool.schedule();                  // now on a worker
//     co_return std::accumulate(v.begin(), v.end(), 0L);
//   }
//   sendsync::Task<long> both(sendsync::ThreadPool& pool) {
//     std::future<long> a = pool.spawn(sum(pool, {1, 2}));   // runs meanwhile
//     long b = co_await sum(pool, {3, 4});
//     co_return a.get() + b;
//   }
//   long r = sendsync::block_on(both(pool));     // 10
//
// A Task is lazy, as Rust's futures and cppcoro's task: calling a Task
// coroutine only makes its frame; the body starts when the Task is awaited
// (or given to block_on() or spawn()). Awaiting starts the child by symmetric
// transfer (await_suspend returns the child's handle) and the child's end
// resumes its awaiter the same way, so a chain of Tasks that complete without
// suspending -- a loop awaiting a million of them, a recursion a hundred
// thousand deep -- runs in constant stack. A Task owns its frame: destroying
// a Task that never ran, or a Task whose awaiter is destroyed while it is
// suspended, destroys the frame and everything in it.
//
// Threads. A Task runs on whichever thread resumes it: the awaiter's thread
// at first, then a worker after `co_await pool.schedule()`, and its awaiter
// continues on the thread where it ended. So `co_await child()` may come back
// on another thread too; both awaiters are SENDSYNC_RESUMES_ELSEWHERE, and the
// checker requires the locals that live across such a co_await to be Send.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_TASK_H
#define SENDSYNC_TASK_H

#include <concepts>
#include <coroutine>
#include <exception>
#include <future>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

#include "sendsync/annotations.h"
#include "sendsync/thread.h"
#include "sendsync/thread_pool.h"

namespace sendsync {

template <class T = void> class Task;

namespace detail {

// Ends a Task's body: resumes the coroutine that awaited it by symmetric
// transfer (a tail call, so that awaiting a Task that completes at once does
// not nest a resume() per Task on the native stack).
struct task_final_awaiter {
  [[nodiscard]] bool await_ready() const noexcept { return false; }
  template <class Promise>
  std::coroutine_handle<> await_suspend(
      std::coroutine_handle<Promise> self) const noexcept {
    const std::coroutine_handle<> next = self.promise().continuation;
    return next ? next : std::noop_coroutine();
  }
  void await_resume() const noexcept {}
};

// What every Task's promise has: laziness, the awaiter to resume, and the
// exception that escaped the body (kept for the awaiter, never lost).
struct task_promise_base {
  std::suspend_always initial_suspend() const noexcept { return {}; }
  task_final_awaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }

  std::coroutine_handle<> continuation;
  std::exception_ptr error;
};

template <class T> struct task_promise final : task_promise_base {
  Task<T> get_return_object() noexcept;

  // U defaults to T so that `co_return {a, b};` constructs a T.
  template <class U = T>
    requires std::constructible_from<T, U&&>
  void return_value(U&& v) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
    value.emplace(std::forward<U>(v));
  }

  // The value, moved out, or the exception, rethrown.
  T take() {
    if (error) std::rethrow_exception(error);
    return std::move(*value);
  }

  std::optional<T> value;
};

template <> struct task_promise<void> final : task_promise_base {
  Task<void> get_return_object() noexcept;
  void return_void() const noexcept {}
  void take() const {
    if (error) std::rethrow_exception(error);
  }
};

// What `co_await task` suspends on. It takes the Task's frame over (the Task
// is consumed, as Rust's `.await` consumes a future) and destroys it with
// itself, at the end of the co_await's full-expression -- or when the
// awaiting frame is destroyed while suspended here.
//
// Resumes elsewhere: the child ends on whatever thread it ends on (a pool
// worker, if it or any Task it awaits scheduled itself there) and resumes
// the awaiter on that thread. Whether a given child hops is not visible at
// the co_await, so every co_await of a Task is treated as one that may.
template <class T> class SENDSYNC_RESUMES_ELSEWHERE task_awaiter {
 public:
  explicit task_awaiter(std::coroutine_handle<task_promise<T>> child) noexcept
      : child_(child) {}
  task_awaiter(const task_awaiter&) = delete;
  task_awaiter& operator=(const task_awaiter&) = delete;
  ~task_awaiter() {
    if (child_) child_.destroy();
  }

  // Never ready: a Task has not started until it is awaited.
  [[nodiscard]] bool await_ready() const noexcept { return false; }

  // Starts the child by symmetric transfer; it resumes `awaiting` when done.
  std::coroutine_handle<> await_suspend(
      std::coroutine_handle<> awaiting) const noexcept {
    child_.promise().continuation = awaiting;
    return child_;
  }

  T await_resume() const { return child_.promise().take(); }

 private:
  std::coroutine_handle<task_promise<T>> child_;
};

}  // namespace detail

// Task<T>
//
// A lazy coroutine producing a T (or nothing, for Task<> = Task<void>): write
// a function returning Task<T> that uses co_await or co_return. Move-only;
// `co_await std::move(task)` (or `co_await make_task(...)`) runs it and
// yields its value, or rethrows its exception. Awaiting an empty Task (moved
// from, or already awaited) throws std::logic_error. Not started by itself:
// await it, or hand it to block_on() or ThreadPool::spawn().
//
// Send iff T is Send: handing a Task to another thread (spawn) moves its
// frame there and brings its T back. What the frame holds is checked where
// it can be seen, in the coroutine's body: every local alive across a
// co_await that may resume elsewhere must be Send. Structural inference
// would read the frame handle (a void*) as Send whatever T is, hence the
// annotation.
// Sync (asserted): the only const member, valid(), reads the handle, never
// the frame.
template <class T>
class [[nodiscard]] SENDSYNC_SEND_IF("T: Send") SENDSYNC_UNSAFE_SYNC Task {
  static_assert(std::is_void_v<T> || (std::is_object_v<T> &&
                                      !std::is_array_v<T> &&
                                      std::is_destructible_v<T>),
                "sendsync::Task<T>: T must be void or a destructible, "
                "non-array object type (return a std::reference_wrapper "
                "for a reference)");

 public:
  using promise_type = detail::task_promise<T>;
  using value_type = T;

  Task(Task&& other) noexcept : frame_(std::exchange(other.frame_, nullptr)) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      frame_ = std::exchange(other.frame_, nullptr);
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  // Destroys the frame if the Task was never awaited: its parameters are
  // destroyed, its body never runs.
  ~Task() { reset(); }

  // True until the Task is moved from or awaited.
  [[nodiscard]] bool valid() const noexcept { return frame_ != nullptr; }

  // Runs the Task and yields its value (see the class comment). Only on an
  // rvalue: the Task is consumed.
  //
  // Example:
  //   sendsync::Task<int> twice(sendsync::Task<int> t) {
  //     co_return 2 * co_await std::move(t);
  //   }
  detail::task_awaiter<T> operator co_await() && {
    if (!frame_)
      throw std::logic_error(
          "sendsync::Task: co_await on an empty Task (moved from or already "
          "awaited)");
    return detail::task_awaiter<T>(std::exchange(frame_, nullptr));
  }

 private:
  friend promise_type;
  explicit Task(std::coroutine_handle<promise_type> frame) noexcept
      : frame_(frame) {}

  void reset() noexcept {
    if (frame_) std::exchange(frame_, nullptr).destroy();
  }

  std::coroutine_handle<promise_type> frame_;
};

template <class T> Task<T> detail::task_promise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<task_promise>::from_promise(*this));
}

inline Task<void> detail::task_promise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<task_promise>::from_promise(*this));
}

namespace detail {

// The outermost coroutine of block_on() and ThreadPool::spawn(): it awaits the
// user's Task and delivers the outcome. Its body catches everything, so it
// never ends by an exception.
//
// Detached (spawn), it destroys itself as it ends. Otherwise (block_on) it
// stays suspended at its end for its owner to destroy, and calls `on_done`
// only then: the blocked thread may destroy the frame as soon as it is told,
// so the telling must come after the frame's last use.
class root_task {
 public:
  struct promise_type {
    root_task get_return_object() noexcept {
      return root_task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    auto final_suspend() const noexcept {
      struct awaiter {
        bool detached;
        [[nodiscard]] bool await_ready() const noexcept { return detached; }
        void await_suspend(std::coroutine_handle<promise_type> self) const noexcept {
          // Read before the call: after it, the frame may be gone.
          const auto done = self.promise().on_done;
          void* const context = self.promise().context;
          done(context);
        }
        void await_resume() const noexcept {}
      };
      return awaiter{on_done == nullptr};
    }
    void return_void() const noexcept {}
    // Unreachable: the bodies below catch every exception.
    [[noreturn]] void unhandled_exception() const noexcept { std::terminate(); }

    void (*on_done)(void*) noexcept = nullptr;
    void* context = nullptr;
  };

  root_task(root_task&& other) noexcept
      : frame_(std::exchange(other.frame_, nullptr)) {}
  root_task(const root_task&) = delete;
  root_task& operator=(const root_task&) = delete;
  root_task& operator=(root_task&&) = delete;
  ~root_task() {
    if (frame_) frame_.destroy();
  }

  promise_type& promise() const noexcept { return frame_.promise(); }
  void resume() const { frame_.resume(); }
  // Gives the frame up (to a detached run that destroys itself).
  std::coroutine_handle<promise_type> release() noexcept {
    return std::exchange(frame_, nullptr);
  }

 private:
  explicit root_task(std::coroutine_handle<promise_type> frame) noexcept
      : frame_(frame) {}
  std::coroutine_handle<promise_type> frame_;
};

// The queued task of ThreadPool::spawn: starts the detached root coroutine,
// which owns itself from then on. Owns the frame until run, so that a job
// destroyed unrun (an enqueue() that throws) destroys it and the Task in it.
class start_job {
 public:
  explicit start_job(std::coroutine_handle<root_task::promise_type> frame) noexcept
      : frame_(frame) {}
  start_job(start_job&& other) noexcept
      : frame_(std::exchange(other.frame_, nullptr)) {}
  start_job(const start_job&) = delete;
  start_job& operator=(const start_job&) = delete;
  start_job& operator=(start_job&&) = delete;
  ~start_job() {
    if (frame_) frame_.destroy();
  }
  void operator()() { std::exchange(frame_, nullptr).resume(); }

 private:
  std::coroutine_handle<root_task::promise_type> frame_;
};

// block_on's coroutine: runs `task`, leaves its outcome in `out`. The Task is
// destroyed (its frame with it) before the outcome is delivered, so nothing
// of it outlives block_on().
template <class T>
root_task block_on_body(Task<T> task, thread_outcome<T>& out) {
  try {
    Task<T> owned = std::move(task);
    if constexpr (std::is_void_v<T>) {
      co_await std::move(owned);
      out.value.emplace();
    } else {
      out.value.emplace(co_await std::move(owned));
    }
  } catch (...) {
    out.error = std::current_exception();
  }
}

// spawn's coroutine: runs `task` and fulfils `promise`. The Task's frame is
// destroyed before the future becomes ready.
template <class T>
root_task spawn_body(Task<T> task, std::promise<T> promise) {
  using stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;
  std::optional<stored> value;
  std::exception_ptr error;
  try {
    Task<T> owned = std::move(task);
    if constexpr (std::is_void_v<T>) {
      co_await std::move(owned);
      value.emplace();
    } else {
      value.emplace(co_await std::move(owned));
    }
  } catch (...) {
    error = std::current_exception();
  }
  try {
    if (error) {
      promise.set_exception(error);
    } else if constexpr (std::is_void_v<T>) {
      promise.set_value();
    } else {
      promise.set_value(std::move(*value));
    }
  } catch (...) {
    // Only a T whose move throws can get here; the future then reports it.
    promise.set_exception(std::current_exception());
  }
}

}  // namespace detail

// Runs `task` to completion on the calling thread and returns its value, or
// rethrows its exception. The task starts on this thread; if it moves to a
// pool (`co_await pool.schedule()`), this thread waits until it ends. The
// Task's frame is destroyed before block_on() returns.
//
// Blocks the calling thread: do not call it from a coroutine (co_await the
// Task instead), nor from a pool task whose Task needs a worker of that same
// pool (with every worker blocked so, nothing runs it).
//
// Memory ordering: everything the task did happens-before block_on() returns.
//
// Example:
//   sendsync::ThreadPool pool(2);
//   int n = sendsync::block_on(count_words(pool, "one two three"));   // 3
template <class T> T block_on(Task<T> task) {
  detail::thread_outcome<T> outcome;
  detail::root_task root = detail::block_on_body(std::move(task), outcome);
  root.promise().on_done = [](void* out) noexcept {
    static_cast<detail::thread_outcome<T>*>(out)->finish();
  };
  root.promise().context = &outcome;
  root.resume();  // returns when the task ends or first leaves this thread
  outcome.wait();
  // `root` is destroyed after take(), but it is suspended at its end, and
  // destroying it only frees the frame: the Task in it is already gone.
  return outcome.take();
}

template <class T>
std::future<T> ThreadPool::spawn(SENDSYNC_CROSSES_THREAD Task<T> task) {
  std::promise<T> promise;
  std::future<T> future = promise.get_future();
  enqueue(detail::unique_task(detail::start_job(
      detail::spawn_body(std::move(task), std::move(promise)).release())));
  return future;
}

}  // namespace sendsync

#endif  // SENDSYNC_TASK_H
