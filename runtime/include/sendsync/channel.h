//===- sendsync/channel.h - Message-passing channels ------------*- C++ -*-===//
//
// This header defines:
//
//   channel<T>()            an unbounded multi-producer multi-consumer channel
//   sync_channel<T>(n)      a bounded one: send blocks while n messages wait;
//                           n == 0 is a rendezvous (send waits for a receiver)
//   Sender<T>, Receiver<T>  its endpoints (Sender copyable, Receiver move-only)
//   spsc_channel<T>(n)      a bounded single-producer single-consumer channel,
//                           lock-free (SpscSender<T>, SpscReceiver<T>)
//   SendError<T>, TrySendError<T>, SendTimeoutError<T>   failures of send,
//                           each handing the unsent message back
//   RecvError, TryRecvError, RecvTimeoutError            failures of recv
//
// Modelled on crossbeam-channel and Rust's std::sync::mpsc:
//
//   auto [tx, rx] = sendsync::channel<std::string>();
//   auto worker = sendsync::spawn([tx = tx] {        // a copy of the Sender
//     (void)tx.send("hello");
//   });
//   if (auto msg = rx.recv()) std::cout << *msg;     // "hello"
//
// Disconnection. The channel is disconnected when the last Sender or the
// Receiver is destroyed:
//   - recv on a disconnected channel still returns every buffered message,
//     then fails with `disconnected`; a blocked recv wakes up to do so;
//   - send on a disconnected channel fails and returns the message; a
//     blocked send wakes up to do so; messages still buffered when the
//     Receiver is destroyed are destroyed with it.
// Every message sent successfully is received exactly once, or destroyed
// exactly once if the Receiver goes away first. A send that fails (timed
// out, full, disconnected) hands its message back and leaves the channel as
// if it had not been tried.
//
// Blocking. Blocked operations spin briefly and then park on a futex; the
// bounded channels never allocate per message (one ring buffer, allocated
// up front); the unbounded one grows its ring buffer by doubling.
//
// Flavours. sync_channel(n) for n > 0 is lock-free: a ring of n slots, each
// with a stamp saying whether it is full for the current lap; producers and
// consumers claim indices by CAS on tail and head (crossbeam-channel's array
// flavour, after Dmitry Vyukov's bounded MPMC queue), and sleep on a futex
// only when the ring is full or empty; an operation nobody waits for makes
// no system call. channel() and sync_channel(0) keep one mutex around a
// ring.
//
// Waiting on several channels at once: sendsync::Select (select.h) works on
// the endpoints of channel() and sync_channel(); each of those channels keeps
// a list of the selecting threads parked on it and wakes them when it may
// have become ready for them.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_CHANNEL_H
#define SENDSYNC_CHANNEL_H

#include <atomic>
#include <bit>
#include <cassert>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>

#include "sendsync/annotations.h"
#include "sendsync/detail/futex.h"
#include "sendsync/detail/raw_mutex.h"
#include "sendsync/detail/ring.h"
#include "sendsync/detail/thread_annotations.h"
#include "sendsync/result.h"

namespace sendsync {

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

// recv() failed: every Sender is gone and nothing is buffered.
enum class RecvError { disconnected };
// try_recv() failed: nothing buffered right now, or never again.
enum class TryRecvError { empty, disconnected };
// recv_timeout() failed: nothing arrived in time, or never will.
enum class RecvTimeoutError { timeout, disconnected };

// Why a try_send() failed.
enum class TrySendErrorKind { full, disconnected };
// Why a send_timeout() failed.
enum class SendTimeoutErrorKind { timeout, disconnected };

// A human-readable name of each error, e.g. for logs.
constexpr const char* to_string(RecvError) noexcept {
  return "receiving on a disconnected channel";
}
constexpr const char* to_string(TryRecvError e) noexcept {
  return e == TryRecvError::empty ? "receiving on an empty channel"
                                  : "receiving on a disconnected channel";
}
constexpr const char* to_string(RecvTimeoutError e) noexcept {
  return e == RecvTimeoutError::timeout
             ? "timed out waiting on a channel"
             : "receiving on a disconnected channel";
}
constexpr const char* to_string(TrySendErrorKind e) noexcept {
  return e == TrySendErrorKind::full ? "sending on a full channel"
                                     : "sending on a disconnected channel";
}
constexpr const char* to_string(SendTimeoutErrorKind e) noexcept {
  return e == SendTimeoutErrorKind::timeout
             ? "timed out waiting on a full channel"
             : "sending on a disconnected channel";
}

// send() failed because the Receiver is gone; `value` is the unsent message.
template <class T> struct SendError {
  T value;
  static constexpr const char* what() noexcept {
    return "sending on a disconnected channel";
  }
};

// try_send() failed; `value` is the unsent message.
template <class T> struct TrySendError {
  TrySendErrorKind kind;
  T value;
  bool is_full() const noexcept { return kind == TrySendErrorKind::full; }
  bool is_disconnected() const noexcept {
    return kind == TrySendErrorKind::disconnected;
  }
  const char* what() const noexcept { return to_string(kind); }
};

// send_timeout() failed; `value` is the unsent message.
template <class T> struct SendTimeoutError {
  SendTimeoutErrorKind kind;
  T value;
  bool is_timeout() const noexcept {
    return kind == SendTimeoutErrorKind::timeout;
  }
  bool is_disconnected() const noexcept {
    return kind == SendTimeoutErrorKind::disconnected;
  }
  const char* what() const noexcept { return to_string(kind); }
};

// Thrown by spsc_channel(0): the lock-free ring needs at least one slot.
class InvalidCapacity : public std::invalid_argument {
 public:
  InvalidCapacity()
      : std::invalid_argument(
            "sendsync::spsc_channel: capacity must be at least 1") {}
};

template <class T> class Sender;
template <class T> class Receiver;

namespace detail {

enum class op_status { ok, would_block, timeout, disconnected };

// The threads blocked on one condition variable of a channel, and how many of
// them a notify_one() has already been sent to without their having woken up
// yet. Guarded by the channel's mutex.
//
// Why: a woken thread stays counted until it re-takes the mutex, which on a
// busy machine can take a whole scheduling quantum. Without the second count
// every send (or recv) in that window issued another futex wake-up system
// call for the same sleeper -- measured at ~99,000 wake-ups for ~600 sleeps in
// a 4-producer bounded run. Now a notify_one is sent only while some waiter
// has none on its way.
//
// No wake-up is lost: each notify_one bumps the condition variable's sequence
// number and wakes one parked thread, so it makes at least one waiter that
// had no signal return; hence `signalled` never exceeds the waiters that are
// certain to return, and while any waiter is not, waiting > signalled. A
// returning waiter consumes one signal whatever woke it (a timeout, a
// notify_all): at worst a later notify is then sent needlessly.
struct waiter_count {
  std::size_t waiting = 0;
  std::size_t signalled = 0;

