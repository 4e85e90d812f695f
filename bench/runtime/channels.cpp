//===- bench/runtime/channels.cpp - Channels and their C++ peers ----------===//
//
// Scenarios (the Rust binary registers the same names):
//
//   {1p1c,4p1c,1p4c}-{bounded,unbounded}   throughput: `ops` messages in all,
//                                          split evenly between producers and
//                                          between consumers; ns per message
//   pingpong-{bounded,unbounded}           two channels, one message bounced
//                                          back and forth; ns per round trip
//
// Every implementation is wrapped in a small adapter, so the scenarios are
// written once:
//
//   C c(capacity);           capacity 0 = unbounded
//   auto tx = c.sender();    one per producer thread
//   auto rx = c.receiver();  one per consumer thread
//   tx.send(v);  v = rx.recv();
//
// Single-producer single-consumer queues register only the 1p1c and
// ping-pong scenarios; queues without a blocking operation are driven with a
// pause-then-yield loop (bench::backoff) and say so in their note.
//
//===----------------------------------------------------------------------===//
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/lockfree/spsc_queue.hpp>
#include <concurrentqueue/blockingconcurrentqueue.h>
#include <concurrentqueue/concurrentqueue.h>
#include <readerwriterqueue/readerwritercircularbuffer.h>
#include <readerwriterqueue/readerwriterqueue.h>
#include <tbb/concurrent_queue.h>

#include "harness.h"
#include "naive.h"
#include "sendsync/channel.h"

