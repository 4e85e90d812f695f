//===- sendsync/detail/flavors/waker.h - Channel waiters --------*- C++ -*-===//
//
// Internal. What every channel flavour (array.h, list.h, zero.h) shares:
//
//   op_status        how a send or recv ended, before the endpoints turn it
//                    into a Result
//   waiter_count     the threads blocked on one condition variable
//   select_waiter    a thread parked in Select (select.h)
//   select_node      one Select operation registered on a channel
//   link_selector / unlink_selector / notify_selectors
//                    the intrusive list of a channel's select_nodes
//   wait_side        the threads parked on one side of a lock-free flavour
//   lock_free_waker  what the lock-free flavours (array.h, list.h) share:
//                    their wait_sides, their selectors, and Select's entry
//                    points (register_selector ... withdraw)
//
// (crossbeam-channel's waker.rs and context.rs.)
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_FLAVORS_WAKER_H
#define SENDSYNC_DETAIL_FLAVORS_WAKER_H

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "sendsync/detail/futex.h"
#include "sendsync/detail/raw_mutex.h"
#include "sendsync/detail/thread_annotations.h"

namespace sendsync::detail {

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
// `claimed` serves rendezvous offers (see zero_channel::offer_or_register):
// 0, or 1 + the index of the one offered send a receiver took. A receiver
// must win it (0 -> index + 1) before taking an offered message, so of the
// offers a selecting thread has out on several channels at most one is
// taken.
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

// The list of a channel's registered select_nodes, headed by `head`; every
// call with the channel's mutex held. Free functions over the flavour's own
// `select_node*` member rather than a list class, so that the member stays
// SENDSYNC_GUARDED_BY the flavour's mutex, where the checker's inference
// sees it.
inline void link_selector(select_node*& head, select_node& n) noexcept {
  n.prev = nullptr;
  n.next = head;
  if (head != nullptr) head->prev = &n;
  head = &n;
  n.linked = true;
}

// Whether `n` was linked (and is not any more).
inline bool unlink_selector(select_node*& head, select_node& n) noexcept {
  if (!n.linked) return false;
  if (n.prev != nullptr)
    n.prev->next = n.next;
  else
    head = n.next;
  if (n.next != nullptr) n.next->prev = n.prev;
  n.prev = n.next = nullptr;
  n.linked = false;
  return true;
}

// Notifies every selecting thread waiting for one side (`recv_side`: those
// waiting to receive). All of them, not one: each may complete a different
// operation and leave this channel's change to another.
inline void notify_selectors(select_node* head, bool recv_side) noexcept {
  for (select_node* n = head; n != nullptr; n = n->next)
    if (n->wants_recv == recv_side) n->waiter->notify();
}

// The threads waiting on one side of a lock-free flavour (array.h, list.h):
// receivers waiting for a message, or senders waiting for room.
//
// Parking: a thread whose operation would block spins, then announces
// itself in `watch`, notes `seq`, tries once more, spins while `seq` is
// unchanged, and only then sleeps on it (block). Every operation that
// completes on the other side reads `watch` after its claiming CAS (both
// seq_cst) and, only if it is non-zero, calls wake_one, which bumps `seq`:
// either the parking thread's retry sees the change, or the changer sees
// the count; no wake-up is lost, and an operation nobody waits for makes no
// system call and touches no lock. A thread woken while it still spins needs
// no system call (the same two-phase wait as crossbeam's
// Context::wait_until and std's thread parker).
//
// `sleepers` counts the threads on (or about to join) the futex's queue, so
// that wake_one makes a system call only when somebody may be asleep. A
// thread is counted before it parks and uncounted as soon as it is off the
// queue: by the waker that took it off (futex_wake_one says it did), at
// once, or by itself if it returned for another reason (futex_park says
// which). Why the waker: a woken thread may wait a whole scheduling quantum
// before it runs; had it to uncount itself, every operation in that time
// would make another wake-up call, for threads already woken. Measured in
// 1p4c-bounded (one producer, four receivers, two CPUs, loaded): 43,000 to
// 174,000 FUTEX_WAKE calls per run for 47 to 292 FUTEX_WAITs, where
// crossbeam-channel's SyncWaker, which takes the receiver it wakes off its
// list, made 18 to 138 futex calls in all. (Crossbeam picks the thread it
// wakes; here the kernel does, which is as good: every sleeper of a side
// waits for the same thing.)
//
// No wake-up is lost to the early uncounting: `sleepers` never counts fewer
// threads than are on the queue (each is counted before it queues, and
// uncounted only after it left), so a waker that reads 0 after its bump has
// nobody on the queue to wake, and a thread that queues later compares the
// bumped `seq` and does not sleep. The error can only go the other way: a
// stray FUTEX_WAKE on `seq`'s address (from code that used the memory
// before, futex(2)'s caveat: glibc's and our mutexes wake after release)
// reads as `woken` although no waker uncounted the thread, and leaves
// `sleepers` one too high; that costs a wake-up call that wakes nobody per
// notify while someone watches, never a lost wake-up.
struct alignas(cache_line) wait_side {
  // Threads announced to park, plus selectors linked: an operation that
  // completes on the other side reads it, and does nothing more when 0.
  std::atomic<std::size_t> watch{0};
  std::atomic<std::size_t> selecting{0};  // selectors linked (by the mutex)
  // Bumped by every completed operation while watch > 0: the futex word the
  // parked threads sleep on.
  std::atomic<std::uint32_t> seq{0};
  // Threads that may be on seq's futex queue (see above).
  std::atomic<std::uint32_t> sleepers{0};

