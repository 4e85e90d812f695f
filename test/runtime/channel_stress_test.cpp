// Tests that every channel flavour keeps its books straight when sends and
// receives time out, succeed and meet a disconnection in any order:
// channel(), sync_channel(3), sync_channel(1), sync_channel(0) (rendezvous)
// and spsc_channel(3).
//
//   ChannelInterleave  scripted interleavings (the regressions: a timed-out
//                      rendezvous send used to leave the channel's tickets out
//                      of step for good)
//   ChannelModel       random operations, one at a time, checked against a
//                      std::deque of the messages the channel must hold
//   ChannelStress      N producers x M consumers with random operations and
//                      timeouts, with and without the receiver going away
//   ArrayRing          the lock-free ring of sync_channel(n), n > 0: laps
//                      around rings of awkward sizes, more producers and
//                      consumers than cores with blocking operations, senders
//                      leaving mid-stream, the receiver leaving with messages
//                      in flight, and a message whose move throws
//
// Each message is a Msg carrying an id; the Ledger records what became of
// every id (received, handed back to its sender, or destroyed by the channel),
// and each test checks that every id had exactly one fate.
//
// Every scenario runs on a thread of its own under a deadline (run_within),
// so a send that never returns, or a channel whose destruction never ends,
// fails the test instead of hanging the suite. The random tests print their
// seed when they fail; SENDSYNC_STRESS_SEED=<n> replays one.
#include "sendsync/channel.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using namespace std::chrono_literals;
using sendsync::RecvTimeoutError;
using sendsync::TryRecvError;

// ---------------------------------------------------------------------------
// Messages that report their fate
// ---------------------------------------------------------------------------

enum class Fate { received, returned, dropped };

// How many times each id met each fate. One table for the whole process (the
// tests run one at a time); reset() at the start of each test.
class Ledger {
 public:
  static constexpr int max_ids = 1 << 15;

  static void reset() {
    for (auto& c : table()) c.store(0, std::memory_order_relaxed);
  }
  static void settle(int id, Fate f) {
    if (id < 0 || id >= max_ids) {
      ADD_FAILURE() << "message id " << id << " was never sent";
      return;
    }
    table()[slot(id, f)].fetch_add(1, std::memory_order_relaxed);
  }
  static int count(int id, Fate f) {
    return table()[slot(id, f)].load(std::memory_order_relaxed);
  }

 private:
  static std::size_t slot(int id, Fate f) {
    return static_cast<std::size_t>(id) * 3 + static_cast<std::size_t>(f);
  }
  static std::array<std::atomic<int>, max_ids * 3>& table() {
    static std::array<std::atomic<int>, max_ids * 3> t{};
    return t;
  }
};

// A message. Whoever ends up holding it settles it once: the receiver with
// claim(Fate::received), the sender that got it back in an error with
// claim(Fate::returned); one destroyed unclaimed (by the channel) settles as
// dropped. A moved-from Msg holds no id and settles nothing.
class Msg {
 public:
  explicit Msg(int id) noexcept : id_(id) {}
  Msg(Msg&& o) noexcept : id_(std::exchange(o.id_, -1)) {}
  Msg& operator=(Msg&& o) noexcept {
    if (this != &o) {
      settle_unclaimed();
      id_ = std::exchange(o.id_, -1);
    }
    return *this;
  }
  Msg(const Msg&) = delete;
  Msg& operator=(const Msg&) = delete;
  ~Msg() { settle_unclaimed(); }

  // Settles the message as `f` and returns its id.
  int claim(Fate f) {
    const int id = std::exchange(id_, -1);
    Ledger::settle(id, f);
    return id;
  }

 private:
  void settle_unclaimed() noexcept {
    if (id_ >= 0) Ledger::settle(std::exchange(id_, -1), Fate::dropped);
  }
  int id_;
};

// Checks that ids [first, last) each met exactly one fate, and `expected`'s
// one when given.
void expect_settled_once(
    int first, int last,
    const std::vector<std::optional<Fate>>* expected = nullptr) {
  static constexpr const char* names[] = {"received", "returned", "dropped"};
  for (int id = first; id < last; ++id) {
    const int r = Ledger::count(id, Fate::received);
    const int t = Ledger::count(id, Fate::returned);
    const int d = Ledger::count(id, Fate::dropped);
    ASSERT_EQ(r + t + d, 1)
        << "message " << id << ": received " << r << " times, returned " << t
        << " times, dropped " << d << " times";
    if (expected == nullptr) continue;
    const auto& want = (*expected)[static_cast<std::size_t>(id - first)];
    if (!want) continue;
    ASSERT_EQ(Ledger::count(id, *want), 1)
        << "message " << id << " should have been "
        << names[static_cast<int>(*want)];
  }
}

// ---------------------------------------------------------------------------
// Flavours
// ---------------------------------------------------------------------------

inline constexpr std::size_t never_full = SIZE_MAX;

struct Unbounded {
  static constexpr std::size_t capacity = never_full;
  static constexpr bool multi = true;  // several producers and consumers
  static auto make() { return sendsync::channel<Msg>(); }
};
struct Bounded {
  static constexpr std::size_t capacity = 3;
  static constexpr bool multi = true;
  static auto make() { return sendsync::sync_channel<Msg>(capacity); }
};
struct BoundedOne {
  static constexpr std::size_t capacity = 1;
  static constexpr bool multi = true;
  static auto make() { return sendsync::sync_channel<Msg>(capacity); }
};
struct Rendezvous {
  static constexpr std::size_t capacity = 0;
  static constexpr bool multi = true;
  static auto make() { return sendsync::sync_channel<Msg>(0); }
};
struct Spsc {
  static constexpr std::size_t capacity = 3;
  static constexpr bool multi = false;
  static auto make() { return sendsync::spsc_channel<Msg>(capacity); }
};

using Flavours =
    testing::Types<Unbounded, Bounded, BoundedOne, Rendezvous, Spsc>;

struct FlavourName {
  template <class F> static std::string GetName(int) {
    if constexpr (std::is_same_v<F, Unbounded>) return "unbounded";
    if constexpr (std::is_same_v<F, Bounded>) return "bounded";
    if constexpr (std::is_same_v<F, BoundedOne>) return "bounded1";
    if constexpr (std::is_same_v<F, Rendezvous>) return "rendezvous";
    return "spsc";
  }
};

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

