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
//
// (crossbeam-channel's waker.rs and context.rs.)
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_FLAVORS_WAKER_H
#define SENDSYNC_DETAIL_FLAVORS_WAKER_H

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "sendsync/detail/futex.h"

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

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_FLAVORS_WAKER_H
