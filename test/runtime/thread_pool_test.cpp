// Tests of sendsync::ThreadPool.
#include "sendsync/thread_pool.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sendsync/mutex.h"
#include "test_util.h"

namespace {

using namespace std::chrono_literals;
using sendsync::PoolShutdownError;
using sendsync::ThreadPool;
using sendsync::ThreadPoolOptions;
using sendsync_test::Counted;

TEST(ThreadPool, smoke_submit_returns_result) {
  ThreadPool pool(2);
  EXPECT_EQ(pool.size(), 2u);
  auto f = pool.submit([](int a, int b) { return a + b; }, 2, 3);
  EXPECT_EQ(f.get(), 5);
}

TEST(ThreadPool, default_size_is_at_least_one) {
  ThreadPool pool;
  EXPECT_GE(pool.size(), 1u);
  EXPECT_EQ(pool.submit([] { return 1; }).get(), 1);
}

TEST(ThreadPool, submit_move_only) {
  ThreadPool pool(2);
  auto f = pool.submit([](std::unique_ptr<int> p) { return *p; },
                       std::make_unique<int>(8));
  EXPECT_EQ(f.get(), 8);
}

TEST(ThreadPool, submit_exception_propagates_to_future) {
  ThreadPool pool(2);
  auto f = pool.submit([]() -> int { throw std::runtime_error("task"); });
  EXPECT_THROW(f.get(), std::runtime_error);
}

TEST(ThreadPool, execute_exception_goes_to_handler) {
  std::atomic<int> errors{0};
  std::string message;
  sendsync::Mutex<std::string> msg;
  ThreadPoolOptions opts;
  opts.threads = 2;
  opts.on_error = [&](std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      *msg.lock() = ex.what();
    }
    ++errors;
  };
  ThreadPool pool(std::move(opts));
  pool.execute([] { throw std::runtime_error("fire"); });
  pool.wait_idle();
  EXPECT_EQ(errors.load(), 1);
  EXPECT_EQ(*msg.lock(), "fire");
}

TEST(ThreadPool, execute_exception_default_handler_logs_to_stderr) {
  testing::internal::CaptureStderr();
  {
    ThreadPool pool(1);
    pool.execute([] { throw std::runtime_error("logged-not-lost"); });
    pool.wait_idle();
  }
  EXPECT_NE(testing::internal::GetCapturedStderr().find("logged-not-lost"),
            std::string::npos);
}

TEST(ThreadPool, set_error_handler_replaces_handler) {
  ThreadPool pool(1);
  std::atomic<int> seen{0};
  pool.set_error_handler([&](std::exception_ptr) { ++seen; });
  pool.execute([] { throw 42; });
  pool.wait_idle();
  EXPECT_EQ(seen.load(), 1);
}

TEST(ThreadPool, wait_idle_waits_for_all_tasks) {
  // Declared before the pool, so it outlives every task the pool runs.
  std::atomic<int> done{0};
  ThreadPool pool(2);
  for (int i = 0; i < 200; ++i) pool.execute([&] { ++done; });
  pool.wait_idle();
  EXPECT_EQ(done.load(), 200);
}

TEST(ThreadPool, wait_idle_accounts_for_nested_tasks) {
  std::atomic<int> done{0};
  ThreadPool pool(2);
  // A binary tree of tasks, each leaf submitted by its parent. The tree
  // function must name the pool, so it is declared after it and dies first:
  // only the wait_idle() below keeps the tasks from outliving it, which the
  // checker cannot see.
  // NOLINTBEGIN(sendsync-escape)
  std::function<void(int)> spawn_tree = [&](int depth) {
    ++done;
    if (depth == 0) return;
    pool.execute([&, depth] { spawn_tree(depth - 1); });
    pool.execute([&, depth] { spawn_tree(depth - 1); });
  };
  pool.execute([&] { spawn_tree(8); });
  // NOLINTEND(sendsync-escape)
  pool.wait_idle();
  EXPECT_EQ(done.load(), (1 << 9) - 1);
}

TEST(ThreadPool, wait_idle_from_task_throws) {
  ThreadPool pool(1);
  auto f = pool.submit([&pool] { pool.wait_idle(); });
  EXPECT_THROW(f.get(), std::logic_error);
}