  void enter() noexcept { ++waiting; }
  void leave() noexcept {
    --waiting;
    if (signalled > 0) --signalled;
  }
  // Whether a notify_one() is needed; if so it is counted as sent.
  bool take_signal() noexcept {
    if (waiting <= signalled) return false;
    ++signalled;
    return true;
  }
};

// A thread parked in Select (select.h): one futex word, 0 while it sleeps and
// 1 once some channel it is registered on has changed. Every registration
// and every notification happens under that channel's mutex, and the
// selecting thread unregisters under it too before it returns, so a channel
// never touches a waiter that is gone.
//
// `claimed` serves rendezvous offers (see chan_core::offer_or_register): 0,
// or 1 + the index of the one offered send a receiver took. A receiver must
// win it (0 -> index + 1) before taking an offered message, so of the offers
// a selecting thread has out on several channels at most one is taken.
struct select_waiter {
  std::atomic<std::uint32_t> state{0};
  std::atomic<std::uint32_t> claimed{0};

  // Only the first notification of a round makes a system call.
  void notify() noexcept {
    if (state.exchange(1, std::memory_order_acq_rel) == 0)
      futex_wake_one(&state);
  }
};

// One operation of a Select, registered on its channel: an intrusive list
// node, so that registering allocates nothing. Guarded by the channel's
// mutex while linked.
struct select_node {
  select_waiter* waiter = nullptr;
  std::uint32_t index = 0;  // the operation's index in its Select
  bool wants_recv = true;   // waits to receive (else to send)
  bool linked = false;
  bool offered = false;     // its message is in a rendezvous slot
  select_node* prev = nullptr;
  select_node* next = nullptr;
};

// The state shared by the endpoints of channel() and sync_channel(): a ring
// buffer under a spin-then-park mutex, two condition variables and waiter
// counts (so that a send or recv nobody waits for makes no system call).
//
// Memory ordering: every message moves through the mutex, so everything the
// sender did before send() happens-before everything the receiver does after
// the matching recv() returns.
template <class T> class chan_core {
 public:
  // kind: capacity == SIZE_MAX -> unbounded; 0 -> rendezvous; else bounded.
  explicit chan_core(std::size_t capacity)
      : cap_(capacity), buf_(capacity == 0 ? 1 : 0) {
    if (!is_array()) return;
    slots_ = std::make_unique<slot[]>(cap_);
    for (std::size_t i = 0; i < cap_; ++i)
      slots_[i].stamp.store(i, std::memory_order_relaxed);
    mark_bit_ = std::bit_ceil(cap_ + 1);
    one_lap_ = mark_bit_ * 2;
  }

  chan_core(const chan_core&) = delete;
  chan_core& operator=(const chan_core&) = delete;

  // The last endpoint is gone: nothing runs concurrently, and every message
  // still in a slot dies here (a send that raced with drop_receiver()).
  ~chan_core() {
    if (!is_array()) return;
    for (std::size_t i = 0; i < cap_; ++i)
      if (slots_[i].full) slots_[i].msg()->~T();
  }

  static constexpr std::size_t unbounded = SIZE_MAX;

  void add_sender() noexcept {
    mu_.lock();
    ++senders_;
    mu_.unlock();
  }

  void drop_sender() noexcept {
    mu_.lock();
    const bool last = --senders_ == 0;
    if (last) {
      if (is_array()) tail_.fetch_or(mark_bit_, std::memory_order_seq_cst);
      no_senders_.store(true, std::memory_order_relaxed);
      wake_selectors(/*recv_side=*/true);
    }
    const bool wake = last && recv_waiters_.waiting > 0;
    mu_.unlock();
    if (wake) not_empty_.notify_all();
    if (last && is_array()) wake_all_parked(/*recv_side=*/true);
  }

  void drop_receiver() noexcept {
    ring<T> doomed;
    mu_.lock();
    receiver_alive_ = false;
    no_receiver_.store(true, std::memory_order_relaxed);
    if (is_array()) tail_.fetch_or(mark_bit_, std::memory_order_seq_cst);
    // A rendezvous sender still owns its message in the slot (it takes it
    // back); buffered messages of the other kinds die here, outside the lock.
    if (cap_ != 0) {
      doomed.swap(buf_);
      len_.store(0, std::memory_order_relaxed);
    }
    wake_selectors(/*recv_side=*/false);
    const bool wake = send_waiters_.waiting > 0;
    mu_.unlock();
    if (wake) not_full_.notify_all();
    if (is_array()) {
      wake_all_parked(/*recv_side=*/false);
      // The marked tail stops new sends; popping until the ring reports
      // "disconnected" destroys what is buffered, waiting for sends that
      // claimed a slot before the mark to finish writing it.
      std::optional<T> doomed_msg;
      while (array_pop(doomed_msg) == op_status::ok) doomed_msg.reset();
    }
  }

  // Sends `v` (moved from only on success).
  //
  // Each flavour's path is a function of its own, and this only picks one
  // (a tail call): inlined together, either path paid the other's register
  // saves (about 20 instructions per operation, measured by callgrind).
  op_status send(T& v, bool block, const deadline_t& deadline) {
    return is_array() ? array_send(v, block, deadline)
                      : send_locked(v, block, deadline);
  }

  // Receives into `out`.
  op_status recv(std::optional<T>& out, bool block,
                 const deadline_t& deadline) {
    return is_array() ? array_recv(out, block, deadline)
                      : recv_locked(out, block, deadline);
  }

 private:
  // send() of the lock-free ring: the fast path inline, waiting out of line.
  [[gnu::noinline]] op_status array_send(T& v, bool block,
                                         const deadline_t& deadline) {
    op_status s = array_push(v);
    if (s == op_status::would_block && block)
      s = array_send_blocking(v, deadline);
    if (s == op_status::ok) notify(/*recv_side=*/true);
    return s;
  }

  [[gnu::noinline]] op_status array_recv(std::optional<T>& out, bool block,
                                         const deadline_t& deadline) {
    op_status s = array_pop(out);
    if (s == op_status::would_block && block)
      s = array_recv_blocking(out, deadline);
    if (s == op_status::ok) notify(/*recv_side=*/false);
    return s;
  }

  // send() of the unbounded and rendezvous channels.
  [[gnu::noinline]] op_status send_locked(T& v, bool block,
                                          const deadline_t& deadline) {
    if (cap_ == 0) return send_rendezvous(v, block, deadline);
    bool spun = false, timed_out = false;
    mu_.lock();
    for (;;) {
      if (!receiver_alive_) return unlock_with(op_status::disconnected);
      if (cap_ == unbounded || buf_.size() < cap_) {
        try {
          if (cap_ == unbounded)
            buf_.push_grow(std::move(v));
          else
            buf_.push(std::move(v));
        } catch (...) {
          mu_.unlock();
          throw;
        }
        len_.store(buf_.size(), std::memory_order_relaxed);
        wake_selectors(/*recv_side=*/true);
        const bool wake = recv_waiters_.take_signal();
        mu_.unlock();
        if (wake) not_empty_.notify_one();
        return op_status::ok;
      }
      if (!block) return unlock_with(op_status::would_block);
      if (timed_out) return unlock_with(op_status::timeout);
      if (!spun) {
        spun = true;
        mu_.unlock();
        spin_until([&] {
          return len_.load(std::memory_order_relaxed) < cap_ ||
                 no_receiver_.load(std::memory_order_relaxed);
        });
        mu_.lock();
        continue;
      }
      send_waiters_.enter();
      timed_out = !not_full_.wait(mu_, deadline);
      send_waiters_.leave();
    }
  }

  // recv() of the unbounded and rendezvous channels.
  [[gnu::noinline]] op_status recv_locked(std::optional<T>& out, bool block,
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
        len_.store(buf_.size(), std::memory_order_relaxed);
        // A rendezvous sender waits for *its* message to be taken, other
        // senders for the slot to be free: wake them all. A bounded sender
        // waits only for space, which one message frees for one sender.
        const bool all = cap_ == 0;
        if (all) ++taken_;
        wake_selectors(/*recv_side=*/false);
        const bool wake =
            all ? send_waiters_.waiting > 0 : send_waiters_.take_signal();
        mu_.unlock();
        if (wake) {
          if (all)
            not_full_.notify_all();
          else
            not_full_.notify_one();
        }
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
      // A rendezvous try_send (and so a selected send) succeeds only while a
      // receiver waits here: this receiver is what such a sender waits for.
      if (cap_ == 0) wake_selectors(/*recv_side=*/false);
      timed_out = !not_empty_.wait(mu_, deadline);
      recv_waiters_.leave();
    }
  }

