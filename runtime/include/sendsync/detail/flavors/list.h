//===- sendsync/detail/flavors/list.h - Unbounded channel -------*- C++ -*-===//
//
// Internal. list_channel<T>: the state of channel(), a ring buffer that
// doubles when full (no allocation per message), under a spin-then-park
// mutex. crossbeam-channel's list flavour is a lock-free list of blocks
// instead; this one keeps the lock. The endpoints reach it through
// chan_core<T> (channel.h).
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_FLAVORS_LIST_H
#define SENDSYNC_DETAIL_FLAVORS_LIST_H

#include <atomic>
#include <cstddef>
#include <optional>
#include <utility>

#include "sendsync/detail/flavors/waker.h"
#include "sendsync/detail/futex.h"
#include "sendsync/detail/raw_mutex.h"
#include "sendsync/detail/ring.h"
#include "sendsync/detail/thread_annotations.h"

namespace sendsync::detail {

// A send never waits: it fails only if the receiver is gone. A recv spins,
// then parks on not_empty_; a send or a disconnection that a waiting
// receiver needs wakes one (waiter_count: only while no wake-up is already
// on its way to it, so a send nobody waits for makes no system call).
//
// Memory ordering: every message moves through the mutex, so everything the
// sender did before send() happens-before everything the receiver does after
// the matching recv() returns.
//
// Send and Sync iff T is Send, inferred: the messages live in buf_, a
// ring<T> SENDSYNC_GUARDED_BY the mutex.
template <class T> class list_channel {
 public:
  list_channel() = default;
  list_channel(const list_channel&) = delete;
  list_channel& operator=(const list_channel&) = delete;

  void add_sender() noexcept {
    mu_.lock();
    ++senders_;
    mu_.unlock();
  }

  void drop_sender() noexcept {
    mu_.lock();
    const bool last = --senders_ == 0;
    if (last) {
      no_senders_.store(true, std::memory_order_relaxed);
      notify_selectors(selectors_, /*recv_side=*/true);
    }
    const bool wake = last && recv_waiters_.waiting > 0;
    mu_.unlock();
    if (wake) not_empty_.notify_all();
  }

  // Buffered messages die here, outside the lock.
  void drop_receiver() noexcept {
    ring<T> doomed;
    mu_.lock();
    receiver_alive_ = false;
    doomed.swap(buf_);
    len_.store(0, std::memory_order_relaxed);
    mu_.unlock();
  }

  // Sends `v` (moved from only on success); `block` and `deadline` do not
  // matter, as nothing waits for room.
  [[gnu::noinline]] op_status send(T& v, bool, const deadline_t&) {
    mu_.lock();
    if (!receiver_alive_) return unlock_with(op_status::disconnected);
    try {
      buf_.push_grow(std::move(v));
    } catch (...) {
      mu_.unlock();
      throw;
    }
    len_.store(buf_.size(), std::memory_order_relaxed);
    notify_selectors(selectors_, /*recv_side=*/true);
    const bool wake = recv_waiters_.take_signal();
    mu_.unlock();
    if (wake) not_empty_.notify_one();
    return op_status::ok;
  }

  // Receives into `out`.
  [[gnu::noinline]] op_status recv(std::optional<T>& out, bool block,
                                   const deadline_t& deadline) {
    bool spun = false, timed_out = false;
    mu_.lock();
    for (;;) {
      if (!buf_.empty()) {
        try {
          out.emplace(buf_.pop());
        } catch (...) {
          mu_.unlock();
          throw;
        }
        len_.store(buf_.size(), std::memory_order_relaxed);
        mu_.unlock();
        return op_status::ok;
      }
      if (senders_ == 0) return unlock_with(op_status::disconnected);
      if (!block) return unlock_with(op_status::would_block);
      if (timed_out) return unlock_with(op_status::timeout);
      if (!spun) {
        spun = true;
        mu_.unlock();
        spin_until([&] {
          return len_.load(std::memory_order_relaxed) > 0 ||
                 no_senders_.load(std::memory_order_relaxed);
        });
        mu_.lock();
        continue;
      }
      recv_waiters_.enter();
      timed_out = !not_empty_.wait(mu_, deadline);
      recv_waiters_.leave();
    }
  }

  std::size_t size() noexcept {
    mu_.lock();
    const std::size_t n = buf_.size();
    mu_.unlock();
    return n;
  }

  std::optional<std::size_t> capacity() const noexcept { return std::nullopt; }

  // As array_channel::register_selector. A send is always ready (it never
  // waits), so only receives are ever registered here.
  bool register_selector(select_node& n) noexcept {
    mu_.lock();
    const bool ready = !n.wants_recv || senders_ == 0 || !buf_.empty();
    if (!ready) link_selector(selectors_, n);
    mu_.unlock();
    return ready;
  }

  void unregister_selector(select_node& n) noexcept {
    mu_.lock();
    unlink_selector(selectors_, n);
    mu_.unlock();
  }

  bool offer_or_register(select_node& n, std::optional<T>&) noexcept {
    return register_selector(n);
  }
  bool withdraw(select_node& n, std::optional<T>&) noexcept {
    unregister_selector(n);
    return false;
  }

 private:
  op_status unlock_with(op_status s) noexcept SENDSYNC_RELEASE(mu_) {
    mu_.unlock();
    return s;
  }

  raw_mutex mu_;
  ring<T> buf_ SENDSYNC_GUARDED_BY(mu_);
  std::size_t senders_ SENDSYNC_GUARDED_BY(mu_) = 1;
  bool receiver_alive_ SENDSYNC_GUARDED_BY(mu_) = true;
  waiter_count recv_waiters_ SENDSYNC_GUARDED_BY(mu_);
  select_node* selectors_ SENDSYNC_GUARDED_BY(mu_) = nullptr;
  // Lock-free hints for the spin phase only (decisions are made under mu_).
  alignas(cache_line) std::atomic<std::size_t> len_{0};
  std::atomic<bool> no_senders_{false};
  alignas(cache_line) raw_condvar not_empty_;
};

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_FLAVORS_LIST_H
