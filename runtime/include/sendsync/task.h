//===- sendsync/task.h - Lazy coroutine tasks on a ThreadPool ---*- C++ -*-===//
//
// This header defines:
//
//   Task<T>               a lazy coroutine producing a T (Task<> produces
//                         nothing); co_await it from another Task
//   TaskHandle<T>         a Task started by ThreadPool::spawn: join() it, or
//                         co_await it from a Task
//   block_on(task)        runs a Task to completion on the calling thread and
//                         returns its value (or rethrows its exception)
//   ThreadPool::spawn     (declared in thread_pool.h) starts a Task on a pool
//
// With ThreadPool::schedule() (thread_pool.h), `co_await pool.schedule()`,
// which moves the rest of a coroutine onto one of the pool's workers:
//
//   sendsync::Task<long> sum(sendsync::ThreadPool& pool, std::vector<int> v) {
//     co_await pool.schedule();                  // now on a worker
//     co_return std::accumulate(v.begin(), v.end(), 0L);
//   }
//   sendsync::Task<long> both(sendsync::ThreadPool& pool) {
//     sendsync::TaskHandle<long> a = pool.spawn(sum(pool, {1, 2}));  // runs now
//     long b = co_await sum(pool, {3, 4});
//     co_return co_await std::move(a) + b;
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
// A spawned Task's frame is also where its result waits: the TaskHandle and
// the running task share it, and whichever of the two is done with it last
// destroys it. Spawning allocates nothing but the frame.
//
// Threads. A Task runs on whichever thread resumes it: the awaiter's thread
// at first, then a worker after `co_await pool.schedule()`, and its awaiter
// continues on the thread where it ended. So `co_await child()` and
// `co_await handle` may come back on another thread too. The schedule() and
// handle awaiters are SENDSYNC_RESUMES_ELSEWHERE, and the checker requires
// the locals that live across them to be Send; across `co_await child()` it
// does when the child's body may end on another thread.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_TASK_H
#define SENDSYNC_TASK_H

#include <atomic>
#include <concepts>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "sendsync/annotations.h"
#include "sendsync/detail/futex.h"
#include "sendsync/thread.h"
#include "sendsync/thread_pool.h"

namespace sendsync {

template <class T = void> class Task;
template <class T = void> class TaskHandle;

namespace detail {

// How a spawned Task's end meets whoever waits for it: one word,
// task_promise_base::join_state, that the ending task and the TaskHandle
// each exchange once.
//
//   join_running    neither has happened yet
//   join_done       the task ended; its result waits in the frame
//   join_detached   the handle was dropped: the task frees itself at its end
//   an address      a coroutine awaiting the handle (a frame address,
//                   aligned to at least 8), or a blocked_joiner's, tagged
//                   with join_blocked_tag
inline constexpr std::uintptr_t join_running = 0;
inline constexpr std::uintptr_t join_done = 1;
inline constexpr std::uintptr_t join_detached = 2;
inline constexpr std::uintptr_t join_blocked_tag = 4;

// A thread blocked in TaskHandle::join(), on its own stack.
struct alignas(8) blocked_joiner {
  std::atomic<std::uint32_t> woken{0};

  // Called by the ending task. Once `woken` is stored, the joiner may return
  // and this object be gone: the wake-up passes only its address to the
  // kernel, which a stale address does not harm (a spurious wake-up at
  // worst, which every futex wait here tolerates).
  void wake() noexcept {
    woken.store(1, std::memory_order_release);
    futex_wake_all(&woken);
  }
  void wait() noexcept {
    if (spin_until([&] { return woken.load(std::memory_order_acquire) != 0; }))
      return;
    while (woken.load(std::memory_order_acquire) == 0)
      futex_wait(&woken, 0, deadline_t{});
  }
};

// What every Task's promise has: laziness, whom to resume at the end, and the
// exception that escaped the body (kept for whoever awaits, never lost).
struct task_promise_base {
  std::suspend_always initial_suspend() const noexcept { return {}; }
  auto final_suspend() const noexcept;
  void unhandled_exception() noexcept { error = std::current_exception(); }

  // Rethrows the body's exception, once.
  void rethrow_if_failed() {
    if (error) std::rethrow_exception(std::exchange(error, nullptr));
  }

  // Awaited as a Task: the awaiting coroutine.
  std::coroutine_handle<> continuation;
  std::exception_ptr error;
  // Started by spawn() or block_on(): the end goes through join_state.
  bool spawned = false;
  std::atomic<std::uintptr_t> join_state{join_running};
};

// Ends a Task's body: resumes the coroutine that awaited it by symmetric
// transfer (a tail call, so that awaiting a Task that completes at once does
// not nest a resume() per Task on the native stack), or, for a spawned Task,
// hands the result over to its TaskHandle.
struct task_final_awaiter {
  [[nodiscard]] bool await_ready() const noexcept { return false; }