// Runs `scenario` on a thread of its own and waits at most `limit`. In time,
// the thread is joined; otherwise the test fails and the thread is abandoned,
// still blocked, so that the other tests can run. Hence a scenario owns all it
// touches (it captures by value).
template <class F> bool run_within(std::chrono::seconds limit, F scenario) {
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  std::thread t(
      [done = std::move(done), scenario = std::move(scenario)]() mutable {
        scenario();
        done.set_value();
      });
  if (finished.wait_for(limit) == std::future_status::ready) {
    t.join();
    return true;
  }
  t.detach();
  ADD_FAILURE() << "the scenario did not finish within " << limit.count()
                << " s: an operation never returned, or destroying the "
                   "channel never ended";
  return false;
}

inline constexpr auto scenario_limit = 20s;

// Runs `scenario(next_id)`, which numbers its messages from 0 on with
// next_id++, under the deadline; then checks that every message it made met
// exactly one fate.
template <class S> void run_interleaving(S scenario) {
  auto used = std::make_shared<std::atomic<int>>(0);
  const bool finished = run_within(scenario_limit, [used, scenario] {
    int next = 0;
    scenario(next);
    used->store(next);
  });
  if (finished) expect_settled_once(0, used->load());
}

// The seed of the random tests: SENDSYNC_STRESS_SEED, or a fixed one.
std::uint32_t stress_seed() {
  if (const char* s = std::getenv("SENDSYNC_STRESS_SEED"))
    return static_cast<std::uint32_t>(std::strtoul(s, nullptr, 10));
  return 20240611;
}

// Prints the seed if the current test failed, to replay it.
void report_seed_on_failure(std::uint32_t seed) {
  if (testing::Test::HasFailure())
    std::cout << "[  seed    ] SENDSYNC_STRESS_SEED=" << seed << '\n';
}

class Random {
 public:
  explicit Random(std::uint32_t seed) : gen_(seed) {}
  // Uniform in [0, n).
  int below(int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(gen_);
  }
  bool one_in(int n) { return below(n) == 0; }
  std::chrono::microseconds short_timeout(int max_us) {
    return std::chrono::microseconds(below(max_us + 1));
  }

 private:
  std::mt19937 gen_;
};

// Long enough never to expire when the operation can complete, even under a
// sanitizer on a loaded machine; an operation that cannot complete fails
// after it instead of blocking forever.
inline constexpr auto long_timeout = 5s;

// ---------------------------------------------------------------------------
// ChannelInterleave: scripted interleavings
// ---------------------------------------------------------------------------

template <class F> class ChannelInterleave : public testing::Test {
 protected:
  void SetUp() override { Ledger::reset(); }
};
TYPED_TEST_SUITE(ChannelInterleave, Flavours, FlavourName);

// Fills the channel until a send would have to wait (3 messages for the
// unbounded one, which never fills); returns how many it holds.
template <class F, class Tx> int fill(Tx& tx, int& next_id) {
  const int n = F::capacity == never_full ? 3 : static_cast<int>(F::capacity);
  for (int i = 0; i < n; ++i) {
    auto r = tx.try_send(Msg(next_id++));
    EXPECT_TRUE(r) << "message " << i << " of " << n;
  }
  return n;
}

// A send that cannot complete in time times out and hands its message back,
// leaving the channel as it was. (The unbounded channel never times out: its
// send succeeds and the message joins the others.) Returns how many messages
// the channel holds afterwards.
template <class F, class Tx>
int time_out_one_send(Tx& tx, int& next_id, int held) {
  const int id = next_id++;
  auto r = tx.send_timeout(Msg(id), 2ms);
  if constexpr (F::capacity == never_full) {
    EXPECT_TRUE(r);
    return held + 1;
  } else {
    EXPECT_FALSE(r);
    if (!r) {
      EXPECT_TRUE(r.error().is_timeout());
      EXPECT_EQ(r.error().value.claim(Fate::returned), id);
    }
    return held;
  }
}

// Receives `n` messages and checks they are ids first, first + 1, ...
template <class Rx> void receive_in_order(Rx& rx, int first, int n) {
  for (int i = 0; i < n; ++i) {
    auto r = rx.recv_timeout(long_timeout);
    ASSERT_TRUE(r) << "message " << first + i << " never arrived";
    EXPECT_EQ(r->claim(Fate::received), first + i);
  }
}

// Checks that the channel holds nothing (without throwing if it does).
template <class Rx> void expect_empty(Rx& rx) {
  EXPECT_EQ(rx.size(), 0u);
  auto r = rx.try_recv();
  EXPECT_FALSE(r) << "try_recv got a message nobody sent";
  if (!r) EXPECT_EQ(r.error(), TryRecvError::empty);
}

// Whether a send on a channel holding `held` messages has to wait for a
// receiver.
template <class F> bool send_must_wait(int held) {
  return F::capacity != never_full &&
         static_cast<std::size_t>(held) >= F::capacity;
}

// After a timed-out send, a blocking send returns once its message is
// received (it used to block forever on the rendezvous channel).
TYPED_TEST(ChannelInterleave, send_after_timed_out_send_returns_when_received) {
  using F = TypeParam;
  run_interleaving([](int& next) {
    auto [tx, rx] = F::make();
    int held = fill<F>(tx, next);
    held = time_out_one_send<F>(tx, next, held);
    EXPECT_EQ(rx.size(), static_cast<std::size_t>(held));
    std::atomic<bool> returned{false};
    const int id = next++;
    std::thread sender([&tx, &returned, id] {
      EXPECT_TRUE(tx.send(Msg(id)));
      returned = true;
    });
    // The first `held` ids went in before the timed-out one (which the
    // unbounded channel kept).
    const int first = 0;
    receive_in_order(rx, first, held);
    auto last = rx.recv_timeout(long_timeout);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->claim(Fate::received), id);
    sender.join();
    EXPECT_TRUE(returned.load());
    expect_empty(rx);
  });
}

// After a timed-out send, a timed send whose message is received reports
// success, not a timeout handing back the delivered message; and the channel
// holds nothing afterwards (its size used to wrap to SIZE_MAX and try_recv to
// return messages nobody sent).
TYPED_TEST(ChannelInterleave, timed_send_after_timed_out_send_is_not_returned) {
  using F = TypeParam;
  run_interleaving([](int& next) {
    auto [tx, rx] = F::make();
    int held = fill<F>(tx, next);
    held = time_out_one_send<F>(tx, next, held);
    const int id = next++;
    std::thread sender([&tx, id] {
      auto r = tx.send_timeout(Msg(id), long_timeout);
      EXPECT_TRUE(r);
      if (!r) r.error().value.claim(Fate::returned);
    });
    receive_in_order(rx, 0, held);
    auto last = rx.recv_timeout(long_timeout);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->claim(Fate::received), id);
    sender.join();
    expect_empty(rx);
    // Another timeout still hands back its own message, and only that.
    const int first = next;
    held = fill<F>(tx, next);
    held = time_out_one_send<F>(tx, next, held);
    receive_in_order(rx, first, held);
    expect_empty(rx);
  });
}

