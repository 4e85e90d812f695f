//===- sendsync/thread_pool.h - A work-stealing thread pool -----*- C++ -*-===//
//
// This header defines:
//
//   ThreadPool          a fixed set of worker threads running submitted tasks
//   ThreadPoolOptions   its size and error handler
//   PoolShutdownError   thrown when a task is submitted after shutdown
//   ScheduleAwaiter     what `co_await pool.schedule()` suspends on: resumes
//                       the coroutine on one of the pool's workers
//
// ThreadPool::spawn(task), which starts a sendsync::Task on the pool, is
// declared here and defined in <sendsync/task.h> (a Task needs that header
// anyway).
//
//   sendsync::ThreadPool pool;                       // hardware_concurrency
//   std::future<int> f = pool.submit([] { return 6 * 7; });
//   pool.execute([] { log_line("fire and forget"); });
//   pool.wait_idle();                                // everything ran
//   int answer = f.get();
//
// Scheduling. Each worker owns a queue; a task submitted from inside a pool
// task goes to the submitting worker's queue (LIFO for the owner, good for
// cache locality of recursive work), a task submitted from outside goes to a
// shared injector (a lock-free ring, and a locked queue behind it when the
// ring is full), and an idle worker steals the oldest task from another
// worker's queue (and up to half of the rest with it). Idle workers spin
// briefly, then park.
//
// A waiting caller helps. wait_idle() (and so shutdown()) runs queued tasks on
// the calling thread until none is left to take, and only then blocks for the
// tasks still running on workers: a fan-out/fan-in of small tasks then costs
// no wake-up of the waiter, and the waiter's core is not idle while the round
// runs (tbb::task_group::wait() and rayon's scope do the same). A task run
// this way is a task of the pool for as long as it runs: its own submissions
// are accepted during shutdown, and a wait_idle() or shutdown() of a pool
// whose task is running on the calling thread -- anywhere down its stack --
// throws std::logic_error instead of waiting for itself forever.
//
// Shutdown. shutdown() (also run by the destructor) stops accepting tasks
// from outside the pool, runs every task already accepted -- including tasks
// that those tasks submit while the pool drains -- and then joins the
// workers. Submitting after that throws PoolShutdownError.
//
// Errors. An exception from a submit()ted task is stored in its future. An
// exception from an execute()d task goes to the error handler (by default it
// is printed to stderr); it is never lost silently.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_THREAD_POOL_H
#define SENDSYNC_THREAD_POOL_H

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "sendsync/annotations.h"
#include "sendsync/detail/futex.h"
#include "sendsync/detail/raw_mutex.h"
#include "sendsync/detail/ring.h"
#include "sendsync/detail/thread_annotations.h"
#include "sendsync/thread.h"

namespace sendsync {

// Thrown by submit() and execute() once the pool is shut down (or is shutting
// down and the caller is not one of the pool's own tasks).
class PoolShutdownError : public std::runtime_error {
 public:
  PoolShutdownError()
      : std::runtime_error(
            "sendsync::ThreadPool: task submitted after shutdown()") {}
};

// How to build a ThreadPool.
struct ThreadPoolOptions {
  // Number of workers; 0 means std::thread::hardware_concurrency() (at least
  // one).
  std::size_t threads = 0;
  // Receives every exception that escapes an execute()d task, on the worker
  // that ran it. Empty means: print it to stderr.
  std::function<void(std::exception_ptr)> on_error;
};

template <class T> class Task;        // <sendsync/task.h>
template <class T> class TaskHandle;  // <sendsync/task.h>
class ScheduleAwaiter;

namespace detail {

// A move-only type-erased `void()` callable (std::move_only_function is
// C++23; std::function needs copyable targets, std::packaged_task is not).
// Callables of up to three pointers that move without throwing -- what
// execute() and submit() make of a small lambda -- are stored inline: a
// fan-out of small tasks then allocates nothing per task beyond what the
// caller's lambda or std::packaged_task does itself.
class unique_task {
 public:
  unique_task() noexcept = default;
  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, unique_task>)
  explicit unique_task(F&& f) {
    using D = std::decay_t<F>;
    if constexpr (fits_inline<D>) {
      ::new (static_cast<void*>(buf_)) D(std::forward<F>(f));
      ops_ = &inline_ops<D>;
    } else {
      ::new (static_cast<void*>(buf_)) D*(new D(std::forward<F>(f)));
      ops_ = &heap_ops<D>;
    }
  }
  unique_task(unique_task&& o) noexcept : ops_(std::exchange(o.ops_, nullptr)) {
    if (ops_) ops_->relocate(buf_, o.buf_);
  }
  unique_task& operator=(unique_task&& o) noexcept {
    if (this != &o) {
      reset();
      ops_ = std::exchange(o.ops_, nullptr);
      if (ops_) ops_->relocate(buf_, o.buf_);
    }
    return *this;
  }
  unique_task(const unique_task&) = delete;
  unique_task& operator=(const unique_task&) = delete;
  ~unique_task() { reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }
  void operator()() { ops_->call(buf_); }

