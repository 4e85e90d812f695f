// Tests of sendsync::Select over every channel flavour that supports it
// (unbounded, bounded, rendezvous), in the style of crossbeam-channel's
// tests/select.rs: smoke tests, disconnection, timeouts, fairness, drops and
// stress runs in which every message must be received exactly once.
#include "sendsync/select.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sendsync/channel.h"
#include "sendsync/thread.h"
#include "test_util.h"

namespace {

using namespace std::chrono_literals;
using sendsync::RecvError;
using sendsync::Select;
using sendsync::SelectTimeoutError;
using sendsync::TrySelectError;
using sendsync_test::Counted;
using sendsync_test::let_peer_block;

// The flavours a Select supports; the parameter is sync_channel's capacity,
// or -1 for channel().
class SelectFlavour : public ::testing::TestWithParam<int> {
 protected:
  template <class T> auto make() const {
    if (GetParam() < 0) return sendsync::channel<T>();
    return sendsync::sync_channel<T>(static_cast<std::size_t>(GetParam()));
  }
};

INSTANTIATE_TEST_SUITE_P(Flavours, SelectFlavour, ::testing::Values(-1, 1, 4, 0),
                         [](const auto& info) {
                           return info.param < 0    ? std::string("unbounded")
                                  : info.param == 0 ? std::string("rendezvous")
                                                    : "bounded" +
                                                          std::to_string(
                                                              info.param);
                         });

TEST_P(SelectFlavour, smoke_recv_reports_the_ready_channel) {
  auto [tx1, rx1] = make<int>();
  auto [tx2, rx2] = make<int>();
  std::thread t([&tx2 = tx2] { (void)tx2.send(7); });  // blocks if rendezvous
  Select sel;
  const std::size_t a = sel.recv(rx1);
  const std::size_t b = sel.recv(rx2);
  auto op = sel.select();
  ASSERT_EQ(op.index(), b);
  EXPECT_NE(op.index(), a);
  EXPECT_EQ(op.recv(rx2).value(), 7);
  t.join();
  EXPECT_FALSE(rx1.try_recv());  // nothing was taken from the other arm
}

TEST_P(SelectFlavour, recv_wakes_a_parked_selector) {
  auto [tx1, rx1] = make<std::string>();
  auto [tx2, rx2] = make<std::string>();
  std::thread t([&tx1 = tx1] {
    let_peer_block();
    (void)tx1.send("late");
  });
  Select sel;
  const std::size_t a = sel.recv(rx1);
  sel.recv(rx2);
  auto op = sel.select();
  ASSERT_EQ(op.index(), a);
  EXPECT_EQ(op.recv(rx1).value(), "late");
  t.join();
}

TEST_P(SelectFlavour, disconnect_wakes_selector) {
  auto [tx1, rx1] = make<int>();
  auto [tx2, rx2] = make<int>();
  std::thread t([tx = std::move(tx1)]() mutable {
    let_peer_block();
    { auto gone = std::move(tx); }
  });
  Select sel;
  const std::size_t a = sel.recv(rx1);
  sel.recv(rx2);
  auto op = sel.select();
  ASSERT_EQ(op.index(), a);
  auto r = op.recv(rx1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), RecvError::disconnected);
  t.join();
  // A disconnected receive stays ready until removed.
  EXPECT_EQ(sel.select().index(), a);
  sel.remove(a);
  EXPECT_EQ(sel.size(), 1u);
  EXPECT_FALSE(sel.try_select());
}

TEST_P(SelectFlavour, timeout_and_deadline) {
  auto [tx1, rx1] = make<int>();
  auto [tx2, rx2] = make<int>();
  Select sel;
  sel.recv(rx1);
  sel.recv(rx2);
  const auto start = std::chrono::steady_clock::now();
  auto r = sel.select_timeout(20ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), SelectTimeoutError::timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  EXPECT_FALSE(sel.select_deadline(std::chrono::steady_clock::now() - 1s));
  auto t = sendsync::spawn([&tx2 = tx2] { (void)tx2.send(3); });
  auto late = sel.select_deadline(std::chrono::steady_clock::now() + 10s);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->recv(rx2).value(), 3);
  t.join();
}

