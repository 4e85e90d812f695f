//===- bench/runtime/naive.h - The in-round baselines -----------*- C++ -*-===//
//
// What a C++ programmer writes first, and what every ratio in
// bench/results/runtime.md is relative to:
//
//   naive_queue<T>  std::mutex + two std::condition_variable + std::deque;
//                   bounded when given a capacity (0 = unbounded)
//   naive_pool      N workers popping std::function<void()> from one
//                   naive-style queue, with a wait_idle() on a counter
//
// Both notify on every operation, whether or not anybody waits: that is the
// naive part, and what the library implementations are expected to beat.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_BENCH_NAIVE_H
#define SENDSYNC_BENCH_NAIVE_H

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace bench {

template <class T> class naive_queue {
 public:
  // capacity == 0: unbounded.
  explicit naive_queue(std::size_t capacity = 0) : capacity_(capacity) {}

  void push(T v) {
    {
      std::unique_lock lock(mu_);
      if (capacity_ != 0)
        not_full_.wait(lock, [&] { return items_.size() < capacity_; });
      items_.push_back(std::move(v));
    }
    not_empty_.notify_one();
  }

  T pop() {
    T v;
    {
      std::unique_lock lock(mu_);
      not_empty_.wait(lock, [&] { return !items_.empty(); });
      v = std::move(items_.front());
      items_.pop_front();
    }
    if (capacity_ != 0) not_full_.notify_one();
    return v;
  }

 private:
  const std::size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<T> items_;
};

class naive_pool {
 public:
  explicit naive_pool(std::size_t threads) {
    for (std::size_t i = 0; i < threads; ++i)
      workers_.emplace_back([this] { work(); });
  }

  naive_pool(const naive_pool&) = delete;
  naive_pool& operator=(const naive_pool&) = delete;

  ~naive_pool() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    has_work_.notify_all();
    for (auto& w : workers_) w.join();
  }

  void execute(std::function<void()> task) {
    {
      std::lock_guard lock(mu_);
      tasks_.push_back(std::move(task));
      ++pending_;
    }
    has_work_.notify_one();
  }

  void wait_idle() {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [&] { return pending_ == 0; });
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mu_);
        has_work_.wait(lock, [&] { return stop_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
      bool idle;
      {
        std::lock_guard lock(mu_);
        idle = --pending_ == 0;
      }
      if (idle) idle_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable has_work_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  std::size_t pending_ = 0;                  // guarded by mu_
  bool stop_ = false;                        // guarded by mu_
  std::vector<std::thread> workers_;
};

}  // namespace bench

#endif  // SENDSYNC_BENCH_NAIVE_H