  // Destroys the callable (and its captures) now.
  void reset() noexcept {
    if (ops_) std::exchange(ops_, nullptr)->destroy(buf_);
  }

 private:
  static constexpr std::size_t inline_size = 3 * sizeof(void*);

  template <class D>
  static constexpr bool fits_inline =
      sizeof(D) <= inline_size && alignof(D) <= alignof(std::max_align_t) &&
      std::is_nothrow_move_constructible_v<D>;

  struct ops_t {
    void (*call)(void*);
    // Moves the callable from `from` to the raw storage `to` and destroys
    // what is left in `from`.
    void (*relocate)(void* to, void* from) noexcept;
    void (*destroy)(void*) noexcept;
  };

  // The callable in buf_ (created there by placement new).
  template <class D> static D* at(void* p) noexcept {
    return std::launder(static_cast<D*>(p));
  }

  template <class D>
  static constexpr ops_t inline_ops{
      [](void* p) { (*at<D>(p))(); },
      [](void* to, void* from) noexcept {
        ::new (to) D(std::move(*at<D>(from)));
        at<D>(from)->~D();
      },
      [](void* p) noexcept { at<D>(p)->~D(); }};

  template <class D>
  static constexpr ops_t heap_ops{
      [](void* p) { (**static_cast<D**>(p))(); },
      [](void* to, void* from) noexcept {
        ::new (to) D*(*static_cast<D**>(from));
      },
      [](void* p) noexcept { delete *static_cast<D**>(p); }};

  const ops_t* ops_ = nullptr;
  alignas(std::max_align_t) unsigned char buf_[inline_size];
};

// One worker's queue, on its own cache lines: a ring (no allocation per task
// once it has grown) under the runtime's futex mutex (a CAS to lock, an
// exchange to unlock). A lock suffices: the owner and a thief only meet when
// the owner's queue is nearly empty.
struct alignas(cache_line) worker_queue {
  raw_mutex mu;
  ring<unique_task> tasks SENDSYNC_GUARDED_BY(mu);
};

// The injector's fast lane: a lock-free bounded ring of tasks submitted
// from outside the pool (Dmitry Vyukov's bounded MPMC queue, as the bounded
// channel's, without parking or disconnection). Each slot's stamp is its
// position when free for the push claiming that position, position + 1
// once that push has written it, and position + capacity once the pop
// claiming it has taken the task. A push claims tail_ by CAS and publishes
// with a release store of the stamp, after which it touches nothing (the
// task may run, and end the pool, at once); a pop claims head_ by CAS after
// an acquire load of the stamp.
//
// Why: under the injector's lock, every submission from outside made two
// atomic read-modify-writes on a line that the stealing workers' try_locks
// kept moving away, and a thief preempted while holding the lock (moving a
// batch) stalled the submitter for a time slice on a loaded machine. Here a
// push is one CAS, and nobody ever waits for a thread that is not running.
//
// ThreadSafe (annotated): the slots hold tasks as raw bytes, handed from
// one thread to another by the stamps, which the checker cannot see; a
// task is Send (what crosses into it is checked where it is submitted).
class SENDSYNC_THREAD_SAFE task_ring {
 public:
  explicit task_ring(std::size_t capacity)
      : slots_(std::make_unique<slot[]>(capacity)), mask_(capacity - 1) {
    for (std::size_t i = 0; i < capacity; ++i)
      slots_[i].stamp.store(i, std::memory_order_relaxed);
  }
  task_ring(const task_ring&) = delete;
  task_ring& operator=(const task_ring&) = delete;
  ~task_ring() {
    unique_task t;
    while (pop(t)) t.reset();
  }

