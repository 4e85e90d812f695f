//===- sendsync/detail/flavors/spsc.h - SPSC channel ------------*- C++ -*-===//
//
// Internal. spsc_core<T>: the state of spsc_channel(n), a lock-free ring
// with one producer and one consumer, each owning its index (no CAS). The
// endpoints (SpscSender, SpscReceiver in channel.h) share Sender's and
// Receiver's API template.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_FLAVORS_SPSC_H
#define SENDSYNC_DETAIL_FLAVORS_SPSC_H

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <utility>

#include "sendsync/annotations.h"
#include "sendsync/detail/flavors/waker.h"
#include "sendsync/detail/futex.h"

namespace sendsync::detail {

// A wake-up point for one side of the SPSC ring. The sleeper registers in
// `waiters`, issues a seq_cst fence and re-checks its condition; the notifier
// publishes its change with a seq_cst store and then reads `waiters` with a
// seq_cst load (Dekker's pattern): in the single total order of seq_cst
// operations either the registration comes first, and the notifier sees it,
// or the store does, and the sleeper's re-check after its fence sees the
// change. So no wake-up is lost, and the notifier only makes a system call
// when somebody is registered.
//
// Why a seq_cst store rather than a release store and a fence: the ring's
// fast path pays this on every message, and on x86-64 the store is one
// `xchg` where the fence was an `mfence` (measured: the mfence was two
// thirds of the producer's time in a 1-producer 1-consumer run).
struct alignas(cache_line) spsc_event {
  std::atomic<std::uint32_t> seq{0};
  std::atomic<std::uint32_t> waiters{0};

  // Call after publishing the change with a seq_cst store.
  void notify() noexcept {
    if (waiters.load(std::memory_order_seq_cst) != 0) wake();
  }

  void wake() noexcept {
    seq.fetch_add(1, std::memory_order_release);
    futex_wake_all(&seq);
  }

  // Waits until `ready()`; returns false iff the deadline passed first.
  template <class Ready> bool wait(Ready&& ready, const deadline_t& deadline) {
    if (spin_until(ready)) return true;
    for (;;) {
      const std::uint32_t s = seq.load(std::memory_order_acquire);
      waiters.fetch_add(1, std::memory_order_seq_cst);
      std::atomic_thread_fence(std::memory_order_seq_cst);
      if (ready()) {
        waiters.fetch_sub(1, std::memory_order_relaxed);
        return true;
      }
      const bool in_time = futex_wait(&seq, s, deadline);
      waiters.fetch_sub(1, std::memory_order_relaxed);
      if (ready()) return true;
      if (!in_time) return false;
    }
  }
};

// A lock-free ring of `capacity` slots, each with a stamp (as
// array_channel's, without the CAS: each side owns its position). Positions
// count messages from 0; the slot of position p is p % capacity, and its
// stamp is 2p while it is free for the send at p, 2p + 1 once that send has
// written it, and 2(p + capacity) once the receive at p has emptied it (free
// for the next lap). Doubled, so that "written" (odd) never reads as "free"
// (even): with p + 1, one slot would seem free again right after its send. The producer owns `head_` (the next send's position),
// the consumer `tail_`; each checks only the slot it is at.
//
// Why stamps rather than the two indices each side read from the other (as
// before): a message and the word that publishes it now share a cache line,
// so a hand-off moves one line where it moved two (the message's and the
// producer's index, which the waiting consumer polled). The indices are
// still stored (release: free on x86-64), for size() and the destructor.
//
// Memory ordering: the producer constructs a message in its slot and then
// publishes it with a store of the slot's stamp (seq_cst for spsc_event,
// and so also a release); the consumer's acquire load of the stamp makes
// the message visible. Symmetrically the consumer's store of the stamp
// hands the slot back only after the message left it. Each side stores its
// index before its stamp, so a size() that has seen the consumer's index
// sees a producer's index no smaller.
//
// Send and Sync iff T is Send (Rust's `unsafe impl<T: Send> Sync` for such
// rings): the raw buffer owns the messages, and the stamps hand each one
// from the producer to the consumer, which the checker cannot see.
template <class T>
class SENDSYNC_SEND_IF("T: Send") SENDSYNC_SYNC_IF("T: Send") spsc_core {
 public:
  explicit spsc_core(std::size_t capacity)
      : cap_(capacity), slots_(std::make_unique<slot[]>(capacity)) {
    for (std::size_t i = 0; i < cap_; ++i)
      slots_[i].stamp.store(2 * i, std::memory_order_relaxed);
  }

  spsc_core(const spsc_core&) = delete;
  spsc_core& operator=(const spsc_core&) = delete;

  // Runs after both endpoints are gone (shared_ptr's release/acquire on its
  // count orders their last writes before this).
  ~spsc_core() {
    const std::size_t h = head_.load(std::memory_order_relaxed);
    for (std::size_t t = tail_.load(std::memory_order_relaxed); t != h; ++t)
      slots_[t % cap_].msg()->~T();
  }

