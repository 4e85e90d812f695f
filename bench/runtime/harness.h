//===- bench/runtime/harness.h - Cases, timing, threads ---------*- C++ -*-===//
//
// The few pieces every runtime benchmark shares:
//
//   bench_case / add_case   one (suite, scenario, implementation) measurement,
//                           registered by name so the driver can list and run
//                           each in its own process
//   op_case / add_op_case   a single-thread operation (send+recv, lock+unlock)
//                           counted by callgrind inside sendsync_bench_ops()
//   run_parallel            starts threads, releases them together, and times
//                           from the release to the last finish
//   do_not_optimize         keeps a result alive without a memory write
//
// The Rust binary (bench/rust) mirrors these names and prints the same JSON,
// so bench/runtime/driver.py treats both alike.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_BENCH_HARNESS_H
#define SENDSYNC_BENCH_HARNESS_H

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace bench {

using clock = std::chrono::steady_clock;

// What one run is asked to do. The driver sets both, so that the C++ and the
// Rust binary measure exactly the same work.
struct run_args {
  std::size_t ops;       // messages, round trips, lock acquisitions, tasks
  std::size_t capacity;  // of the bounded channels
};

// Runs the case and returns nanoseconds per operation of the timed part
// (set-up such as starting a pool or allocating a channel is excluded).
using run_fn = std::function<double(const run_args&)>;

struct bench_case {
  std::string suite;     // channel, lock, rwlock, pool
  std::string scenario;  // e.g. 4p1c-bounded
  std::string impl;      // e.g. sendsync, moodycamel-cq
  std::string note;      // how it is driven, when that differs from blocking
  run_fn run;
};

// Performs `n` operations on state made by the op_case's `prepare`.
using ops_fn = std::function<void(std::size_t n)>;

struct op_case {
  std::string name;  // e.g. channel.send_recv.bounded
  std::string impl;
  // Makes fresh state and returns the loop over it; called outside the
  // counted region so that allocation and thread-pool start-up do not count.
  std::function<ops_fn(const run_args&)> prepare;
};

std::vector<bench_case>& cases();
std::vector<op_case>& op_cases();

inline void add_case(std::string suite, std::string scenario, std::string impl,
                     std::string note, run_fn run) {
  cases().push_back({std::move(suite), std::move(scenario), std::move(impl),
                     std::move(note), std::move(run)});
}

inline void add_op_case(std::string name, std::string impl,
                        std::function<ops_fn(const run_args&)> prepare) {
  op_cases().push_back({std::move(name), std::move(impl), std::move(prepare)});
}

void register_channel_cases();
void register_lock_cases();
void register_pool_cases();

// Keeps `v` (and the work that produced it) from being optimised away
// without storing it anywhere another thread could contend on.
template <class T> inline void do_not_optimize(const T& v) {
  asm volatile("" : : "r,m"(v) : "memory");
}

// Yields the CPU. Used by the non-blocking peers (lock-free queues with no
// wait operation) while their queue is empty or full: on a 2-core machine
// with more threads than cores, a pure spin would starve the other side.
inline void backoff(unsigned& spins) {
  if (++spins < 64) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    return;
  }
  std::this_thread::yield();
}

// Starts one thread per body, releases them together and returns the
// nanoseconds from the release to the end of the last body. Thread creation
// is outside the timed region: it costs tens of microseconds per thread,
// the same for every implementation, and says nothing about them.
inline double run_parallel(std::vector<std::function<void()>> bodies) {
  std::atomic<bool> go{false};
  std::atomic<std::size_t> ready{0};
  std::vector<std::thread> threads;
  threads.reserve(bodies.size());
  for (auto& body : bodies)
    threads.emplace_back([&go, &ready, &body] {
      ready.fetch_add(1, std::memory_order_relaxed);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      body();
    });
  while (ready.load(std::memory_order_relaxed) < bodies.size())
    std::this_thread::yield();
  const auto start = clock::now();
  go.store(true, std::memory_order_release);
  for (auto& t : threads) t.join();
  return std::chrono::duration<double, std::nano>(clock::now() - start)
      .count();
}

// Times `f()` on the calling thread, in nanoseconds.
template <class F> double time_ns(F&& f) {
  const auto start = clock::now();
  f();
  return std::chrono::duration<double, std::nano>(clock::now() - start)
      .count();
}

}  // namespace bench

#endif  // SENDSYNC_BENCH_HARNESS_H