  // Moves `task` in unless the ring is full.
  bool push(unique_task& task) noexcept {
    std::size_t pos = tail_.load(std::memory_order_relaxed);
    for (;;) {
      slot& s = slots_[pos & mask_];
      const std::size_t stamp = s.stamp.load(std::memory_order_acquire);
      if (stamp == pos) {
        if (tail_.compare_exchange_weak(pos, pos + 1,
                                        std::memory_order_relaxed))
          break;
      } else if (stamp < pos) {
        return false;  // last lap's task is still here: full
      } else {
        pos = tail_.load(std::memory_order_relaxed);
      }
    }
    slot& s = slots_[pos & mask_];
    ::new (static_cast<void*>(s.storage)) unique_task(std::move(task));
    s.stamp.store(pos + 1, std::memory_order_release);
    return true;
  }

  // Takes the oldest task, unless there is none (or its push is still
  // writing it: the caller looks again, as queued_ says one is coming).
  bool pop(unique_task& out) noexcept {
    std::size_t pos = head_.load(std::memory_order_relaxed);
    for (;;) {
      slot& s = slots_[pos & mask_];
      const std::size_t stamp = s.stamp.load(std::memory_order_acquire);
      if (stamp == pos + 1) {
        if (head_.compare_exchange_weak(pos, pos + 1,
                                        std::memory_order_relaxed))
          break;
      } else if (stamp < pos + 1) {
        return false;  // empty
      } else {
        pos = head_.load(std::memory_order_relaxed);
      }
    }
    slot& s = slots_[pos & mask_];
    unique_task* t = std::launder(reinterpret_cast<unique_task*>(s.storage));
    out = std::move(*t);
    t->~unique_task();
    s.stamp.store(pos + mask_ + 1, std::memory_order_release);
    return true;
  }

  // How many tasks are in the ring, about (read without claiming).
  std::size_t approx_size() const noexcept {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    return tail > head ? tail - head : 0;
  }

 private:
  struct slot {
    std::atomic<std::size_t> stamp{0};
    alignas(unique_task) unsigned char storage[sizeof(unique_task)];
  };
  const std::unique_ptr<slot[]> slots_;
  const std::size_t mask_;
  alignas(cache_line) std::atomic<std::size_t> head_{0};
  alignas(cache_line) std::atomic<std::size_t> tail_{0};
};

// The queued task of `co_await pool.schedule()`: resumes the suspended
// coroutine. Does not own the frame (whoever awaits or runs the coroutine
// does), so a job that is never run must not destroy it -- and none is: every
// accepted task runs.
struct resume_job {
  std::coroutine_handle<> coroutine;
  void operator()() const { coroutine.resume(); }
};

}  // namespace detail

// ThreadPool
//
// ThreadSafe: every member may be called concurrently from any thread
// (queues and state are guarded by mutexes and atomics). Not annotated: the
// checker infers it, from the members SENDSYNC_GUARDED_BY their mutexes, the
// atomics, the const vector of queues and the discipline under sleep_mu_.
// Neither copyable nor movable (the workers refer to it). The callables
// given to submit() and execute() cross to another thread (a worker, or a
// thread helping in wait_idle()), which may outlive the caller's locals: the
// checker requires them to be Send.
//
// Memory ordering: everything the submitting thread did before submit()
// happens-before the task runs; everything a task did happens-before the
// return of a wait_idle() or shutdown() that observed it finish, and before
// the matching future becomes ready.
class ThreadPool {
 public:
  // Starts std::thread::hardware_concurrency() workers (at least one).
  ThreadPool() : ThreadPool(ThreadPoolOptions{}) {}

  // Starts `threads` workers (0: as the default constructor).
  //
  // Example:
  //   sendsync::ThreadPool pool(4);
  explicit ThreadPool(std::size_t threads)
      : ThreadPool(ThreadPoolOptions{threads, {}}) {}

  // Starts a pool as described by `options`.
  //
  // Example:
  //   sendsync::ThreadPool pool({.threads = 2,
  //                              .on_error = [](std::exception_ptr e) {
  //                                metrics.count_failure(e);
  //                              }});
  explicit ThreadPool(ThreadPoolOptions options)
      : queues_(make_queues(options.threads)),
        on_error_(std::move(options.on_error)) {
    const std::size_t n = queues_.size();
    workers_.reserve(n);
    try {
      for (std::size_t i = 0; i < n; ++i)
        workers_.emplace_back([this, i] { worker_main(i); });
    } catch (...) {
      stop_workers();
      throw;
    }
  }

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Runs shutdown(): every accepted task runs before the pool is gone.
  // Must not run on one of the pool's own workers.
  ~ThreadPool() { shutdown(); }

