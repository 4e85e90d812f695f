// Tests of sendsync::Task, ThreadPool::schedule(), ThreadPool::spawn() and
// block_on().
#include "sendsync/task.h"

#include <gtest/gtest.h>

#include <atomic>
#include <coroutine>
#include <exception>
#include <latch>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sendsync/thread.h"
#include "sendsync/thread_pool.h"
#include "test_util.h"

namespace {

using sendsync::block_on;
using sendsync::PoolShutdownError;
using sendsync::Task;
using sendsync::TaskHandle;
using sendsync::ThreadPool;
using sendsync_test::Counted;

Task<int> value(int v) { co_return v; }

Task<> nothing() { co_return; }

Task<int> add(int a, int b) { co_return co_await value(a) + co_await value(b); }

Task<std::unique_ptr<int>> boxed(int v) { co_return std::make_unique<int>(v); }

Task<int> fail(std::string what) {
  throw std::runtime_error(what);
  co_return 0;  // makes this a coroutine
}

Task<> fail_void() {
  throw std::runtime_error("void task failed");
  co_return;
}

Task<std::thread::id> thread_after_hop(ThreadPool& pool) {
  co_await pool.schedule();
  co_return std::this_thread::get_id();
}

// Resumes nothing: a coroutine that awaits it stays suspended until its frame
// is destroyed. Says where it parked, so that the test can check.
struct park_forever {
  std::coroutine_handle<>* parked;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) const noexcept { *parked = h; }
  void await_resume() const noexcept {}
};