TEST(ThreadPool, shutdown_runs_all_accepted_tasks) {
  std::atomic<int> done{0};
  {
    ThreadPool pool(2);
    for (int i = 0; i < 500; ++i)
      pool.execute([&] {
        if (done.load() % 50 == 0) std::this_thread::yield();
        ++done;
      });
    pool.shutdown();
    EXPECT_EQ(done.load(), 500);
  }
  EXPECT_EQ(done.load(), 500);
}

TEST(ThreadPool, destructor_runs_all_accepted_tasks_including_nested) {
  std::atomic<int> done{0};
  {
    ThreadPool pool(2);
    for (int i = 0; i < 50; ++i)
      pool.execute([&] {
        ++done;
        pool.execute([&] { ++done; });  // accepted while the pool drains
      });
  }
  EXPECT_EQ(done.load(), 100);
}

TEST(ThreadPool, submit_after_shutdown_throws) {
  ThreadPool pool(1);
  pool.shutdown();
  pool.shutdown();  // idempotent
  EXPECT_THROW(pool.execute([] {}), PoolShutdownError);
  EXPECT_THROW((void)pool.submit([] { return 1; }), PoolShutdownError);
  try {
    pool.execute([] {});
  } catch (const PoolShutdownError& e) {
    EXPECT_NE(std::string(e.what()).find("after shutdown"), std::string::npos);
  }
}

TEST(ThreadPool, shutdown_from_task_throws) {
  ThreadPool pool(1);
  auto f = pool.submit([&pool] { pool.shutdown(); });
  EXPECT_THROW(f.get(), std::logic_error);
}

TEST(ThreadPool, drops) {
  const long before = Counted::live();
  {
    ThreadPool pool(2);
    std::vector<std::future<int>> fs;
    for (int i = 0; i < 50; ++i)
      fs.push_back(pool.submit([](Counted c) { return c.value; }, Counted(i)));
    for (int i = 0; i < 50; ++i)
      pool.execute([c = Counted(i)] { (void)c.value; });
    for (int i = 0; i < 50; ++i) EXPECT_EQ(fs[i].get(), i);
  }
  EXPECT_EQ(Counted::live(), before);
}

TEST(ThreadPool, stress_concurrent_submitters) {
  constexpr int submitters = 4, per = 500;
  std::atomic<long> sum{0};
  ThreadPool pool(3);
  std::vector<std::thread> ts;
  for (int s = 0; s < submitters; ++s)
    ts.emplace_back([&, s] {
      std::vector<std::future<int>> fs;
      for (int i = 0; i < per; ++i) {
        const int v = s * per + i + 1;
        if (i % 2 == 0)
          fs.push_back(pool.submit([v] { return v; }));
        else
          pool.execute([&sum, v] { sum += v; });
      }
      for (auto& f : fs) sum += f.get();
    });
  for (auto& t : ts) t.join();
  pool.wait_idle();
  const long n = long{submitters} * per;
  EXPECT_EQ(sum.load(), n * (n + 1) / 2);
}

TEST(ThreadPool, stress_shutdown_races_external_submitters) {
  // Every submission either throws PoolShutdownError or runs: none is lost.
  for (int round = 0; round < 10; ++round) {
    std::atomic<int> accepted{0}, ran{0};
    auto pool = std::make_unique<ThreadPool>(2);
    std::vector<std::thread> ts;
    for (int s = 0; s < 2; ++s)
      ts.emplace_back([&] {
        for (int i = 0; i < 200; ++i) {
          try {
            pool->execute([&] { ++ran; });
            ++accepted;
          } catch (const PoolShutdownError&) {
            return;
          }
        }
      });
    pool->shutdown();
    for (auto& t : ts) t.join();
    EXPECT_EQ(ran.load(), accepted.load());
  }
}


// --- The waiting caller helps -----------------------------------------------
//
// Each test below first occupies every worker with a task that blocks until
// released (`occupy`), so whatever else is queued can only run on a thread
// that waits: the tests see the helping waiter's behaviour, not a race with
// the workers. The release always comes from a task that only a helping
// waiter can run, so a waiter that did not help would hang the test (ctest's
// timeout reports it).