namespace bench {
namespace {

using msg = std::uint64_t;

// ---------------------------------------------------------------------------
// Adapters
// ---------------------------------------------------------------------------

struct naive_chan {
  explicit naive_chan(std::size_t capacity) : q(capacity) {}
  struct handle {
    naive_queue<msg>* q;
    void send(msg v) { q->push(v); }
    msg recv() { return q->pop(); }
  };
  handle sender() { return {&q}; }
  handle receiver() { return {&q}; }
  naive_queue<msg> q;
};

// channel() / sync_channel(n). Each producer gets its own copy of the
// Sender, as users write it; consumers share the Receiver by reference (it
// is Sync: recv() locks the channel).
struct sendsync_chan {
  explicit sendsync_chan(std::size_t capacity)
      : ends(capacity != 0 ? sendsync::sync_channel<msg>(capacity)
                           : sendsync::channel<msg>()) {}
  struct tx_handle {
    sendsync::Sender<msg> tx;
    void send(msg v) { (void)tx.send(v); }
  };
  struct rx_handle {
    const sendsync::Receiver<msg>* rx;
    msg recv() { return *rx->recv(); }
  };
  tx_handle sender() { return {ends.first}; }
  rx_handle receiver() { return {&ends.second}; }
  std::pair<sendsync::Sender<msg>, sendsync::Receiver<msg>> ends;
};

struct sendsync_spsc_chan {
  explicit sendsync_spsc_chan(std::size_t capacity)
      : ends(sendsync::spsc_channel<msg>(capacity)) {}
  struct tx_handle {
    sendsync::SpscSender<msg>* tx;
    void send(msg v) { (void)tx->send(v); }
  };
  struct rx_handle {
    sendsync::SpscReceiver<msg>* rx;
    msg recv() { return *rx->recv(); }
  };
  tx_handle sender() { return {&ends.first}; }
  rx_handle receiver() { return {&ends.second}; }
  std::pair<sendsync::SpscSender<msg>, sendsync::SpscReceiver<msg>> ends;
};

// moodycamel::BlockingReaderWriterQueue: unbounded SPSC, blocking dequeue
// (a semaphore), enqueue allocates a new block when full.
struct rwq_chan {
  explicit rwq_chan(std::size_t) : q(256) {}
  struct handle {
    moodycamel::BlockingReaderWriterQueue<msg>* q;
    void send(msg v) { q->enqueue(v); }
    msg recv() {
      msg v;
      q->wait_dequeue(v);
      return v;
    }
  };
  handle sender() { return {&q}; }
  handle receiver() { return {&q}; }
  moodycamel::BlockingReaderWriterQueue<msg> q;
};

// moodycamel::BlockingReaderWriterCircularBuffer: bounded SPSC, blocking on
// both sides.
struct rwcb_chan {
  explicit rwcb_chan(std::size_t capacity) : q(capacity) {}
  struct handle {
    moodycamel::BlockingReaderWriterCircularBuffer<msg>* q;
    void send(msg v) { q->wait_enqueue(v); }
    msg recv() {
      msg v;
      q->wait_dequeue(v);
      return v;
    }
  };
  handle sender() { return {&q}; }
  handle receiver() { return {&q}; }
  moodycamel::BlockingReaderWriterCircularBuffer<msg> q;
};

// moodycamel::ConcurrentQueue: unbounded MPMC, lock-free, no blocking
// dequeue: consumers poll with backoff. Producer and consumer tokens, as its
// documentation recommends for speed.
struct cq_chan {
  explicit cq_chan(std::size_t) {}
  struct tx_handle {
    moodycamel::ConcurrentQueue<msg>* q;
    moodycamel::ProducerToken tok;
    explicit tx_handle(moodycamel::ConcurrentQueue<msg>* queue)
        : q(queue), tok(*queue) {}
    void send(msg v) { q->enqueue(tok, v); }
  };
  struct rx_handle {
    moodycamel::ConcurrentQueue<msg>* q;
    moodycamel::ConsumerToken tok;
    explicit rx_handle(moodycamel::ConcurrentQueue<msg>* queue)
        : q(queue), tok(*queue) {}
    msg recv() {
      msg v;
      for (unsigned spins = 0; !q->try_dequeue(tok, v);) backoff(spins);
      return v;
    }
  };
  tx_handle sender() { return tx_handle(&q); }
  rx_handle receiver() { return rx_handle(&q); }
  moodycamel::ConcurrentQueue<msg> q;
};

// moodycamel::BlockingConcurrentQueue: the same queue plus a semaphore, so
// consumers block.
struct bcq_chan {
  explicit bcq_chan(std::size_t) {}
  struct tx_handle {
    moodycamel::BlockingConcurrentQueue<msg>* q;
    moodycamel::ProducerToken tok;
    explicit tx_handle(moodycamel::BlockingConcurrentQueue<msg>* queue)
        : q(queue), tok(*queue) {}
    void send(msg v) { q->enqueue(tok, v); }
  };
  struct rx_handle {
    moodycamel::BlockingConcurrentQueue<msg>* q;
    moodycamel::ConsumerToken tok;
    explicit rx_handle(moodycamel::BlockingConcurrentQueue<msg>* queue)
        : q(queue), tok(*queue) {}
    msg recv() {
      msg v;
      q->wait_dequeue(tok, v);
      return v;
    }
  };
  tx_handle sender() { return tx_handle(&q); }
  rx_handle receiver() { return rx_handle(&q); }
  moodycamel::BlockingConcurrentQueue<msg> q;
};

// boost::lockfree::spsc_queue: bounded SPSC ring, lock-free, neither side
// blocks: both poll with backoff.
struct boost_spsc_chan {
  explicit boost_spsc_chan(std::size_t capacity) : q(capacity) {}
  struct handle {
    boost::lockfree::spsc_queue<msg>* q;
    void send(msg v) {
      for (unsigned spins = 0; !q->push(v);) backoff(spins);
    }
    msg recv() {
      msg v;
      for (unsigned spins = 0; !q->pop(v);) backoff(spins);
      return v;
    }
  };
  handle sender() { return {&q}; }
  handle receiver() { return {&q}; }
  boost::lockfree::spsc_queue<msg> q;
};

// tbb::concurrent_bounded_queue: MPMC, blocking push (when a capacity is
// set) and pop; without set_capacity it is unbounded.
struct tbb_chan {
  explicit tbb_chan(std::size_t capacity) {
    if (capacity != 0) q.set_capacity(static_cast<std::ptrdiff_t>(capacity));
  }
  struct handle {
    tbb::concurrent_bounded_queue<msg>* q;
    void send(msg v) { q->push(v); }
    msg recv() {
      msg v;
      q->pop(v);
      return v;
    }
  };
  handle sender() { return {&q}; }
  handle receiver() { return {&q}; }
  tbb::concurrent_bounded_queue<msg> q;
};

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

template <class C>
double throughput(std::size_t ops, int producers, int consumers,
                  std::size_t capacity) {
  C chan(capacity);
  const std::size_t per_producer = ops / producers;
  const std::size_t per_consumer = ops / consumers;
  std::vector<std::function<void()>> bodies;
  for (int p = 0; p < producers; ++p)
    bodies.emplace_back([&chan, per_producer] {
      auto tx = chan.sender();
      for (std::size_t i = 0; i < per_producer; ++i) tx.send(i);
    });
  for (int c = 0; c < consumers; ++c)
    bodies.emplace_back([&chan, per_consumer] {
      auto rx = chan.receiver();
      msg sum = 0;
      for (std::size_t i = 0; i < per_consumer; ++i) sum += rx.recv();
      do_not_optimize(sum);
    });
  return run_parallel(std::move(bodies)) / static_cast<double>(ops);
}

template <class C> double ping_pong(std::size_t rounds, std::size_t capacity) {
  C ping(capacity), pong(capacity);
  std::vector<std::function<void()>> bodies;
  bodies.emplace_back([&, rounds] {
    auto tx = ping.sender();
    auto rx = pong.receiver();
    for (std::size_t i = 0; i < rounds; ++i) {
      tx.send(i);
      do_not_optimize(rx.recv());
    }
  });
  bodies.emplace_back([&, rounds] {
    auto rx = ping.receiver();
    auto tx = pong.sender();
    for (std::size_t i = 0; i < rounds; ++i) tx.send(rx.recv());
  });
  return run_parallel(std::move(bodies)) / static_cast<double>(rounds);
}

// A channel with a sender and a receiver on one thread, for callgrind.
template <class C> struct one_thread {
  explicit one_thread(std::size_t capacity)
      : chan(capacity), tx(chan.sender()), rx(chan.receiver()) {}
  C chan;
  decltype(chan.sender()) tx;
  decltype(chan.receiver()) rx;
};

enum shape : unsigned { spsc = 0, mpmc = 1 };
enum kinds : unsigned { bounded = 1, unbounded = 2, both = 3 };

template <class C>
void add_channel(const std::string& impl, const std::string& note, shape s,
                 kinds k) {
  for (const bool is_bounded : {true, false}) {
    if (!(k & (is_bounded ? bounded : unbounded))) continue;
    const std::string kind = is_bounded ? "bounded" : "unbounded";
    auto cap = [is_bounded](const run_args& a) {
      return is_bounded ? a.capacity : std::size_t{0};
    };
    add_case("channel", "1p1c-" + kind, impl, note, [cap](const run_args& a) {
      return throughput<C>(a.ops, 1, 1, cap(a));
    });
    if (s == mpmc) {
      add_case("channel", "4p1c-" + kind, impl, note,
               [cap](const run_args& a) {
                 return throughput<C>(a.ops, 4, 1, cap(a));
               });
      add_case("channel", "1p4c-" + kind, impl, note,
               [cap](const run_args& a) {
                 return throughput<C>(a.ops, 1, 4, cap(a));
               });
    }
    add_case("channel", "pingpong-" + kind, impl, note,
             [cap](const run_args& a) { return ping_pong<C>(a.ops, cap(a)); });
    add_op_case("channel.send_recv." + kind, impl, [cap](const run_args& a) {
      auto st = std::make_shared<one_thread<C>>(cap(a));
      return ops_fn([st](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
          st->tx.send(i);
          do_not_optimize(st->rx.recv());
        }
      });
    });
  }
}

}  // namespace