  // Queues `f(args...)` and returns a future of its result; an exception from
  // it is stored in the future. Arguments are decay-copied as by std::thread.
  // Throws PoolShutdownError after shutdown.
  //
  // Example:
  //   auto f = pool.submit([](int a, int b) { return a + b; }, 2, 3);
  //   assert(f.get() == 5);
  template <class F, class... Args>
  [[nodiscard]] std::future<detail::spawn_result_t<F, Args...>> submit(
      SENDSYNC_CROSSES_THREAD F&& f, SENDSYNC_CROSSES_THREAD Args&&... args) {
    using R = detail::spawn_result_t<F, Args...>;
    std::packaged_task<R()> task(
        [fn = std::decay_t<F>(std::forward<F>(f)),
         tup = std::tuple<std::decay_t<Args>...>(
             std::forward<Args>(args)...)]() mutable -> R {
          return std::apply(std::move(fn), std::move(tup));
        });
    std::future<R> fut = task.get_future();
    enqueue(detail::unique_task(std::move(task)));
    return fut;
  }

  // Queues `f()` without a way to wait for it; an exception from it goes to
  // the error handler. Throws PoolShutdownError after shutdown.
  //
  // Example:
  //   pool.execute([&log] { log.lock()->push_back("done"); });
  template <class F> void execute(SENDSYNC_CROSSES_THREAD F&& f) {
    enqueue(detail::unique_task(
        [this, fn = std::decay_t<F>(std::forward<F>(f))]() mutable {
          try {
            fn();
          } catch (...) {
            report(std::current_exception());
          }
        }));
  }

  // Returns once every accepted task -- including tasks submitted by tasks --
  // has finished. Meanwhile the calling thread runs queued tasks itself (see
  // "A waiting caller helps" above); it blocks only for tasks already running
  // on workers. Throws std::logic_error if a task of this pool is running on
  // the calling thread (it would wait for itself).
  //
  // Example:
  //   for (auto& item : items) pool.execute([&item] { process(item); });
  //   pool.wait_idle();
  SENDSYNC_JOINS void wait_idle() {
    if (runs_task_of(this))
      throw std::logic_error(
          "sendsync::ThreadPool: wait_idle() from a task of the same pool "
          "would deadlock");
    help_until_idle();
  }

  // Stops accepting tasks from outside the pool, runs every accepted task
  // (and those they submit), then joins the workers. Idempotent; concurrent
  // callers all return once the pool is stopped. Throws std::logic_error if
  // called from a pool task.
  //
  // Example:
  //   pool.shutdown();
  //   // pool.execute(...) now throws PoolShutdownError
  void shutdown() {
    if (runs_task_of(this))
      throw std::logic_error(
          "sendsync::ThreadPool: shutdown() from a task of the same pool "
          "would deadlock");
    detail::raw_lock_guard once(shutdown_mu_);
    if (state_.load(std::memory_order_acquire) == stopped) return;
    state_.store(draining, std::memory_order_seq_cst);
    help_until_idle();
    stop_workers();
  }

  // Replaces the handler of exceptions from execute()d tasks (an empty
  // function restores the default: print to stderr).
  //
  // Example:
  //   pool.set_error_handler([](std::exception_ptr) { ++failures; });
  void set_error_handler(std::function<void(std::exception_ptr)> handler) {
    detail::raw_lock_guard lock(handler_mu_);
    on_error_ = std::move(handler);
  }

  // Number of worker threads (counted on their queues, one each: the queue
  // vector never changes, while the thread vector is shutdown_mu_'s).
  [[nodiscard]] std::size_t size() const noexcept { return queues_.size(); }

  // Returns an awaiter that moves the awaiting coroutine onto this pool: the
  // coroutine is queued as a task of the pool and the rest of its body runs on
  // a worker (or on a thread helping in wait_idle()). Always hops, even from
  // a worker of this pool (the coroutine then goes to that worker's own
  // queue, behind nothing: a yield). `co_await` throws PoolShutdownError, in
  // the coroutine, after shutdown.
  //
  // The awaiter is SENDSYNC_RESUMES_ELSEWHERE: every local of the coroutine
  // that lives across the co_await moves to the worker, so the checker
  // requires it to be Send (a held lock, say, must be released first).
  //
  // Example:
  //   sendsync::Task<std::size_t> count_words(sendsync::ThreadPool& pool,
  //                                           std::string text) {
  //     co_await pool.schedule();          // from here on, on a worker
  //     co_return words_in(text);
  //   }
  [[nodiscard]] ScheduleAwaiter schedule() noexcept;

