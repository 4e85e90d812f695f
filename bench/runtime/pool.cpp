//===- bench/runtime/pool.cpp - ThreadPool and its C++ peers ---------------===//
//
// Scenarios (the Rust binary registers the same names):
//
//   throughput  `ops` small tasks submitted from the main thread, then one
//               wait for all of them; ns per task
//   fanout-64   `ops` rounds of: submit 64 small tasks, wait for all 64;
//               ns per round (the fan-out/fan-in latency)
//
// Besides ThreadPool::execute, sendsync's pool runs the same work as
// coroutines (sendsync::Task): `sendsync-task` spawn()s one Task per small
// task, `sendsync-task-hop` one that first does `co_await pool.schedule()`
// (a second trip through the queues), so that the rows price the coroutine
// layer -- a frame per task, which is also where its TaskHandle finds the
// result, and each hop -- against the plain callable.
//
// Every pool has 2 worker threads, the machine's core count (tbb: the
// default arena, whose waiting thread also runs tasks). Each implementation
// waits in its own idiom: wait_idle(), task_group::wait(), a std::latch for
// boost::asio::thread_pool (which has no wait short of join()).
//
//===----------------------------------------------------------------------===//
#include <cstdint>
#include <latch>
#include <string>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <tbb/task_group.h>

#include "harness.h"
#include "naive.h"
#include "sendsync/task.h"
#include "sendsync/thread_pool.h"

namespace bench {
namespace {

constexpr std::size_t pool_threads = 2;
constexpr std::size_t fanout_width = 64;

// A small task: 16 dependent multiply-adds (a few tens of nanoseconds), so
// that scheduling cost dominates, as in the small-task workloads pools are
// judged by.
inline void small_task(std::uint64_t i) {
  std::uint64_t x = i;
  for (int k = 0; k < 16; ++k) x = x * 6364136223846793005u + 1442695040888963407u;
  do_not_optimize(x);
}

// Adapters: run_all(first, n) runs small_task(first .. first+n-1) and
// returns when all of them have finished.

struct naive_pool_runner {
  naive_pool pool{pool_threads};
  void run_all(std::uint64_t first, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      pool.execute([v = first + i] { small_task(v); });
    pool.wait_idle();
  }
};

struct sendsync_pool_runner {
  sendsync::ThreadPool pool{pool_threads};
  void run_all(std::uint64_t first, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      pool.execute([v = first + i] { small_task(v); });
    pool.wait_idle();
  }
};

// The small task as a coroutine, run by spawn().
sendsync::Task<> small_coroutine(std::uint64_t v) {
  small_task(v);
  co_return;
}

// The same, after hopping through the pool's queues once more.
sendsync::Task<> hopping_coroutine(sendsync::ThreadPool& pool,
                                   std::uint64_t v) {
  co_await pool.schedule();
  small_task(v);
}

// spawn() hands back a handle per task; the round waits with wait_idle() (so
// that the waiter helps, as in the execute() row) and then joins them.
template <bool Hop> struct sendsync_task_runner {
  sendsync::ThreadPool pool{pool_threads};
  std::vector<sendsync::TaskHandle<>> done;
  void run_all(std::uint64_t first, std::size_t n) {
    done.clear();
    done.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      done.push_back(Hop ? pool.spawn(hopping_coroutine(pool, first + i))
                         : pool.spawn(small_coroutine(first + i)));
    pool.wait_idle();
    for (auto& h : done) h.join();
  }
};

struct tbb_runner {
  tbb::task_group group;
  void run_all(std::uint64_t first, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      group.run([v = first + i] { small_task(v); });
    group.wait();
  }
};

struct asio_runner {
  boost::asio::thread_pool pool{pool_threads};
  ~asio_runner() { pool.join(); }
  void run_all(std::uint64_t first, std::size_t n) {
    std::latch done(static_cast<std::ptrdiff_t>(n));
    for (std::size_t i = 0; i < n; ++i)
      boost::asio::post(pool, [v = first + i, &done] {
        small_task(v);
        done.count_down();
      });
    done.wait();
  }
};

template <class R> double throughput(std::size_t ops) {
  R runner;
  runner.run_all(0, fanout_width);  // the workers are up and have run once
  return time_ns([&] { runner.run_all(0, ops); }) / static_cast<double>(ops);
}

template <class R> double fanout(std::size_t rounds) {
  R runner;
  runner.run_all(0, fanout_width);
  return time_ns([&] {
           for (std::size_t r = 0; r < rounds; ++r)
             runner.run_all(r * fanout_width, fanout_width);
         }) /
         static_cast<double>(rounds);
}

template <class R> void add_pool(const std::string& impl,
                                 const std::string& note) {
  add_case("pool", "throughput", impl, note,
           [](const run_args& a) { return throughput<R>(a.ops); });
  add_case("pool", "fanout-64", impl, note,
           [](const run_args& a) { return fanout<R>(a.ops); });
}

}  // namespace

void register_pool_cases() {
  add_pool<naive_pool_runner>("baseline",
                              "std::mutex + condvar + deque<std::function>");
  add_pool<sendsync_pool_runner>("sendsync", "ThreadPool execute + wait_idle");
  add_pool<sendsync_task_runner<false>>(
      "sendsync-task", "ThreadPool::spawn(Task) + wait_idle");
  add_pool<sendsync_task_runner<true>>(
      "sendsync-task-hop",
      "ThreadPool::spawn(Task doing co_await schedule()) + wait_idle");
  add_pool<tbb_runner>("tbb-task-group", "tbb::task_group run + wait");
  add_pool<asio_runner>("asio-thread-pool",
                        "boost::asio::thread_pool post + std::latch");
}

}  // namespace bench