// After a timed-out send, a sender blocked until its message was received and
// then woken by the receiver's disconnection reports success, not a
// disconnection handing back the delivered message.
TYPED_TEST(ChannelInterleave, disconnect_after_delivery_is_not_a_failed_send) {
  using F = TypeParam;
  run_interleaving([](int& next) {
    auto [tx, rx_] = F::make();
    std::optional<decltype(rx_)> rx(std::move(rx_));
    int held = fill<F>(tx, next);
    held = time_out_one_send<F>(tx, next, held);
    const int id = next++;
    std::thread sender([&tx, id] {
      auto r = tx.send(Msg(id));
      EXPECT_TRUE(r);
      if (!r) r.error().value.claim(Fate::returned);
    });
    receive_in_order(*rx, 0, held);
    auto last = rx->recv_timeout(long_timeout);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->claim(Fate::received), id);
    rx.reset();  // wakes the sender if it still waits
    sender.join();
    // Now every send fails and hands its message back.
    const int after = next++;
    auto r = tx.send_timeout(Msg(after), 1ms);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().is_disconnected());
    EXPECT_EQ(r.error().value.claim(Fate::returned), after);
  });
}

// A sender blocked on a full (or rendezvous) channel after another send timed
// out is woken by the receiver's disconnection and gets its own message back;
// buffered messages die with the channel; destruction ends.
TYPED_TEST(ChannelInterleave, disconnect_wakes_sender_after_timed_out_send) {
  using F = TypeParam;
  run_interleaving([](int& next) {
    auto [tx, rx_] = F::make();
    std::optional<decltype(rx_)> rx(std::move(rx_));
    int held = fill<F>(tx, next);
    held = time_out_one_send<F>(tx, next, held);
    const int id = next++;
    if (!send_must_wait<F>(held)) {  // unbounded: nothing blocks
      EXPECT_TRUE(tx.send(Msg(id)));
      rx.reset();
      return;
    }
    std::atomic<bool> returned{false};
    std::thread sender([&tx, &returned, id] {
      auto r = tx.send(Msg(id));
      returned = true;
      ASSERT_FALSE(r);
      EXPECT_TRUE(r.error().value.claim(Fate::returned) == id);
    });
    std::this_thread::sleep_for(5ms);  // let it block (not synchronisation)
    EXPECT_FALSE(returned.load());
    rx.reset();
    sender.join();
  });
}

// A receive that times out leaves nothing behind either: the next message is
// received whole, once, and the sender returns.
TYPED_TEST(ChannelInterleave, recv_after_timed_out_recv_receives_once) {
  using F = TypeParam;
  run_interleaving([](int& next) {
    auto [tx, rx] = F::make();
    for (int round = 0; round < 3; ++round) {
      auto none = rx.recv_timeout(1ms);
      ASSERT_FALSE(none);
      EXPECT_EQ(none.error(), RecvTimeoutError::timeout);
      const int id = next++;
      std::thread sender([&tx, id] {
        auto r = tx.send_timeout(Msg(id), long_timeout);
        EXPECT_TRUE(r);
        if (!r) r.error().value.claim(Fate::returned);
      });
      auto got = rx.recv_timeout(long_timeout);
      ASSERT_TRUE(got);
      EXPECT_EQ(got->claim(Fate::received), id);
      sender.join();
      expect_empty(rx);
    }
  });
}

// Many timed-out sends in a row, each followed by a hand-off: the channel
// stays consistent however often a sender withdraws.
TYPED_TEST(ChannelInterleave, repeated_timeouts_and_handoffs) {
  using F = TypeParam;
  run_interleaving([](int& next) {
    auto [tx, rx] = F::make();
    for (int round = 0; round < 20; ++round) {
      const int first = next;
      int held = fill<F>(tx, next);
      held = time_out_one_send<F>(tx, next, held);
      held = time_out_one_send<F>(tx, next, held);
      const int id = next++;
      std::thread sender([&tx, id] {
        auto r = tx.send(Msg(id));
        EXPECT_TRUE(r);
      });
      // The unbounded channel kept the "timed-out" ones, which come in order.
      receive_in_order(rx, first, held);
      auto last = rx.recv_timeout(long_timeout);
      ASSERT_TRUE(last);
      EXPECT_EQ(last->claim(Fate::received), id);
      sender.join();
      ASSERT_EQ(rx.size(), 0u) << "round " << round;
    }
  });
}

// ---------------------------------------------------------------------------
// ChannelModel: random single-threaded operations against a reference queue
// ---------------------------------------------------------------------------
//
// One thread runs the operations, so every outcome is determined by the
// reference queue: a send succeeds iff the queue has room (never, for the
// rendezvous channel, with nobody receiving) and a receive gets the queue's
// front. The operations that need a peer (a rendezvous hand-off, a send into
// a full channel) start a helper thread for that one operation, whose outcome
// is just as determined.

template <class F> class ChannelModel : public testing::Test {
 protected:
  void SetUp() override { Ledger::reset(); }
};
TYPED_TEST_SUITE(ChannelModel, Flavours, FlavourName);

