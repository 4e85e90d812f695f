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
// up front); the unbounded one allocates a block of 31 slots per 31
// messages.
//
// Flavours, each in a header of its own under detail/flavors/ (as
// crossbeam-channel's flavors/), behind one pair of endpoint templates
// (detail::basic_sender, detail::basic_receiver) that spell the API once:
//   array.h  sync_channel(n), n > 0: lock-free, a ring of n slots, each with
//            a stamp saying whether it is full for the current lap;
//            producers and consumers claim indices by CAS on tail and head
//            (after Dmitry Vyukov's bounded MPMC queue) and sleep on a futex
//            only when the ring is full or empty; an operation nobody waits
//            for makes no system call
//   list.h   channel(): lock-free, a linked list of blocks of 31 slots
//            (crossbeam's list flavour); sends never wait, receivers
//            sleep on a futex only when it is empty
//   zero.h   sync_channel(0): a one-message slot under one mutex
//   spsc.h   spsc_channel(n): a lock-free ring, one producer, one consumer
// Sender and Receiver pick their flavour at run time (detail::chan_core, one
// switch per operation); SpscSender and SpscReceiver at compile time.
//
// Waiting on several channels at once: sendsync::Select (select.h) works on
// the endpoints of channel() and sync_channel(); each of those channels keeps
// a list of the selecting threads parked on it and wakes them when it may
// have become ready for them.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_CHANNEL_H
#define SENDSYNC_CHANNEL_H

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <variant>

#include "sendsync/annotations.h"
#include "sendsync/detail/flavors/array.h"
#include "sendsync/detail/flavors/list.h"
#include "sendsync/detail/flavors/spsc.h"
#include "sendsync/detail/flavors/waker.h"
#include "sendsync/detail/flavors/zero.h"
#include "sendsync/detail/futex.h"
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
template <class T> class SpscSender;
template <class T> class SpscReceiver;