// Blocks one worker of `pool` until `release` is set; returns once it does
// block. The timeout keeps a broken pool from hanging the worker forever.
// `started` is shared, not a local: the task outlives this call.
void occupy(ThreadPool& pool, std::atomic<bool>& release) {
  auto started = std::make_shared<std::atomic<bool>>(false);
  pool.execute([started, &release] {
    started->store(true);
    const auto give_up = std::chrono::steady_clock::now() + 60s;
    while (!release.load() && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(1ms);
  });
  while (!started->load()) std::this_thread::yield();
}

TEST(ThreadPoolHelping, wait_idle_runs_queued_tasks_on_the_waiting_thread) {
  std::atomic<bool> release{false};
  std::thread::id ran_on;
  ThreadPool pool(1);
  occupy(pool, release);
  pool.execute([&] {
    ran_on = std::this_thread::get_id();
    release.store(true);
  });
  pool.wait_idle();
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(ThreadPoolHelping, nested_wait_idle_in_a_helped_task_throws) {
  std::atomic<bool> release{false};
  ThreadPool pool(1);
  occupy(pool, release);
  // Run by the waiter below, this task is the pool's: waiting for the pool
  // from it would wait for itself.
  auto nested = pool.submit([&pool] { pool.wait_idle(); });
  auto nested_shutdown = pool.submit([&pool] { pool.shutdown(); });
  pool.execute([&] { release.store(true); });
  pool.wait_idle();
  EXPECT_THROW(nested.get(), std::logic_error);
  EXPECT_THROW(nested_shutdown.get(), std::logic_error);
}

TEST(ThreadPoolHelping, wait_through_another_pool_back_to_the_first_throws) {
  // The waiter helps `a`, runs x; x waits on `b` and helps it, runs y; y
  // waits on `a`, whose count includes x, lower on the same stack: without
  // the check this waits for itself forever.
  std::atomic<bool> release{false};
  std::atomic<bool> y_threw{false}, x_done{false};
  ThreadPool a(1), b(1);
  occupy(a, release);
  occupy(b, release);
  // NOLINTBEGIN(sendsync-escape): both pools are waited for below.
  a.execute([&] {
    b.execute([&] {
      try {
        a.wait_idle();
      } catch (const std::logic_error&) {
        y_threw.store(true);
      }
      release.store(true);
    });
    b.wait_idle();
    x_done.store(true);
  });
  // NOLINTEND(sendsync-escape)
  a.wait_idle();
  EXPECT_TRUE(y_threw.load());
  EXPECT_TRUE(x_done.load());
}

TEST(ThreadPoolHelping, waiting_from_another_pools_task_helps) {
  // A task of `outer` may wait for `inner` (a different pool): it helps
  // `inner`, and what those tasks submit goes to `inner`.
  std::atomic<int> done{0};
  std::atomic<bool> release{false};
  ThreadPool outer(1), inner(1);
  occupy(inner, release);
  auto f = outer.submit([&] {
    for (int i = 0; i < 10; ++i)
      inner.execute([&] {
        ++done;
        inner.execute([&] { ++done; });
      });
    inner.execute([&] { release.store(true); });
    inner.wait_idle();
    return done.load();
  });
  EXPECT_EQ(f.get(), 20);
}

TEST(ThreadPoolHelping, exceptions_in_helped_tasks_reach_handler_and_future) {
  std::atomic<bool> release{false};
  std::atomic<int> handled{0};
  ThreadPool pool({.threads = 1,
                   .on_error = [&](std::exception_ptr) { ++handled; }});
  occupy(pool, release);
  pool.execute([] { throw std::runtime_error("helped execute"); });
  auto f = pool.submit([]() -> int { throw std::runtime_error("helped submit"); });
  pool.execute([] { throw 7; });  // not a std::exception
  pool.execute([&] { release.store(true); });
  EXPECT_NO_THROW(pool.wait_idle());  // never rethrows a task's exception
  EXPECT_EQ(handled.load(), 2);
  EXPECT_THROW(f.get(), std::runtime_error);
  // The pool is intact: more work runs.
  EXPECT_EQ(pool.submit([] { return 3; }).get(), 3);
}

TEST(ThreadPoolHelping, shutdown_helps_and_accepts_nested_tasks) {
  std::atomic<int> done{0};
  std::atomic<bool> release{false};
  ThreadPool pool(1);
  occupy(pool, release);
  for (int i = 0; i < 50; ++i)
    pool.execute([&] {
      ++done;
      pool.execute([&] { ++done; });  // from a helped task while draining
    });
  pool.execute([&] { release.store(true); });
  pool.shutdown();
  EXPECT_EQ(done.load(), 100);
  EXPECT_THROW(pool.execute([] {}), PoolShutdownError);
}

TEST(ThreadPoolHelping, shutdown_while_another_thread_helps) {
  // One thread helps in wait_idle() while another shuts the pool down: both
  // return, every accepted task ran once, and later submissions throw.
  for (int round = 0; round < 20; ++round) {
    std::atomic<int> done{0};
    std::atomic<bool> release{false};
    ThreadPool pool(2);
    occupy(pool, release);
    for (int i = 0; i < 200; ++i)
      pool.execute([&, i] {
        ++done;
        if (i % 4 == 0) pool.execute([&] { ++done; });  // accepted: a task's
      });
    // Queued last, so the two threads below help through the rest first
    // (shutdown() refuses submissions from outside once it has begun).
    pool.execute([&] { release.store(true); });
    std::thread waiter([&] { pool.wait_idle(); });
    std::thread stopper([&] { pool.shutdown(); });
    waiter.join();
    stopper.join();
    EXPECT_EQ(done.load(), 250);
    EXPECT_THROW(pool.execute([] {}), PoolShutdownError);
  }
}

TEST(ThreadPoolHelping, stress_concurrent_waiters_and_submitters) {
  constexpr int threads = 3, rounds = 200, width = 16;
  std::atomic<long> ran{0};
  ThreadPool pool(2);
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&] {
      for (int r = 0; r < rounds; ++r) {
        for (int i = 0; i < width; ++i) pool.execute([&] { ++ran; });
        pool.wait_idle();
      }
    });
  for (auto& t : ts) t.join();
  pool.wait_idle();
  EXPECT_EQ(ran.load(), long{threads} * rounds * width);
}