void register_channel_cases() {
  const std::string polls = "non-blocking: polled with pause/yield backoff";
  add_channel<naive_chan>("baseline", "std::mutex + condvar + deque", mpmc,
                          both);
  add_channel<sendsync_chan>("sendsync", "channel / sync_channel", mpmc, both);
  add_channel<sendsync_spsc_chan>("sendsync-spsc", "spsc_channel (SPSC)", spsc,
                                  bounded);
  add_channel<tbb_chan>("tbb-bounded-queue", "tbb::concurrent_bounded_queue",
                        mpmc, both);
  add_channel<bcq_chan>("moodycamel-bcq",
                        "BlockingConcurrentQueue (unbounded only), tokens",
                        mpmc, unbounded);
  add_channel<cq_chan>("moodycamel-cq",
                       "ConcurrentQueue (unbounded only), tokens; " + polls,
                       mpmc, unbounded);
  add_channel<rwq_chan>("moodycamel-rwq",
                        "BlockingReaderWriterQueue (SPSC, unbounded)", spsc,
                        unbounded);
  add_channel<rwcb_chan>(
      "moodycamel-rwcb",
      "BlockingReaderWriterCircularBuffer (SPSC, bounded)", spsc, bounded);
  add_channel<boost_spsc_chan>("boost-spsc",
                               "boost::lockfree::spsc_queue (SPSC); " + polls,
                               spsc, bounded);
}

}  // namespace bench