 public:
  std::size_t size() noexcept {
    if (is_array()) return array_size();
    mu_.lock();
    const std::size_t n = buf_.size();
    mu_.unlock();
    return n;
  }

  std::optional<std::size_t> capacity() const noexcept {
    if (cap_ == unbounded) return std::nullopt;
    return cap_;
  }

  // Registers a selecting thread on this channel, to be notified when the
  // channel may have become ready for `n.wants_recv`. If it is ready already
  // nothing is registered and true is returned (the caller then tries its
  // operations again instead of sleeping): the check and the registration
  // are one step under the mutex, so no change can fall between them.
  //
  // The lock-free ring changes without the mutex, so there the node is
  // linked (and counted in the watch count that senders and receivers read
  // after every operation) before readiness is checked: either the check
  // sees the change, or the thread making it sees the count and wakes us.
  bool register_selector(select_node& n) noexcept {
    mu_.lock();
    if (is_array()) link(n);
    const bool ready = n.wants_recv ? recv_ready(n.waiter) : send_ready();
    if (is_array() && ready) unlink(n);
    if (!is_array() && !ready) link(n);
    mu_.unlock();
    return ready;
  }

  void unregister_selector(select_node& n) noexcept {
    mu_.lock();
    unlink(n);
    mu_.unlock();
  }

