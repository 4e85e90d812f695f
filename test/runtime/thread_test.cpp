// Tests of sendsync::spawn, JoinHandle, scope and Scope.
#include "sendsync/thread.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_util.h"

namespace {

using sendsync::JoinError;
using sendsync::Scope;
using sendsync_test::Counted;

TEST(Spawn, smoke_returns_value) {
  auto h = sendsync::spawn([](int a, int b) { return a * b; }, 6, 7);
  EXPECT_TRUE(h.joinable());
  EXPECT_EQ(h.join(), 42);
  EXPECT_FALSE(h.joinable());
}

TEST(Spawn, void_result) {
  std::atomic<int> hit{0};
  auto h = sendsync::spawn([&hit] { hit = 1; });
  h.join();
  EXPECT_EQ(hit.load(), 1);
}

TEST(Spawn, move_only_arguments_and_result) {
  auto h = sendsync::spawn(
      [](std::unique_ptr<int> p) { return std::make_unique<int>(*p + 1); },
      std::make_unique<int>(1));
  EXPECT_EQ(*h.join(), 2);
}

TEST(Spawn, std_ref_shares) {
  int x = 0;
  auto h = sendsync::spawn([](int& r) { r = 5; }, std::ref(x));
  h.join();
  EXPECT_EQ(x, 5);
}

TEST(Spawn, exception_propagates_to_join) {
  auto h = sendsync::spawn([]() -> int { throw std::runtime_error("boom"); });
  EXPECT_THROW(
      {
        try {
          (void)h.join();
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "boom");
          throw;
        }
      },
      std::runtime_error);
}

TEST(Spawn, join_twice_throws) {
  auto h = sendsync::spawn([] {});
  h.join();
  EXPECT_THROW(h.join(), JoinError);
}

TEST(Spawn, dropped_handle_joins) {
  std::atomic<bool> done{false};
  {
    auto h = sendsync::spawn([&done] { done = true; });
  }
  EXPECT_TRUE(done.load());  // the destructor joined
}

TEST(Spawn, dropped_handle_with_exception_does_not_terminate) {
  testing::internal::CaptureStderr();
  { auto h = sendsync::spawn([] { throw std::runtime_error("lost?"); }); }
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("lost?"), std::string::npos);
}

TEST(Spawn, move_assign_joins_previous) {
  std::atomic<int> done{0};
  auto h = sendsync::spawn([&done] { ++done; });
  h = sendsync::spawn([&done] { ++done; });
  EXPECT_GE(done.load(), 1);
  h.join();
  EXPECT_EQ(done.load(), 2);
}

TEST(Spawn, is_finished_eventually) {
  auto h = sendsync::spawn([] { return 1; });
  while (!h.is_finished()) std::this_thread::yield();
  EXPECT_EQ(h.join(), 1);
}

TEST(Spawn, drops) {
  const long before = Counted::live();
  {
    auto h = sendsync::spawn([](Counted c) { return Counted(c.value + 1); },
                             Counted(1));
    EXPECT_EQ(h.join().value, 2);
    auto unjoined = sendsync::spawn([](Counted c) { return c; }, Counted(3));
  }
  EXPECT_EQ(Counted::live(), before);
}

TEST(Scope, smoke_borrows_locals) {
  std::vector<int> v(1000, 1);
  long left = 0, right = 0;
  sendsync::scope([&](Scope& s) {
    s.spawn([&] { left = std::accumulate(v.begin(), v.begin() + 500, 0L); });
    s.spawn([&] { right = std::accumulate(v.begin() + 500, v.end(), 0L); });
  });
  EXPECT_EQ(left + right, 1000);
}

TEST(Scope, returns_body_result_and_handles_join) {
  int r = sendsync::scope([](Scope& s) {
    auto a = s.spawn([] { return 20; });
    auto b = s.spawn([](int x) { return x; }, 22);
    return a.join() + b.join();
  });
  EXPECT_EQ(r, 42);
}

TEST(Scope, all_threads_joined_before_return) {
  std::atomic<int> finished{0};
  sendsync::scope([&](Scope& s) {
    for (int i = 0; i < 4; ++i)
      s.spawn([&] {
        std::this_thread::yield();
        ++finished;
      });
  });
  EXPECT_EQ(finished.load(), 4);
}

TEST(Scope, nested_spawn_from_scoped_thread) {
  std::atomic<int> n{0};
  sendsync::scope([&](Scope& s) {
    s.spawn([&] {
      ++n;
      s.spawn([&] {
        ++n;
        s.spawn([&] { ++n; });
      });
    });
  });
  EXPECT_EQ(n.load(), 3);
}

TEST(Scope, thread_exception_propagates_after_join) {
  std::atomic<int> finished{0};
  EXPECT_THROW(sendsync::scope([&](Scope& s) {
                 s.spawn([] { throw std::runtime_error("t"); });
                 s.spawn([&] { ++finished; });
               }),
               std::runtime_error);
  EXPECT_EQ(finished.load(), 1);
}

TEST(Scope, body_exception_propagates_after_join) {
  std::atomic<int> finished{0};
  EXPECT_THROW(sendsync::scope([&](Scope& s) {
                 s.spawn([&] { ++finished; });
                 throw std::logic_error("body");
               }),
               std::logic_error);
  EXPECT_EQ(finished.load(), 1);
}

TEST(Scope, first_exception_wins) {
  // The second thread throws only after the first one's exception is stored.
  try {
    sendsync::scope([&](Scope& s) {
      auto h = s.spawn([] { throw std::runtime_error("first"); });
      auto h2 = s.spawn([&] {
        while (!h.is_finished()) std::this_thread::yield();
        throw std::runtime_error("second");
      });
      // Keep `h` alive (the second thread reads it) until both finish.
      while (!h2.is_finished()) std::this_thread::yield();
    });
    FAIL() << "scope did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "first");
  }
}

TEST(Scope, joined_exception_is_not_rethrown) {
  EXPECT_NO_THROW(sendsync::scope([](Scope& s) {
    auto h = s.spawn([] { throw std::runtime_error("seen"); });
    EXPECT_THROW(h.join(), std::runtime_error);
  }));
}

TEST(Scope, drops) {
  const long before = Counted::live();
  sendsync::scope([](Scope& s) {
    auto h = s.spawn([](Counted c) { return c; }, Counted(1));
    s.spawn([](Counted c) { return c; }, Counted(2));  // never joined
    EXPECT_EQ(h.join().value, 1);
  });
  EXPECT_EQ(Counted::live(), before);
}

}  // namespace
