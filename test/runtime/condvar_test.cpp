// Tests of sendsync::Condvar with Mutex<T>.
#include "sendsync/condvar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using sendsync::Condvar;
using sendsync::Mutex;

TEST(Condvar, smoke_wait_with_predicate) {
  Mutex<bool> ready(false);
  Condvar cv;
  std::thread t([&] {
    *ready.lock() = true;
    cv.notify_one();
  });
  auto g = ready.lock();
  cv.wait(g, [](bool& r) { return r; });
  EXPECT_TRUE(*g);
  t.join();
}

TEST(Condvar, nullary_predicate) {
  Mutex<int> n(0);
  Condvar cv;
  std::thread t([&] {
    *n.lock() = 3;
    cv.notify_all();
  });
  auto g = n.lock();
  cv.wait(g, [&] { return *g == 3; });
  EXPECT_EQ(*g, 3);
  t.join();
}

TEST(Condvar, wait_for_times_out) {
  Mutex<bool> ready(false);
  Condvar cv;
  auto g = ready.lock();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(cv.wait_for(g, 20ms, [](bool& r) { return r; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  // The lock is held again after the timeout.
  *g = true;
}

TEST(Condvar, wait_for_without_predicate_times_out) {
  Mutex<int> m(0);
  Condvar cv;
  auto g = m.lock();
  // A spurious wake-up may return true early; a timeout must return false.
  bool woke = true;
  for (int i = 0; i < 100 && woke; ++i) woke = cv.wait_for(g, 5ms);
  EXPECT_FALSE(woke);
}

TEST(Condvar, wait_for_succeeds_when_notified) {
  Mutex<bool> ready(false);
  Condvar cv;
  std::thread t([&] {
    *ready.lock() = true;
    cv.notify_one();
  });
  auto g = ready.lock();
  EXPECT_TRUE(cv.wait_for(g, 10s, [](bool& r) { return r; }));
  t.join();
}

TEST(Condvar, wait_until_past_deadline_returns_predicate) {
  Mutex<bool> ready(true);
  Condvar cv;
  auto g = ready.lock();
  EXPECT_TRUE(cv.wait_until(g, std::chrono::steady_clock::now() - 1s,
                            [](bool& r) { return r; }));
}

TEST(Condvar, notify_all_wakes_every_waiter) {
  constexpr int waiters = 4;
  Mutex<int> state(0);  // number of waiters that have arrived, then -1 = go
  Condvar arrived, go;
  std::vector<std::thread> ts;
  Mutex<int> woken(0);
  for (int i = 0; i < waiters; ++i)
    ts.emplace_back([&] {
      auto g = state.lock();
      ++*g;
      arrived.notify_all();
      go.wait(g, [](int& s) { return s < 0; });
      ++*woken.lock();
    });
  {
    auto g = state.lock();
    arrived.wait(g, [](int& s) { return s == waiters; });
    *g = -1;
  }
  go.notify_all();
  for (auto& t : ts) t.join();
  EXPECT_EQ(*woken.lock(), waiters);
}

TEST(Condvar, stress_producer_consumer_queue) {
  constexpr int producers = 3, consumers = 3, per_producer = 2000;
  Mutex<std::deque<int>> q;
  Condvar not_empty;
  std::atomic<long> sum{0};
  std::atomic<int> taken{0};
  std::vector<std::thread> ts;
  for (int p = 0; p < producers; ++p)
    ts.emplace_back([&, p] {
      for (int i = 1; i <= per_producer; ++i) {
        q.lock()->push_back(p * per_producer + i);
        not_empty.notify_one();
      }
    });
  for (int c = 0; c < consumers; ++c)
    ts.emplace_back([&] {
      for (;;) {
        auto g = q.lock();
        not_empty.wait(g, [&](std::deque<int>& d) {
          return !d.empty() || taken.load() == producers * per_producer;
        });
        if (g->empty()) return;
        sum += g->front();
        g->pop_front();
        if (++taken == producers * per_producer) not_empty.notify_all();
      }
    });
  for (auto& t : ts) t.join();
  const long n = long{producers} * per_producer;
  EXPECT_EQ(sum.load(), n * (n + 1) / 2);
}

// wait_while has Rust's sense: it blocks while the condition holds.
TEST(Condvar, wait_while_blocks_while_condition_holds) {
  Mutex<std::deque<int>> q;
  Condvar cv;
  std::thread t([&] {
    std::this_thread::sleep_for(5ms);
    q.lock()->push_back(4);
    cv.notify_one();
  });
  auto g = q.lock();
  cv.wait_while(g, [](std::deque<int>& d) { return d.empty(); });
  ASSERT_FALSE(g->empty());
  EXPECT_EQ(g->front(), 4);
  t.join();
}

TEST(Condvar, wait_while_returns_at_once_when_condition_is_false) {
  Mutex<int> m(1);
  Condvar cv;
  auto g = m.lock();
  int calls = 0;
  cv.wait_while(g, [&] {
    ++calls;
    return false;
  });
  EXPECT_EQ(calls, 1);
}

TEST(Condvar, wait_timeout_while_times_out_with_condition_true) {
  Mutex<bool> done(false);
  Condvar cv;
  auto g = done.lock();
  const auto start = std::chrono::steady_clock::now();
  auto r = cv.wait_timeout_while(g, 20ms, [](bool& d) { return !d; });
  EXPECT_TRUE(r.timed_out());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  EXPECT_FALSE(*g);  // the lock is held again
}

TEST(Condvar, wait_timeout_while_wakes_when_condition_turns_false) {
  Mutex<bool> done(false);
  Condvar cv;
  std::thread t([&] {
    std::this_thread::sleep_for(5ms);
    *done.lock() = true;
    cv.notify_all();
  });
  auto g = done.lock();
  auto r = cv.wait_timeout_while(g, 10s, [](bool& d) { return !d; });
  EXPECT_FALSE(r.timed_out());
  EXPECT_TRUE(*g);
  t.join();
}

// The std form is kept, with std::condition_variable's sense (until).
TEST(Condvar, wait_with_predicate_keeps_std_sense) {
  Mutex<int> m(3);
  Condvar cv;
  auto g = m.lock();
  cv.wait(g, [](int& v) { return v == 3; });  // true: returns at once
  EXPECT_EQ(*g, 3);
}

}  // namespace