TEST_P(SelectFlavour, try_select_is_the_default_arm) {
  auto [tx, rx] = make<int>();
  Select sel;
  const std::size_t a = sel.recv(rx);
  auto none = sel.try_select();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error(), TrySelectError::would_block);
  if (GetParam() != 0) {
    ASSERT_TRUE(tx.try_send(1));
    auto op = sel.try_select();
    ASSERT_TRUE(op);
    EXPECT_EQ(op->index(), a);
    EXPECT_EQ(op->recv(rx).value(), 1);
  }
}

TEST_P(SelectFlavour, send_completes_when_there_is_room) {
  auto [tx, rx] = make<int>();
  auto [tx2, rx2] = make<int>();
  auto consumer = sendsync::spawn([&rx = rx] { return rx.recv().value(); });
  Select sel;
  sel.recv(rx2);  // never ready
  const std::size_t s = sel.send(tx, 42);
  auto op = sel.select();
  ASSERT_EQ(op.index(), s);
  EXPECT_TRUE(op.send(tx));
  EXPECT_EQ(sel.size(), 1u);  // a send is removed once collected
  EXPECT_EQ(consumer.join(), 42);
}

TEST_P(SelectFlavour, send_to_disconnected_hands_the_message_back) {
  auto [tx, rx] = make<std::unique_ptr<int>>();
  { auto gone = std::move(rx); }
  Select sel;
  const std::size_t s = sel.send(tx, std::make_unique<int>(5));
  auto op = sel.select();
  ASSERT_EQ(op.index(), s);
  auto r = op.send(tx);
  ASSERT_FALSE(r);
  ASSERT_NE(r.error().value, nullptr);
  EXPECT_EQ(*r.error().value, 5);
}

TEST_P(SelectFlavour, uncollected_result_is_reported_again) {
  auto [tx1, rx1] = make<int>();
  auto [tx2, rx2] = make<int>();
  std::thread t([&tx1 = tx1] { (void)tx1.send(1); });
  Select sel;
  const std::size_t a = sel.recv(rx1);
  sel.recv(rx2);
  (void)sel.select();  // the SelectedOperation is dropped, uncollected
  t.join();
  auto op = sel.select();
  ASSERT_EQ(op.index(), a);
  EXPECT_EQ(op.recv(rx1).value(), 1);
}

TEST_P(SelectFlavour, wrong_endpoint_is_rejected) {
  auto [tx1, rx1] = make<int>();
  auto [tx2, rx2] = make<int>();
  std::thread t([&tx1 = tx1] { (void)tx1.send(1); });
  Select sel;
  sel.recv(rx1);
  sel.recv(rx2);
  auto op = sel.select();
  EXPECT_THROW((void)op.recv(rx2), std::invalid_argument);
  EXPECT_THROW((void)op.send(tx1), std::invalid_argument);
  EXPECT_EQ(op.recv(rx1).value(), 1);
  EXPECT_THROW((void)op.recv(rx1), std::invalid_argument);  // collected
  t.join();
}