  template <class Promise>
  std::coroutine_handle<> await_suspend(
      std::coroutine_handle<Promise> self) const noexcept {
    task_promise_base& p = self.promise();
    if (!p.spawned)
      return p.continuation ? p.continuation : std::noop_coroutine();
    // acq_rel: the result written by the body is released to the handle;
    // a detaching handle's last writes are acquired before freeing.
    const std::uintptr_t prev =
        p.join_state.exchange(join_done, std::memory_order_acq_rel);
    if (prev == join_running) return std::noop_coroutine();  // joined later
    if (prev == join_detached) {
      // Nobody will look: say so if it failed, and free the frame.
      if (p.error) report_unobserved("sendsync::Task spawned, detached", p.error);
      self.destroy();
      return std::noop_coroutine();
    }
    if ((prev & join_blocked_tag) != 0) {
      // The joiner destroys the frame once woken: nothing here touches it
      // after this call.
      reinterpret_cast<blocked_joiner*>(prev & ~join_blocked_tag)->wake();
      return std::noop_coroutine();
    }
    return std::coroutine_handle<>::from_address(reinterpret_cast<void*>(prev));
  }

  void await_resume() const noexcept {}
};

inline auto task_promise_base::final_suspend() const noexcept {
  return task_final_awaiter{};
}

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
    rethrow_if_failed();
    return std::move(*value);
  }

  std::optional<T> value;
};

template <> struct task_promise<void> final : task_promise_base {
  Task<void> get_return_object() noexcept;
  void return_void() const noexcept {}
  void take() { rethrow_if_failed(); }
};