  // Starts `task` on this pool and returns the handle to its result:
  // join() it, or co_await it from another Task. The task is queued like a
  // submit()ted function, then runs on workers until it ends (it may hop to
  // other pools meanwhile; wait_idle() waits for it only while it is running
  // or queued here). Throws PoolShutdownError after shutdown (the task is
  // then destroyed unrun). Defined in <sendsync/task.h>.
  //
  // The task crosses to a worker: the checker requires it to be Send, which
  // Task<T> is iff T is (its frame's locals are checked where they cross,
  // at the awaits of its body).
  //
  // Example:
  //   sendsync::TaskHandle<int> h = pool.spawn(answer(pool));
  //   int a = h.join();
  template <class T>
  [[nodiscard]] TaskHandle<T> spawn(SENDSYNC_CROSSES_THREAD Task<T> task);

 private:
  friend class ScheduleAwaiter;

  static constexpr int running = 0, draining = 1, stopped = 2;

  void enqueue(detail::unique_task task) {
    const running_frame* frame = frame_of(this);
    const bool inside = frame != nullptr;
    if (state_.load(std::memory_order_acquire) == stopped)
      throw PoolShutdownError();
    // Count the task first, then re-check the state: shutdown() sets
    // `draining` and then waits for idle() (both seq_cst), so either it
    // waits for this task or this call sees `draining` and backs out.
    submitted_.fetch_add(1, std::memory_order_seq_cst);
    const int st = state_.load(std::memory_order_seq_cst);
    if (st == stopped || (st == draining && !inside)) {
      finish_one();
      throw PoolShutdownError();
    }
    // Announce and wake first, publish last: once the task is in a queue a
    // worker may run it, and its end may let another thread destroy the
    // pool (a coroutine that hopped here from another pool's worker, whose
    // block_on() then returns), so nothing below the push may touch *this.
    // A worker woken before the push finds queued_ > 0 and keeps looking
    // instead of sleeping until the task is there.
    queued_.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      // Taking the lock orders this notify after a sleeper's last check.
      std::lock_guard lock(sleep_mu_);
      sleep_cv_.notify_one();
    }
    // A worker pushes to its own deque. Anyone else (a helping waiter has no
    // deque of its own either) to the injector, where the workers and the
    // waiter both look: its lock-free ring, or the locked queue behind it
    // when the ring is full.
    const bool own = inside && frame->worker != no_worker;
    if (!own && injector_ring_.push(task)) return;
    try {
      detail::worker_queue& q = own ? *queues_[frame->worker] : injector_;
      detail::raw_lock_guard lock(q.mu);
      q.tasks.push_grow(std::move(task));
    } catch (...) {
      queued_.fetch_sub(1, std::memory_order_relaxed);
      finish_one();
      throw;
    }
  }

  // Marks one accepted task finished; wakes wait_idle() at zero.
  void finish_one() noexcept { finish(1); }

  // Marks `n` accepted tasks finished (a worker counts the tasks it runs from
  // its own queue and reports them together: one write to the shared count
  // per batch, not per task).
  //
  // The count that reaches idle() is checked after the add: a submission
  // after it is finished later by a thread that checks again, so the last
  // finisher of a round always sees submitted_ == finished_ and wakes the
  // waiter (under sleep_mu_, after its check).
  void finish(std::size_t n) noexcept {
    if (n == 0) return;
    const std::size_t done =
        finished_.fetch_add(n, std::memory_order_seq_cst) + n;
    if (submitted_.load(std::memory_order_seq_cst) == done) {
      std::lock_guard lock(sleep_mu_);
      idle_cv_.notify_all();
    }
  }

  // Whether every accepted task has finished. finished_ first: it never
  // passes submitted_, so if submitted_, read after it, is equal, no task
  // was running or queued at that moment.
  bool idle() const noexcept {
    const std::size_t done = finished_.load(std::memory_order_seq_cst);
    return submitted_.load(std::memory_order_seq_cst) == done;
  }

  static bool pop_back(detail::worker_queue& q, detail::unique_task& out) {
    detail::raw_lock_guard lock(q.mu);
    if (q.tasks.empty()) return false;
    out = q.tasks.pop_back();
    return true;
  }


  // Most tasks a worker moves to its own queue in one steal.
  static constexpr std::size_t steal_batch = 32;

  // Takes the oldest task of `from` into `out` and, for a worker (`own` not
  // null), up to half of the rest into its own queue: one lock round trip on
  // the contended queue per batch instead of one per task, which is what a
  // fan-out of small tasks from one thread is made of.
  using steal_batch_t = std::array<detail::unique_task, steal_batch - 1>;

  // Makes room in worker queue `own` (if not null) for a batch of stolen
  // tasks and says how many fit: once tasks are taken, pushing them must
  // not fail (a lost task would keep wait_idle() waiting forever). Only the
  // owner pushes to its own queue, so the room cannot shrink.
  static std::size_t make_room(detail::worker_queue* own) noexcept {
    if (own == nullptr) return 0;
    constexpr std::size_t want = steal_batch - 1;
    detail::raw_lock_guard lock(own->mu);
    auto& q = own->tasks;
    if (q.capacity() - q.size() < want) {
      try {
        q.reserve(std::max(q.capacity() * 2, q.size() + want));
      } catch (...) {  // out of memory: steal one task at a time
      }
    }
    return std::min(q.capacity() - q.size(), want);
  }

  // Pushes `taken` stolen tasks to the thief's own queue, oldest last, so
  // that the owner's LIFO pop_back() runs them in the order they were
  // submitted.
  static void keep_batch(detail::worker_queue& own, steal_batch_t& batch,
                         std::size_t taken) noexcept {
    if (taken == 0) return;
    detail::raw_lock_guard lock(own.mu);
    for (std::size_t i = taken; i-- > 0;) own.tasks.push(std::move(batch[i]));
  }

  static bool steal(detail::worker_queue& from, detail::worker_queue* own,
                    detail::unique_task& out) {
    steal_batch_t batch;
    const std::size_t room = make_room(own);
    std::size_t taken = 0;
    {
      // A queue someone else holds is passed over, not waited for: the
      // caller polls again (and the holder is usually taking tasks itself).
      // Queueing up behind the lock made every worker of a fan-out convoy
      // on the submitter's pushes.
      if (!from.mu.try_lock()) return false;
      detail::raw_lock_guard lock(from.mu, detail::adopt_lock);
      if (from.tasks.empty()) return false;
      out = from.tasks.pop();
      const std::size_t want = std::min(from.tasks.size() / 2, room);
      for (; taken < want; ++taken) batch[taken] = from.tasks.pop();
    }
    if (taken > 0) keep_batch(*own, batch, taken);
    return true;
  }

  // Takes the oldest task of the injector's ring into `out` and, for a
  // worker, up to half of the rest into its own queue, as steal() does.
  bool steal_ring(detail::worker_queue* own, detail::unique_task& out) {
    if (!injector_ring_.pop(out)) return false;
    if (own == nullptr) return true;
    std::size_t want = injector_ring_.approx_size() / 2;
    if (want == 0) return true;
    steal_batch_t batch;
    want = std::min(want, make_room(own));
    std::size_t taken = 0;
    while (taken < want && injector_ring_.pop(batch[taken])) ++taken;
    keep_batch(*own, batch, taken);
    return true;
  }

  // Takes the newest task of worker `self`'s own queue.
  bool take_own(std::size_t self, detail::unique_task& out) {
    if (!pop_back(*queues_[self], out)) return false;
    queued_.fetch_sub(1, std::memory_order_relaxed);
    return true;
  }

  // Takes a task from elsewhere: the injector first, then another worker
  // (oldest first; a worker, `self` < size(), moves a batch to its own queue
  // too); a helping waiter (`self` == no_worker) takes one at a time.
  bool find_task(std::size_t self, detail::unique_task& out) {
    if (queued_.load(std::memory_order_acquire) == 0) return false;
    const std::size_t n = queues_.size();
    const bool worker = self != no_worker;
    detail::worker_queue* own = worker ? queues_[self].get() : nullptr;
    bool found = steal_ring(own, out) || steal(injector_, own, out);
    for (std::size_t k = worker ? 1 : 0; !found && k < n; ++k)
      found = steal(*queues_[(worker ? self + k : k) % n], own, out);
    if (found) queued_.fetch_sub(1, std::memory_order_relaxed);
    return found;
  }

  // Runs a taken task on this thread as a task of this pool (see
  // running_frame); the caller counts it finished afterwards.
  void run_task(detail::unique_task& task, std::size_t self) noexcept {
    const running_frame frame(this, self);
    // Cannot throw: execute() hands exceptions to report(), submit() to the
    // future (the noexcept makes a broken promise loud, not a hang).
    task();
    task.reset();  // destroy captures before counting
  }

  // How long a waiter with nothing left to take polls before parking: about
  // 2,500 pause instructions (tens of microseconds), enough for the workers
  // to finish the last small tasks of a round.
  static constexpr int waiter_polls = 48;

  // wait_idle() and shutdown(): run queued tasks on this thread while there
  // are any, then wait for those running elsewhere. The waiter polls with
  // pause instructions only, never sched_yield(): on a loaded machine a
  // yield can hand the waiter's core to another process for a whole time
  // slice, which costs more than the round it waits for. It parks only if
  // the workers' tasks outlast the polling.
  void help_until_idle() {
    const auto idle = [&] { return this->idle(); };
    detail::unique_task task;
    int polls = 0;
    while (!idle()) {
      if (find_task(no_worker, task)) {
        run_task(task, no_worker);
        finish_one();
        polls = 0;
        continue;
      }
      if (polls < waiter_polls) {
        for (int i = 0; i < (1 << std::min(polls, 6)); ++i) detail::cpu_relax();
        ++polls;
        continue;
      }
      // Parks until the count reaches zero. A task queued meanwhile by a
      // running task is left to the workers (they are awake: one is running
      // that task); the waiter only takes what it finds before parking.
      std::unique_lock lock(sleep_mu_);
      idle_cv_.wait(lock, idle);
      return;
    }
  }

  void worker_main(std::size_t self) {
    detail::unique_task task;
    std::size_t finished = 0;  // run, not yet added to finished_
    for (;;) {
      if (take_own(self, task)) {
        run_task(task, self);
        ++finished;
        continue;
      }
      // Reported before looking elsewhere: a waiter may be waiting for them.
      finish(std::exchange(finished, 0));
      if (find_task(self, task) ||
          detail::spin_until([&] { return find_task(self, task); })) {
        run_task(task, self);
        ++finished;
        continue;
      }
      std::unique_lock lock(sleep_mu_);
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      while (queued_.load(std::memory_order_seq_cst) == 0 && !stop_)
        sleep_cv_.wait(lock);
      sleepers_.fetch_sub(1, std::memory_order_relaxed);
      if (stop_ && queued_.load(std::memory_order_seq_cst) == 0) return;
    }
  }

  void stop_workers() noexcept SENDSYNC_REQUIRES(shutdown_mu_) {
    {
      std::lock_guard lock(sleep_mu_);
      stop_ = true;
      state_.store(stopped, std::memory_order_seq_cst);
    }
    sleep_cv_.notify_all();
    for (auto& w : workers_)
      if (w.joinable()) w.join();
  }

  void report(std::exception_ptr e) noexcept {
    std::function<void(std::exception_ptr)> handler;
    {
      detail::raw_lock_guard lock(handler_mu_);
      handler = on_error_;
    }
    if (!handler) {
      detail::report_unobserved("ThreadPool::execute task", e);
      return;
    }
    try {
      handler(e);
    } catch (...) {
      detail::report_unobserved("ThreadPool error handler",
                                std::current_exception());
    }
  }

  static constexpr std::size_t no_worker = static_cast<std::size_t>(-1);

  // The tasks running on this thread, innermost first: one frame per task,
  // linked through the stack, so that a task run by a helping waiter that
  // itself waits on another pool, whose task then waits on the first pool,
  // is caught (runs_task_of) rather than waiting for itself forever. A
  // worker's frames name its deque; a helping waiter's say no_worker.
  struct running_frame {
    running_frame(const ThreadPool* p, std::size_t w) noexcept
        : pool(p), worker(w), outer(running_) {
      running_ = this;
    }
    ~running_frame() { running_ = outer; }
    running_frame(const running_frame&) = delete;
    running_frame& operator=(const running_frame&) = delete;

    const ThreadPool* pool;
    std::size_t worker;
    running_frame* outer;
  };

  // The innermost task of `pool` running on this thread, if any.
  static const running_frame* frame_of(const ThreadPool* pool) noexcept {
    for (const running_frame* f = running_; f != nullptr; f = f->outer)
      if (f->pool == pool) return f;
    return nullptr;
  }
  static bool runs_task_of(const ThreadPool* pool) noexcept {
    return frame_of(pool) != nullptr;
  }

  static inline thread_local running_frame* running_ = nullptr;

  // One queue per worker, for `threads` workers (0: one per hardware thread).
  static std::vector<std::unique_ptr<detail::worker_queue>> make_queues(
      std::size_t threads) {
    if (threads == 0)
      threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::unique_ptr<detail::worker_queue>> queues;
    queues.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i)
      queues.push_back(std::make_unique<detail::worker_queue>());
    return queues;
  }

  // const: made before the workers start, never resized (each queue is
  // locked on its own), so sharing the vector itself needs no lock.
  const std::vector<std::unique_ptr<detail::worker_queue>> queues_;
  // Tasks from outside the pool: the ring, and behind it, when the ring is
  // full, a locked queue (a fan-out of up to injector_ring_size tasks never
  // takes the lock).
  static constexpr std::size_t injector_ring_size = 256;
  detail::task_ring injector_ring_{injector_ring_size};
  detail::worker_queue injector_;
  // Started by the constructor, joined by shutdown() (or by the
  // constructor, if starting one fails).
  std::vector<std::thread> workers_ SENDSYNC_GUARDED_BY(shutdown_mu_);

  // Four cache lines: the counts change with every task, each written by
  // different threads (queued_ as tasks are queued and taken, submitted_ by
  // the submitters, finished_ by whoever runs tasks: split from one count of
  // pending tasks so that a submission from outside does not fight the
  // finishing workers for its line); the state and the number of parked
  // workers, read on every submission, seldom change.
  alignas(detail::cache_line) std::atomic<std::size_t> queued_{0};
  alignas(detail::cache_line) std::atomic<std::size_t> submitted_{0};
  alignas(detail::cache_line) std::atomic<std::size_t> finished_{0};
  alignas(detail::cache_line) std::atomic<std::size_t> sleepers_{0};
  std::atomic<int> state_{running};

  alignas(detail::cache_line) std::mutex sleep_mu_;
  std::condition_variable sleep_cv_;  // workers park here
  std::condition_variable idle_cv_;   // wait_idle() parks here
  // Guarded by sleep_mu_, which stays a std::mutex for std::condition_variable
  // and so cannot be named by SENDSYNC_GUARDED_BY (libstdc++ does not declare
  // it a capability); the checker reads the locking discipline instead.
  bool stop_ = false;

  detail::raw_mutex shutdown_mu_;
  detail::raw_mutex handler_mu_;
  std::function<void(std::exception_ptr)> on_error_
      SENDSYNC_GUARDED_BY(handler_mu_);
};

