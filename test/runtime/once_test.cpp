// Tests of sendsync::OnceLock<T> and LazyLock<T, F>.
#include "sendsync/once.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

namespace {

using sendsync::LazyLock;
using sendsync::OnceLock;
using sendsync_test::Counted;

TEST(OnceLock, smoke) {
  OnceLock<std::string> cell;
  EXPECT_EQ(cell.get(), nullptr);
  EXPECT_FALSE(cell.has_value());
  EXPECT_EQ(cell.get_or_init([] { return std::string("a"); }), "a");
  EXPECT_EQ(cell.get_or_init([] { return std::string("b"); }), "a");
  ASSERT_NE(cell.get(), nullptr);
  EXPECT_EQ(*cell.get(), "a");
}

TEST(OnceLock, set_only_once_and_keeps_rejected_value) {
  OnceLock<std::string> cell;
  std::string first = "first", second = "second";
  EXPECT_TRUE(cell.set(std::move(first)));
  EXPECT_FALSE(cell.set(std::move(second)));
  EXPECT_EQ(second, "second");  // not moved from
  EXPECT_EQ(*cell.get(), "first");
}

TEST(OnceLock, initializer_exception_leaves_cell_empty) {
  OnceLock<int> cell;
  EXPECT_THROW(cell.get_or_init([]() -> int { throw std::runtime_error("no"); }),
               std::runtime_error);
  EXPECT_FALSE(cell.has_value());
  EXPECT_EQ(cell.get_or_init([] { return 7; }), 7);
}

TEST(OnceLock, into_inner) {
  OnceLock<int> empty;
  EXPECT_FALSE(std::move(empty).into_inner().has_value());
  OnceLock<int> full;
  full.set(4);
  EXPECT_EQ(std::move(full).into_inner(), 4);
}

TEST(OnceLock, drops) {
  const long before = Counted::live();
  {
    OnceLock<Counted> a;
    a.get_or_init([] { return Counted(1); });
    OnceLock<Counted> b;  // never initialised: nothing to destroy
    OnceLock<Counted> c;
    c.set(Counted(2));
    auto v = std::move(c).into_inner();
    EXPECT_EQ(v->value, 2);
  }
  EXPECT_EQ(Counted::live(), before);
}

TEST(OnceLock, stress_exactly_one_initializer_runs) {
  for (int round = 0; round < 20; ++round) {
    OnceLock<int> cell;
    std::atomic<int> runs{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> ts;
    std::vector<int> seen(4, -1);
    for (int i = 0; i < 4; ++i)
      ts.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        seen[i] = cell.get_or_init([&] {
          ++runs;
          return i;
        });
      });
    go = true;
    for (auto& t : ts) t.join();
    EXPECT_EQ(runs.load(), 1);
    for (int v : seen) EXPECT_EQ(v, *cell.get());
  }
}

TEST(OnceLock, waiter_retries_after_initializer_throws) {
  OnceLock<int> cell;
  std::atomic<bool> in_init{false}, release{false};
  std::thread failing([&] {
    EXPECT_THROW(cell.get_or_init([&]() -> int {
      in_init = true;
      while (!release.load()) std::this_thread::yield();
      throw std::runtime_error("fail");
    }),
                 std::runtime_error);
  });
  while (!in_init.load()) std::this_thread::yield();
  std::thread waiter([&] { EXPECT_EQ(cell.get_or_init([] { return 5; }), 5); });
  release = true;
  failing.join();
  waiter.join();
  EXPECT_EQ(*cell.get(), 5);
}

TEST(LazyLock, smoke_runs_once_on_first_access) {
  static std::atomic<int> runs;  // static: the lambda must be captureless
  runs = 0;
  LazyLock<int> lazy([] {
    ++runs;
    return 42;
  });
  EXPECT_FALSE(lazy.has_value());
  EXPECT_EQ(*lazy, 42);
  EXPECT_EQ(lazy.get(), 42);
  EXPECT_EQ(runs.load(), 1);
}

TEST(LazyLock, deduces_from_capturing_lambda) {
  std::string base = "x";
  const LazyLock lazy([base] { return base + "y"; });
  EXPECT_EQ(lazy->size(), 2u);
  EXPECT_EQ(*lazy, "xy");
}

TEST(LazyLock, exception_then_retry) {
  int attempts = 0;
  LazyLock lazy([&attempts] {
    if (++attempts == 1) throw std::runtime_error("first");
    return attempts;
  });
  EXPECT_THROW((void)lazy.get(), std::runtime_error);
  EXPECT_EQ(*lazy, 2);
}

TEST(LazyLock, stress_concurrent_first_access) {
  std::atomic<int> runs{0};
  LazyLock lazy([&runs] {
    ++runs;
    return std::vector<int>(100, 1);
  });
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&] { EXPECT_EQ(lazy->size(), 100u); });
  for (auto& t : ts) t.join();
  EXPECT_EQ(runs.load(), 1);
}

}  // namespace
