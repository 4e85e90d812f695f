// Tests of sendsync::Mutex<T> and MutexGuard<T>.
#include "sendsync/mutex.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "test_util.h"

namespace {

using namespace std::chrono_literals;
using sendsync::Mutex;
using sendsync::MutexGuard;
using sendsync_test::Counted;

static_assert(!std::is_copy_constructible_v<MutexGuard<int>>);
static_assert(std::is_nothrow_move_constructible_v<MutexGuard<int>>);
static_assert(!std::is_copy_constructible_v<Mutex<int>>);

TEST(Mutex, smoke) {
  Mutex<std::vector<int>> m(2, 7);
  m.lock()->push_back(1);
  {
    auto g = m.lock();
    EXPECT_EQ(g->size(), 3u);
    (*g)[0] = 5;
  }
  EXPECT_EQ(m.with_lock([](std::vector<int>& v) { return v[0] + v[2]; }), 6);
  EXPECT_EQ(std::move(m).into_inner(), (std::vector<int>{5, 7, 1}));
}

TEST(Mutex, try_lock_fails_while_held) {
  Mutex<int> m(1);
  auto g = m.lock();
  std::thread t([&] { EXPECT_FALSE(m.try_lock().has_value()); });
  t.join();
  g = MutexGuard<int>(std::move(g));  // self-move through a temporary
  EXPECT_EQ(*g, 1);
}

TEST(Mutex, try_lock_succeeds_when_free) {
  Mutex<int> m(3);
  auto g = m.try_lock();
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(**g, 3);
}

TEST(Mutex, try_lock_for_times_out) {
  Mutex<int> m(0);
  auto g = m.lock();
  std::thread t([&] {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(m.try_lock_for(20ms).has_value());
    EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  });
  t.join();
}

TEST(Mutex, try_lock_for_acquires_when_released) {
  Mutex<int> m(0);
  std::atomic<bool> locked{false};
  auto g = m.lock();
  std::thread t([&] {
    locked = true;
    auto g2 = m.try_lock_for(10s);
    ASSERT_TRUE(g2.has_value());
    **g2 = 5;
  });
  while (!locked) std::this_thread::yield();
  { auto released = std::move(g); }  // unlock
  t.join();
  EXPECT_EQ(*m.lock(), 5);
}

TEST(Mutex, try_lock_until_past_deadline_on_free_lock) {
  Mutex<int> m(0);
  EXPECT_TRUE(m.try_lock_until(std::chrono::steady_clock::now() - 1s));
}

TEST(Mutex, guard_move_transfers_the_lock) {
  Mutex<int> m(0);
  auto g1 = m.lock();
  MutexGuard<int> g2 = std::move(g1);
  *g2 = 4;
  EXPECT_FALSE(m.try_lock().has_value());
  { auto gone = std::move(g2); }
  EXPECT_TRUE(m.try_lock().has_value());
}

TEST(Mutex, with_lock_unlocks_on_exception) {
  Mutex<int> m(0);
  EXPECT_THROW(m.with_lock([](int&) -> int { throw std::runtime_error("x"); }),
               std::runtime_error);
  EXPECT_TRUE(m.try_lock().has_value());
}

TEST(Mutex, drops) {
  const long before = Counted::live();
  {
    Mutex<Counted> m(7);
    EXPECT_EQ(m.lock()->value, 7);
    Counted c = std::move(m).into_inner();
    EXPECT_EQ(c.value, 7);
  }
  EXPECT_EQ(Counted::live(), before);
}

TEST(Mutex, stress_counter) {
  constexpr int threads = 4, iters = 20000;
  Mutex<long> m(0);
  std::vector<std::thread> ts;
  for (int i = 0; i < threads; ++i)
    ts.emplace_back([&] {
      for (int j = 0; j < iters; ++j) {
        if (j % 3 == 0) {
          while (true) {
            if (auto g = m.try_lock()) {
              ++**g;
              break;
            }
          }
        } else if (j % 3 == 1) {
          ++*m.lock();
        } else {
          auto g = m.try_lock_for(10s);
          ASSERT_TRUE(g);
          ++**g;
        }
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(*m.lock(), long{threads} * iters);
}

}  // namespace
