// Tests of sendsync::RwLock<T>.
#include "sendsync/rwlock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "test_util.h"

namespace {

using namespace std::chrono_literals;
using sendsync::RwLock;
using sendsync_test::Counted;

// A read guard only ever hands out const access.
static_assert(std::is_same_v<decltype(*std::declval<sendsync::RwLockReadGuard<int>&>()),
                             const int&>);
static_assert(std::is_same_v<decltype(*std::declval<sendsync::RwLockWriteGuard<int>&>()),
                             int&>);

TEST(RwLock, smoke) {
  RwLock<std::map<int, std::string>> table;
  table.write()->emplace(1, "one");
  EXPECT_EQ(table.read()->at(1), "one");
  EXPECT_EQ(table.with_read([](const auto& m) { return m.size(); }), 1u);
  table.with_write([](auto& m) { m.emplace(2, "two"); });
  auto m = std::move(table).into_inner();
  EXPECT_EQ(m.size(), 2u);
}

TEST(RwLock, readers_share) {
  RwLock<int> l(5);
  auto r1 = l.read();
  auto r2 = l.try_read();
  ASSERT_TRUE(r2.owns_lock());
  EXPECT_EQ(*r1 + *r2, 10);
  EXPECT_FALSE(l.try_write().owns_lock());
}

TEST(RwLock, writer_excludes_readers) {
  RwLock<int> l(0);
  auto w = l.write();
  std::thread t([&] {
    EXPECT_FALSE(l.try_read().owns_lock());
    EXPECT_FALSE(l.try_write().owns_lock());
  });
  t.join();
}

TEST(RwLock, try_read_for_times_out) {
  RwLock<int> l(0);
  auto w = l.write();
  std::thread t([&] {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(l.try_read_for(20ms).owns_lock());
    EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  });
  t.join();
}

TEST(RwLock, try_write_for_times_out) {
  RwLock<int> l(0);
  auto r = l.read();
  std::thread t([&] {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(l.try_write_for(20ms).owns_lock());
    EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  });
  t.join();
}

TEST(RwLock, try_write_for_acquires_when_released) {
  RwLock<int> l(0);
  std::atomic<bool> started{false};
  auto r = std::optional(l.read());
  std::thread t([&] {
    started = true;
    auto w = l.try_write_for(10s);
    ASSERT_TRUE(w.owns_lock());
    *w = 9;
  });
  while (!started) std::this_thread::yield();
  r.reset();
  t.join();
  EXPECT_EQ(*l.read(), 9);
}

TEST(RwLock, guards_move) {
  RwLock<int> l(1);
  auto w = l.write();
  auto w2 = std::move(w);
  *w2 = 2;
  { auto gone = std::move(w2); }
  auto r = l.read();
  auto r2 = std::move(r);
  EXPECT_EQ(*r2, 2);
}

TEST(RwLock, drops) {
  const long before = Counted::live();
  {
    RwLock<Counted> l(3);
    EXPECT_EQ(l.read()->value, 3);
    l.write()->value = 4;
    Counted c = std::move(l).into_inner();
    EXPECT_EQ(c.value, 4);
  }
  EXPECT_EQ(Counted::live(), before);
}

TEST(RwLock, stress_readers_see_consistent_pairs) {
  // The writer keeps a == b; a reader must never see them differ.
  struct Pair { long a = 0, b = 0; };
  RwLock<Pair> l;
  std::atomic<bool> stop{false};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i)
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto r = l.read();
        EXPECT_EQ(r->a, r->b);
        ++reads;
      }
    });
  for (long i = 1; i <= 5000; ++i) {
    auto w = l.write();
    w->a = i;
    w->b = i;
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(l.read()->a, 5000);
}

TEST(RwLock, try_results_dereference_once) {
  RwLock<std::string> l("a");
  if (auto w = l.try_write()) *w += "b";
  if (auto w = l.try_write_for(1ms)) w->append("c");
  if (auto r = l.try_read()) EXPECT_EQ(r->size(), 3u);
  auto r = l.try_read_for(1ms);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "abc");
  EXPECT_FALSE(l.try_write());
}

TEST(RwLock, get_mut_and_no_poisoning) {
  RwLock<int> l(1);
  l.get_mut() = 2;
  try {
    auto w = l.write();
    *w = 3;
    throw std::runtime_error("x");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(*l.read(), 3);
}

}  // namespace