  std::size_t capacity() const noexcept { return cap_; }

  // Producer side.
  bool has_space() noexcept {
    return slots_[head_index_].stamp.load(std::memory_order_acquire) ==
           2 * head_.load(std::memory_order_relaxed);
  }

  [[gnu::always_inline]] bool try_push(T& v) {
    if (!has_space()) return false;
    const std::size_t h = head_.load(std::memory_order_relaxed);
    slot& s = slots_[head_index_];
    ::new (static_cast<void*>(s.storage)) T(std::move(v));
    head_.store(h + 1, std::memory_order_release);
    head_index_ = head_index_ + 1 == cap_ ? 0 : head_index_ + 1;
    s.stamp.store(2 * h + 1, std::memory_order_seq_cst);  // see spsc_event
    not_empty_.notify();
    return true;
  }

  // Consumer side.
  bool has_data() noexcept {
    return slots_[tail_index_].stamp.load(std::memory_order_acquire) ==
           2 * tail_.load(std::memory_order_relaxed) + 1;
  }

  [[gnu::always_inline]] bool try_pop(std::optional<T>& out) {
    if (!has_data()) return false;
    const std::size_t t = tail_.load(std::memory_order_relaxed);
    slot& s = slots_[tail_index_];
    T* p = s.msg();
    out.emplace(std::move(*p));
    p->~T();
    tail_.store(t + 1, std::memory_order_release);
    tail_index_ = tail_index_ + 1 == cap_ ? 0 : tail_index_ + 1;
    s.stamp.store(2 * (t + cap_), std::memory_order_seq_cst);  // see spsc_event
    not_full_.notify();
    return true;
  }

  std::size_t size() const noexcept {
    const std::size_t t = tail_.load(std::memory_order_acquire);
    const std::size_t h = head_.load(std::memory_order_acquire);
    return h - t;
  }

  // The fast path inline (into the endpoint's send), waiting out of line.
  [[gnu::always_inline]] op_status send(T& v, bool block,
                                        const deadline_t& deadline) {
    if (receiver_gone_.load(std::memory_order_acquire))
      return op_status::disconnected;
    if (try_push(v)) return op_status::ok;
    if (!block) return op_status::would_block;
    return send_blocking(v, deadline);
  }

  [[gnu::always_inline]] op_status recv(std::optional<T>& out, bool block,
                                        const deadline_t& deadline) {
    if (try_pop(out)) return op_status::ok;
    return recv_slow(out, block, deadline);
  }

  void drop_sender() noexcept {
    sender_gone_.store(true, std::memory_order_seq_cst);
    not_empty_.wake();
  }
  void drop_receiver() noexcept {
    receiver_gone_.store(true, std::memory_order_seq_cst);
    not_full_.wake();
  }

 private:
  [[gnu::noinline]] op_status send_blocking(T& v, const deadline_t& deadline) {
    for (;;) {
      if (!not_full_.wait(
              [&] {
                return has_space() ||
                       receiver_gone_.load(std::memory_order_acquire);
              },
              deadline))
        return op_status::timeout;
      if (receiver_gone_.load(std::memory_order_acquire))
        return op_status::disconnected;
      if (try_push(v)) return op_status::ok;
    }
  }

  [[gnu::noinline]] op_status recv_slow(std::optional<T>& out, bool block,
                                       const deadline_t& deadline) {
    for (;;) {
      if (try_pop(out)) return op_status::ok;
      if (sender_gone_.load(std::memory_order_acquire)) {
        // The producer's last messages were published before it left.
        if (try_pop(out)) return op_status::ok;
        return op_status::disconnected;
      }
      if (!block) return op_status::would_block;
      if (!not_empty_.wait(
              [&] {
                return has_data() ||
                       sender_gone_.load(std::memory_order_acquire);
              },
              deadline))
        return op_status::timeout;
    }
  }

  struct slot {
    std::atomic<std::size_t> stamp{0};
    alignas(T) unsigned char storage[sizeof(T)];

    T* msg() noexcept { return std::launder(reinterpret_cast<T*>(storage)); }
  };

  const std::size_t cap_;
  const std::unique_ptr<slot[]> slots_;
  // Producer's line: the next send's position, and its slot.
  alignas(cache_line) std::atomic<std::size_t> head_{0};
  std::size_t head_index_ = 0;
  // Consumer's line.
  alignas(cache_line) std::atomic<std::size_t> tail_{0};
  std::size_t tail_index_ = 0;
  alignas(cache_line) std::atomic<bool> sender_gone_{false};
  std::atomic<bool> receiver_gone_{false};
  spsc_event not_empty_;  // the consumer sleeps here
  spsc_event not_full_;   // the producer sleeps here
};

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_FLAVORS_SPSC_H
