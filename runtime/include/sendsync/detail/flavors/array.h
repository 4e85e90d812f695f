//===- sendsync/detail/flavors/array.h - Bounded channel --------*- C++ -*-===//
//
// Internal. array_channel<T>: the state of sync_channel(n) for n > 0, a
// lock-free ring of n slots (crossbeam-channel's array flavour, after Dmitry
// Vyukov's bounded MPMC queue). The endpoints reach it through
// chan_core<T> (channel.h).
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_FLAVORS_ARRAY_H
#define SENDSYNC_DETAIL_FLAVORS_ARRAY_H

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <thread>

#include "sendsync/annotations.h"
#include "sendsync/detail/flavors/waker.h"
#include "sendsync/detail/futex.h"
#include "sendsync/detail/raw_mutex.h"
#include "sendsync/detail/thread_annotations.h"

namespace sendsync::detail {

// head_ and tail_ are positions `lap | index`: the low bits below mark_bit_
// index a slot, the bits from one_lap_ up count laps; tail_ also carries
// mark_bit_ once either side has disconnected. A slot's stamp is `position`
// when it is free for the send claiming that position, `position + 1` once
// that send has written it, and `position + one_lap_` once the receive
// claiming it has read it (free for the next lap). A send claims the slot at
// tail_ by CAS when its stamp equals tail_, a receive the slot at head_ when
// its stamp is head_ + 1; the CAS claims, the stamp store (release)
// publishes, the stamp load (acquire) of the other side makes the message
// visible.
//
// Memory ordering: the stamp publishes the message, so everything the sender
// did before send() happens-before everything the receiver does after the
// matching recv() returns.
//
// Parking: a thread that finds the ring full (empty) announces itself in its
// side's watch count, tries once more, and then waits on the side's sequence
// word (block). Every operation that completes reads the other side's watch
// count after its claiming CAS (both seq_cst) and, only if it is non-zero,
// bumps that side's sequence and wakes a sleeper if there is one: either the
// parking thread's retry sees the change, or the changer sees the count; no
// wake-up is lost, and an operation nobody waits for makes no system call
// and touches no lock. mu_ serves only the selectors' list and the sender
// count.
//
// Send and Sync iff T is Send (annotated: the slots hold T's as raw bytes,
// which the checker cannot see).
template <class T>
class SENDSYNC_SEND_IF("T: Send") SENDSYNC_SYNC_IF("T: Send") array_channel {
 public:
  explicit array_channel(std::size_t capacity)
      : cap_(capacity),
        slots_(std::make_unique<slot[]>(capacity)),
        mark_bit_(std::bit_ceil(capacity + 1)),
        one_lap_(mark_bit_ * 2) {
    for (std::size_t i = 0; i < cap_; ++i)
      slots_[i].stamp.store(i, std::memory_order_relaxed);
  }

  array_channel(const array_channel&) = delete;
  array_channel& operator=(const array_channel&) = delete;

  // The last endpoint is gone: nothing runs concurrently, and every message
  // still in a slot dies here (a send that raced with drop_receiver()).
  ~array_channel() {
    for (std::size_t i = 0; i < cap_; ++i)
      if (slots_[i].full) slots_[i].msg()->~T();
  }

  void add_sender() noexcept {
    mu_.lock();
    ++senders_;
    mu_.unlock();
  }

  void drop_sender() noexcept {
    mu_.lock();
    const bool last = --senders_ == 0;
    if (last) {
      tail_.fetch_or(mark_bit_, std::memory_order_seq_cst);
      notify_selectors(selectors_, /*recv_side=*/true);
    }
    mu_.unlock();
    if (last) wake_all_parked(/*recv_side=*/true);
  }

  void drop_receiver() noexcept {
    mu_.lock();
    receiver_alive_ = false;
    tail_.fetch_or(mark_bit_, std::memory_order_seq_cst);
    notify_selectors(selectors_, /*recv_side=*/false);
    mu_.unlock();
    wake_all_parked(/*recv_side=*/false);
    // The marked tail stops new sends; popping until the ring reports
    // "disconnected" destroys what is buffered, waiting for sends that
    // claimed a slot before the mark to finish writing it.
    std::optional<T> doomed;
    while (pop(doomed) == op_status::ok) doomed.reset();
  }

  // Sends `v` (moved from only on success): the fast path inline, waiting
  // out of line. Not inlined into chan_core's dispatch, lest every flavour's
  // path pay the others' register saves (about 20 instructions per
  // operation, measured by callgrind).
  [[gnu::noinline]] op_status send(T& v, bool block,
                                   const deadline_t& deadline) {
    op_status s = push(v);
    if (s == op_status::would_block && block) s = send_blocking(v, deadline);
    if (s == op_status::ok) notify(/*recv_side=*/true);
    return s;
  }