  // A selected send registering on this channel. On a rendezvous channel
  // with a free slot, the message `v` is offered: put in the slot (moved out
  // of `v`) for any receiver to take, as a blocked sender's would be, so
  // that two selects on the two ends of the channel pair up. A receiver
  // takes an offer only after winning its waiter's `claimed` word, so a
  // select with offers out on several channels completes at most one.
  // Otherwise as register_selector: true (nothing registered) if ready.
  bool offer_or_register(select_node& n, std::optional<T>& v) {
    if (is_array()) return register_selector(n);
    mu_.lock();
    if (cap_ != 0 || !receiver_alive_ || !buf_.empty()) {
      const bool ready = send_ready();
      if (!ready) link(n);
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
    link(n);  // woken if the receiver goes away
    wake_selectors(/*recv_side=*/true);
    if (recv_waiters_.take_signal()) not_empty_.notify_one();
    mu_.unlock();
    return false;
  }

  // Unregisters a selected send; if it had an offer out, returns whether a
  // receiver took it, and if none did, takes the message back into `v`
  // (retiring its ticket, as send_rendezvous's take-back does). A T whose
  // move constructor throws here terminates: the message could then be
  // neither left in the slot nor handed back.
  bool withdraw(select_node& n, std::optional<T>& v) noexcept {
    mu_.lock();
    unlink(n);
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
    wake_selectors(/*recv_side=*/false);  // the slot is free again
    const bool wake = send_waiters_.waiting > 0;
    mu_.unlock();
    if (wake) not_full_.notify_all();
    return false;
  }

 private:
  void unlink(select_node& n) noexcept SENDSYNC_REQUIRES(mu_) {
    if (!n.linked) return;
    if (n.prev != nullptr)
      n.prev->next = n.next;
    else
      selectors_ = n.next;
    if (n.next != nullptr) n.next->prev = n.prev;
    n.prev = n.next = nullptr;
    n.linked = false;
    side(n.wants_recv).selecting.fetch_sub(1, std::memory_order_relaxed);
    watch(n.wants_recv).fetch_sub(1, std::memory_order_relaxed);
  }

  void link(select_node& n) noexcept SENDSYNC_REQUIRES(mu_) {
    n.prev = nullptr;
    n.next = selectors_;
    if (selectors_ != nullptr) selectors_->prev = &n;
    selectors_ = &n;
    n.linked = true;
    side(n.wants_recv).selecting.fetch_add(1, std::memory_order_relaxed);
    watch(n.wants_recv).fetch_add(1, std::memory_order_seq_cst);
  }

  // Whether the message in the slot may be taken, with mu_ held and the
  // buffer not empty: yes unless it is a selecting sender's offer (then only
  // if this receiver wins the claim, and the selector is told so).
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
    if (is_array()) {
      const std::size_t tail = tail_.load(std::memory_order_seq_cst);
      return (tail & ~mark_bit_) != head_.load(std::memory_order_seq_cst);
    }
    if (buf_.empty()) return false;
    return offer_ == nullptr ||
           (offer_->waiter != self &&
            offer_->waiter->claimed.load(std::memory_order_acquire) == 0);
  }
  bool send_ready() const noexcept SENDSYNC_REQUIRES(mu_) {
    if (!receiver_alive_ || cap_ == unbounded) return true;
    if (is_array()) {
      const std::size_t tail = tail_.load(std::memory_order_seq_cst);
      return head_.load(std::memory_order_seq_cst) + one_lap_ !=
             (tail & ~mark_bit_);
    }
    if (cap_ == 0) return buf_.empty() && recv_waiters_.waiting > 0;
    return buf_.size() < cap_;
  }

  // Notifies every selecting thread waiting for this side; called with mu_
  // held (see select_waiter). All of them, not one: each may complete a
  // different operation and leave this channel's change to another.
  void wake_selectors(bool recv_side) noexcept SENDSYNC_REQUIRES(mu_) {
    for (select_node* n = selectors_; n != nullptr; n = n->next)
      if (n->wants_recv == recv_side) n->waiter->notify();
  }

  op_status unlock_with(op_status s) noexcept SENDSYNC_RELEASE(mu_) {
    mu_.unlock();
    return s;
  }

  // --- The lock-free ring (sync_channel(n), n > 0) -------------------------
  //
  // crossbeam-channel's array flavour. head_ and tail_ are positions
  // `lap | index`: the low bits below mark_bit_ index a slot, the bits from
  // one_lap_ up count laps; tail_ also carries mark_bit_ once either side
  // has disconnected. A slot's stamp is `position` when it is free for the
  // send claiming that position, `position + 1` once that send has written
  // it, and `position + one_lap_` once the receive claiming it has read it
  // (free for the next lap). A send claims the slot at tail_ by CAS when
  // its stamp equals tail_, a receive the slot at head_ when its stamp is
  // head_ + 1; the CAS claims, the stamp store (release) publishes, the
  // stamp load (acquire) of the other side makes the message visible.
  //
  // Memory ordering: the stamp publishes the message, so everything the
  // sender did before send() happens-before everything the receiver does
  // after the matching recv() returns.
  //
  // Parking: a thread that finds the ring full (empty) announces itself in
  // its side's watch count, tries once more, and then waits on the side's
  // sequence word (array_block). Every operation that completes reads the
  // other side's watch count after its claiming CAS (both seq_cst) and, only
  // if it is non-zero, bumps that side's sequence and wakes a sleeper if
  // there is one: either the parking thread's retry sees the change, or the
  // changer sees the count; no wake-up is lost, and an operation nobody
  // waits for makes no system call and touches no lock. mu_ serves only the
  // selectors' list.

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

  // 0 < cap_ < unbounded, as one unsigned comparison (it is on every send
  // and recv of every flavour).
  bool is_array() const noexcept { return cap_ - 1 < unbounded - 1; }

  // The threads waiting on one side of the ring: receivers waiting for a
  // message (recv_side_) or senders waiting for room (send_side_).
  struct alignas(cache_line) array_side {
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

  array_side& side(bool recv_side) noexcept {
    return recv_side ? recv_side_ : send_side_;
  }
  std::atomic<std::size_t>& watch(bool recv_side) noexcept {
    return side(recv_side).watch;
  }