template <class F> class Model {
 public:
  using Pair = decltype(F::make());
  using Tx = typename Pair::first_type;
  using Rx = typename Pair::second_type;

  Model(Random& rnd, int first_id)
      : rnd_(rnd), first_id_(first_id), next_id_(first_id) {
    auto [tx, rx] = F::make();
    txs_.push_back(std::move(tx));
    rx_.emplace(std::move(rx));
  }

  int next_id() const { return next_id_; }
  const std::vector<std::optional<Fate>>& fates() const { return fates_; }

  // Runs one random operation and checks its outcome and the size after it.
  void step(int op_index) {
    SCOPED_TRACE("operation " + std::to_string(op_index));
    const bool can_send = !txs_.empty();
    switch (rnd_.below(12)) {
      case 0:
      case 1:
        if (can_send) try_send();
        break;
      case 2:
      case 3:
        if (can_send) send_timeout();
        break;
      case 4:
        if (can_send) blocking_send();
        break;
      case 5:
        if (can_send) handoff_to_peer();
        break;
      case 6:
        if (can_send) handoff_from_peer();
        break;
      case 7:
      case 8: try_recv(); break;
      case 9: recv_timeout(); break;
      case 10:
        if constexpr (F::multi) {
          if (can_send && txs_.size() < 3 && rnd_.one_in(2)) {
            txs_.push_back(txs_.front());  // another producer
            break;
          }
        }
        if (can_send && rnd_.one_in(4)) drop_sender();
        break;
      default:
        if (rx_ && rnd_.one_in(6)) drop_receiver();
        break;
    }
    check_size();
  }

  // Destroys the channel: the messages it still holds die with it.
  void finish() {
    for (int id : queue_) settle(id, Fate::dropped);
    queue_.clear();
    txs_.clear();
    rx_.reset();
  }

 private:
  bool has_room() const { return rx_ && queue_.size() < F::capacity; }
  int new_id() {
    fates_.emplace_back();
    return next_id_++;
  }
  void settle(int id, Fate f) {
    fates_[static_cast<std::size_t>(id - first_id_)] = f;
  }
  Tx& some_sender() {
    return txs_[static_cast<std::size_t>(
        rnd_.below(static_cast<int>(txs_.size())))];
  }
  // Takes a message the channel handed back from an error.
  void take_back(Msg& m, int id) {
    EXPECT_EQ(m.claim(Fate::returned), id);
    settle(id, Fate::returned);
  }
  void take_received(Msg& m) {
    ASSERT_FALSE(queue_.empty()) << "received a message nobody sent";
    const int want = queue_.front();
    queue_.pop_front();
    EXPECT_EQ(m.claim(Fate::received), want);
    settle(want, Fate::received);
  }

  void try_send() {
    const int id = new_id();
    auto r = some_sender().try_send(Msg(id));
    if (has_room()) {
      ASSERT_TRUE(r) << "try_send failed with room for the message";
      queue_.push_back(id);
      return;
    }
    ASSERT_FALSE(r) << "try_send succeeded without room";
    EXPECT_EQ(r.error().is_disconnected(), !rx_);
    take_back(r.error().value, id);
  }

  void send_timeout() {
    const int id = new_id();
    auto r = some_sender().send_timeout(Msg(id), rnd_.short_timeout(300));
    if (has_room()) {
      ASSERT_TRUE(r) << "send_timeout failed with room for the message";
      queue_.push_back(id);
      return;
    }
    ASSERT_FALSE(r) << "send_timeout succeeded without room or receiver";
    EXPECT_EQ(r.error().is_disconnected(), !rx_);
    EXPECT_EQ(r.error().is_timeout(), static_cast<bool>(rx_));
    take_back(r.error().value, id);
  }

  // A blocking send, only where it cannot block: with room, or with the
  // receiver gone.
  void blocking_send() {
    if (rx_ && !has_room()) return;
    const int id = new_id();
    auto r = some_sender().send(Msg(id));
    if (rx_) {
      ASSERT_TRUE(r);
      queue_.push_back(id);
      return;
    }
    ASSERT_FALSE(r);
    take_back(r.error().value, id);
  }

  // This thread sends (send, send_timeout or try_send until it succeeds)
  // while a peer receives one message, which is the queue's front once this
  // one has joined it. The send returns: with room at once, without room once
  // the peer has taken the front.
  void handoff_to_peer() {
    if (!rx_) return;
    const int id = new_id();
    Rx& rx = *rx_;
    std::optional<Msg> got;
    std::thread peer([&rx, &got] {
      auto r = rx.recv_timeout(long_timeout);
      EXPECT_TRUE(r) << "the peer received nothing";
      if (r) got.emplace(std::move(*r));
    });
    Tx& tx = some_sender();
    switch (rnd_.below(3)) {
      case 0: {
        auto r = tx.send(Msg(id));
        EXPECT_TRUE(r);
        if (!r) take_back(r.error().value, id);
        break;
      }
      case 1: {
        auto r = tx.send_timeout(Msg(id), long_timeout);
        EXPECT_TRUE(r);
        if (!r) take_back(r.error().value, id);
        break;
      }
      default: {
        Msg m(id);
        const auto give_up = std::chrono::steady_clock::now() + long_timeout;
        for (;;) {
          auto r = tx.try_send(std::move(m));
          if (r) break;
          EXPECT_TRUE(r.error().is_full());
          m = std::move(r.error().value);
          if (std::chrono::steady_clock::now() > give_up) {
            ADD_FAILURE() << "try_send never found room or a receiver";
            take_back(m, id);
            break;
          }
          std::this_thread::yield();
        }
      }
    }
    peer.join();
    queue_.push_back(id);
    ASSERT_TRUE(got.has_value());
    take_received(*got);
  }

  // A peer sends one message (blocking, or with a long timeout) while this
  // thread receives (recv, recv_timeout or try_recv until it succeeds): it
  // gets the queue's front once the peer's message has joined it.
  void handoff_from_peer() {
    if (!rx_) return;
    const int id = new_id();
    Tx& tx = some_sender();
    const bool timed = rnd_.one_in(2);
    std::thread peer([&tx, id, timed] {
      if (timed) {
        auto r = tx.send_timeout(Msg(id), long_timeout);
        EXPECT_TRUE(r);
        if (!r) r.error().value.claim(Fate::returned);
      } else {
        auto r = tx.send(Msg(id));
        EXPECT_TRUE(r);
        if (!r) r.error().value.claim(Fate::returned);
      }
    });
    std::optional<Msg> got;
    switch (rnd_.below(3)) {
      case 0: {
        auto r = rx_->recv();
        if (r) got.emplace(std::move(*r));
        break;
      }
      case 1: {
        auto r = rx_->recv_timeout(long_timeout);
        if (r) got.emplace(std::move(*r));
        break;
      }
      default: {
        const auto give_up = std::chrono::steady_clock::now() + long_timeout;
        while (!got && std::chrono::steady_clock::now() < give_up) {
          auto r = rx_->try_recv();
          if (r) {
            got.emplace(std::move(*r));
          } else {
            EXPECT_EQ(r.error(), TryRecvError::empty);
            std::this_thread::yield();
          }
        }
      }
    }
    peer.join();
    queue_.push_back(id);
    ASSERT_TRUE(got.has_value()) << "nothing received from the peer";
    take_received(*got);
  }

  void try_recv() {
    if (!rx_) return;
    auto r = rx_->try_recv();
    if (!queue_.empty()) {
      ASSERT_TRUE(r) << "try_recv failed with " << queue_.size() << " queued";
      take_received(*r);
      return;
    }
    ASSERT_FALSE(r) << "try_recv got a message nobody sent";
    EXPECT_EQ(r.error(),
              txs_.empty() ? TryRecvError::disconnected : TryRecvError::empty);
  }

  void recv_timeout() {
    if (!rx_) return;
    auto r = rx_->recv_timeout(rnd_.short_timeout(300));
    if (!queue_.empty()) {
      ASSERT_TRUE(r) << "recv_timeout failed with " << queue_.size()
                     << " queued";
      take_received(*r);
      return;
    }
    ASSERT_FALSE(r) << "recv_timeout got a message nobody sent";
    EXPECT_EQ(r.error(), txs_.empty() ? RecvTimeoutError::disconnected
                                      : RecvTimeoutError::timeout);
  }

  void drop_sender() {
    txs_.erase(txs_.begin() + rnd_.below(static_cast<int>(txs_.size())));
  }

  // The channel destroys what it holds now (the SPSC one when its last
  // endpoint goes: finish()).
  void drop_receiver() {
    rx_.reset();
    if constexpr (F::multi) {
      for (int id : queue_) settle(id, Fate::dropped);
      queue_.clear();
    }
  }

  void check_size() {
    if (rx_) {
      ASSERT_EQ(rx_->size(), queue_.size());
    }
  }

  Random& rnd_;
  const int first_id_;
  int next_id_;
  std::vector<Tx> txs_;
  std::optional<Rx> rx_;
  std::deque<int> queue_;  // ids the channel holds, oldest first
  std::vector<std::optional<Fate>> fates_;  // by id - first_id_
};