  // Receives into `out`.
  [[gnu::noinline]] op_status recv(std::optional<T>& out, bool block,
                                   const deadline_t& deadline) {
    op_status s = pop(out);
    if (s == op_status::would_block && block) s = recv_blocking(out, deadline);
    if (s == op_status::ok) notify(/*recv_side=*/false);
    return s;
  }

  std::size_t size() const noexcept {
    for (;;) {
      const std::size_t tail = tail_.load(std::memory_order_seq_cst);
      const std::size_t head = head_.load(std::memory_order_seq_cst);
      if (tail_.load(std::memory_order_seq_cst) != tail) continue;
      const std::size_t hix = head & (mark_bit_ - 1);
      const std::size_t tix = tail & (mark_bit_ - 1);
      if (hix < tix) return tix - hix;
      if (hix > tix) return cap_ - hix + tix;
      return (tail & ~mark_bit_) == head ? 0 : cap_;
    }
  }

  std::optional<std::size_t> capacity() const noexcept { return cap_; }

  // Registers a selecting thread, to be notified when the channel may have
  // become ready for `n.wants_recv`; if it is ready already, nothing stays
  // registered and true is returned (the caller then tries its operations
  // again instead of sleeping). The ring changes without the mutex, so the
  // node is linked (and counted in the watch count that senders and
  // receivers read after every operation) before readiness is checked:
  // either the check sees the change, or the thread making it sees the count
  // and wakes us.
  bool register_selector(select_node& n) noexcept {
    mu_.lock();
    link(n);
    const bool ready = n.wants_recv ? recv_ready() : send_ready();
    if (ready) unlink(n);
    mu_.unlock();
    return ready;
  }

  void unregister_selector(select_node& n) noexcept {
    mu_.lock();
    unlink(n);
    mu_.unlock();
  }

  // A selected send: only rendezvous channels offer messages (zero.h).
  bool offer_or_register(select_node& n, std::optional<T>&) noexcept {
    return register_selector(n);
  }
  // Whether a receiver took an offer: never here.
  bool withdraw(select_node& n, std::optional<T>&) noexcept {
    unregister_selector(n);
    return false;
  }

 private:
  struct slot {
    std::atomic<std::size_t> stamp{0};
    // Whether the slot holds a message: false after a send whose move
    // constructor threw (it still publishes the slot, which receivers skip)
    // and after the message is taken. Written before the stamp is
    // published, read after it is seen.
    bool full = false;
    alignas(T) unsigned char storage[sizeof(T)];

    T* msg() noexcept { return std::launder(reinterpret_cast<T*>(storage)); }
  };

  // The threads waiting on one side of the ring: receivers waiting for a
  // message (recv_side_) or senders waiting for room (send_side_).
  struct alignas(cache_line) side_waiters {
    // Threads announced to park, plus selectors linked: an operation that
    // completes on the other side reads it, and does nothing more when 0.
    std::atomic<std::size_t> watch{0};
    std::atomic<std::size_t> selecting{0};  // selectors linked (by mu_)
    // Bumped by every completed operation while watch > 0: the futex word
    // the parked threads sleep on.
    std::atomic<std::uint32_t> seq{0};
    // Threads inside futex_wait on seq: a wake-up system call is made only
    // for them, so waking a thread that is still spinning costs nothing.
    std::atomic<std::uint32_t> sleepers{0};
  };

  side_waiters& side(bool recv_side) noexcept {
    return recv_side ? recv_side_ : send_side_;
  }

  void link(select_node& n) noexcept SENDSYNC_REQUIRES(mu_) {
    link_selector(selectors_, n);
    side(n.wants_recv).selecting.fetch_add(1, std::memory_order_relaxed);
    side(n.wants_recv).watch.fetch_add(1, std::memory_order_seq_cst);
  }

  void unlink(select_node& n) noexcept SENDSYNC_REQUIRES(mu_) {
    if (!unlink_selector(selectors_, n)) return;
    side(n.wants_recv).selecting.fetch_sub(1, std::memory_order_relaxed);
    side(n.wants_recv).watch.fetch_sub(1, std::memory_order_relaxed);
  }

  // Whether a non-blocking recv / send would complete now (successfully or
  // with disconnection). Called with mu_ held.
  bool recv_ready() const noexcept SENDSYNC_REQUIRES(mu_) {
    if (senders_ == 0) return true;
    const std::size_t tail = tail_.load(std::memory_order_seq_cst);
    return (tail & ~mark_bit_) != head_.load(std::memory_order_seq_cst);
  }
  bool send_ready() const noexcept SENDSYNC_REQUIRES(mu_) {
    if (!receiver_alive_) return true;
    const std::size_t tail = tail_.load(std::memory_order_seq_cst);
    return head_.load(std::memory_order_seq_cst) + one_lap_ !=
           (tail & ~mark_bit_);
  }

