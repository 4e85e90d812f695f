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
// Parking: a thread that finds the ring full (empty) waits on its side's
// wait_side (waker.h); every operation that completes notifies the other
// side, which costs one load when nobody waits. Select's entry points and
// the selectors' list are lock_free_waker's.
//
// Send and Sync iff T is Send (annotated: the slots hold T's as raw bytes,
// which the checker cannot see).
template <class T>
class SENDSYNC_SEND_IF("T: Send") SENDSYNC_SYNC_IF("T: Send") array_channel
    : public lock_free_waker<array_channel<T>> {
  using waker = lock_free_waker<array_channel<T>>;
  friend waker;

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

  // A new sender is cloned from a live one, so the count is not 0 here.
  void add_sender() noexcept {
    senders_.fetch_add(1, std::memory_order_relaxed);
  }

  void drop_sender() noexcept {
    if (senders_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    tail_.fetch_or(mark_bit_, std::memory_order_seq_cst);
    this->disconnect(/*recv_side=*/true);
  }

  void drop_receiver() noexcept {
    tail_.fetch_or(mark_bit_, std::memory_order_seq_cst);
    this->disconnect(/*recv_side=*/false);
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
    op_status s = push(v, block);
    if (s == op_status::would_block && block) s = send_blocking(v, deadline);
    if (s == op_status::ok) this->notify(/*recv_side=*/true);
    return s;
  }

  // Receives into `out`.
  [[gnu::noinline]] op_status recv(std::optional<T>& out, bool block,
                                   const deadline_t& deadline) {
    op_status s = pop(out, block);
    if (s == op_status::would_block && block) s = recv_blocking(out, deadline);
    if (s == op_status::ok) this->notify(/*recv_side=*/false);
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

  // Whether a non-blocking recv (send) would complete now, successfully or
  // with disconnection (the marked tail: the other side is gone); for
  // lock_free_waker::register_selector.
  bool ready(bool recv_side) const noexcept {
    const std::size_t tail = tail_.load(std::memory_order_seq_cst);
    if (tail & mark_bit_) return true;
    const std::size_t head = head_.load(std::memory_order_seq_cst);
    return recv_side ? tail != head : head + one_lap_ != tail;
  }

  // Backs off after a lost CAS: pauses only, as crossbeam's Backoff::spin.
  // The winner has moved on, so the next try can succeed at once; a yield
  // here (as backoff's) gave the CPU away in the middle of a burst of
  // receives.
  static void backoff_cas(unsigned& step) noexcept {
    for (unsigned i = 0; i < (1u << step); ++i) cpu_relax();
    if (step < 6) ++step;
  }

  // Sends `v` if there is room: ok (moved from), would_block (full) or
  // disconnected (untouched). With `will_wait` (a blocking send), a full-
  // looking slot is would_block at once, without the check against head_
  // that tells a full ring from a receive under way: the caller then spins
  // on send_probe, which sees either.
  [[gnu::always_inline]] op_status push(T& v, bool will_wait = false) {
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
            this->notify(/*recv_side=*/true);
            throw;
          }
          return op_status::ok;
        }
        backoff_cas(step);
      } else if (stamp + one_lap_ == tail + 1) {
        // The slot still holds last lap's message: full, unless a receive
        // has moved head_ on since.
        if (will_wait) return op_status::would_block;
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
  // disconnected (empty, and no sender is left). With `will_wait` (a
  // blocking receive), a slot not yet written is would_block at once,
  // without the check against tail_ that tells an empty ring from a send
  // under way or a disconnected one: the caller then spins on recv_probe,
  // and its attempt after the spin makes the check.
  [[gnu::always_inline]] op_status pop(std::optional<T>& out,
                                       bool will_wait = false) {
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
          this->notify(/*recv_side=*/false);
          head = head_.load(std::memory_order_relaxed);
          continue;
        }
        backoff_cas(step);
      } else if (stamp == head) {
        // Nothing written here this lap: empty, unless a send has moved
        // tail_ on since (then its write is under way).
        if (will_wait) return op_status::would_block;
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

  // Waiting for room (a message) parks on the senders' (receivers') side.
  [[gnu::noinline]] op_status send_blocking(T& v, const deadline_t& deadline) {
    return this->side(/*recv_side=*/false)
        .block([&] { return push(v); }, [&] { return send_probe(); },
               deadline);
  }
  [[gnu::noinline]] op_status recv_blocking(std::optional<T>& out,
                                            const deadline_t& deadline) {
    return this->side(/*recv_side=*/true)
        .block([&] { return pop(out); }, [&] { return recv_probe(); },
               deadline);
  }

  // Whether the slot at head_ may have been written (or head_ moved on), for
  // a receiver spinning on an empty ring: false while the slot is still
  // free for this lap's send. It reads head_ and the slot, not tail_, as
  // pop's emptiness check must: a receiver spinning on pop kept taking
  // tail_'s line from the sender, whose next claiming CAS then missed the
  // cache (the sender's tail_ load and CAS were most of its time in
  // perf annotate of ping-pong). A disconnection is noticed by the attempt
  // after the spin.
  bool recv_probe() const noexcept {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    return slots_[head & (mark_bit_ - 1)].stamp.load(
               std::memory_order_relaxed) != head;
  }

  // Likewise for a sender spinning on a full ring: false while the slot at
  // tail_ still holds last lap's message. Reads tail_ and the slot, not
  // head_.
  bool send_probe() const noexcept {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail & mark_bit_) return true;
    return slots_[tail & (mark_bit_ - 1)].stamp.load(
               std::memory_order_relaxed) +
               one_lap_ !=
           tail + 1;
  }

  std::atomic<std::size_t> senders_{1};
  const std::size_t cap_;
  const std::unique_ptr<slot[]> slots_;
  const std::size_t mark_bit_;
  const std::size_t one_lap_;
  // head_ and tail_ on lines of their own: receivers write one, senders the
  // other.
  alignas(cache_line) std::atomic<std::size_t> head_{0};
  alignas(cache_line) std::atomic<std::size_t> tail_{0};
};

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_FLAVORS_ARRAY_H