// What `co_await task` suspends on. It takes the Task's frame over (the Task
// is consumed, as Rust's `.await` consumes a future) and destroys it with
// itself, at the end of the co_await's full-expression -- or when the
// awaiting frame is destroyed while suspended here.
//
// Not annotated SENDSYNC_RESUMES_ELSEWHERE: the child ends on whatever
// thread it ends on (a pool worker, if it or any Task it awaits scheduled
// itself there) and resumes the awaiter on that thread, and the checker
// follows that through the child's body (an awaited coroutine that may
// finish elsewhere makes the co_await one that may resume elsewhere). A
// child that never hops keeps its awaiter where it is, and locals held
// across awaiting it need not be Send.
template <class T> class task_awaiter {
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

// Lets spawn() and block_on() take a Task's frame over.
struct task_access {
  template <class T>
  static std::coroutine_handle<task_promise<T>> release(Task<T>& task) {
    if (!task.frame_)
      throw std::logic_error(
          "sendsync::Task: spawning an empty Task (moved from or already "
          "awaited)");
    return std::exchange(task.frame_, nullptr);
  }
};

// Gives up a spawned frame on the handle's side: frees it if the task has
// ended, else leaves that to the task's end. `report` says whether an
// exception nobody took is worth a line on stderr.
inline void detach_spawned(std::coroutine_handle<> frame,
                           task_promise_base& p, bool report) noexcept {
  if (p.join_state.exchange(join_detached, std::memory_order_acq_rel) !=
      join_done)
    return;
  if (report && p.error) report_unobserved("sendsync::TaskHandle dropped", p.error);
  frame.destroy();
}

// What `co_await handle` suspends on. Owns the handle's share of the frame.
// Resumes elsewhere: the awaiter continues on the thread where the spawned
// task ended (or at once, if it already had).
template <class T> class SENDSYNC_RESUMES_ELSEWHERE join_awaiter {
 public:
  explicit join_awaiter(std::coroutine_handle<task_promise<T>> frame) noexcept
      : frame_(frame) {}
  join_awaiter(const join_awaiter&) = delete;
  join_awaiter& operator=(const join_awaiter&) = delete;
  // After the co_await the task has ended and this frees the frame; if the
  // awaiting coroutine is destroyed while suspended here, the task frees it
  // at its end instead.
  ~join_awaiter() { detach_spawned(frame_, frame_.promise(), false); }

  [[nodiscard]] bool await_ready() const noexcept {
    return frame_.promise().join_state.load(std::memory_order_acquire) ==
           join_done;
  }

  // Leaves `awaiting` for the task's end to resume, unless the task ended
  // meanwhile (false: continue at once).
  bool await_suspend(std::coroutine_handle<> awaiting) const noexcept {
    std::uintptr_t expected = join_running;
    return frame_.promise().join_state.compare_exchange_strong(
        expected, reinterpret_cast<std::uintptr_t>(awaiting.address()),
        std::memory_order_acq_rel, std::memory_order_acquire);
  }

  T await_resume() const { return frame_.promise().take(); }

 private:
  std::coroutine_handle<task_promise<T>> frame_;
};

// The queued task of ThreadPool::spawn: starts the Task. Owns the frame
// until run, so that a job destroyed unrun (an enqueue() that throws)
// destroys it; after that the frame belongs to the running task and its
// TaskHandle.
class start_job {
 public:
  explicit start_job(std::coroutine_handle<> frame) noexcept : frame_(frame) {}
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
  std::coroutine_handle<> frame_;
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

  // True until the Task is moved from, awaited or spawned.
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
  friend detail::task_access;
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

// TaskHandle<T>
//
// A Task started by ThreadPool::spawn(). join() blocks until the task ends
// and returns its value or rethrows its exception; from a Task, `co_await
// std::move(handle)` waits without blocking a thread. Move-only; join() or
// co_await once. Dropping a handle detaches the task: it runs on, and frees
// itself at its end; an exception it ends with is then printed to stderr
// ("sendsync: sendsync::Task spawned, detached: unobserved exception: ..."),
// never lost silently. (Unlike JoinHandle, which joins its thread when
// dropped: blocking in a destructor would block a worker, or a coroutine.)
//
// Send iff T is Send: it brings the task's T to whichever thread joins.
// Structural inference would read the frame handle (a void*) as Send
// whatever T is, hence the annotation.
// Sync (asserted): the const members, joinable() and is_finished(), read the
// handle and an atomic word, never the T.
template <class T>
class [[nodiscard]] SENDSYNC_SEND_IF("T: Send") SENDSYNC_UNSAFE_SYNC
    TaskHandle {
 public:
  using value_type = T;

  TaskHandle(TaskHandle&& other) noexcept
      : frame_(std::exchange(other.frame_, nullptr)) {}
  TaskHandle& operator=(TaskHandle&& other) noexcept {
    if (this != &other) {
      detach();
      frame_ = std::exchange(other.frame_, nullptr);
    }
    return *this;
  }
  TaskHandle(const TaskHandle&) = delete;
  TaskHandle& operator=(const TaskHandle&) = delete;

  // Detaches the task if it was not joined or awaited; see the class comment.
  ~TaskHandle() { detach(); }

  // Waits for the task to end and returns its value, or rethrows its
  // exception; the task's frame is destroyed before it returns. Throws
  // JoinError if already joined, awaited or moved from.
  //
  // Blocks the calling thread: from a Task, co_await the handle instead. A
  // pool task that joins a task needing a worker of the same pool can
  // deadlock once every worker blocks so.
  //
  // Example:
  //   sendsync::TaskHandle<int> h = pool.spawn(answer(pool));
  //   int a = h.join();
  T join() {
    if (!frame_) throw JoinError();
    const auto frame = std::exchange(frame_, nullptr);
    struct destroy_at_exit {
      std::coroutine_handle<detail::task_promise<T>> frame;
      ~destroy_at_exit() { frame.destroy(); }
    } guard{frame};
    std::atomic<std::uintptr_t>& state = frame.promise().join_state;
    if (state.load(std::memory_order_acquire) != detail::join_done) {
      detail::blocked_joiner me;
      std::uintptr_t expected = detail::join_running;
      if (state.compare_exchange_strong(
              expected,
              reinterpret_cast<std::uintptr_t>(&me) | detail::join_blocked_tag,
              std::memory_order_acq_rel, std::memory_order_acquire))
        me.wait();
      // Else it ended meanwhile: `expected` is join_done.
    }
    return frame.promise().take();
  }

  // Waits, without blocking a thread, for the task to end; yields its value
  // or rethrows its exception. Consumes the handle.
  //
  // Example:
  //   std::vector<sendsync::TaskHandle<long>> parts = ...;
  //   long sum = 0;
  //   for (auto& part : parts) sum += co_await std::move(part);
  detail::join_awaiter<T> operator co_await() && {
    if (!frame_) throw JoinError();
    return detail::join_awaiter<T>(std::exchange(frame_, nullptr));
  }

  // True until join()ed, awaited or moved from.
  [[nodiscard]] bool joinable() const noexcept { return frame_ != nullptr; }

  // True once the task has ended (join() will not block).
  [[nodiscard]] bool is_finished() const noexcept {
    return frame_ == nullptr ||
           frame_.promise().join_state.load(std::memory_order_acquire) ==
               detail::join_done;
  }

 private:
  friend class ThreadPool;
  template <class U> friend U block_on(Task<U>);
  explicit TaskHandle(std::coroutine_handle<detail::task_promise<T>> frame) noexcept
      : frame_(frame) {}

  void detach() noexcept {
    if (frame_)
      detail::detach_spawned(frame_, frame_.promise(), true);
    frame_ = nullptr;
  }

  std::coroutine_handle<detail::task_promise<T>> frame_;
};

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
  const auto frame = detail::task_access::release(task);
  frame.promise().spawned = true;
  TaskHandle<T> handle(frame);
  frame.resume();  // returns when the task ends or first leaves this thread
  return handle.join();
}

template <class T>
TaskHandle<T> ThreadPool::spawn(SENDSYNC_CROSSES_THREAD Task<T> task) {
  const auto frame = detail::task_access::release(task);
  frame.promise().spawned = true;
  enqueue(detail::unique_task(detail::start_job(frame)));
  return TaskHandle<T>(frame);
}

}  // namespace sendsync

#endif  // SENDSYNC_TASK_H