  // Wakes every thread parked on a side (disconnection).
  void wake_all_parked(bool recv_side) noexcept {
    side_waiters& sd = side(recv_side);
    sd.seq.fetch_add(1, std::memory_order_seq_cst);
    if (sd.sleepers.load(std::memory_order_seq_cst) != 0)
      futex_wake_all(&sd.seq);
  }

  // Backs off while another thread finishes a claimed slot or wins a CAS:
  // pauses first, then yields (the other thread may be preempted).
  static void backoff(unsigned& step) noexcept {
    if (step < 6) {
      for (unsigned i = 0; i < (1u << step); ++i) cpu_relax();
    } else {
      std::this_thread::yield();
    }
    if (step < 10) ++step;
  }

  // Sends `v` if there is room: ok (moved from), would_block (full) or
  // disconnected (untouched).
  [[gnu::always_inline]] op_status push(T& v) {
    unsigned step = 0;
    std::size_t tail = tail_.load(std::memory_order_relaxed);
    for (;;) {
      if (tail & mark_bit_) return op_status::disconnected;
      const std::size_t index = tail & (mark_bit_ - 1);
      const std::size_t lap = tail & ~(one_lap_ - 1);
      slot& s = slots_[index];
      const std::size_t stamp = s.stamp.load(std::memory_order_acquire);
      if (tail == stamp) {
        const std::size_t next = index + 1 < cap_ ? tail + 1 : lap + one_lap_;
        if (tail_.compare_exchange_weak(tail, next, std::memory_order_seq_cst,
                                        std::memory_order_relaxed)) {
          try {
            write(s, v, tail + 1);
          } catch (...) {
            // The slot went out empty, and only a receive frees it: wake
            // one, lest senders wait on a ring that only looks full.
            notify(/*recv_side=*/true);
            throw;
          }
          return op_status::ok;
        }
        backoff(step);
      } else if (stamp + one_lap_ == tail + 1) {
        // The slot still holds last lap's message: full, unless a receive
        // has moved head_ on since.
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (head_.load(std::memory_order_relaxed) + one_lap_ == tail)
          return op_status::would_block;
        tail = tail_.load(std::memory_order_relaxed);
      } else {
        backoff(step);  // a receive is still reading this slot
        tail = tail_.load(std::memory_order_relaxed);
      }
    }
  }

  static void write(slot& s, T& v, std::size_t stamp) {
    try {
      ::new (static_cast<void*>(s.storage)) T(std::move(v));
    } catch (...) {
      s.stamp.store(stamp, std::memory_order_release);  // claimed: publish it empty
      throw;
    }
    s.full = true;
    s.stamp.store(stamp, std::memory_order_release);
  }

  // Receives into `out` if a message is buffered: ok, would_block (empty) or
  // disconnected (empty, and no sender is left).
  [[gnu::always_inline]] op_status pop(std::optional<T>& out) {
    unsigned step = 0;
    std::size_t head = head_.load(std::memory_order_relaxed);
    for (;;) {
      const std::size_t index = head & (mark_bit_ - 1);
      const std::size_t lap = head & ~(one_lap_ - 1);
      slot& s = slots_[index];
      const std::size_t stamp = s.stamp.load(std::memory_order_acquire);
      if (head + 1 == stamp) {
        const std::size_t next = index + 1 < cap_ ? head + 1 : lap + one_lap_;
        if (head_.compare_exchange_weak(head, next, std::memory_order_seq_cst,
                                        std::memory_order_relaxed)) {
          if (read(s, out, head + one_lap_)) return op_status::ok;
          // Skipped an empty slot (a failed send's): it is free now, which a
          // parked sender may be waiting for.
          notify(/*recv_side=*/false);
          head = head_.load(std::memory_order_relaxed);
          continue;
        }
        backoff(step);
      } else if (stamp == head) {
        // Nothing written here this lap: empty, unless a send has moved
        // tail_ on since (then its write is under way).
        std::atomic_thread_fence(std::memory_order_seq_cst);
        const std::size_t tail = tail_.load(std::memory_order_relaxed);
        if ((tail & ~mark_bit_) == head)
          return tail & mark_bit_ ? op_status::disconnected
                                  : op_status::would_block;
        head = head_.load(std::memory_order_relaxed);
      } else {
        backoff(step);  // a send is still writing this slot
        head = head_.load(std::memory_order_relaxed);
      }
    }
  }

