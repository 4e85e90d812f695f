// A small lazy coroutine task and the ways a coroutine can come to run on
// another thread, for the coroutine tests: an awaiter annotated
// SENDSYNC_RESUMES_ELSEWHERE, one whose await_suspend starts a thread (not
// annotated: the checker reads its body), and a spawner annotated
// SENDSYNC_CROSSES_THREAD. Each thread it starts is joined by the spawner's
// caller through join_all(), so the tests end cleanly under TSan.
#ifndef SENDSYNC_TEST_MINI_TASK_H
#define SENDSYNC_TEST_MINI_TASK_H

#include <coroutine>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "sendsync/annotations.h"

namespace mini {

inline std::mutex threads_mu;
inline std::vector<std::thread> threads;

// Joins every thread the awaiters and spawn() started (and those they
// started in turn).
inline void join_all() {
  for (;;) {
    std::vector<std::thread> batch;
    {
      std::lock_guard<std::mutex> lock(threads_mu);
      batch.swap(threads);
    }
    if (batch.empty())
      return;
    for (std::thread &t : batch)
      t.join();
  }
}

inline void run_elsewhere(std::coroutine_handle<> h) {
  std::lock_guard<std::mutex> lock(threads_mu);
  threads.emplace_back([h] { h.resume(); });
}

class task {
public:
  struct promise_type {
    std::coroutine_handle<> continuation;
    task get_return_object() {
      return task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct final_awaiter {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<>
      await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        if (h.promise().continuation)
          return h.promise().continuation;
        return std::noop_coroutine();
      }
      void await_resume() noexcept {}
    };
    final_awaiter final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };

  task(task &&other) noexcept : h_(std::exchange(other.h_, {})) {}
  task(const task &) = delete;
  ~task() {
    if (h_)
      h_.destroy();
  }

  // Awaiting a task runs it, and resumes the awaiter where it ends.
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) {
    h_.promise().continuation = awaiting;
    return h_;
  }
  void await_resume() const noexcept {}

  std::coroutine_handle<promise_type> release() {
    return std::exchange(h_, {});
  }

private:
  explicit task(std::coroutine_handle<promise_type> h) : h_(h) {}
  std::coroutine_handle<promise_type> h_;
};

// co_await hop(): the rest of the coroutine runs on a new thread.
struct SENDSYNC_RESUMES_ELSEWHERE hop_awaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) const { run_elsewhere(h); }
  void await_resume() const noexcept {}
};
inline hop_awaiter hop() { return {}; }

// The same, unannotated: its await_suspend visibly starts a thread.
struct thread_awaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) const {
    std::lock_guard<std::mutex> lock(threads_mu);
    threads.emplace_back([h] { h.resume(); });
  }
  void await_resume() const noexcept {}
};

// A suspension resumed by the thread that runs the coroutine, wherever
// that is: on its own it never changes threads.
struct yield_awaiter {
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<>) const noexcept { return false; }
  void await_resume() const noexcept {}
};

// Starts a task on a new thread (a pool's spawn, for the tests).
inline void spawn(SENDSYNC_CROSSES_THREAD task t) {
  std::coroutine_handle<> h = t.release();
  run_elsewhere(h);
}

// Runs a task on this thread until its first suspension.
inline void start(task t) { t.release().resume(); }

} // namespace mini

#endif // SENDSYNC_TEST_MINI_TASK_H