  // Whether a completed operation must call wake_one.
  [[gnu::always_inline]] bool watched() const noexcept {
    return watch.load(std::memory_order_seq_cst) != 0;
  }

  // After an operation completed on the other side: wakes one sleeper if
  // there is one. Returns whether selectors wait here (the caller notifies
  // them, under its mutex).
  bool wake_one() noexcept {
    seq.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers.load(std::memory_order_seq_cst) != 0 && futex_wake_one(&seq))
      sleepers.fetch_sub(1, std::memory_order_relaxed);
    return selecting.load(std::memory_order_relaxed) != 0;
  }

  // Wakes every sleeper (disconnection).
  void wake_all() noexcept {
    seq.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers.load(std::memory_order_seq_cst) != 0)
      sleepers.fetch_sub(futex_wake_all(&seq), std::memory_order_relaxed);
  }

  // Spins, then parks until `attempt()` returns something other than
  // would_block, or the deadline passes (timeout). See above. While it
  // spins, `attempt()` is made only when `probe()`, which reads less, says
  // that something may have changed (see array_channel::recv_probe); the
  // attempt after announcing does not ask.
  template <class Attempt, class Probe>
  op_status block(Attempt&& attempt, Probe&& probe,
                  const deadline_t& deadline) {
    op_status s = op_status::would_block;
    for (;;) {
      // Spin first, after every wake-up too: a woken thread whose slot (or
      // message) another took meanwhile usually gets the next one within
      // the spin, where parking again would cost two more system calls.
      if (spin_until([&] {
            return probe() && (s = attempt()) != op_status::would_block;
          }))
        return s;
      bool timed_out = false;
      watch.fetch_add(1, std::memory_order_seq_cst);
      const std::uint32_t seen = seq.load(std::memory_order_seq_cst);
      try {
        s = attempt();  // the retry after announcing
      } catch (...) {
        watch.fetch_sub(1, std::memory_order_relaxed);
        throw;
      }
      if (s == op_status::would_block &&
          !spin_until([&] {
            return seq.load(std::memory_order_acquire) != seen;
          })) {
        sleepers.fetch_add(1, std::memory_order_seq_cst);
        const park_result r = futex_park(&seq, seen, deadline);
        if (r != park_result::woken)  // else the waker uncounted us
          sleepers.fetch_sub(1, std::memory_order_relaxed);
        timed_out = r == park_result::timed_out;
      }
      watch.fetch_sub(1, std::memory_order_relaxed);
      if (s != op_status::would_block) return s;
      if (timed_out) {
        s = attempt();
        return s == op_status::would_block ? op_status::timeout : s;
      }
    }
  }
};

// What the lock-free flavours share (CRTP: `class array_channel : public
// lock_free_waker<array_channel>`): a wait_side for each side, the list of
// selectors, and Select's four entry points (chan_core forwards to them).
// The flavour supplies
//
//   bool ready(bool recv_side) const noexcept
//       whether a non-blocking recv (send) would complete now, successfully
//       or with disconnection, read without any lock (the ring changes
//       without one; disconnection is the tail's mark bit)
//
// and calls notify() after every operation that completes and
// disconnect() when one side is gone. The rendezvous flavour (zero.h)
// registers selectors otherwise: it checks readiness and links in one step
// under its mutex, and a selected send there offers its message.
template <class Derived> class lock_free_waker {
 public:
  // Registers a selecting thread, to be notified when the channel may have
  // become ready for `n.wants_recv`; if it is ready already, nothing stays
  // registered and true is returned (the caller then tries its operations
  // again instead of sleeping). The ring changes without the mutex, so the
  // node is linked (and counted in the side's watch count that the other
  // side reads after every operation) before readiness is checked: either
  // the check sees the change, or the thread making it sees the count and
  // notifies us.
  bool register_selector(select_node& n) noexcept {
    mu_.lock();
    link(n);
    const bool ready =
        static_cast<const Derived&>(*this).ready(n.wants_recv);
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
  template <class T>
  bool offer_or_register(select_node& n, std::optional<T>&) noexcept {
    return register_selector(n);
  }
  // Whether a receiver took an offer: never here.
  template <class T>
  bool withdraw(select_node& n, std::optional<T>&) noexcept {
    unregister_selector(n);
    return false;
  }

 protected:
  lock_free_waker() = default;

  wait_side& side(bool recv_side) noexcept {
    return recv_side ? recv_side_ : send_side_;
  }

  // After a completed operation: wakes one parked thread of a side and
  // every selector waiting on it, if there are any. `recv_side`: a message
  // was sent (wake receivers), else one was received (wake senders).
  [[gnu::always_inline]] void notify(bool recv_side) noexcept {
    if (side(recv_side).watched()) wake(recv_side);
  }

  // One side is gone (the tail is marked): wakes every thread and selector
  // waiting on the other, `recv_side`.
  void disconnect(bool recv_side) noexcept {
    mu_.lock();
    notify_selectors(selectors_, recv_side);
    mu_.unlock();
    side(recv_side).wake_all();
  }

 private:
  [[gnu::noinline]] void wake(bool recv_side) noexcept {
    if (side(recv_side).wake_one()) {
      mu_.lock();
      notify_selectors(selectors_, recv_side);
      mu_.unlock();
    }
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

  raw_mutex mu_;
  select_node* selectors_ SENDSYNC_GUARDED_BY(mu_) = nullptr;
  // Each side's waiters on a line of their own (read after every
  // operation, written only around parking).
  wait_side recv_side_;
  wait_side send_side_;
};

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_FLAVORS_WAKER_H