TYPED_TEST(ChannelModel, random_operations_match_a_queue) {
  using F = TypeParam;
  const std::uint32_t seed = stress_seed();
  run_within(scenario_limit, [seed] {
    Random rnd(seed);
    int tally[4] = {};
    int next = 0;
    for (int episode = 0; episode < 200 && !testing::Test::HasFatalFailure();
         ++episode) {
      SCOPED_TRACE("episode " + std::to_string(episode));
      const int first = next;
      Model<F> model(rnd, first);
      const int ops = 10 + rnd.below(40);
      for (int i = 0; i < ops && !testing::Test::HasFatalFailure(); ++i)
        model.step(i);
      model.finish();
      for (const auto& f : model.fates()) ++tally[f ? static_cast<int>(*f) : 3];
      next = model.next_id();
      if (next >= Ledger::max_ids) break;
      expect_settled_once(first, next, &model.fates());
    }
    // The random mix did exercise both outcomes of a send (and every id
    // had a fate).
    EXPECT_GT(tally[static_cast<int>(Fate::received)], 0);
    EXPECT_GT(tally[static_cast<int>(Fate::returned)], 0);
    EXPECT_EQ(tally[3], 0);
  });
  report_seed_on_failure(seed);
}

// ---------------------------------------------------------------------------
// ChannelStress: producers and consumers with random timeouts
// ---------------------------------------------------------------------------

template <class F> class ChannelStress : public testing::Test {
 protected:
  void SetUp() override { Ledger::reset(); }
};
TYPED_TEST_SUITE(ChannelStress, Flavours, FlavourName);

struct StressShape {
  int producers;
  int consumers;
  int per_producer;
  bool drop_receiver_early;  // consumers stop early; the receiver goes away
};

// Producers send ids p * per_producer + i with a random send, send_timeout
// (0-200 us) or try_send, settling each failure as returned; consumers use
// recv_timeout (0-200 us), try_recv or (unless the receiver is to go away
// early) recv. Afterwards every id was received, returned or (only when the
// receiver went away early) dropped, exactly once, and each consumer got
// each producer's messages in the order they were sent.
template <class F> void run_stress(std::uint32_t seed, StressShape shape) {
  auto [tx_, rx_] = F::make();
  std::optional<decltype(tx_)> tx(std::move(tx_));
  std::optional<decltype(rx_)> rx(std::move(rx_));
  const int total = shape.producers * shape.per_producer;
  // Stop receiving after about half the messages when the receiver is to go.
  const int quota = shape.drop_receiver_early ? total / 2 : total;
  std::atomic<int> received{0};
  std::atomic<int> producers_done{0};

  std::vector<std::thread> producers;
  for (int p = 0; p < shape.producers; ++p) {
    auto run = [p, seed, shape, &producers_done](auto sender) {
      Random rnd(seed + 1000 * static_cast<std::uint32_t>(p) + 1);
      for (int i = 0; i < shape.per_producer; ++i) {
        const int id = p * shape.per_producer + i;
        switch (rnd.below(3)) {
          case 0: {
            auto r = sender.send(Msg(id));
            if (!r) {
              EXPECT_TRUE(shape.drop_receiver_early) << "send failed";
              EXPECT_EQ(r.error().value.claim(Fate::returned), id);
            }
            break;
          }
          case 1: {
            auto r = sender.send_timeout(Msg(id), rnd.short_timeout(200));
            if (!r) {
              EXPECT_TRUE(r.error().is_timeout() || shape.drop_receiver_early);
              EXPECT_EQ(r.error().value.claim(Fate::returned), id);
            }
            break;
          }
          default: {
            auto r = sender.try_send(Msg(id));
            if (!r) {
              EXPECT_TRUE(r.error().is_full() || shape.drop_receiver_early);
              EXPECT_EQ(r.error().value.claim(Fate::returned), id);
            }
          }
        }
      }
      producers_done.fetch_add(1);
    };
    if constexpr (F::multi) {
      producers.emplace_back(run, *tx);  // a copy of the Sender each
    } else {
      producers.emplace_back(run, std::move(*tx));  // the only one
    }
  }
  tx.reset();  // the producers' copies are the last ones

  // Each consumer returns the ids it received, in order.
  auto consume = [seed, shape, quota, &received](int c, auto& from) {
    std::vector<int> mine;
    Random rnd(seed + 7919 * static_cast<std::uint32_t>(c) + 2);
    while (received.load() < quota) {
      std::optional<Msg> m;
      bool disconnected = false;
      switch (rnd.below(shape.drop_receiver_early ? 2 : 3)) {
        case 0: {
          auto r = from.recv_timeout(rnd.short_timeout(200));
          if (r) m.emplace(std::move(*r));
          disconnected = !r && r.error() == RecvTimeoutError::disconnected;
          break;
        }
        case 1: {
          auto r = from.try_recv();
          if (r) m.emplace(std::move(*r));
          disconnected = !r && r.error() == TryRecvError::disconnected;
          if (!r && !disconnected) std::this_thread::yield();
          break;
        }
        default: {
          auto r = from.recv();
          if (r) m.emplace(std::move(*r));
          disconnected = !r;
        }
      }
      if (m) {
        mine.push_back(m->claim(Fate::received));
        received.fetch_add(1);
      }
      if (disconnected) break;
    }
    return mine;
  };
  std::vector<std::future<std::vector<int>>> consumers;
  for (int c = 0; c < shape.consumers; ++c) {
    if constexpr (F::multi) {  // all share the Receiver (it is Sync)
      consumers.push_back(
          std::async(std::launch::async,
                     [c, &consume, &from = *rx] { return consume(c, from); }));
    } else {  // the only consumer owns it
      consumers.push_back(std::async(
          std::launch::async, [c, &consume, from = std::move(*rx)]() mutable {
            return consume(c, from);
          }));
    }
  }
  std::vector<std::vector<int>> got;
  for (auto& f : consumers) got.push_back(f.get());
  rx.reset();  // early: wakes blocked producers, which get their messages back
  for (auto& t : producers) t.join();
  EXPECT_EQ(producers_done.load(), shape.producers);

  // Each consumer saw each producer's messages in sending order.
  for (const auto& mine : got) {
    std::vector<int> last(static_cast<std::size_t>(shape.producers), -1);
    for (int id : mine) {
      auto& l = last[static_cast<std::size_t>(id / shape.per_producer)];
      EXPECT_GT(id, l) << "out of order";
      l = id;
    }
  }
  int settled_received = 0;
  for (int id = 0; id < total; ++id)
    settled_received += Ledger::count(id, Fate::received);
  EXPECT_EQ(received.load(), settled_received);
}

