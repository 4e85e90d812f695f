//===- sendsync/thread_pool.h - A work-stealing thread pool -----*- C++ -*-===//
//
// This header defines:
//
//   ThreadPool          a fixed set of worker threads running submitted tasks
//   ThreadPoolOptions   its size and error handler
//   PoolShutdownError   thrown when a task is submitted after shutdown
//
//   sendsync::ThreadPool pool;                       // hardware_concurrency
//   std::future<int> f = pool.submit([] { return 6 * 7; });
//   pool.execute([] { log_line("fire and forget"); });
//   pool.wait_idle();                                // everything ran
//   int answer = f.get();
//
// Scheduling. Each worker owns a deque; a task submitted from inside a pool
// task goes to the submitting worker's deque (LIFO for the owner, good for
// cache locality of recursive work), a task submitted from outside goes to a
// shared injector queue, and an idle worker steals the oldest task from
// another worker's deque. Idle workers spin briefly, then park.
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
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "sendsync/annotations.h"
#include "sendsync/detail/futex.h"
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

namespace detail {

// A move-only type-erased `void()` callable (std::move_only_function is
// C++23; std::function needs copyable targets, std::packaged_task is not).
class unique_task {
 public:
  unique_task() = default;
  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, unique_task>)
  explicit unique_task(F&& f)
      : impl_(std::make_unique<model<std::decay_t<F>>>(std::forward<F>(f))) {}
  explicit operator bool() const noexcept { return impl_ != nullptr; }
  void operator()() { impl_->call(); }

 private:
  struct concept_t {
    virtual ~concept_t() = default;
    virtual void call() = 0;
  };
  template <class F> struct model final : concept_t {
    explicit model(F&& f) : f(std::move(f)) {}
    explicit model(const F& f) : f(f) {}
    void call() override { f(); }
    F f;
  };
  std::unique_ptr<concept_t> impl_;
};

// One worker's deque, on its own cache lines. A plain mutex suffices: the
// owner and a thief only meet when the owner's deque is nearly empty.
struct alignas(cache_line) worker_queue {
  std::mutex mu;
  std::deque<unique_task> tasks;
};

}  // namespace detail

// ThreadPool
//
// ThreadSafe: every member may be called concurrently from any thread
// (queues and state are guarded by mutexes and atomics). Neither copyable nor
// movable (the workers refer to it). The callables given to submit() and
// execute() cross to a worker thread, which may outlive the caller's locals:
// the checker requires them to be Send.
//
// Memory ordering: everything the submitting thread did before submit()
// happens-before the task runs; everything a task did happens-before the
// return of a wait_idle() or shutdown() that observed it finish, and before
// the matching future becomes ready.
class SENDSYNC_THREAD_SAFE ThreadPool {
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
      : on_error_(std::move(options.on_error)) {
    std::size_t n = options.threads;
    if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
    queues_.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      queues_.push_back(std::make_unique<detail::worker_queue>());
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

  // Blocks until every accepted task -- including tasks submitted by tasks --
  // has finished. Throws std::logic_error if called from a pool task (it
  // would wait for itself).
  //
  // Example:
  //   for (auto& item : items) pool.execute([&item] { process(item); });
  //   pool.wait_idle();
  SENDSYNC_JOINS void wait_idle() {
    if (current_pool_ == this)
      throw std::logic_error(
          "sendsync::ThreadPool: wait_idle() from a task of the same pool "
          "would deadlock");
    std::unique_lock lock(sleep_mu_);
    idle_cv_.wait(lock, [&] {
      return pending_.load(std::memory_order_acquire) == 0;
    });
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
    if (current_pool_ == this)
      throw std::logic_error(
          "sendsync::ThreadPool: shutdown() from a task of the same pool "
          "would deadlock");
    std::lock_guard once(shutdown_mu_);
    if (state_.load(std::memory_order_acquire) == stopped) return;
    state_.store(draining, std::memory_order_seq_cst);
    wait_idle();
    stop_workers();
  }

  // Replaces the handler of exceptions from execute()d tasks (an empty
  // function restores the default: print to stderr).
  //
  // Example:
  //   pool.set_error_handler([](std::exception_ptr) { ++failures; });
  void set_error_handler(std::function<void(std::exception_ptr)> handler) {
    std::lock_guard lock(handler_mu_);
    on_error_ = std::move(handler);
  }

  // Number of worker threads.
  [[nodiscard]] std::size_t size() const noexcept { return workers_.size(); }

 private:
  static constexpr int running = 0, draining = 1, stopped = 2;

  void enqueue(detail::unique_task task) {
    const bool inside = current_pool_ == this;
    if (state_.load(std::memory_order_acquire) == stopped)
      throw PoolShutdownError();
    // Count the task first, then re-check the state: shutdown() sets
    // `draining` and then waits for pending_ == 0 (both seq_cst), so either it
    // waits for this task or this call sees `draining` and backs out.
    pending_.fetch_add(1, std::memory_order_seq_cst);
    const int st = state_.load(std::memory_order_seq_cst);
    if (st == stopped || (st == draining && !inside)) {
      finish_one();
      throw PoolShutdownError();
    }
    try {
      detail::worker_queue& q =
          inside ? *queues_[current_index_] : injector_;
      std::lock_guard lock(q.mu);
      q.tasks.push_back(std::move(task));
    } catch (...) {
      finish_one();
      throw;
    }
    queued_.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      // Taking the lock orders this notify after a sleeper's last check.
      std::lock_guard lock(sleep_mu_);
      sleep_cv_.notify_one();
    }
  }

