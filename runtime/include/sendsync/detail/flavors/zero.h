//===- sendsync/detail/flavors/zero.h - Rendezvous channel ------*- C++ -*-===//
//
// Internal. zero_channel<T>: the state of sync_channel(0), where a send
// returns only once a receiver has taken its message (crossbeam-channel's
// zero flavour). A one-message slot under a spin-then-park mutex. The
// endpoints reach it through chan_core<T> (channel.h).
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_FLAVORS_ZERO_H
#define SENDSYNC_DETAIL_FLAVORS_ZERO_H

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "sendsync/detail/flavors/waker.h"
#include "sendsync/detail/futex.h"
#include "sendsync/detail/raw_mutex.h"
#include "sendsync/detail/ring.h"
#include "sendsync/detail/thread_annotations.h"

namespace sendsync::detail {

// The sender parks its message in the one-message slot, then waits until a
// receiver has taken it (taken_ passes its ticket). On timeout or
// disconnection it takes the message back, still under the lock, so a
// message is either received or returned, never both.
//
// Tickets: put_ counts the messages put in the slot and not taken back,
// taken_ those receivers took, so put_ - taken_ == buf_.size() (0 or 1) and
// the message in the slot always has ticket put_. A sender still waiting
// with taken_ < ticket therefore owns the slot's message.
//
// Memory ordering: every message moves through the mutex, so everything the
// sender did before send() happens-before everything the receiver does after
// the matching recv() returns.
//
// Send and Sync iff T is Send, inferred: the slot is buf_, a ring<T>
// SENDSYNC_GUARDED_BY the mutex.
template <class T> class zero_channel {
 public:
  zero_channel() : buf_(1) {}
  zero_channel(const zero_channel&) = delete;
  zero_channel& operator=(const zero_channel&) = delete;

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

  // A sender still waiting owns its message in the slot (it takes it back).
  void drop_receiver() noexcept {
    mu_.lock();
    receiver_alive_ = false;
    notify_selectors(selectors_, /*recv_side=*/false);
    const bool wake = send_waiters_.waiting > 0;
    mu_.unlock();
    if (wake) not_full_.notify_all();
  }

  // Sends `v` (moved from only on success). A try_send (block false)
  // succeeds only if a receiver is already waiting for it.
  [[gnu::noinline]] op_status send(T& v, bool block,
                                   const deadline_t& deadline) {
    bool timed_out = false;
    mu_.lock();
    // 1. Wait for the slot to be free.
    for (;;) {
      if (!receiver_alive_) return unlock_with(op_status::disconnected);
      if (buf_.empty() && (block || recv_waiters_.waiting > 0)) break;
      if (!block) return unlock_with(op_status::would_block);
      if (timed_out) return unlock_with(op_status::timeout);
      send_waiters_.enter();
      timed_out = !not_full_.wait(mu_, deadline);
      send_waiters_.leave();
    }
    try {
      buf_.push(std::move(v));
    } catch (...) {
      mu_.unlock();
      throw;
    }
    len_.store(1, std::memory_order_relaxed);
    const std::uint64_t ticket = ++put_;
    notify_selectors(selectors_, /*recv_side=*/true);
    if (recv_waiters_.take_signal()) not_empty_.notify_one();
    if (!block) {
      // try_send: a waiting receiver is committed to take it (a receiver
      // that times out re-checks the slot under the lock first).
      mu_.unlock();
      return op_status::ok;
    }
    // 2. Wait for a receiver to take it.
    for (;;) {
      if (taken_ >= ticket) return unlock_with(op_status::ok);
      if (!receiver_alive_ || timed_out) {
        assert(ticket == put_ && taken_ + 1 == ticket && buf_.size() == 1 &&
               "a waiting rendezvous sender owns the message in the slot");
        v = buf_.pop();  // ours: the slot holds one message, and it is ours
        // Retire the ticket with the message, so that put_ - taken_ ==
        // buf_.size() again. Were put_ left one ahead of taken_, every later
        // sender would wait for a ticket no receiver reaches and, timing out
        // or disconnected, "take back" from the empty slot a message that
        // was already received.
        --put_;
        len_.store(0, std::memory_order_relaxed);
        notify_selectors(selectors_, /*recv_side=*/false);  // slot free again
        const bool wake = send_waiters_.waiting > 0;
        const op_status s =
            receiver_alive_ ? op_status::timeout : op_status::disconnected;
        mu_.unlock();
        if (wake) not_full_.notify_all();
        return s;
      }
      send_waiters_.enter();
      timed_out = !not_full_.wait(mu_, deadline);
      send_waiters_.leave();
    }
  }

  // Receives into `out`.
  [[gnu::noinline]] op_status recv(std::optional<T>& out, bool block,
                                   const deadline_t& deadline) {
    bool spun = false, timed_out = false;
    mu_.lock();
    for (;;) {
      if (!buf_.empty() && claim_offer()) {
        try {
          out.emplace(buf_.pop());
        } catch (...) {
          mu_.unlock();
          throw;
        }
        len_.store(0, std::memory_order_relaxed);
        ++taken_;
        // A sender waits for *its* message to be taken, other senders for
        // the slot to be free: wake them all.
        notify_selectors(selectors_, /*recv_side=*/false);
        const bool wake = send_waiters_.waiting > 0;
        mu_.unlock();
        if (wake) not_full_.notify_all();
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
      // A try_send (and so a selected send) succeeds only while a receiver
      // waits here: this receiver is what such a sender waits for.
      notify_selectors(selectors_, /*recv_side=*/false);
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

  std::optional<std::size_t> capacity() const noexcept { return 0; }

  // Registers a selecting thread, to be notified when the channel may have
  // become ready for `n.wants_recv`; if it is ready already nothing is
  // registered and true is returned (the caller then tries its operations
  // again instead of sleeping): the check and the registration are one step
  // under the mutex, so no change can fall between them.
  bool register_selector(select_node& n) noexcept {
    mu_.lock();
    const bool ready = n.wants_recv ? recv_ready(n.waiter) : send_ready();
    if (!ready) link_selector(selectors_, n);
    mu_.unlock();
    return ready;
  }

  void unregister_selector(select_node& n) noexcept {
    mu_.lock();
    unlink_selector(selectors_, n);
    mu_.unlock();
  }

  // A selected send registering on this channel. With the slot free, the
  // message `v` is offered: put in the slot (moved out of `v`) for any
  // receiver to take, as a blocked sender's would be, so that two selects on
  // the two ends of the channel pair up. A receiver takes an offer only
  // after winning its waiter's `claimed` word, so a select with offers out
  // on several channels completes at most one. Otherwise as
  // register_selector: true (nothing registered) if ready.
  bool offer_or_register(select_node& n, std::optional<T>& v) {
    mu_.lock();
    if (!receiver_alive_ || !buf_.empty()) {
      const bool ready = send_ready();
      if (!ready) link_selector(selectors_, n);
      mu_.unlock();
      return ready;
    }
    try {
      buf_.push(std::move(*v));
    } catch (...) {
      mu_.unlock();
      throw;
    }
    v.reset();
    len_.store(1, std::memory_order_relaxed);
    ++put_;  // an offer holds a ticket, like a blocked sender's message
    offer_ = &n;
    n.offered = true;
    link_selector(selectors_, n);  // woken if the receiver goes away
    notify_selectors(selectors_, /*recv_side=*/true);
    if (recv_waiters_.take_signal()) not_empty_.notify_one();
    mu_.unlock();
    return false;
  }

  // Unregisters a selected send; if it had an offer out, returns whether a
  // receiver took it, and if none did, takes the message back into `v`
  // (retiring its ticket, as send's take-back does). A T whose move
  // constructor throws here terminates: the message could then be neither
  // left in the slot nor handed back.
  bool withdraw(select_node& n, std::optional<T>& v) noexcept {
    mu_.lock();
    unlink_selector(selectors_, n);
    if (!n.offered) {
      mu_.unlock();
      return false;
    }
    n.offered = false;
    if (offer_ != &n) {  // a receiver claimed it and took it
      mu_.unlock();
      return true;
    }
    assert(buf_.size() == 1 && put_ == taken_ + 1 &&
           "an offer not taken is the message in the slot");
    offer_ = nullptr;
    v.emplace(buf_.pop());
    --put_;
    len_.store(0, std::memory_order_relaxed);
    notify_selectors(selectors_, /*recv_side=*/false);  // the slot is free
    const bool wake = send_waiters_.waiting > 0;
    mu_.unlock();
    if (wake) not_full_.notify_all();
    return false;
  }

 private:
  // Whether the message in the slot may be taken, with mu_ held and the
  // slot full: yes unless it is a selecting sender's offer (then only if
  // this receiver wins the claim, and the selector is told so).
  bool claim_offer() noexcept SENDSYNC_REQUIRES(mu_) {
    if (offer_ == nullptr) return true;
    std::uint32_t expected = 0;
    select_waiter& w = *offer_->waiter;
    if (!w.claimed.compare_exchange_strong(expected, offer_->index + 1,
                                           std::memory_order_acq_rel))
      return false;  // it completed another operation: the offer is void
    offer_ = nullptr;
    w.notify();
    return true;
  }

  // Whether a non-blocking recv / send would complete now (successfully or
  // with disconnection). Called with mu_ held. A selecting thread's own
  // offer does not make its receive ready (it withdraws the offer before it
  // tries its receives, so it cannot take its own message).
  bool recv_ready(const select_waiter* self) const noexcept
      SENDSYNC_REQUIRES(mu_) {
    if (senders_ == 0) return true;
    if (buf_.empty()) return false;
    return offer_ == nullptr ||
           (offer_->waiter != self &&
            offer_->waiter->claimed.load(std::memory_order_acquire) == 0);
  }
  bool send_ready() const noexcept SENDSYNC_REQUIRES(mu_) {
    if (!receiver_alive_) return true;
    return buf_.empty() && recv_waiters_.waiting > 0;
  }

  op_status unlock_with(op_status s) noexcept SENDSYNC_RELEASE(mu_) {
    mu_.unlock();
    return s;
  }

  raw_mutex mu_;
  ring<T> buf_ SENDSYNC_GUARDED_BY(mu_);  // capacity 1
  std::size_t senders_ SENDSYNC_GUARDED_BY(mu_) = 1;
  bool receiver_alive_ SENDSYNC_GUARDED_BY(mu_) = true;
  waiter_count recv_waiters_ SENDSYNC_GUARDED_BY(mu_);
  waiter_count send_waiters_ SENDSYNC_GUARDED_BY(mu_);
  select_node* selectors_ SENDSYNC_GUARDED_BY(mu_) = nullptr;
  // Whose offer the slot holds (see offer_or_register).
  select_node* offer_ SENDSYNC_GUARDED_BY(mu_) = nullptr;
  // Tickets (see send): messages put, less those taken back, and messages
  // receivers took.
  std::uint64_t put_ SENDSYNC_GUARDED_BY(mu_) = 0;
  std::uint64_t taken_ SENDSYNC_GUARDED_BY(mu_) = 0;
  // Lock-free hints for the receivers' spin phase only (decisions are made
  // under mu_).
  alignas(cache_line) std::atomic<std::size_t> len_{0};
  std::atomic<bool> no_senders_{false};
  alignas(cache_line) raw_condvar not_empty_;
  alignas(cache_line) raw_condvar not_full_;
};

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_FLAVORS_ZERO_H