template <class F> StressShape shape_for(bool drop_early) {
  if constexpr (F::multi) return {4, 3, 3000, drop_early};
  return {1, 1, 20000, drop_early};
}

// Rounds of run_stress, each with a fresh channel and seed; a round that does
// not finish in time fails the test and ends it.
inline constexpr int stress_rounds = 8;

template <class F> void stress_rounds_of(StressShape shape) {
  const std::uint32_t seed = stress_seed();
  const int total = shape.producers * shape.per_producer;
  for (int round = 0; round < stress_rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    Ledger::reset();
    const std::uint32_t round_seed =
        seed + 104729 * static_cast<std::uint32_t>(round);
    if (!run_within(scenario_limit,
                    [round_seed, shape] { run_stress<F>(round_seed, shape); }))
      break;
    expect_settled_once(0, total);
    if (!shape.drop_receiver_early) {
      for (int id = 0; id < total; ++id)
        ASSERT_EQ(Ledger::count(id, Fate::dropped), 0) << "message " << id;
    }
    if (testing::Test::HasFailure()) break;
  }
  report_seed_on_failure(seed);
}

TYPED_TEST(ChannelStress, every_message_received_or_returned_once) {
  stress_rounds_of<TypeParam>(shape_for<TypeParam>(false));
}

TYPED_TEST(ChannelStress, receiver_gone_mid_stream_settles_every_message) {
  stress_rounds_of<TypeParam>(shape_for<TypeParam>(true));
}


// ---------------------------------------------------------------------------
// ArrayRing: the lock-free ring of sync_channel(n), n > 0
// ---------------------------------------------------------------------------
//
// Capacities that are not powers of two (the ring's positions are `lap |
// index` with the lap starting at the next power of two above n) and one
// that the benchmarks use.

class ArrayRing : public testing::TestWithParam<std::size_t> {
 protected:
  void SetUp() override { Ledger::reset(); }
};

TEST_P(ArrayRing, laps_keep_order_and_size) {
  const std::size_t cap = GetParam();
  auto [tx, rx] = sendsync::sync_channel<Msg>(cap);
  int next = 0, expect = 0;
  // Fill and drain by uneven amounts, so that head and tail wrap at every
  // offset, many laps over.
  for (int round = 0; round < 200; ++round) {
    const std::size_t put = 1 + static_cast<std::size_t>(round) % cap;
    for (std::size_t i = 0; i < put; ++i)
      ASSERT_TRUE(tx.try_send(Msg(next++)));
    ASSERT_EQ(tx.size(), put);
    if (put == cap) {
      auto full = tx.try_send(Msg(next++));
      ASSERT_FALSE(full);
      ASSERT_TRUE(full.error().is_full());
      full.error().value.claim(Fate::returned);
    }
    for (std::size_t i = 0; i < put; ++i) {
      auto r = rx.try_recv();
      ASSERT_TRUE(r);
      int id = r->claim(Fate::received);
      while (Ledger::count(expect, Fate::returned) == 1) ++expect;
      ASSERT_EQ(id, expect++);
    }
    ASSERT_EQ(rx.size(), 0u);
    ASSERT_EQ(rx.try_recv().error(), TryRecvError::empty);
  }
  expect_settled_once(0, next);
}

// Blocking send and recv only: 4 producers and 4 consumers on 2 cores keep
// the ring full and empty by turns, so every parking path runs.
TEST_P(ArrayRing, stress_blocking_producers_and_consumers) {
  const std::size_t cap = GetParam();
  constexpr int producers = 4, consumers = 4, per = 5000;
  ASSERT_TRUE(run_within(scenario_limit, [cap] {
    auto [tx, rx] = sendsync::sync_channel<Msg>(cap);
    std::vector<std::thread> ps;
    for (int p = 0; p < producers; ++p)
      ps.emplace_back([p, tx = tx] {
        for (int i = 0; i < per; ++i) EXPECT_TRUE(tx.send(Msg(p * per + i)));
      });
    { auto gone = std::move(tx); }  // the producers hold the last Senders
    std::vector<std::future<std::vector<int>>> cs;
    for (int c = 0; c < consumers; ++c)
      cs.push_back(std::async(std::launch::async, [&rx = rx] {
        std::vector<int> mine;
        for (auto&& m : rx) mine.push_back(m.claim(Fate::received));
        return mine;
      }));
    for (auto& t : ps) t.join();
    for (auto& f : cs) {
      // Each consumer saw each producer's messages in sending order.
      std::array<int, producers> last;
      last.fill(-1);
      for (int id : f.get()) {
        EXPECT_GT(id, last[static_cast<std::size_t>(id / per)]);
        last[static_cast<std::size_t>(id / per)] = id;
      }
    }
  }));
  expect_settled_once(0, producers * per);
}

// Senders go away at random points while consumers block in recv(): the
// consumers get every message sent, then `disconnected`, none stays blocked.
TEST_P(ArrayRing, senders_leave_mid_stream) {
  const std::size_t cap = GetParam();
  constexpr int producers = 3, per = 3000;
  const std::uint32_t seed = stress_seed();
  auto sent = std::make_shared<std::array<std::atomic<int>, producers>>();
  ASSERT_TRUE(run_within(scenario_limit, [cap, seed, sent] {
    auto [tx, rx] = sendsync::sync_channel<Msg>(cap);
    std::vector<std::thread> ps;
    for (int p = 0; p < producers; ++p)
      ps.emplace_back([p, seed, sent, tx = tx]() mutable {
        Random rnd(seed + static_cast<std::uint32_t>(p));
        const int stop = rnd.below(per);
        for (int i = 0; i < stop; ++i) {
          ASSERT_TRUE(tx.send(Msg(p * per + i)));
          (*sent)[static_cast<std::size_t>(p)].fetch_add(1);
        }
      });  // tx dies here, mid-stream for the others
    { auto gone = std::move(tx); }
    std::vector<std::thread> cs;
    for (int c = 0; c < 2; ++c)
      cs.emplace_back([&rx = rx] {
        for (;;) {
          auto r = rx.recv();
          if (!r) return;
          r->claim(Fate::received);
        }
      });
    for (auto& t : ps) t.join();
    for (auto& t : cs) t.join();
    EXPECT_EQ(rx.try_recv().error(), TryRecvError::disconnected);
  }));
  for (int p = 0; p < producers; ++p) {
    const int n = (*sent)[static_cast<std::size_t>(p)].load();
    expect_settled_once(p * per, p * per + n);
    for (int i = 0; i < n; ++i)
      ASSERT_EQ(Ledger::count(p * per + i, Fate::received), 1);
  }
  report_seed_on_failure(seed);
}

