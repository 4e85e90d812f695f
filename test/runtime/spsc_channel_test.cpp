// Tests of sendsync::spsc_channel (SpscSender, SpscReceiver).
#include "sendsync/channel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>

#include "test_util.h"

namespace {

using namespace std::chrono_literals;
using sendsync::RecvError;
using sendsync::RecvTimeoutError;
using sendsync::TryRecvError;
using sendsync_test::Counted;

static_assert(!std::is_copy_constructible_v<sendsync::SpscSender<int>>);
static_assert(!std::is_copy_constructible_v<sendsync::SpscReceiver<int>>);
static_assert(std::is_nothrow_move_constructible_v<sendsync::SpscSender<int>>);

TEST(SpscChannel, smoke) {
  auto [tx, rx] = sendsync::spsc_channel<int>(2);
  EXPECT_EQ(tx.capacity(), 2u);
  ASSERT_TRUE(tx.send(1));
  ASSERT_TRUE(tx.try_send(2));
  auto full = tx.try_send(3);
  ASSERT_FALSE(full);
  EXPECT_TRUE(full.error().is_full());
  EXPECT_EQ(full.error().value, 3);
  EXPECT_EQ(rx.size(), 2u);
  EXPECT_EQ(rx.recv().value(), 1);
  EXPECT_EQ(rx.try_recv().value(), 2);
  EXPECT_EQ(rx.try_recv().error(), TryRecvError::empty);
}

TEST(SpscChannel, zero_capacity_is_rejected) {
  EXPECT_THROW((void)sendsync::spsc_channel<int>(0), sendsync::InvalidCapacity);
}

TEST(SpscChannel, recv_timeout_times_out) {
  auto [tx, rx] = sendsync::spsc_channel<int>(1);
  const auto start = std::chrono::steady_clock::now();
  auto r = rx.recv_timeout(20ms);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), RecvTimeoutError::timeout);
}

TEST(SpscChannel, send_timeout_times_out_and_returns_value) {
  auto [tx, rx] = sendsync::spsc_channel<std::string>(1);
  ASSERT_TRUE(tx.send("a"));
  const auto start = std::chrono::steady_clock::now();
  auto r = tx.send_timeout("b", 20ms);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is_timeout());
  EXPECT_EQ(r.error().value, "b");
}

TEST(SpscChannel, blocked_recv_wakes_on_send) {
  auto [tx, rx] = sendsync::spsc_channel<int>(1);
  std::thread t([&rx] { EXPECT_EQ(rx.recv_timeout(10s).value(), 5); });
  sendsync_test::let_peer_block();
  ASSERT_TRUE(tx.send(5));
  t.join();
}

TEST(SpscChannel, disconnect_wakes_receiver) {
  auto [tx, rx] = sendsync::spsc_channel<int>(4);
  ASSERT_TRUE(tx.send(1));
  std::thread t([&rx] {
    EXPECT_EQ(rx.recv().value(), 1);
    EXPECT_EQ(rx.recv().error(), RecvError::disconnected);
  });
  sendsync_test::let_peer_block();
  { auto gone = std::move(tx); }
  t.join();
}

TEST(SpscChannel, disconnect_wakes_sender) {
  auto [tx, rx] = sendsync::spsc_channel<std::unique_ptr<int>>(1);
  ASSERT_TRUE(tx.send(std::make_unique<int>(1)));
  std::thread t([&tx] {
    auto r = tx.send(std::make_unique<int>(2));  // full: blocks
    ASSERT_FALSE(r);
    EXPECT_EQ(*r.error().value, 2);
  });
  sendsync_test::let_peer_block();
  { auto gone = std::move(rx); }
  t.join();
}

TEST(SpscChannel, drops) {
  const long before = Counted::live();
  {
    auto [tx, rx] = sendsync::spsc_channel<Counted>(8);
    std::thread p([tx = std::move(tx)]() mutable {
      for (int i = 0; i < 100; ++i) {
        auto r = tx.send(Counted(i));
        if (!r) return;  // receiver gone: the value came back and dies here
      }
    });
    for (int i = 0; i < 50; ++i) EXPECT_EQ(rx.recv().value().value, i);
    { auto gone = std::move(rx); }
    p.join();
  }
  EXPECT_EQ(Counted::live(), before);
}

TEST(SpscChannel, stress_ordered_delivery) {
  constexpr int n = 100000;
  auto [tx, rx] = sendsync::spsc_channel<int>(64);
  std::thread p([tx = std::move(tx)]() mutable {
    for (int i = 0; i < n; ++i) {
      if (i % 2 == 0) {
        ASSERT_TRUE(tx.send(i));
      } else {
        int v = i;
        for (;;) {
          auto r = tx.try_send(std::move(v));
          if (r) break;
          v = r.error().value;
        }
      }
    }
  });
  int expect = 0;
  for (int v : rx) ASSERT_EQ(v, expect++);
  EXPECT_EQ(expect, n);
  p.join();
}

TEST(SpscChannel, try_iter_and_deadlines) {
  auto [tx, rx] = sendsync::spsc_channel<int>(4);
  ASSERT_TRUE(tx.send_deadline(1, std::chrono::steady_clock::now() + 1s));
  ASSERT_TRUE(tx.send_deadline(2, std::chrono::steady_clock::now() + 1s));
  int sum = 0;
  for (int v : rx.try_iter()) sum += v;
  EXPECT_EQ(sum, 3);
  auto r = rx.recv_deadline(std::chrono::steady_clock::now() + 5ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), RecvTimeoutError::timeout);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(tx.try_send(i));
  auto full = tx.send_deadline(9, std::chrono::steady_clock::now() + 5ms);
  ASSERT_FALSE(full);
  EXPECT_TRUE(full.error().is_timeout());
  EXPECT_EQ(full.error().value, 9);
}

}  // namespace