TEST(ThreadPoolHelping, injector_ring_overflows_to_the_locked_queue) {
  // Tasks from outside go to a lock-free ring of 256, and to a locked queue
  // behind it once the ring is full: with the one worker held, 3 x 400 tasks
  // from three threads fill both, and each runs exactly once, its captures
  // destroyed once.
  constexpr int threads = 3, per = 400;
  const long before = Counted::live();
  std::vector<std::atomic<int>> runs(threads * per);
  {
    std::atomic<bool> release{false};
    ThreadPool pool(1);
    occupy(pool, release);
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t)
      ts.emplace_back([&, t] {
        for (int i = 0; i < per; ++i)
          pool.execute([&runs, c = Counted(t * per + i)] { ++runs[c.value]; });
      });
    for (auto& t : ts) t.join();
    pool.execute([&] { release.store(true); });
    pool.wait_idle();
  }
  for (int i = 0; i < threads * per; ++i) EXPECT_EQ(runs[i].load(), 1) << i;
  EXPECT_EQ(Counted::live(), before);
}

TEST(ThreadPoolHelping, drops_of_inline_and_heap_tasks) {
  // Small callables are stored inline in the task, large ones on the heap:
  // each is destroyed once either way, whoever runs it.
  const long before = Counted::live();
  {
    std::atomic<bool> release{false};
    ThreadPool pool(1);
    occupy(pool, release);
    std::array<char, 256> big{};
    for (int i = 0; i < 20; ++i) {
      pool.execute([c = Counted(i)] { (void)c.value; });
      pool.execute([c = Counted(i), big] { (void)c.value, (void)big; });
    }
    pool.execute([&] { release.store(true); });
    pool.wait_idle();
  }
  EXPECT_EQ(Counted::live(), before);
}

}  // namespace