// The receiver goes away while producers are blocked on a full ring and
// others are mid-send: every message is received, handed back, or destroyed
// with the channel, exactly once; none is lost or duplicated.
TEST_P(ArrayRing, receiver_dropped_with_messages_in_flight) {
  const std::size_t cap = GetParam();
  constexpr int producers = 4, per = 4000;
  for (int round = 0; round < 5; ++round) {
    Ledger::reset();
    ASSERT_TRUE(run_within(scenario_limit, [cap, round] {
      auto [tx, rx_] = sendsync::sync_channel<Msg>(cap);
      std::optional<sendsync::Receiver<Msg>> rx(std::move(rx_));
      std::vector<std::thread> ps;
      for (int p = 0; p < producers; ++p)
        ps.emplace_back([p, tx = tx] {
          for (int i = 0; i < per; ++i) {
            auto r = tx.send(Msg(p * per + i));
            if (!r) r.error().value.claim(Fate::returned);
          }
        });
      { auto gone = std::move(tx); }
      for (int i = 0; i < 500 * (round + 1); ++i) {
        auto r = rx->recv();
        ASSERT_TRUE(r);
        r->claim(Fate::received);
      }
      rx.reset();  // ring full or nearly, producers blocked or mid-send
      for (auto& t : ps) t.join();
    }));
    expect_settled_once(0, producers * per);
    if (HasFailure()) return;
  }
}