// An eager coroutine with no result, owning its frame: drives a Task from a
// test without block_on(), so that a Task can be left suspended and then
// destroyed.
struct eager_driver {
  struct promise_type {
    eager_driver get_return_object() noexcept {
      return eager_driver{
          std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_never initial_suspend() const noexcept { return {}; }
    std::suspend_always final_suspend() const noexcept { return {}; }
    void return_void() const noexcept {}
    void unhandled_exception() const noexcept { std::terminate(); }
  };
  eager_driver(eager_driver&& o) noexcept : frame(std::exchange(o.frame, {})) {}
  explicit eager_driver(std::coroutine_handle<promise_type> f) noexcept
      : frame(f) {}
  ~eager_driver() {
    if (frame) frame.destroy();
  }
  std::coroutine_handle<promise_type> frame;
};

TEST(Task, smoke_block_on_returns_value) {
  EXPECT_EQ(block_on(value(42)), 42);
  EXPECT_EQ(block_on(add(40, 2)), 42);
}

TEST(Task, void_task) {
  block_on(nothing());
  int runs = 0;
  auto count = [](int& n) -> Task<> {
    ++n;
    co_return;
  };
  block_on(count(runs));
  EXPECT_EQ(runs, 1);
}

TEST(Task, move_only_value) {
  auto unbox = [](int v) -> Task<int> { co_return *co_await boxed(v); };
  EXPECT_EQ(block_on(unbox(7)), 7);
  EXPECT_EQ(*block_on(boxed(8)), 8);
}

TEST(Task, braced_co_return_builds_the_value) {
  auto pair = []() -> Task<std::pair<int, std::string>> { co_return {1, "one"}; };
  EXPECT_EQ(block_on(pair()), std::make_pair(1, std::string("one")));
}

TEST(Task, lazy_body_runs_only_when_awaited) {
  bool ran = false;
  auto body = [](bool& flag) -> Task<int> {
    flag = true;
    co_return 1;
  };
  Task<int> t = body(ran);
  EXPECT_FALSE(ran);
  EXPECT_TRUE(t.valid());
  EXPECT_EQ(block_on(std::move(t)), 1);
  EXPECT_TRUE(ran);
}

TEST(Task, drops_never_awaited_task_destroys_its_frame) {
  const long before = Counted::live();
  {
    auto holds = [](Counted c) -> Task<int> { co_return c.value; };
    Task<int> t = holds(Counted(3));
    EXPECT_GT(Counted::live(), before);  // the parameter lives in the frame
  }
  EXPECT_EQ(Counted::live(), before);
}

TEST(Task, drops_awaited_task_frame_and_locals) {
  const long before = Counted::live();
  auto holds = [](Counted c) -> Task<int> {
    Counted local(c.value + 1);
    co_return local.value;
  };
  EXPECT_EQ(block_on(holds(Counted(4))), 5);
  EXPECT_EQ(Counted::live(), before);
}

TEST(Task, drops_suspended_chain_when_its_awaiter_is_destroyed) {
  const long before = Counted::live();
  std::coroutine_handle<> parked;
  auto leaf = [](Counted c, std::coroutine_handle<>* where) -> Task<int> {
    Counted local(1);
    co_await park_forever{where};
    co_return c.value + local.value;  // never reached
  };
  auto middle = [&](Counted c) -> Task<int> {
    co_return c.value + co_await leaf(Counted(2), &parked);
  };
  {
    auto driver = [&]() -> eager_driver { (void)co_await middle(Counted(3)); };
    eager_driver d = driver();
    ASSERT_TRUE(parked);
    EXPECT_FALSE(d.frame.done());
    // Each frame's parameter, each argument (alive in the awaiting frame
    // until the co_await's full-expression ends) and leaf's local.
    EXPECT_EQ(Counted::live(), before + 5);
  }  // destroying the driver frees them all
  EXPECT_EQ(Counted::live(), before);
}

TEST(Task, exception_propagates_to_awaiter) {
  auto catches = []() -> Task<std::string> {
    try {
      (void)co_await fail("inner");
    } catch (const std::runtime_error& e) {
      co_return std::string("caught ") + e.what();
    }
    co_return "not thrown";
  };
  EXPECT_EQ(block_on(catches()), "caught inner");
}

TEST(Task, exception_propagates_through_levels_to_block_on) {
  auto outer = []() -> Task<int> {
    auto middle = []() -> Task<int> { co_return 1 + co_await fail("deep"); };
    co_return 1 + co_await middle();
  };
  try {
    block_on(outer());
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "deep");
  }
  EXPECT_THROW(block_on(fail_void()), std::runtime_error);
}

TEST(Task, awaiting_an_empty_task_throws_logic_error) {
  auto twice = []() -> Task<int> {
    Task<int> t = value(1);
    int first = co_await std::move(t);
    EXPECT_FALSE(t.valid());  // consumed by the co_await
    int second = co_await std::move(t);
    co_return first + second;
  };
  EXPECT_THROW(block_on(twice()), std::logic_error);
}

TEST(Task, move_assignment_destroys_the_previous_frame) {
  const long before = Counted::live();
  auto holds = [](Counted c) -> Task<int> { co_return c.value; };
  Task<int> t = holds(Counted(1));
  t = holds(Counted(2));
  EXPECT_EQ(Counted::live(), before + 1);
  EXPECT_EQ(block_on(std::move(t)), 2);
  EXPECT_EQ(Counted::live(), before);
}

// Symmetric transfer: each co_await of a Task that completes at once is a
// tail call, so neither a long loop of them nor a deep recursion grows the
// native stack. Without it, each level would nest a resume() (a few hundred
// bytes in a debug build), and these would overflow an 8 MiB stack.
TEST(Task, long_loop_of_awaits_runs_in_constant_stack) {
  auto loop = [](int n) -> Task<long> {
    long sum = 0;
    for (int i = 0; i < n; ++i) sum += co_await value(1);
    co_return sum;
  };
  EXPECT_EQ(block_on(loop(1'000'000)), 1'000'000);
}

Task<long> depth(int n) {
  if (n == 0) co_return 0;
  co_return 1 + co_await depth(n - 1);
}

TEST(Task, deep_recursion_runs_in_constant_stack) {
  EXPECT_EQ(block_on(depth(200'000)), 200'000);
}

TEST(Task, schedule_resumes_on_a_worker) {
  ThreadPool pool(2);
  const std::thread::id caller = std::this_thread::get_id();
  const std::thread::id after = block_on(thread_after_hop(pool));
  EXPECT_NE(after, caller);
}

TEST(Task, awaiter_continues_where_the_child_ended) {
  ThreadPool pool(2);
  auto parent = [](ThreadPool& p) -> Task<bool> {
    const std::thread::id child_ended_on = co_await thread_after_hop(p);
    co_return std::this_thread::get_id() == child_ended_on;
  };
  EXPECT_TRUE(block_on(parent(pool)));
}

TEST(Task, schedule_after_shutdown_throws_in_the_coroutine) {
  ThreadPool pool(1);
  pool.shutdown();
  auto hop = [](ThreadPool& p) -> Task<std::string> {
    try {
      co_await p.schedule();
    } catch (const PoolShutdownError&) {
      co_return "refused";
    }
    co_return "hopped";
  };
  EXPECT_EQ(block_on(hop(pool)), "refused");
}

TEST(Task, hops_between_pools) {
  ThreadPool a(1), b(1);
  auto pingpong = [](ThreadPool& x, ThreadPool& y, int rounds) -> Task<int> {
    int hops = 0;
    for (int i = 0; i < rounds; ++i) {
      co_await (i % 2 == 0 ? x : y).schedule();
      ++hops;
    }
    co_return hops;
  };
  EXPECT_EQ(block_on(pingpong(a, b, 1000)), 1000);
}

TEST(Task, spawn_join_returns_value) {
  ThreadPool pool(2);
  TaskHandle<int> h = pool.spawn(add(20, 22));
  EXPECT_TRUE(h.joinable());
  EXPECT_EQ(h.join(), 42);
  EXPECT_FALSE(h.joinable());
  EXPECT_TRUE(h.is_finished());
  TaskHandle<> v = pool.spawn(nothing());
  v.join();
  auto hop = [](ThreadPool& p) -> Task<std::unique_ptr<int>> {
    co_await p.schedule();
    co_return std::make_unique<int>(9);
  };
  EXPECT_EQ(*pool.spawn(hop(pool)).join(), 9);
}

TEST(Task, spawn_runs_on_a_worker) {
  ThreadPool pool(2);
  auto where = []() -> Task<std::thread::id> {
    co_return std::this_thread::get_id();
  };
  EXPECT_NE(pool.spawn(where()).join(), std::this_thread::get_id());
}

TEST(Task, spawn_exception_goes_to_join) {
  ThreadPool pool(2);
  auto f = pool.spawn(fail("spawned"));
  EXPECT_THROW(f.join(), std::runtime_error);
  auto v = pool.spawn(fail_void());
  EXPECT_THROW(v.join(), std::runtime_error);
}

TEST(Task, spawn_after_shutdown_throws_and_destroys_the_task) {
  const long before = Counted::live();
  ThreadPool pool(1);
  pool.shutdown();
  auto holds = [](Counted c) -> Task<int> { co_return c.value; };
  EXPECT_THROW((void)pool.spawn(holds(Counted(1))), PoolShutdownError);
  EXPECT_EQ(Counted::live(), before);
}

TEST(Task, join_destroys_the_spawned_frame) {
  const long before = Counted::live();
  ThreadPool pool(2);
  auto holds = [](ThreadPool& p, Counted c) -> Task<int> {
    co_await p.schedule();
    co_return c.value;
  };
  EXPECT_EQ(pool.spawn(holds(pool, Counted(5))).join(), 5);
  EXPECT_EQ(Counted::live(), before);
}

TEST(Task, wait_idle_waits_for_spawned_tasks) {
  ThreadPool pool(2);
  std::atomic<int> done{0};
  auto work = [](ThreadPool& p, std::atomic<int>& counter) -> Task<> {
    co_await p.schedule();  // a second hop, still within the pool
    counter.fetch_add(1);
  };
  std::vector<TaskHandle<>> handles;
  for (int i = 0; i < 100; ++i) handles.push_back(pool.spawn(work(pool, done)));
  pool.wait_idle();
  EXPECT_EQ(done.load(), 100);
}

TEST(Task, spawn_from_inside_a_task) {
  ThreadPool pool(2);
  auto parent = [](ThreadPool& p) -> Task<int> {
    co_await p.schedule();
    std::vector<TaskHandle<int>> parts;
    for (int i = 1; i <= 10; ++i) parts.push_back(p.spawn(value(i)));
    int sum = 0;
    for (auto& part : parts) sum += co_await std::move(part);  // no blocking
    co_return sum;
  };
  EXPECT_EQ(block_on(parent(pool)), 55);
}

TEST(Task, block_on_from_many_threads) {
  ThreadPool pool(2);
  std::atomic<long> total{0};
  sendsync::scope([&](sendsync::Scope& s) {
    for (int t = 0; t < 4; ++t)
      s.spawn([&pool, &total, t] {
        auto work = [](ThreadPool& p, int base) -> Task<long> {
          long sum = 0;
          for (int i = 0; i < 50; ++i) {
            co_await p.schedule();
            sum += base + i;
          }
          co_return sum;
        };
        total.fetch_add(block_on(work(pool, t * 100)));
      });
  });
  // sum over t of (50 * 100t + 0..49) = 50*100*(0+1+2+3) + 4*1225
  EXPECT_EQ(total.load(), 50 * 100 * 6 + 4 * 1225);
}

// A coroutine on pool a's worker hops onto pool b and ends there, and the
// waiter destroys b at once: a's worker, still returning from b's enqueue(),
// must touch nothing of b once the task is in b's queue (ASan reported a
// use after free when it read b's counters after the push).
TEST(Task, pool_destroyed_right_after_a_hop_from_another_pool) {
  ThreadPool a(1);
  auto hop_twice = [](ThreadPool& from, ThreadPool& to) -> Task<int> {
    co_await from.schedule();
    co_await to.schedule();  // enqueued on `to` by from's worker
    co_return 1;
  };
  for (int i = 0; i < 500; ++i) {
    auto b = std::make_unique<ThreadPool>(1);
    EXPECT_EQ(block_on(hop_twice(a, *b)), 1);
    b.reset();
  }
}

TEST(Task, stress_fan_out_of_hopping_tasks) {
  ThreadPool pool(2);
  auto leaf = [](ThreadPool& p, int i) -> Task<long> {
    co_await p.schedule();
    co_return i;
  };
  std::vector<TaskHandle<long>> handles;
  for (int i = 0; i < 2000; ++i) handles.push_back(pool.spawn(leaf(pool, i)));
  long sum = 0;
  for (auto& h : handles) sum += h.join();
  EXPECT_EQ(sum, 1999L * 2000 / 2);
}

TEST(Task, stress_fan_in_by_co_await_on_one_worker) {
  // A single worker: the fan-in must not block it, or nothing else runs.
  ThreadPool pool(1);
  auto leaf = [](ThreadPool& p, int i) -> Task<long> {
    co_await p.schedule();
    co_return i;
  };
  auto root = [&leaf](ThreadPool& p) -> Task<long> {
    co_await p.schedule();
    std::vector<TaskHandle<long>> parts;
    for (int i = 0; i < 500; ++i) parts.push_back(p.spawn(leaf(p, i)));
    long sum = 0;
    for (auto& part : parts) sum += co_await std::move(part);
    co_return sum;
  };
  for (int r = 0; r < 5; ++r) EXPECT_EQ(block_on(root(pool)), 499L * 500 / 2);
}

TEST(Task, join_blocks_until_a_running_task_ends) {
  ThreadPool pool(2);
  std::latch started(1);
  auto slow = [](std::latch& go) -> Task<int> {
    go.count_down();
    sendsync_test::let_peer_block();  // the joiner is likely blocked by now
    co_return 7;
  };
  TaskHandle<int> h = pool.spawn(slow(started));
  started.wait();
  EXPECT_EQ(h.join(), 7);
}

TEST(Task, co_await_handle_of_a_finished_task_continues_at_once) {
  ThreadPool pool(2);
  TaskHandle<int> h = pool.spawn(value(5));
  pool.wait_idle();
  EXPECT_TRUE(h.is_finished());
  auto await_it = [](TaskHandle<int> handle) -> Task<int> {
    co_return co_await std::move(handle);
  };
  const std::thread::id caller = std::this_thread::get_id();
  auto where = [](TaskHandle<int> handle) -> Task<std::thread::id> {
    (void)co_await std::move(handle);
    co_return std::this_thread::get_id();
  };
  EXPECT_EQ(block_on(await_it(std::move(h))), 5);
  TaskHandle<int> done = pool.spawn(value(6));
  pool.wait_idle();
  EXPECT_EQ(block_on(where(std::move(done))), caller);
}

TEST(Task, join_twice_or_after_move_throws_join_error) {
  ThreadPool pool(1);
  TaskHandle<int> h = pool.spawn(value(1));
  TaskHandle<int> moved = std::move(h);
  EXPECT_THROW(h.join(), sendsync::JoinError);
  EXPECT_EQ(moved.join(), 1);
  EXPECT_THROW(moved.join(), sendsync::JoinError);
  auto await_empty = [](TaskHandle<int> handle) -> Task<int> {
    co_return co_await std::move(handle);
  };
  EXPECT_THROW(block_on(await_empty(std::move(moved))), sendsync::JoinError);
}

TEST(Task, drops_detached_task_frees_itself_when_it_ends) {
  const long before = Counted::live();
  {
    ThreadPool pool(2);
    auto holds = [](ThreadPool& p, Counted c) -> Task<int> {
      co_await p.schedule();
      co_return c.value;
    };
    for (int i = 0; i < 100; ++i) {
      TaskHandle<int> dropped = pool.spawn(holds(pool, Counted(i)));
    }
    pool.wait_idle();
  }
  EXPECT_EQ(Counted::live(), before);
}

TEST(Task, drops_handle_of_finished_task_frees_the_frame) {
  const long before = Counted::live();
  ThreadPool pool(1);
  auto holds = [](Counted c) -> Task<int> { co_return c.value; };
  {
    TaskHandle<int> h = pool.spawn(holds(Counted(1)));
    pool.wait_idle();
    EXPECT_TRUE(h.is_finished());
    EXPECT_EQ(Counted::live(), before + 1);  // the frame's parameter
  }
  EXPECT_EQ(Counted::live(), before);
}

TEST(Task, detached_task_exception_is_reported_not_lost) {
  testing::internal::CaptureStderr();
  {
    ThreadPool pool(1);
    { TaskHandle<int> dropped = pool.spawn(fail("detached and failed")); }
    pool.wait_idle();
  }
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("detached and failed"), std::string::npos) << err;
}

TEST(Task, drops_awaiter_suspended_on_a_handle_leaves_the_frame_to_the_task) {
  const long before = Counted::live();
  ThreadPool pool(1);
  std::latch gate(1);
  auto gated = [](std::latch& g, Counted c) -> Task<int> {
    g.wait();
    co_return c.value;
  };
  {
    auto driver = [&]() -> eager_driver {
      (void)co_await pool.spawn(gated(gate, Counted(1)));
    };
    eager_driver d = driver();
    EXPECT_FALSE(d.frame.done());  // suspended on the handle
  }
  gate.count_down();
  pool.wait_idle();  // the task ended and freed its frame
  EXPECT_EQ(Counted::live(), before);
}

TEST(Task, data_written_before_a_hop_is_seen_after_it) {
  ThreadPool pool(2);
  auto fill = [](ThreadPool& p) -> Task<long> {
    std::vector<long> v(1000);
    for (long i = 0; i < 1000; ++i) v[static_cast<std::size_t>(i)] = i;
    co_await p.schedule();  // the frame, and v's buffer, move to a worker
    long sum = 0;
    for (long x : v) sum += x;
    co_return sum;
  };
  for (int r = 0; r < 50; ++r) EXPECT_EQ(block_on(fill(pool)), 999L * 1000 / 2);
}

}  // namespace