  // Marks one accepted task finished; wakes wait_idle() at zero.
  void finish_one() noexcept {
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard lock(sleep_mu_);
      idle_cv_.notify_all();
    }
  }

  static bool pop_back(detail::worker_queue& q, detail::unique_task& out) {
    std::lock_guard lock(q.mu);
    if (q.tasks.empty()) return false;
    out = std::move(q.tasks.back());
    q.tasks.pop_back();
    return true;
  }

  static bool pop_front(detail::worker_queue& q, detail::unique_task& out) {
    std::lock_guard lock(q.mu);
    if (q.tasks.empty()) return false;
    out = std::move(q.tasks.front());
    q.tasks.pop_front();
    return true;
  }

  bool find_task(std::size_t self, detail::unique_task& out) {
    if (queued_.load(std::memory_order_acquire) == 0) return false;
    bool found = pop_back(*queues_[self], out) || pop_front(injector_, out);
    for (std::size_t k = 1; !found && k < queues_.size(); ++k)
      found = pop_front(*queues_[(self + k) % queues_.size()], out);
    if (found) queued_.fetch_sub(1, std::memory_order_relaxed);
    return found;
  }

  void worker_main(std::size_t self) {
    current_pool_ = this;
    current_index_ = self;
    detail::unique_task task;
    for (;;) {
      if (find_task(self, task) ||
          detail::spin_until([&] { return find_task(self, task); })) {
        task();
        task = detail::unique_task();  // destroy captures before counting
        finish_one();
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

  void stop_workers() noexcept {
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
      std::lock_guard lock(handler_mu_);
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

  static inline thread_local const ThreadPool* current_pool_ = nullptr;
  static inline thread_local std::size_t current_index_ = 0;

  std::vector<std::unique_ptr<detail::worker_queue>> queues_;
  detail::worker_queue injector_;
  std::vector<std::thread> workers_;

  alignas(detail::cache_line) std::atomic<std::size_t> queued_{0};
  alignas(detail::cache_line) std::atomic<std::size_t> pending_{0};
  std::atomic<std::size_t> sleepers_{0};
  std::atomic<int> state_{running};

  std::mutex sleep_mu_;
  std::condition_variable sleep_cv_;  // workers park here
  std::condition_variable idle_cv_;   // wait_idle() parks here
  bool stop_ = false;                 // guarded by sleep_mu_

  std::mutex shutdown_mu_;
  std::mutex handler_mu_;
  std::function<void(std::exception_ptr)> on_error_;  // guarded by handler_mu_
};

}  // namespace sendsync

#endif  // SENDSYNC_THREAD_POOL_H