TEST(Select, empty_set) {
  Select sel;
  EXPECT_THROW((void)sel.select(), std::logic_error);
  EXPECT_FALSE(sel.try_select());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(sel.select_timeout(10ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 10ms);
}

// A rendezvous send in a select completes with a receiver blocked in recv(),
// and a rendezvous receive with a sender blocked in send().
TEST(Select, rendezvous_pairs_with_blocking_peers) {
  auto [tx, rx] = sendsync::sync_channel<int>(0);
  auto [tx2, rx2] = sendsync::sync_channel<int>(0);
  auto receiver = sendsync::spawn([&rx = rx] { return rx.recv().value(); });
  {
    Select sel;
    sel.recv(rx2);
    const std::size_t s = sel.send(tx, 11);
    auto op = sel.select();
    ASSERT_EQ(op.index(), s);
    EXPECT_TRUE(op.send(tx));
  }
  EXPECT_EQ(receiver.join(), 11);
  auto sender = sendsync::spawn([&tx2 = tx2] { return bool(tx2.send(12)); });
  Select sel;
  const std::size_t r = sel.recv(rx2);
  auto op = sel.select();
  ASSERT_EQ(op.index(), r);
  EXPECT_EQ(op.recv(rx2).value(), 12);
  EXPECT_TRUE(sender.join());  // the sender saw its message taken
}

// Two selects on the two ends of one rendezvous channel pair up: the
// sending one offers its message in the slot while it waits.
TEST(Select, rendezvous_select_pairs_with_select) {
  auto [tx, rx] = sendsync::sync_channel<std::string>(0);
  auto [tx2, rx2] = sendsync::sync_channel<std::string>(0);
  auto receiver = sendsync::spawn([&rx = rx, &rx2 = rx2] {
    Select sel;
    const std::size_t a = sel.recv(rx);
    sel.recv(rx2);
    auto op = sel.select();
    return op.index() == a ? op.recv(rx).value() : std::string("wrong arm");
  });
  Select sel;
  auto [tx3, rx3] = sendsync::sync_channel<std::string>(0);
  sel.send(tx3, "never");  // nobody receives on rx3: withdrawn, not lost
  const std::size_t s = sel.send(tx, "hello");
  auto op = sel.select();
  ASSERT_EQ(op.index(), s);
  EXPECT_TRUE(op.send(tx));
  EXPECT_EQ(receiver.join(), "hello");
  EXPECT_FALSE(rx3.try_recv());
  EXPECT_EQ(sel.size(), 1u);
}

// A select that both sends and receives on one rendezvous channel does not
// take its own message, and does not spin: it times out.
TEST(Select, rendezvous_select_does_not_pair_with_itself) {
  auto [tx, rx] = sendsync::sync_channel<int>(0);
  Select sel;
  sel.recv(rx);
  sel.send(tx, 1);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(sel.select_timeout(20ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
}

// A select with offers out on several rendezvous channels completes one
// send only, although receivers wait on all of them.
TEST(Select, rendezvous_offers_complete_at_most_one_send) {
  constexpr int rounds = 50;
  for (int round = 0; round < rounds; ++round) {
    auto [tx1, rx1] = sendsync::sync_channel<int>(0);
    auto [tx2, rx2] = sendsync::sync_channel<int>(0);
    std::atomic<int> got{0};
    auto r1 = sendsync::spawn([&rx1 = rx1, &got] {
      if (rx1.recv()) ++got;
    });
    auto r2 = sendsync::spawn([&rx2 = rx2, &got] {
      if (rx2.recv()) ++got;
    });
    Select sel;
    sel.send(tx1, 1);
    sel.send(tx2, 2);
    auto op = sel.select_timeout(5s);
    ASSERT_TRUE(op);
    EXPECT_TRUE(op->send(op->index() == 0 ? tx1 : tx2));
    // Disconnect both channels: the receiver that got nothing returns.
    sel = Select();
    { auto gone1 = std::move(tx1), gone2 = std::move(tx2); }
    r1.join();
    r2.join();
    EXPECT_EQ(got.load(), 1);
  }
}

// Operations on one channel in two selects of two threads: each message
// goes to exactly one of them.
TEST(Select, fairness_between_always_ready_channels) {
  auto [tx1, rx1] = sendsync::channel<int>();
  auto [tx2, rx2] = sendsync::channel<int>();
  constexpr int n = 400;
  for (int i = 0; i < n; ++i) {
    (void)tx1.send(i);
    (void)tx2.send(i);
  }
  Select sel;
  const std::size_t a = sel.recv(rx1);
  const std::size_t b = sel.recv(rx2);
  int from_a = 0, from_b = 0;
  for (int i = 0; i < n; ++i) {
    auto op = sel.select();
    if (op.index() == a) {
      (void)op.recv(rx1);
      ++from_a;
    } else {
      ASSERT_EQ(op.index(), b);
      (void)op.recv(rx2);
      ++from_b;
    }
  }
  // A random start: each arm wins about half the time; both at least 25%.
  EXPECT_GT(from_a, n / 4);
  EXPECT_GT(from_b, n / 4);
}

TEST(Select, fairness_with_a_fresh_select_each_time) {
  auto [tx1, rx1] = sendsync::sync_channel<int>(300);
  auto [tx2, rx2] = sendsync::sync_channel<int>(300);
  constexpr int n = 300;
  for (int i = 0; i < n; ++i) {
    (void)tx1.send(i);
    (void)tx2.send(i);
  }
  int from_a = 0;
  for (int i = 0; i < n; ++i) {
    Select sel;
    const std::size_t a = sel.recv(rx1);
    sel.recv(rx2);
    auto op = sel.select();
    if (op.index() == a) {
      (void)op.recv(rx1);
      ++from_a;
    } else {
      (void)op.recv(rx2);
    }
  }
  EXPECT_GT(from_a, n / 4);
  EXPECT_LT(from_a, n - n / 4);
}

TEST(Select, drops) {
  const long before = Counted::live();
  {
    auto [tx, rx] = sendsync::sync_channel<Counted>(1);
    auto [tx2, rx2] = sendsync::channel<Counted>();
    (void)tx.send(Counted(1));  // full
    Select sel;
    sel.send(tx, Counted(2));    // never completes: destroyed with sel
    const std::size_t s2 = sel.send(tx, Counted(3));
    sel.remove(s2);              // destroyed here
    (void)tx2.send(Counted(4));
    const std::size_t r = sel.recv(rx2);
    auto op = sel.select();
    ASSERT_EQ(op.index(), r);
    EXPECT_EQ(op.recv(rx2).value().value, 4);
    (void)tx2.send(Counted(5));
    (void)sel.select();  // uncollected: held in sel, destroyed with it
  }
  EXPECT_EQ(Counted::live(), before);
}

TEST(Select, a_send_operation_keeps_the_channel_connected) {
  auto [tx, rx] = sendsync::channel<int>();
  Select sel;
  sel.send(tx, 1);
  { auto gone = std::move(tx); }
  EXPECT_EQ(rx.try_recv().error(), sendsync::TryRecvError::empty);
  sel = Select();  // the operation's Sender goes with it
  EXPECT_EQ(rx.try_recv().error(), sendsync::TryRecvError::disconnected);
}

// N producers on M channels of every flavour, K selecting consumers with
// timeouts; producers stop one by one (disconnects). Every message is
// received exactly once.
TEST(Select, stress_producers_channels_consumers) {
  constexpr int channels = 4, producers_per_channel = 2, consumers = 3;
  constexpr int per_producer = 2000;
  std::vector<sendsync::Sender<int>> txs;
  std::vector<sendsync::Receiver<int>> rxs;
  const std::size_t caps[channels] = {SIZE_MAX, 1, 8, 0};
  for (int c = 0; c < channels; ++c) {
    auto [tx, rx] = caps[c] == SIZE_MAX ? sendsync::channel<int>()
                                        : sendsync::sync_channel<int>(caps[c]);
    txs.push_back(std::move(tx));
    rxs.push_back(std::move(rx));
  }
  constexpr int total = channels * producers_per_channel * per_producer;
  std::vector<std::atomic<int>> seen(total);
  std::atomic<int> timeouts{0};
  {
    std::vector<sendsync::JoinHandle<void>> threads;
    for (int c = 0; c < channels; ++c)
      for (int p = 0; p < producers_per_channel; ++p)
        threads.push_back(sendsync::spawn([tx = txs[c], c, p] {
          const int base = (c * producers_per_channel + p) * per_producer;
          for (int i = 0; i < per_producer; ++i) (void)tx.send(base + i);
        }));
    txs.clear();  // only the producers' Senders remain
    for (int k = 0; k < consumers; ++k)
      threads.push_back(sendsync::spawn([&rxs = rxs, &seen, &timeouts] {
        Select sel;
        std::vector<std::size_t> index;
        for (auto& rx : rxs) index.push_back(sel.recv(rx));
        while (sel.size() > 0) {
          auto op = sel.select_timeout(1ms);
          if (!op) {
            ++timeouts;
            continue;
          }
          for (std::size_t c = 0; c < rxs.size(); ++c) {
            if (op->index() != index[c]) continue;
            if (auto v = op->recv(rxs[c]))
              seen[*v].fetch_add(1);
            else
              sel.remove(index[c]);
          }
        }
      }));
    for (auto& t : threads) t.join();
  }
  for (int i = 0; i < total; ++i) ASSERT_EQ(seen[i].load(), 1) << i;
}

// Selecting senders and receivers at once: M producers each select over
// sending to every channel (whichever has room), consumers select over
// receiving; plain receivers compete too. Exactly-once again.
TEST(Select, stress_selecting_senders_and_receivers) {
  constexpr int channels = 3, producers = 3, consumers = 2;
  constexpr int per_producer = 2000;
  std::vector<sendsync::Sender<int>> txs;
  std::vector<sendsync::Receiver<int>> rxs;
  const std::size_t caps[channels] = {1, 2, 0};
  for (int c = 0; c < channels; ++c) {
    auto [tx, rx] = sendsync::sync_channel<int>(caps[c]);
    txs.push_back(std::move(tx));
    rxs.push_back(std::move(rx));
  }
  constexpr int total = producers * per_producer;
  std::vector<std::atomic<int>> seen(total);
  {
    std::vector<sendsync::JoinHandle<void>> threads;
    for (int p = 0; p < producers; ++p)
      threads.push_back(sendsync::spawn([txs = txs, p] {
        for (int i = 0; i < per_producer; ++i) {
          Select sel;
          for (auto& tx : txs) sel.send(tx, p * per_producer + i);
          auto op = sel.select();
          // The other arms' copies are destroyed with sel, unsent.
          ASSERT_TRUE(op.send(txs[op.index()]));
        }
      }));
    txs.clear();
    for (int k = 0; k < consumers; ++k)
      threads.push_back(sendsync::spawn([&rxs = rxs, &seen] {
        Select sel;
        std::vector<std::size_t> index;
        for (auto& rx : rxs) index.push_back(sel.recv(rx));
        while (sel.size() > 0) {
          auto op = sel.select_timeout(5ms);
          if (!op) continue;
          for (std::size_t c = 0; c < rxs.size(); ++c) {
            if (op->index() != index[c]) continue;
            if (auto v = op->recv(rxs[c]))
              seen[*v].fetch_add(1);
            else
              sel.remove(index[c]);
          }
        }
      }));
    // A plain blocking receiver competes on the rendezvous channel (taking
    // the producers' offers, or pairing with their sends directly).
    threads.push_back(sendsync::spawn([&rx = rxs[2], &seen] {
      for (int v : rx) seen[v].fetch_add(1);
    }));
    for (auto& t : threads) t.join();
  }
  for (int i = 0; i < total; ++i) ASSERT_EQ(seen[i].load(), 1) << i;
}

// Only selects on both ends of rendezvous channels (their sends pair with
// their receives through offers), with timeouts on the receiving side.
TEST(Select, stress_rendezvous_selects_on_both_ends) {
  constexpr int channels = 3, producers = 3, consumers = 2;
  constexpr int per_producer = 500;
  std::vector<sendsync::Sender<int>> txs;
  std::vector<sendsync::Receiver<int>> rxs;
  for (int c = 0; c < channels; ++c) {
    auto [tx, rx] = sendsync::sync_channel<int>(0);
    txs.push_back(std::move(tx));
    rxs.push_back(std::move(rx));
  }
  constexpr int total = producers * per_producer;
  std::vector<std::atomic<int>> seen(total);
  {
    std::vector<sendsync::JoinHandle<void>> threads;
    for (int p = 0; p < producers; ++p)
      threads.push_back(sendsync::spawn([txs = txs, p] {
        for (int i = 0; i < per_producer; ++i) {
          Select sel;
          for (auto& tx : txs) sel.send(tx, p * per_producer + i);
          auto op = sel.select();
          ASSERT_TRUE(op.send(txs[op.index()]));
        }
      }));
    txs.clear();
    for (int k = 0; k < consumers; ++k)
      threads.push_back(sendsync::spawn([&rxs = rxs, &seen] {
        Select sel;
        std::vector<std::size_t> index;
        for (auto& rx : rxs) index.push_back(sel.recv(rx));
        while (sel.size() > 0) {
          auto op = sel.select_timeout(2ms);
          if (!op) continue;
          for (std::size_t c = 0; c < rxs.size(); ++c) {
            if (op->index() != index[c]) continue;
            if (auto v = op->recv(rxs[c]))
              seen[*v].fetch_add(1);
            else
              sel.remove(index[c]);
          }
        }
      }));
    for (auto& t : threads) t.join();
  }
  for (int i = 0; i < total; ++i) ASSERT_EQ(seen[i].load(), 1) << i;
}

// One parked selector, one message per round on a channel chosen in turn:
// the selector must be woken by whichever channel it arrives on.
TEST(Select, stress_no_lost_wakeups) {
  auto [tx0, rx0] = sendsync::channel<int>();
  auto [tx1, rx1] = sendsync::sync_channel<int>(1);
  auto [tx2, rx2] = sendsync::sync_channel<int>(0);
  constexpr int rounds = 300;
  auto producer = sendsync::spawn(
      [tx0 = std::move(tx0), tx1 = std::move(tx1), tx2 = std::move(tx2)] {
        for (int i = 0; i < rounds; ++i) {
          if (i % 7 == 0) std::this_thread::yield();
          const auto& tx = i % 3 == 0 ? tx0 : i % 3 == 1 ? tx1 : tx2;
          (void)tx.send(i);
        }
      });
  Select sel;
  const std::size_t idx[3] = {sel.recv(rx0), sel.recv(rx1), sel.recv(rx2)};
  const sendsync::Receiver<int>* rxs[3] = {&rx0, &rx1, &rx2};
  int received = 0;
  std::vector<int> got(rounds, 0);
  while (received < rounds) {
    auto op = sel.select_timeout(10s);
    ASSERT_TRUE(op) << "a wake-up was lost after " << received;
    for (int c = 0; c < 3; ++c)
      if (op->index() == idx[c]) {
        auto v = op->recv(*rxs[c]);
        if (!v) {  // the producer is done with this channel
          sel.remove(idx[c]);
          continue;
        }
        ASSERT_EQ(*v % 3, c);
        ++got[*v];
        ++received;
      }
  }
  producer.join();
  for (int i = 0; i < rounds; ++i) ASSERT_EQ(got[i], 1) << i;
}

// Rendezvous senders that time out and take their message back, against a
// selecting receiver that also times out: a send that succeeded is received
// exactly once, one that failed is not received at all (the invariant of
// the rendezvous tickets: a sender taking its message back retires it).
TEST(Select, stress_rendezvous_send_timeouts_exactly_once) {
  auto [tx, rx] = sendsync::sync_channel<int>(0);
  auto [other_tx, other_rx] = sendsync::channel<int>();
  constexpr int senders = 3, per_sender = 300;
  std::vector<std::atomic<int>> sent(senders * per_sender);
  std::vector<std::atomic<int>> seen(senders * per_sender);
  {
    std::vector<sendsync::JoinHandle<void>> threads;
    for (int s = 0; s < senders; ++s)
      threads.push_back(sendsync::spawn([tx = tx, s, &sent] {
        for (int i = 0; i < per_sender; ++i) {
          const int v = s * per_sender + i;
          // The last one waits long enough to be received for sure.
          const auto timeout = i + 1 == per_sender
                                   ? std::chrono::microseconds(10'000'000)
                                   : std::chrono::microseconds(50 * (i % 4));
          auto r = tx.send_timeout(v, timeout);
          if (r) {
            sent[v].fetch_add(1);
          } else {
            ASSERT_EQ(r.error().value, v);  // handed back intact
          }
        }
      }));
    { auto ours = std::move(tx); }
    threads.push_back(sendsync::spawn([&rx = rx, &other_rx = other_rx, &seen] {
      Select sel;
      const std::size_t r = sel.recv(rx);
      sel.recv(other_rx);  // never ready
      for (;;) {
        auto op = sel.select_timeout(std::chrono::microseconds(200));
        if (!op) continue;
        ASSERT_EQ(op->index(), r);
        auto v = op->recv(rx);
        if (!v) break;  // every sender is gone
        seen[*v].fetch_add(1);
      }
    }));
    for (auto& t : threads) t.join();
  }
  int delivered = 0;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    ASSERT_EQ(seen[i].load(), sent[i].load()) << i;
    delivered += sent[i].load();
  }
  EXPECT_GE(delivered, senders);  // typically about 70%
}

}  // namespace