  // Takes the message out of a claimed slot and frees the slot for the next
  // lap. If T's move constructor throws, the message is destroyed (it can
  // be neither left in a freed slot nor delivered) and the exception goes
  // to the receiver.
  static bool read(slot& s, std::optional<T>& out, std::size_t stamp) {
    struct release {
      slot& s;
      std::size_t stamp;
      ~release() {
        if (s.full) {
          s.msg()->~T();
          s.full = false;
        }
        s.stamp.store(stamp, std::memory_order_release);
      }
    } guard{s, stamp};
    if (!s.full) return false;
    out.emplace(std::move(*s.msg()));
    return true;
  }

  [[gnu::noinline]] op_status send_blocking(T& v, const deadline_t& deadline) {
    return block([&] { return push(v); }, /*sending=*/true, deadline);
  }
  [[gnu::noinline]] op_status recv_blocking(std::optional<T>& out,
                                            const deadline_t& deadline) {
    return block([&] { return pop(out); }, /*sending=*/false, deadline);
  }

  // Spins, then parks until `attempt()` (push or pop) returns something
  // other than would_block, or the deadline passes (timeout).
  //
  // Parking: announce (watch), note the side's seq, try once more, spin
  // while seq is unchanged, and only then sleep on it. Every operation that
  // completes on the other side after the announcement bumps seq (see
  // notify), so a change the retry missed always shows in seq; a thread
  // woken while still spinning needs no system call (the same two-phase
  // wait as crossbeam's Context::wait_until and std's thread parker).
  template <class Attempt>
  op_status block(Attempt&& attempt, bool sending, const deadline_t& deadline) {
    op_status s = op_status::would_block;
    side_waiters& sd = side(!sending);
    for (;;) {
      // Spin first, after every wake-up too: a woken thread whose slot (or
      // message) another took meanwhile usually gets the next one within
      // the spin, where parking again would cost two more system calls.
      if (spin_until([&] { return (s = attempt()) != op_status::would_block; }))
        return s;
      bool timed_out = false;
      sd.watch.fetch_add(1, std::memory_order_seq_cst);
      const std::uint32_t seq = sd.seq.load(std::memory_order_seq_cst);
      try {
        s = attempt();  // the retry after announcing
      } catch (...) {
        sd.watch.fetch_sub(1, std::memory_order_relaxed);
        throw;
      }
      if (s == op_status::would_block &&
          !spin_until([&] {
            return sd.seq.load(std::memory_order_acquire) != seq;
          })) {
        sd.sleepers.fetch_add(1, std::memory_order_seq_cst);
        timed_out = !futex_wait(&sd.seq, seq, deadline);
        sd.sleepers.fetch_sub(1, std::memory_order_relaxed);
      }
      sd.watch.fetch_sub(1, std::memory_order_relaxed);
      if (s != op_status::would_block) return s;
      if (timed_out) {
        s = attempt();
        return s == op_status::would_block ? op_status::timeout : s;
      }
    }
  }

  // After a completed operation: wakes one parked thread of the other side
  // and every selector waiting on it, if there are any (see block).
  // `recv_side`: a message was sent (wake receivers), else one was received.
  void notify(bool recv_side) noexcept {
    if (side(recv_side).watch.load(std::memory_order_seq_cst) != 0)
      wake_other_side(recv_side);
  }
  [[gnu::noinline]] void wake_other_side(bool recv_side) noexcept {
    side_waiters& sd = side(recv_side);
    sd.seq.fetch_add(1, std::memory_order_seq_cst);
    if (sd.sleepers.load(std::memory_order_seq_cst) != 0)
      futex_wake_one(&sd.seq);
    if (sd.selecting.load(std::memory_order_relaxed) != 0) {
      mu_.lock();
      notify_selectors(selectors_, recv_side);
      mu_.unlock();
    }
  }

  raw_mutex mu_;
  std::size_t senders_ SENDSYNC_GUARDED_BY(mu_) = 1;
  bool receiver_alive_ SENDSYNC_GUARDED_BY(mu_) = true;
  select_node* selectors_ SENDSYNC_GUARDED_BY(mu_) = nullptr;
  const std::size_t cap_;
  const std::unique_ptr<slot[]> slots_;
  const std::size_t mark_bit_;
  const std::size_t one_lap_;
  // head_ and tail_ on lines of their own: receivers write one, senders the
  // other; each side's waiters on a line of its own too (read after every
  // operation, written only around parking).
  alignas(cache_line) std::atomic<std::size_t> head_{0};
  alignas(cache_line) std::atomic<std::size_t> tail_{0};
  side_waiters recv_side_;
  side_waiters send_side_;
};

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_FLAVORS_ARRAY_H