  // Wakes every thread parked on a side (disconnection).
  void wake_all_parked(bool recv_side) noexcept {
    array_side& sd = side(recv_side);
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
  [[gnu::always_inline]] op_status array_push(T& v) {
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
  [[gnu::always_inline]] op_status array_pop(std::optional<T>& out) {
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

  std::size_t array_size() const noexcept {
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

  [[gnu::noinline]] op_status array_send_blocking(T& v,
                                                  const deadline_t& deadline) {
    return array_block([&] { return array_push(v); }, /*sending=*/true,
                       deadline);
  }
  [[gnu::noinline]] op_status array_recv_blocking(std::optional<T>& out,
                                                  const deadline_t& deadline) {
    return array_block([&] { return array_pop(out); }, /*sending=*/false,
                       deadline);
  }

  // Spins, then parks until `attempt()` (array_push or array_pop) returns
  // something other than would_block, or the deadline passes (timeout).
  //
  // Parking: announce (watch), note the side's seq, try once more, spin
  // while seq is unchanged, and only then sleep on it. Every operation that
  // completes on the other side after the announcement bumps seq (see
  // notify), so a change the retry missed always shows in seq; a thread
  // woken while still spinning needs no system call (the same two-phase
  // wait as crossbeam's Context::wait_until and std's thread parker).
  template <class Attempt>
  op_status array_block(Attempt&& attempt, bool sending,
                        const deadline_t& deadline) {
    op_status s = op_status::would_block;
    array_side& sd = side(!sending);
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
  // and every selector waiting on it, if there are any (see array_block).
  // `recv_side`: a message was sent (wake receivers), else one was received.
  void notify(bool recv_side) noexcept {
    if (watch(recv_side).load(std::memory_order_seq_cst) != 0)
      wake_other_side(recv_side);
  }
  [[gnu::noinline]] void wake_other_side(bool recv_side) noexcept {
    array_side& sd = side(recv_side);
    sd.seq.fetch_add(1, std::memory_order_seq_cst);
    if (sd.sleepers.load(std::memory_order_seq_cst) != 0)
      futex_wake_one(&sd.seq);
    if (sd.selecting.load(std::memory_order_relaxed) != 0) {
      mu_.lock();
      wake_selectors(recv_side);
      mu_.unlock();
    }
  }

  // Rendezvous: the sender parks its message in the one-message slot, then
  // waits until a receiver has taken it (taken_ passes its ticket). On
  // timeout or disconnection it takes the message back, still under the
  // lock, so a message is either received or returned, never both.
  //
  // Tickets: put_ counts the messages put in the slot and not taken back,
  // taken_ those receivers took, so put_ - taken_ == buf_.size() (0 or 1)
  // and the message in the slot always has ticket put_. A sender still
  // waiting with taken_ < ticket therefore owns the slot's message.
  op_status send_rendezvous(T& v, bool block, const deadline_t& deadline) {
    bool timed_out = false;
    mu_.lock();
    // 1. Wait for the slot to be free. A try_send succeeds only if a
    //    receiver is already waiting for it.
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
    wake_selectors(/*recv_side=*/true);
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
        wake_selectors(/*recv_side=*/false);  // the slot is free again
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

  raw_mutex mu_;
  const std::size_t cap_;
  // The unbounded and rendezvous flavours' buffer (the lock-free ring's is
  // slots_, below).
  ring<T> buf_ SENDSYNC_GUARDED_BY(mu_);
  std::size_t senders_ SENDSYNC_GUARDED_BY(mu_) = 1;
  bool receiver_alive_ SENDSYNC_GUARDED_BY(mu_) = true;
  waiter_count recv_waiters_ SENDSYNC_GUARDED_BY(mu_);
  waiter_count send_waiters_ SENDSYNC_GUARDED_BY(mu_);
  select_node* selectors_ SENDSYNC_GUARDED_BY(mu_) = nullptr;
  // Whose offer the slot holds (see offer_or_register).
  select_node* offer_ SENDSYNC_GUARDED_BY(mu_) = nullptr;
  // Rendezvous tickets (see send_rendezvous): messages put, less those taken
  // back, and messages receivers took.
  std::uint64_t put_ SENDSYNC_GUARDED_BY(mu_) = 0;
  std::uint64_t taken_ SENDSYNC_GUARDED_BY(mu_) = 0;
  // Lock-free hints for the spin phase only (decisions are made under mu_).
  alignas(cache_line) std::atomic<std::size_t> len_{0};
  std::atomic<bool> no_senders_{false};
  std::atomic<bool> no_receiver_{false};
  alignas(cache_line) raw_condvar not_empty_;
  alignas(cache_line) raw_condvar not_full_;
  // The lock-free ring (is_array() only). head_ and tail_ on lines of their
  // own: receivers write one, senders the other; each side's waiters on a
  // line of its own too (read after every operation, written only around
  // parking).
  std::unique_ptr<slot[]> slots_;
  std::size_t mark_bit_ = 0;
  std::size_t one_lap_ = 0;
  alignas(cache_line) std::atomic<std::size_t> head_{0};
  alignas(cache_line) std::atomic<std::size_t> tail_{0};
  array_side recv_side_;
  array_side send_side_;
};

template <class D>
deadline_t to_deadline(D timeout) {
  return deadline_t{deadline_after(timeout)};
}

// Input iterator over Rx::recv() until disconnection, shared by Receiver
// and SpscReceiver: each increment is one blocking recv(); an iterator equals
// end() once the channel is disconnected and drained. With Blocking false
// each increment is a try_recv() instead, and the iterator ends as soon as
// nothing is buffered (try_iter()).
template <class Rx, class T, bool Blocking = true>
class recv_iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using pointer = T*;
  using reference = T&;

  recv_iterator() = default;
  explicit recv_iterator(Rx* rx) : rx_(rx) { next(); }
  T& operator*() const noexcept { return *current_; }
  T* operator->() const noexcept { return &*current_; }
  recv_iterator& operator++() {
    next();
    return *this;
  }
  void operator++(int) { next(); }
  friend bool operator==(const recv_iterator& a,
                         const recv_iterator& b) noexcept {
    return a.rx_ == b.rx_;
  }

 private:
  void next() {
    current_.reset();
    if constexpr (Blocking) {
      if (auto r = rx_->recv()) {
        current_.emplace(std::move(*r));
        return;
      }
    } else {
      if (auto r = rx_->try_recv()) {
        current_.emplace(std::move(*r));
        return;
      }
    }
    rx_ = nullptr;
  }
  Rx* rx_ = nullptr;
  mutable std::optional<T> current_;
};

// What try_iter() returns: a range over the messages that can be received
// without waiting (Rust's TryIter). It borrows the receiver.
template <class Rx, class T> class try_iter_range {
 public:
  using iterator = recv_iterator<Rx, T, false>;
  explicit try_iter_range(Rx* rx) noexcept : rx_(rx) {}
  // Receives the first message, if one is buffered.
  iterator begin() const { return iterator(rx_); }
  iterator end() const noexcept { return iterator(); }

 private:
  Rx* rx_;
};

// The one door from Select (select.h) to an endpoint's channel state.
struct chan_access {
  template <class E> static const auto& core(const E& endpoint) noexcept {
    return endpoint.core_;
  }
};

}  // namespace detail

// Sender<T>
//
// The sending side of channel() / sync_channel(). Copying a Sender adds a
// producer; the channel disconnects for the receiver when the last copy is
// destroyed. A moved-from Sender must only be destroyed or assigned to.
//
// Send and Sync iff T is Send: it moves T values to the receiving thread.
// Both are inferred from its one member, a shared_ptr to the channel state,
// whose locked members are SENDSYNC_GUARDED_BY the channel's mutex.
// ThreadSafe iff T is Send: every operation is const and locks the channel,
// so one Sender may be used by several threads at once (as crossbeam's
// Sender); annotated, because the shared_ptr itself, which assignment and
// swap rewrite, is not ThreadSafe.
template <class T> class SENDSYNC_THREAD_SAFE_IF("T: Send") Sender {
 public:
  Sender(const Sender& o) noexcept : core_(o.core_) {
    if (core_) core_->add_sender();
  }
  Sender(Sender&& o) noexcept = default;
  Sender& operator=(const Sender& o) noexcept {
    Sender(o).swap(*this);
    return *this;
  }
  Sender& operator=(Sender&& o) noexcept {
    Sender(std::move(o)).swap(*this);
    return *this;
  }
  ~Sender() {
    if (core_) core_->drop_sender();
  }

  void swap(Sender& o) noexcept { core_.swap(o.core_); }

  // Sends `value`, blocking while a bounded channel is full (and, for a
  // rendezvous channel, until a receiver takes it). Fails only if the
  // Receiver is gone, handing the value back.
  //
  // Example:
  //   if (auto r = tx.send(std::move(job)); !r)
  //     log("worker gone, job", r.error().value.id, "dropped");
  Result<void, SendError<T>> send(T value) const {
    const auto s = core_->send(value, true, detail::deadline_t{});
    if (s == detail::op_status::ok) return Result<void, SendError<T>>::ok();
    return Result<void, SendError<T>>::err(SendError<T>{std::move(value)});
  }

  // Sends `value` only if that needs no waiting: space in a bounded channel,
  // or a receiver already waiting on a rendezvous channel.
  //
  // Example:
  //   if (auto r = tx.try_send(sample); !r && r.error().is_full())
  //     ++dropped_samples;
  Result<void, TrySendError<T>> try_send(T value) const {
    const auto s = core_->send(value, false, detail::deadline_t{});
    if (s == detail::op_status::ok) return Result<void, TrySendError<T>>::ok();
    return Result<void, TrySendError<T>>::err(TrySendError<T>{
        s == detail::op_status::disconnected ? TrySendErrorKind::disconnected
                                             : TrySendErrorKind::full,
        std::move(value)});
  }

  // As send(), waiting at most `timeout`.
  //
  // Example:
  //   auto r = tx.send_timeout(std::move(msg), 50ms);
  //   if (!r && r.error().is_timeout()) msg = std::move(r.error().value);
  template <class Rep, class Period>
  Result<void, SendTimeoutError<T>> send_timeout(
      T value, std::chrono::duration<Rep, Period> timeout) const {
    return send_until(std::move(value), detail::to_deadline(timeout));
  }

  // As send(), waiting at most until `deadline`.
  template <class Clock, class Duration>
  Result<void, SendTimeoutError<T>> send_deadline(
      T value, std::chrono::time_point<Clock, Duration> deadline) const {
    return send_timeout(std::move(value), deadline - Clock::now());
  }

  // Number of messages buffered right now (a snapshot).
  [[nodiscard]] std::size_t size() const noexcept { return core_->size(); }
  // The bound given to sync_channel(), or nullopt for channel().
  [[nodiscard]] std::optional<std::size_t> capacity() const noexcept {
    return core_->capacity();
  }

 private:
  template <class U> friend std::pair<Sender<U>, Receiver<U>> channel();
  template <class U>
  friend std::pair<Sender<U>, Receiver<U>> sync_channel(std::size_t);

  friend struct detail::chan_access;

  explicit Sender(std::shared_ptr<detail::chan_core<T>> c) noexcept
      : core_(std::move(c)) {}

  Result<void, SendTimeoutError<T>> send_until(
      T value, const detail::deadline_t& deadline) const {
    const auto s = core_->send(value, true, deadline);
    if (s == detail::op_status::ok)
      return Result<void, SendTimeoutError<T>>::ok();
    return Result<void, SendTimeoutError<T>>::err(SendTimeoutError<T>{
        s == detail::op_status::disconnected
            ? SendTimeoutErrorKind::disconnected
            : SendTimeoutErrorKind::timeout,
        std::move(value)});
  }

  // mutable state behind a pointer: operations are const (like crossbeam's
  // `&self`) and synchronised by the channel's lock.
  std::shared_ptr<detail::chan_core<T>> core_;
};

// Receiver<T>
//
// The receiving side of channel() / sync_channel(). Move-only; destroying it
// disconnects the channel (blocked senders fail and get their message back)
// and destroys the messages still buffered. Iterating over a Receiver
// receives until the channel is disconnected and drained:
//
//   for (Job& job : rx) run(job);
//
// Send and Sync iff T is Send, inferred as for Sender. ThreadSafe iff T is
// Send (annotated as for Sender): recv() locks the channel, so several
// threads may receive through one `Receiver&` at once (multi-consumer), each
// message going to exactly one of them.
template <class T> class SENDSYNC_THREAD_SAFE_IF("T: Send") Receiver {
 public:
  Receiver(Receiver&&) noexcept = default;
  Receiver& operator=(Receiver&& o) noexcept {
    Receiver(std::move(o)).swap(*this);
    return *this;
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;
  ~Receiver() {
    if (core_) core_->drop_receiver();
  }

  void swap(Receiver& o) noexcept { core_.swap(o.core_); }

  // Blocks until a message arrives; fails once every Sender is gone and the
  // buffer is drained.
  //
  // Example:
  //   while (auto msg = rx.recv()) handle(*msg);
  Result<T, RecvError> recv() const {
    std::optional<T> out;
    if (core_->recv(out, true, detail::deadline_t{}) == detail::op_status::ok)
      return Result<T, RecvError>::ok(std::move(*out));
    return Result<T, RecvError>::err(RecvError::disconnected);
  }

  // Takes a message if one is ready now.
  //
  // Example:
  //   while (auto msg = rx.try_recv()) handle(*msg);   // drain, never block
  Result<T, TryRecvError> try_recv() const {
    std::optional<T> out;
    switch (core_->recv(out, false, detail::deadline_t{})) {
      case detail::op_status::ok:
        return Result<T, TryRecvError>::ok(std::move(*out));
      case detail::op_status::disconnected:
        return Result<T, TryRecvError>::err(TryRecvError::disconnected);
      default:
        return Result<T, TryRecvError>::err(TryRecvError::empty);
    }
  }

  // As recv(), waiting at most `timeout`.
  //
  // Example:
  //   auto msg = rx.recv_timeout(100ms);
  //   if (!msg && msg.error() == RecvTimeoutError::timeout) heartbeat();
  template <class Rep, class Period>
  Result<T, RecvTimeoutError> recv_timeout(
      std::chrono::duration<Rep, Period> timeout) const {
    return recv_until(detail::to_deadline(timeout));
  }

  // As recv(), waiting at most until `deadline`.
  template <class Clock, class Duration>
  Result<T, RecvTimeoutError> recv_deadline(
      std::chrono::time_point<Clock, Duration> deadline) const {
    return recv_timeout(deadline - Clock::now());
  }

  // Number of messages buffered right now (a snapshot).
  [[nodiscard]] std::size_t size() const noexcept { return core_->size(); }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] std::optional<std::size_t> capacity() const noexcept {
    return core_->capacity();
  }

  // Input iterator: each increment is a blocking recv(); equal to end() once
  // the channel is disconnected and drained.
  using iterator = detail::recv_iterator<const Receiver, T>;

  // Starts receiving (blocks for the first message).
  iterator begin() const { return iterator(this); }
  iterator end() const noexcept { return iterator(); }

  // A range over the messages buffered right now: each step is a
  // try_recv(), and it ends at the first one that finds nothing (empty or
  // disconnected). Never blocks. As Rust's Receiver::try_iter.
  //
  // Example:
  //   for (Event& e : rx.try_iter()) apply(e);   // drain, then go on
  detail::try_iter_range<const Receiver, T> try_iter() const noexcept {
    return detail::try_iter_range<const Receiver, T>(this);
  }

 private:
  template <class U> friend std::pair<Sender<U>, Receiver<U>> channel();
  template <class U>
  friend std::pair<Sender<U>, Receiver<U>> sync_channel(std::size_t);

  friend struct detail::chan_access;

  explicit Receiver(std::shared_ptr<detail::chan_core<T>> c) noexcept
      : core_(std::move(c)) {}

  Result<T, RecvTimeoutError> recv_until(const detail::deadline_t& d) const {
    std::optional<T> out;
    switch (core_->recv(out, true, d)) {
      case detail::op_status::ok:
        return Result<T, RecvTimeoutError>::ok(std::move(*out));
      case detail::op_status::disconnected:
        return Result<T, RecvTimeoutError>::err(RecvTimeoutError::disconnected);
      default:
        return Result<T, RecvTimeoutError>::err(RecvTimeoutError::timeout);
    }
  }

  std::shared_ptr<detail::chan_core<T>> core_;
};

// Creates an unbounded channel: send never blocks (it may allocate when the
// ring buffer doubles).
//
// Example:
//   auto [tx, rx] = sendsync::channel<int>();
//   (void)tx.send(1);
//   assert(rx.recv().value() == 1);
template <class T> std::pair<Sender<T>, Receiver<T>> channel() {
  auto core =
      std::make_shared<detail::chan_core<T>>(detail::chan_core<T>::unbounded);
  return {Sender<T>(core), Receiver<T>(core)};
}

// Creates a bounded channel holding at most `capacity` messages; send blocks
// while it is full. `capacity == 0` makes a rendezvous channel: send returns
// only once a receiver has taken the message.
//
// Example:
//   auto [tx, rx] = sendsync::sync_channel<Job>(64);   // back-pressure at 64
template <class T>
std::pair<Sender<T>, Receiver<T>> sync_channel(std::size_t capacity) {
  if (capacity == detail::chan_core<T>::unbounded) --capacity;
  auto core = std::make_shared<detail::chan_core<T>>(capacity);
  return {Sender<T>(core), Receiver<T>(core)};
}

// ---------------------------------------------------------------------------
// Single-producer single-consumer channel
// ---------------------------------------------------------------------------

namespace detail {

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

}  // namespace detail

template <class T> class SpscSender;
template <class T> class SpscReceiver;

template <class T>
std::pair<SpscSender<T>, SpscReceiver<T>> spsc_channel(std::size_t capacity);

// SpscSender<T>
//
// The sending side of spsc_channel(). Move-only: there is exactly one
// producer. A moved-from SpscSender must only be destroyed or assigned to.
//
// Send iff T is Send (the handle may move to the producer thread), inferred
// from its shared_ptr to the ring. Not Sync (annotated: a protocol the
// checker cannot see): its operations update producer-private indices
// without a lock, so two threads must never use one SpscSender at once.
template <class T> class SENDSYNC_NOT_SYNC SpscSender {
 public:
  SpscSender(SpscSender&&) noexcept = default;
  SpscSender& operator=(SpscSender&& o) noexcept {
    SpscSender(std::move(o)).swap(*this);
    return *this;
  }
  SpscSender(const SpscSender&) = delete;
  SpscSender& operator=(const SpscSender&) = delete;
  ~SpscSender() {
    if (core_) core_->drop_sender();
  }
  void swap(SpscSender& o) noexcept { core_.swap(o.core_); }

  // Sends `value`, blocking (spin, then park) while the ring is full. Fails
  // only if the receiver is gone, handing the value back.
  //
  // Example:
  //   auto [tx, rx] = sendsync::spsc_channel<Frame>(256);
  //   (void)tx.send(std::move(frame));
  Result<void, SendError<T>> send(T value) {
    if (core_->send(value, true, detail::deadline_t{}) == detail::op_status::ok)
      return Result<void, SendError<T>>::ok();
    return Result<void, SendError<T>>::err(SendError<T>{std::move(value)});
  }

  // Sends `value` if there is space now (wait-free).
  Result<void, TrySendError<T>> try_send(T value) {
    const auto s = core_->send(value, false, detail::deadline_t{});
    if (s == detail::op_status::ok) return Result<void, TrySendError<T>>::ok();
    return Result<void, TrySendError<T>>::err(TrySendError<T>{
        s == detail::op_status::disconnected ? TrySendErrorKind::disconnected
                                             : TrySendErrorKind::full,
        std::move(value)});
  }

  // As send(), waiting at most `timeout`.
  template <class Rep, class Period>
  Result<void, SendTimeoutError<T>> send_timeout(
      T value, std::chrono::duration<Rep, Period> timeout) {
    const auto s = core_->send(value, true, detail::to_deadline(timeout));
    if (s == detail::op_status::ok)
      return Result<void, SendTimeoutError<T>>::ok();
    return Result<void, SendTimeoutError<T>>::err(SendTimeoutError<T>{
        s == detail::op_status::disconnected
            ? SendTimeoutErrorKind::disconnected
            : SendTimeoutErrorKind::timeout,
        std::move(value)});
  }

  // As send(), waiting at most until `deadline`.
  template <class Clock, class Duration>
  Result<void, SendTimeoutError<T>> send_deadline(
      T value, std::chrono::time_point<Clock, Duration> deadline) {
    return send_timeout(std::move(value), deadline - Clock::now());
  }

  [[nodiscard]] std::size_t capacity() const noexcept {
    return core_->capacity();
  }

 private:
  friend std::pair<SpscSender<T>, SpscReceiver<T>> spsc_channel<T>(std::size_t);
  explicit SpscSender(std::shared_ptr<detail::spsc_core<T>> c) noexcept
      : core_(std::move(c)) {}
  std::shared_ptr<detail::spsc_core<T>> core_;
};

// SpscReceiver<T>
//
// The receiving side of spsc_channel(). Move-only (one consumer); iterable
// like Receiver<T>.
//
// Send iff T is Send, inferred as for SpscSender. Not Sync (annotated): recv
// updates consumer-private indices without a lock.
template <class T> class SENDSYNC_NOT_SYNC SpscReceiver {
 public:
  SpscReceiver(SpscReceiver&&) noexcept = default;
  SpscReceiver& operator=(SpscReceiver&& o) noexcept {
    SpscReceiver(std::move(o)).swap(*this);
    return *this;
  }
  SpscReceiver(const SpscReceiver&) = delete;
  SpscReceiver& operator=(const SpscReceiver&) = delete;
  ~SpscReceiver() {
    if (core_) core_->drop_receiver();
  }
  void swap(SpscReceiver& o) noexcept { core_.swap(o.core_); }

  // Blocks until a message arrives; fails once the sender is gone and the
  // ring is drained.
  //
  // Example:
  //   while (auto f = rx.recv()) render(*f);
  Result<T, RecvError> recv() {
    std::optional<T> out;
    if (core_->recv(out, true, detail::deadline_t{}) == detail::op_status::ok)
      return Result<T, RecvError>::ok(std::move(*out));
    return Result<T, RecvError>::err(RecvError::disconnected);
  }

  // Takes a message if one is ready now (wait-free).
  Result<T, TryRecvError> try_recv() {
    std::optional<T> out;
    switch (core_->recv(out, false, detail::deadline_t{})) {
      case detail::op_status::ok:
        return Result<T, TryRecvError>::ok(std::move(*out));
      case detail::op_status::disconnected:
        return Result<T, TryRecvError>::err(TryRecvError::disconnected);
      default:
        return Result<T, TryRecvError>::err(TryRecvError::empty);
    }
  }

  // As recv(), waiting at most `timeout`.
  template <class Rep, class Period>
  Result<T, RecvTimeoutError> recv_timeout(
      std::chrono::duration<Rep, Period> timeout) {
    std::optional<T> out;
    switch (core_->recv(out, true, detail::to_deadline(timeout))) {
      case detail::op_status::ok:
        return Result<T, RecvTimeoutError>::ok(std::move(*out));
      case detail::op_status::disconnected:
        return Result<T, RecvTimeoutError>::err(RecvTimeoutError::disconnected);
      default:
        return Result<T, RecvTimeoutError>::err(RecvTimeoutError::timeout);
    }
  }

  // As recv(), waiting at most until `deadline`.
  template <class Clock, class Duration>
  Result<T, RecvTimeoutError> recv_deadline(
      std::chrono::time_point<Clock, Duration> deadline) {
    return recv_timeout(deadline - Clock::now());
  }

  [[nodiscard]] std::size_t size() const noexcept { return core_->size(); }
  [[nodiscard]] std::size_t capacity() const noexcept {
    return core_->capacity();
  }

  // Input iterator over blocking recv() until disconnection.
  using iterator = detail::recv_iterator<SpscReceiver, T>;

  iterator begin() { return iterator(this); }
  iterator end() noexcept { return iterator(); }

  // A range over the messages buffered right now (never blocks); see
  // Receiver::try_iter.
  detail::try_iter_range<SpscReceiver, T> try_iter() noexcept {
    return detail::try_iter_range<SpscReceiver, T>(this);
  }

 private:
  friend std::pair<SpscSender<T>, SpscReceiver<T>> spsc_channel<T>(std::size_t);
  explicit SpscReceiver(std::shared_ptr<detail::spsc_core<T>> c) noexcept
      : core_(std::move(c)) {}
  std::shared_ptr<detail::spsc_core<T>> core_;
};

// Creates a lock-free single-producer single-consumer channel holding at most
// `capacity` messages (allocated once). Throws InvalidCapacity if
// `capacity == 0`.
//
// Example:
//   auto [tx, rx] = sendsync::spsc_channel<int>(1024);
//   auto producer = sendsync::spawn([tx = std::move(tx)]() mutable {
//     for (int i = 0; i < 100; ++i) (void)tx.send(i);
//   });
//   for (int v : rx) consume(v);   // ends when the producer is done
template <class T>
std::pair<SpscSender<T>, SpscReceiver<T>> spsc_channel(std::size_t capacity) {
  if (capacity == 0 || capacity == SIZE_MAX) throw InvalidCapacity();
  auto core = std::make_shared<detail::spsc_core<T>>(capacity);
  return {SpscSender<T>(core), SpscReceiver<T>(core)};
}

}  // namespace sendsync

#endif  // SENDSYNC_CHANNEL_H
