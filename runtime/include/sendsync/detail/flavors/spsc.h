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

// A lock-free ring of `capacity + 1` slots (one stays empty to tell full from
// empty). The producer owns `head_` and a cached copy of `tail_`, the consumer
// owns `tail_` and a cached copy of `head_`; each re-reads the other's index
// only when its cached copy says full/empty. Producer and consumer data live
// on separate cache lines.
//
// Memory ordering: the producer constructs a message in its slot and then
// publishes it with a store of `head_` (seq_cst for spsc_event, and so also
// a release); the consumer's acquire load of `head_` makes the message
// visible. Symmetrically the consumer's store of `tail_` hands the slot back
// only after the message left it.
//
// Send and Sync iff T is Send (Rust's `unsafe impl<T: Send> Sync` for such
// rings): the raw buffer owns the messages, and the indices hand each one
// from the producer to the consumer, which the checker cannot see.
template <class T>
class SENDSYNC_SEND_IF("T: Send") SENDSYNC_SYNC_IF("T: Send") spsc_core {
 public:
  explicit spsc_core(std::size_t capacity)
      : slots_(capacity + 1),
        buf_(std::allocator<T>().allocate(capacity + 1)) {}

  spsc_core(const spsc_core&) = delete;
  spsc_core& operator=(const spsc_core&) = delete;

  // Runs after both endpoints are gone (shared_ptr's release/acquire on its
  // count orders their last writes before this).
  ~spsc_core() {
    std::size_t t = tail_.load(std::memory_order_relaxed);
    const std::size_t h = head_.load(std::memory_order_relaxed);
    while (t != h) {
      buf_[t].~T();
      t = next(t);
    }
    std::allocator<T>().deallocate(buf_, slots_);
  }

  std::size_t capacity() const noexcept { return slots_ - 1; }

  // Producer side.
  bool has_space() noexcept {
    const std::size_t n = next(head_.load(std::memory_order_relaxed));
    if (n != tail_cache_) return true;
    tail_cache_ = tail_.load(std::memory_order_acquire);
    return n != tail_cache_;
  }

  bool try_push(T& v) {
    if (!has_space()) return false;
    const std::size_t h = head_.load(std::memory_order_relaxed);
    ::new (static_cast<void*>(buf_ + h)) T(std::move(v));
    head_.store(next(h), std::memory_order_seq_cst);  // see spsc_event
    not_empty_.notify();
    return true;
  }

  // Consumer side.
  bool has_data() noexcept {
    const std::size_t t = tail_.load(std::memory_order_relaxed);
    if (t != head_cache_) return true;
    head_cache_ = head_.load(std::memory_order_acquire);
    return t != head_cache_;
  }

  bool try_pop(std::optional<T>& out) {
    if (!has_data()) return false;
    const std::size_t t = tail_.load(std::memory_order_relaxed);
    T* p = buf_ + t;
    out.emplace(std::move(*p));
    p->~T();
    tail_.store(next(t), std::memory_order_seq_cst);  // see spsc_event
    not_full_.notify();
    return true;
  }

  std::size_t size() const noexcept {
    const std::size_t h = head_.load(std::memory_order_acquire);
    const std::size_t t = tail_.load(std::memory_order_acquire);
    return h >= t ? h - t : h + slots_ - t;
  }

  op_status send(T& v, bool block, const deadline_t& deadline) {
    for (;;) {
      if (receiver_gone_.load(std::memory_order_acquire))
        return op_status::disconnected;
      if (try_push(v)) return op_status::ok;
      if (!block) return op_status::would_block;
      if (!not_full_.wait(
              [&] {
                return has_space() ||
                       receiver_gone_.load(std::memory_order_acquire);
              },
              deadline))
        return op_status::timeout;
    }
  }

  op_status recv(std::optional<T>& out, bool block,
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

  void drop_sender() noexcept {
    sender_gone_.store(true, std::memory_order_seq_cst);
    not_empty_.wake();
  }
  void drop_receiver() noexcept {
    receiver_gone_.store(true, std::memory_order_seq_cst);
    not_full_.wake();
  }

 private:
  std::size_t next(std::size_t i) const noexcept {
    return i + 1 == slots_ ? 0 : i + 1;
  }

  const std::size_t slots_;
  T* const buf_;
  // Producer's line.
  alignas(cache_line) std::atomic<std::size_t> head_{0};
  std::size_t tail_cache_ = 0;
  // Consumer's line.
  alignas(cache_line) std::atomic<std::size_t> tail_{0};
  std::size_t head_cache_ = 0;
  alignas(cache_line) std::atomic<bool> sender_gone_{false};
  std::atomic<bool> receiver_gone_{false};
  spsc_event not_empty_;  // the consumer sleeps here
  spsc_event not_full_;   // the producer sleeps here
};

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_FLAVORS_SPSC_H