// ScheduleAwaiter
//
// Returned by ThreadPool::schedule(); `co_await` on it suspends the coroutine
// and queues its resumption on the pool. Resumes elsewhere, and says so to
// the checker: the locals that live across the co_await must be Send.
// Refers to the pool, which must outlive the co_await (it does when the
// coroutine runs inside block_on() or spawn() and the pool outlives those).
class SENDSYNC_RESUMES_ELSEWHERE ScheduleAwaiter {
 public:
  explicit ScheduleAwaiter(ThreadPool& pool) noexcept : pool_(&pool) {}

  // Never ready: the point is to leave this thread.
  [[nodiscard]] bool await_ready() const noexcept { return false; }

  // Queues the coroutine on the pool. The coroutine may be resumed (and even
  // finish, and its frame, which holds this awaiter, be destroyed) before
  // enqueue() returns: nothing here touches *this after it. Throws
  // PoolShutdownError after shutdown, which the coroutine sees as thrown by
  // the co_await.
  void await_suspend(std::coroutine_handle<> coroutine) const {
    ThreadPool& pool = *pool_;
    pool.enqueue(detail::unique_task(detail::resume_job{coroutine}));
  }

  void await_resume() const noexcept {}

 private:
  ThreadPool* pool_;
};

inline ScheduleAwaiter ThreadPool::schedule() noexcept {
  return ScheduleAwaiter(*this);
}

}  // namespace sendsync

#endif  // SENDSYNC_THREAD_POOL_H