namespace detail {

// The state shared by the endpoints of channel() and sync_channel(): one of
// the three flavours, chosen by the factory (crossbeam's SenderFlavor /
// ReceiverFlavor enums). Every operation is one switch on the flavour and a
// call: each flavour's send and recv are out of line, so none pays for
// another's registers.
//
// Send and Sync iff T is Send, inferred from the flavours.
template <class T> class chan_core {
 public:
  template <std::size_t I, class... Args>
  explicit chan_core(std::in_place_index_t<I> flavor, Args&&... args)
      : flavor_(flavor, std::forward<Args>(args)...) {}

  chan_core(const chan_core&) = delete;
  chan_core& operator=(const chan_core&) = delete;

  // Sends `v` (moved from only on success).
  op_status send(T& v, bool block, const deadline_t& deadline) {
    return visit([&](auto& c) { return c.send(v, block, deadline); });
  }
  // Receives into `out`.
  op_status recv(std::optional<T>& out, bool block,
                 const deadline_t& deadline) {
    return visit([&](auto& c) { return c.recv(out, block, deadline); });
  }
  std::size_t size() noexcept {
    return visit([](auto& c) { return c.size(); });
  }
  std::optional<std::size_t> capacity() noexcept {
    return visit([](auto& c) { return c.capacity(); });
  }
  void add_sender() noexcept {
    visit([](auto& c) { c.add_sender(); });
  }
  void drop_sender() noexcept {
    visit([](auto& c) { c.drop_sender(); });
  }
  void drop_receiver() noexcept {
    visit([](auto& c) { c.drop_receiver(); });
  }

  // Select (select.h): see lock_free_waker::register_selector (waker.h) and
  // zero_channel::offer_or_register.
  bool register_selector(select_node& n) noexcept {
    return visit([&](auto& c) { return c.register_selector(n); });
  }
  void unregister_selector(select_node& n) noexcept {
    visit([&](auto& c) { c.unregister_selector(n); });
  }
  bool offer_or_register(select_node& n, std::optional<T>& v) {
    return visit([&](auto& c) { return c.offer_or_register(n, v); });
  }
  bool withdraw(select_node& n, std::optional<T>& v) noexcept {
    return visit([&](auto& c) { return c.withdraw(n, v); });
  }

 private:
  // Tests rather than std::visit's table: the bounded flavour, the one
  // whose cost per message is measured against crossbeam's, is tested
  // first and costs one compare.
  template <class F> decltype(auto) visit(F&& f) {
    const std::size_t i = flavor_.index();
    if (i == 0) [[likely]]
      return f(*std::get_if<0>(&flavor_));
    if (i == 1) return f(*std::get_if<1>(&flavor_));
    return f(*std::get_if<2>(&flavor_));
  }

  std::variant<array_channel<T>, list_channel<T>, zero_channel<T>> flavor_;
};

template <class D>
deadline_t to_deadline(D timeout) {
  return deadline_t{deadline_after(timeout)};
}

// Input iterator over Rx::recv() until disconnection (Rx: a
// basic_receiver): each increment is one blocking recv(); an iterator equals
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

// The sending API, written once for Sender<T> (Chan = chan_core<T>) and
// SpscSender<T> (Chan = spsc_core<T>); each derives from it and adds how it
// is copied. Chan provides send(T&, block, deadline) -> op_status, size(),
// capacity() and drop_sender().
//
// The operations are const for both: Sender is Sync (several threads may
// send through one), SpscSender is not (annotated), so the checker keeps a
// `const SpscSender&` from reaching a second thread, as Rust's
// mpsc::Receiver::recv takes `&self` on a type that is not Sync.
template <class T, class Chan> class basic_sender {
 public:
  // Sends `value`, blocking while a bounded channel is full (and, for a
  // rendezvous channel, until a receiver takes it). Fails only if the
  // receiver is gone, handing the value back.
  //
  // Example:
  //   if (auto r = tx.send(std::move(job)); !r)
  //     log("worker gone, job", r.error().value.id, "dropped");
  Result<void, SendError<T>> send(T value) const {
    const auto s = core_->send(value, true, deadline_t{});
    if (s == op_status::ok) return Result<void, SendError<T>>::ok();
    return Result<void, SendError<T>>::err(SendError<T>{std::move(value)});
  }

  // Sends `value` only if that needs no waiting: space in a bounded channel,
  // or a receiver already waiting on a rendezvous channel.
  //
  // Example:
  //   if (auto r = tx.try_send(sample); !r && r.error().is_full())
  //     ++dropped_samples;
  Result<void, TrySendError<T>> try_send(T value) const {
    const auto s = core_->send(value, false, deadline_t{});
    if (s == op_status::ok) return Result<void, TrySendError<T>>::ok();
    return Result<void, TrySendError<T>>::err(TrySendError<T>{
        s == op_status::disconnected ? TrySendErrorKind::disconnected
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
    return send_until(std::move(value), to_deadline(timeout));
  }

  // As send(), waiting at most until `deadline`.
  template <class Clock, class Duration>
  Result<void, SendTimeoutError<T>> send_deadline(
      T value, std::chrono::time_point<Clock, Duration> deadline) const {
    return send_timeout(std::move(value), deadline - Clock::now());
  }

  // Number of messages buffered right now (a snapshot).
  [[nodiscard]] std::size_t size() const noexcept { return core_->size(); }
  // The bound: std::optional<std::size_t> for Sender (nullopt for
  // channel()), std::size_t for SpscSender.
  [[nodiscard]] auto capacity() const noexcept { return core_->capacity(); }

 protected:
  explicit basic_sender(std::shared_ptr<Chan> c) noexcept
      : core_(std::move(c)) {}
  basic_sender(basic_sender&&) noexcept = default;
  basic_sender& operator=(basic_sender&&) noexcept = default;
  ~basic_sender() {
    if (core_) core_->drop_sender();
  }

  // mutable state behind a pointer: operations are const (like crossbeam's
  // `&self`) and synchronised by the channel.
  std::shared_ptr<Chan> core_;

 private:
  friend struct chan_access;

  Result<void, SendTimeoutError<T>> send_until(
      T value, const deadline_t& deadline) const {
    const auto s = core_->send(value, true, deadline);
    if (s == op_status::ok) return Result<void, SendTimeoutError<T>>::ok();
    return Result<void, SendTimeoutError<T>>::err(SendTimeoutError<T>{
        s == op_status::disconnected ? SendTimeoutErrorKind::disconnected
                                     : SendTimeoutErrorKind::timeout,
        std::move(value)});
  }
};

// The receiving API, written once for Receiver<T> and SpscReceiver<T> (see
// basic_sender). Chan provides recv(std::optional<T>&, block, deadline) ->
// op_status, size(), capacity() and drop_receiver().
template <class T, class Chan> class basic_receiver {
 public:
  // Blocks until a message arrives; fails once every sender is gone and the
  // buffer is drained.
  //
  // Example:
  //   while (auto msg = rx.recv()) handle(*msg);
  Result<T, RecvError> recv() const {
    std::optional<T> out;
    if (core_->recv(out, true, deadline_t{}) == op_status::ok)
      return Result<T, RecvError>::ok(std::move(*out));
    return Result<T, RecvError>::err(RecvError::disconnected);
  }

  // Takes a message if one is ready now.
  //
  // Example:
  //   while (auto msg = rx.try_recv()) handle(*msg);   // drain, never block
  Result<T, TryRecvError> try_recv() const {
    std::optional<T> out;
    switch (core_->recv(out, false, deadline_t{})) {
      case op_status::ok:
        return Result<T, TryRecvError>::ok(std::move(*out));
      case op_status::disconnected:
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
    return recv_until(to_deadline(timeout));
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
  // As basic_sender::capacity.
  [[nodiscard]] auto capacity() const noexcept { return core_->capacity(); }

  // Input iterator: each increment is a blocking recv(); equal to end() once
  // the channel is disconnected and drained.
  using iterator = recv_iterator<const basic_receiver, T>;

  // Starts receiving (blocks for the first message).
  iterator begin() const { return iterator(this); }
  iterator end() const noexcept { return iterator(); }

  // A range over the messages buffered right now: each step is a
  // try_recv(), and it ends at the first one that finds nothing (empty or
  // disconnected). Never blocks. As Rust's Receiver::try_iter.
  //
  // Example:
  //   for (Event& e : rx.try_iter()) apply(e);   // drain, then go on
  try_iter_range<const basic_receiver, T> try_iter() const noexcept {
    return try_iter_range<const basic_receiver, T>(this);
  }

 protected:
  explicit basic_receiver(std::shared_ptr<Chan> c) noexcept
      : core_(std::move(c)) {}
  basic_receiver(basic_receiver&&) noexcept = default;
  basic_receiver& operator=(basic_receiver&&) noexcept = default;
  ~basic_receiver() {
    if (core_) core_->drop_receiver();
  }

  std::shared_ptr<Chan> core_;

 private:
  friend struct chan_access;

  Result<T, RecvTimeoutError> recv_until(const deadline_t& d) const {
    std::optional<T> out;
    switch (core_->recv(out, true, d)) {
      case op_status::ok:
        return Result<T, RecvTimeoutError>::ok(std::move(*out));
      case op_status::disconnected:
        return Result<T, RecvTimeoutError>::err(RecvTimeoutError::disconnected);
      default:
        return Result<T, RecvTimeoutError>::err(RecvTimeoutError::timeout);
    }
  }
};

}  // namespace detail

// Sender<T>
//
// The sending side of channel() / sync_channel(); its operations are
// detail::basic_sender's (send, try_send, send_timeout, send_deadline, size,
// capacity). Copying a Sender adds a producer; the channel disconnects for
// the receiver when the last copy is destroyed. A moved-from Sender must
// only be destroyed or assigned to.
//
// Send and Sync iff T is Send: it moves T values to the receiving thread.
// Both are inferred from its one member, a shared_ptr to the channel state,
// whose flavours keep their messages SENDSYNC_GUARDED_BY their mutex (or are
// annotated, where raw storage holds them).
// ThreadSafe iff T is Send: every operation is const and synchronised by the
// channel, so one Sender may be used by several threads at once (as
// crossbeam's Sender); annotated, because the shared_ptr itself, which
// assignment and swap rewrite, is not ThreadSafe.
template <class T>
class SENDSYNC_THREAD_SAFE_IF("T: Send") Sender
    : public detail::basic_sender<T, detail::chan_core<T>> {
  using base = detail::basic_sender<T, detail::chan_core<T>>;

 public:
  Sender(const Sender& o) noexcept : base(o.core_) {
    if (this->core_) this->core_->add_sender();
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
  ~Sender() = default;

  void swap(Sender& o) noexcept { this->core_.swap(o.core_); }

 private:
  template <class U> friend std::pair<Sender<U>, Receiver<U>> channel();
  template <class U>
  friend std::pair<Sender<U>, Receiver<U>> sync_channel(std::size_t);

  explicit Sender(std::shared_ptr<detail::chan_core<T>> c) noexcept
      : base(std::move(c)) {}
};

// Receiver<T>
//
// The receiving side of channel() / sync_channel(); its operations are
// detail::basic_receiver's (recv, try_recv, recv_timeout, recv_deadline,
// size, empty, capacity, try_iter, begin/end). Move-only; destroying it
// disconnects the channel (blocked senders fail and get their message back)
// and destroys the messages still buffered. Iterating over a Receiver
// receives until the channel is disconnected and drained:
//
//   for (Job& job : rx) run(job);
//
// Send and Sync iff T is Send, inferred as for Sender. ThreadSafe iff T is
// Send (annotated as for Sender): several threads may receive through one
// `Receiver&` at once (multi-consumer), each message going to exactly one of
// them.
template <class T>
class SENDSYNC_THREAD_SAFE_IF("T: Send") Receiver
    : public detail::basic_receiver<T, detail::chan_core<T>> {
  using base = detail::basic_receiver<T, detail::chan_core<T>>;

 public:
  Receiver(Receiver&&) noexcept = default;
  Receiver& operator=(Receiver&& o) noexcept {
    Receiver(std::move(o)).swap(*this);
    return *this;
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;
  ~Receiver() = default;

  void swap(Receiver& o) noexcept { this->core_.swap(o.core_); }

 private:
  template <class U> friend std::pair<Sender<U>, Receiver<U>> channel();
  template <class U>
  friend std::pair<Sender<U>, Receiver<U>> sync_channel(std::size_t);

  explicit Receiver(std::shared_ptr<detail::chan_core<T>> c) noexcept
      : base(std::move(c)) {}
};

// Creates an unbounded channel: send never blocks (it allocates a block of
// 31 slots once every 31 messages).
//
// Example:
//   auto [tx, rx] = sendsync::channel<int>();
//   (void)tx.send(1);
//   assert(rx.recv().value() == 1);
template <class T> std::pair<Sender<T>, Receiver<T>> channel() {
  auto core = std::make_shared<detail::chan_core<T>>(std::in_place_index<1>);
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
  auto core = capacity == 0 ? std::make_shared<detail::chan_core<T>>(
                                  std::in_place_index<2>)
                            : std::make_shared<detail::chan_core<T>>(
                                  std::in_place_index<0>, capacity);
  return {Sender<T>(core), Receiver<T>(core)};
}

// ---------------------------------------------------------------------------
// Single-producer single-consumer channel
// ---------------------------------------------------------------------------

template <class T>
std::pair<SpscSender<T>, SpscReceiver<T>> spsc_channel(std::size_t capacity);

// SpscSender<T>
//
// The sending side of spsc_channel(), with Sender's operations
// (detail::basic_sender); capacity() is a std::size_t. Move-only: there is
// exactly one producer. A moved-from SpscSender must only be destroyed or
// assigned to.
//
// Send iff T is Send (the handle may move to the producer thread), inferred
// from its shared_ptr to the ring. Not Sync (annotated: a protocol the
// checker cannot see): its operations update producer-private indices
// without a lock, so two threads must never use one SpscSender at once.
template <class T>
class SENDSYNC_NOT_SYNC SpscSender
    : public detail::basic_sender<T, detail::spsc_core<T>> {
  using base = detail::basic_sender<T, detail::spsc_core<T>>;

 public:
  SpscSender(SpscSender&&) noexcept = default;
  SpscSender& operator=(SpscSender&& o) noexcept {
    SpscSender(std::move(o)).swap(*this);
    return *this;
  }
  SpscSender(const SpscSender&) = delete;
  SpscSender& operator=(const SpscSender&) = delete;
  ~SpscSender() = default;

  void swap(SpscSender& o) noexcept { this->core_.swap(o.core_); }

 private:
  friend std::pair<SpscSender<T>, SpscReceiver<T>> spsc_channel<T>(std::size_t);
  explicit SpscSender(std::shared_ptr<detail::spsc_core<T>> c) noexcept
      : base(std::move(c)) {}
};

// SpscReceiver<T>
//
// The receiving side of spsc_channel(), with Receiver's operations
// (detail::basic_receiver), iterable like it. Move-only (one consumer).
//
// Send iff T is Send, inferred as for SpscSender. Not Sync (annotated): recv
// updates consumer-private indices without a lock.
template <class T>
class SENDSYNC_NOT_SYNC SpscReceiver
    : public detail::basic_receiver<T, detail::spsc_core<T>> {
  using base = detail::basic_receiver<T, detail::spsc_core<T>>;

 public:
  SpscReceiver(SpscReceiver&&) noexcept = default;
  SpscReceiver& operator=(SpscReceiver&& o) noexcept {
    SpscReceiver(std::move(o)).swap(*this);
    return *this;
  }
  SpscReceiver(const SpscReceiver&) = delete;
  SpscReceiver& operator=(const SpscReceiver&) = delete;
  ~SpscReceiver() = default;

  void swap(SpscReceiver& o) noexcept { this->core_.swap(o.core_); }

 private:
  friend std::pair<SpscSender<T>, SpscReceiver<T>> spsc_channel<T>(std::size_t);
  explicit SpscReceiver(std::shared_ptr<detail::spsc_core<T>> c) noexcept
      : base(std::move(c)) {}
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