// Lets a just-started thread reach its blocking call (not synchronisation:
// the tests pass either way, the pause only makes the parked path likely).
void sendsync_test_pause() {
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

// A message whose move constructor throws: send() throws (the message dies
// with its argument), the slot it had claimed is skipped by the next
// receive, and the channel keeps working, losing or duplicating nothing.
struct Fragile {
  static inline std::atomic<int> fail_in{0};  // the n-th move from now throws
  static inline std::atomic<int> live{0};
  int id;
  explicit Fragile(int i) : id(i) { ++live; }
  Fragile(Fragile&& o) : id(o.id) {
    if (fail_in.load() > 0 && fail_in.fetch_sub(1) == 1)
      throw std::runtime_error("move");
    ++live;
  }
  Fragile(const Fragile&) = delete;
  Fragile& operator=(Fragile&& o) noexcept {
    id = o.id;
    return *this;
  }
  ~Fragile() { --live; }
};

TEST_P(ArrayRing, throwing_move_loses_nothing) {
  const int before = Fragile::live.load();
  {
    auto [tx, rx] = sendsync::sync_channel<Fragile>(GetParam());
    for (int round = 0; round < 3; ++round) {
      ASSERT_TRUE(tx.send(Fragile(1)));
      auto a = rx.recv();
      ASSERT_TRUE(a);
      EXPECT_EQ(a->id, 1);
      // The argument is made in place (a prvalue): the first move is the one
      // into the slot.
      Fragile::fail_in = 1;
      EXPECT_THROW((void)tx.send(Fragile(2)), std::runtime_error);
      Fragile::fail_in = 0;
      // The claimed slot was published empty: a receive skips it.
      EXPECT_EQ(rx.try_recv().error(), TryRecvError::empty);
      ASSERT_TRUE(tx.send(Fragile(3)));
      auto b = rx.recv();
      ASSERT_TRUE(b);
      EXPECT_EQ(b->id, 3);
      EXPECT_EQ(rx.try_recv().error(), TryRecvError::empty);
    }
  }
  EXPECT_EQ(Fragile::live.load(), before);
}

// The empty slot of a failed send must not strand anyone: with the receiver
// parked on an empty ring, a send whose move throws, then a good send (which
// finds the ring full while the empty slot is in it at capacity 1), must
// still reach the receiver.
TEST_P(ArrayRing, throwing_move_wakes_parked_receiver) {
  const int before = Fragile::live.load();
  ASSERT_TRUE(run_within(scenario_limit, [cap = GetParam()] {
    auto [tx, rx] = sendsync::sync_channel<Fragile>(cap);
    auto got = std::async(std::launch::async, [&rx = rx] {
      auto r = rx.recv();
      return r ? r->id : -1;
    });
    sendsync_test_pause();
    Fragile::fail_in = 1;
    EXPECT_THROW((void)tx.send(Fragile(2)), std::runtime_error);
    Fragile::fail_in = 0;
    ASSERT_TRUE(tx.send(Fragile(3)));
    EXPECT_EQ(got.get(), 3);
  }));
  EXPECT_EQ(Fragile::live.load(), before);
}

// Long enough for a thread just released to spin out and park (the spin
// lasts microseconds). Not synchronisation: the tests below pass either way.
void park_pause() { std::this_thread::sleep_for(std::chrono::milliseconds(2)); }

// Receivers parked on an empty channel, then one message per receiver sent
// in a burst, round after round: every message is received. A waker
// uncounts the sleeper it woke (waker.h, wait_side), so that the burst's
// later sends wake the other sleepers instead of calling again for the
// first; were that count ever short of the threads asleep, a message would
// sit in the channel with every receiver asleep, and run_within would
// report it. Last, the sender goes while the receivers are parked: each
// sees the disconnection.
template <class Make> void burst_wakes_every_parked_receiver(Make make) {
  constexpr int receivers = 4, rounds = 40;
  ASSERT_TRUE(run_within(scenario_limit, [make] {
    auto [tx, rx] = make();
    std::atomic<int> received{0};
    std::vector<std::future<int>> rs;
    for (int r = 0; r < receivers; ++r)
      rs.push_back(std::async(std::launch::async, [&rx = rx, &received] {
        int mine = 0;
        for (auto r = rx.recv(); r; r = rx.recv()) {
          r->claim(Fate::received);
          ++mine;
          received.fetch_add(1);
        }
        return mine;
      }));
    int next = 0;
    for (int round = 0; round < rounds; ++round) {
      park_pause();
      // Blocking sends: a ring smaller than the burst fills up, and the
      // sender parks in turn until a receiver frees a slot.
      for (int i = 0; i < receivers; ++i) EXPECT_TRUE(tx.send(Msg(next++)));
      while (received.load() < next) std::this_thread::yield();
    }
    park_pause();
    { auto gone = std::move(tx); }
    int total = 0;
    for (auto& f : rs) total += f.get();
    EXPECT_EQ(total, next);
  }));
  expect_settled_once(0, receivers * rounds);
}

TEST_P(ArrayRing, burst_wakes_every_parked_receiver) {
  burst_wakes_every_parked_receiver(
      [cap = GetParam()] { return sendsync::sync_channel<Msg>(cap); });
}

// The senders' side of the same: senders parked on a full ring, then the
// receiver drains it in a burst, round after round; last, the receiver goes
// while they are parked, and each gets its message back.
TEST_P(ArrayRing, burst_wakes_every_parked_sender) {
  constexpr int senders = 4, rounds = 40;
  ASSERT_TRUE(run_within(scenario_limit, [cap = GetParam()] {
    auto [tx, rx] = sendsync::sync_channel<Msg>(cap);
    std::atomic<int> next{0}, go{0}, sent{0};
    std::vector<std::thread> ss;
    for (int s = 0; s < senders; ++s)
      ss.emplace_back([tx = tx, &next, &go, &sent] {
        for (int round = 0; round <= rounds; ++round) {
          while (go.load() <= round) std::this_thread::yield();
          auto r = tx.send(Msg(next.fetch_add(1)));
          if (!r) r.error().value.claim(Fate::returned);
          sent.fetch_add(1);
        }
      });
    auto fill = [&] {
      for (std::size_t i = 0; i < cap; ++i)
        EXPECT_TRUE(tx.try_send(Msg(next.fetch_add(1))));
    };
    for (int round = 0; round < rounds; ++round) {
      fill();
      go.store(round + 1);
      park_pause();
      for (std::size_t i = 0; i < cap + senders; ++i) {
        auto r = rx.recv();
        ASSERT_TRUE(r);
        r->claim(Fate::received);
      }
      while (sent.load() < (round + 1) * senders) std::this_thread::yield();
    }
    fill();
    go.store(rounds + 1);
    park_pause();
    { auto gone = std::move(rx); }
    for (auto& t : ss) t.join();
    EXPECT_EQ(sent.load(), (rounds + 1) * senders);
  }));
  expect_settled_once(0, static_cast<int>((GetParam() + senders) *
                                          (rounds + 1)));
}

// The unbounded channel's list of blocks (31 slots each): the block
// boundaries, where a send installs the next block and a receive moves the
// head to it and frees the old one, under order, size, throwing moves and
// drops with messages buffered in several blocks.
TEST(ListBlocks, burst_wakes_every_parked_receiver) {
  Ledger::reset();
  burst_wakes_every_parked_receiver([] { return sendsync::channel<Msg>(); });
}

TEST(ListBlocks, blocks_keep_order_and_size) {
  auto [tx, rx] = sendsync::channel<int>();
  int next_sent = 0, next_received = 0;
  // Uneven bursts, so that the head and tail meet block ends at every offset.
  for (int burst = 1; burst < 80; burst += 7) {
    for (int i = 0; i < burst * 3; ++i) {
      ASSERT_TRUE(tx.send(next_sent++));
      ASSERT_EQ(tx.size(), std::size_t(next_sent - next_received));
    }
    for (int i = 0; i < burst * 2; ++i) {
      auto r = rx.try_recv();
      ASSERT_TRUE(r);
      ASSERT_EQ(*r, next_received++);
      ASSERT_EQ(rx.size(), std::size_t(next_sent - next_received));
    }
  }
  while (next_received < next_sent) ASSERT_EQ(*rx.recv(), next_received++);
  EXPECT_EQ(rx.try_recv().error(), TryRecvError::empty);
  EXPECT_EQ(rx.size(), 0u);
}

TEST(ListBlocks, throwing_move_loses_nothing) {
  const int before = Fragile::live.load();
  {
    auto [tx, rx] = sendsync::channel<Fragile>();
    int expected = 0;
    // Every third send throws: empty slots fall at every offset of a block,
    // the last one (whose send installs the next block) included.
    for (int i = 0; i < 200; ++i) {
      if (i % 3 == 2) {
        Fragile::fail_in = 1;
        EXPECT_THROW((void)tx.send(Fragile(i)), std::runtime_error);
        Fragile::fail_in = 0;
      } else {
        ASSERT_TRUE(tx.send(Fragile(i)));
      }
      if (i % 5 == 4) {
        // Drain: the empty slots are skipped, the rest come in order.
        while (auto r = rx.try_recv()) {
          while (expected % 3 == 2) ++expected;
          EXPECT_EQ(r->id, expected++);
        }
      }
    }
    // A message whose move out of the slot throws dies there; the channel
    // goes on.
    ASSERT_TRUE(tx.send(Fragile(1000)));
    ASSERT_TRUE(tx.send(Fragile(1001)));
    Fragile::fail_in = 1;
    EXPECT_THROW((void)rx.try_recv(), std::runtime_error);
    Fragile::fail_in = 0;
    auto r = rx.try_recv();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->id, 1001);
    // Messages left in several blocks die with the channel.
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(tx.send(Fragile(i)));
  }
  EXPECT_EQ(Fragile::live.load(), before);
}

TEST(ListBlocks, receiver_dropped_with_messages_in_flight) {
  constexpr int producers = 4, per = 4000;
  for (int round = 0; round < 5; ++round) {
    Ledger::reset();
    ASSERT_TRUE(run_within(scenario_limit, [round] {
      auto [tx, rx_] = sendsync::channel<Msg>();
      std::optional<sendsync::Receiver<Msg>> rx(std::move(rx_));
      std::vector<std::thread> ps;
      for (int p = 0; p < producers; ++p)
        ps.emplace_back([p, tx = tx] {
          for (int i = 0; i < per; ++i) {
            auto r = tx.send(Msg(p * per + i));
            if (!r) r.error().value.claim(Fate::returned);
          }
        });
      { auto gone = std::move(tx); }
      for (int i = 0; i < 500 * (round + 1); ++i) {
        auto r = rx->recv();
        ASSERT_TRUE(r);
        r->claim(Fate::received);
      }
      rx.reset();  // producers mid-send, messages buffered in many blocks
      for (auto& t : ps) t.join();
    }));
    expect_settled_once(0, producers * per);
    if (HasFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(Capacities, ArrayRing, testing::Values(1, 2, 3, 7, 256),
                         [](const auto& info) {
                           return "cap" + std::to_string(info.param);
                         });

}  // namespace
