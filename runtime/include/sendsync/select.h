//===- sendsync/select.h - Waiting on several channels ----------*- C++ -*-===//
//
// This header defines:
//
//   Select              a set of channel operations (receives and sends on
//                       channel()/sync_channel() endpoints) of which one is
//                       to be completed: the first that can be
//   SelectedOperation   the one select() completed: its index() and, through
//                       recv(rx) / send(tx), its result
//   TrySelectError, SelectTimeoutError   why try_select() / select_timeout()
//                       completed nothing
//
// Modelled on crossbeam-channel's Select: operations are added one by one and
// numbered, select() blocks until one of them completes and says which:
//
//   sendsync::Select sel;
//   const std::size_t jobs = sel.recv(job_rx);
//   const std::size_t quit = sel.recv(quit_rx);
//   for (;;) {
//     auto op = sel.select();
//     if (op.index() == jobs) {
//       if (auto job = op.recv(job_rx)) run(*job);
//       else sel.remove(jobs);                  // every job sender is gone
//     } else if (op.index() == quit) {
//       (void)op.recv(quit_rx);
//       break;
//     }
//   }
//
// Forms: select() blocks; try_select() is the `default =>` arm of crossbeam's
// select! (nothing ready now: an error, at once); select_timeout(d) and
// select_deadline(t) give up after a while.
//
// Why a builder and not a variadic select(arm, arm, ...) of lambdas: the
// operations can be built once and selected on in a loop (the common server
// shape), arms can be added and removed at run time (a receiver per client),
// and the result is an ordinary value whose branches may `break`, `return`
// or `co_await`, which code inside a lambda cannot do for its caller.
//
// Semantics:
//   - select() completes exactly one operation, under that channel's lock,
//     and reports it; no other operation of the set takes or gives anything.
//     The result (the received message, or the send's outcome) is held in
//     the Select until SelectedOperation::recv/send collects it; one not
//     collected is reported again by the next select(), so nothing is lost.
//   - A receive is ready when a message is buffered or the channel is
//     disconnected (then recv() returns RecvError::disconnected, every time:
//     remove() the operation once it is of no more use, as with crossbeam).
//     A send is ready when there is room, or when the receiver is gone (the
//     error hands the message back). A send operation carries its message
//     from send() on, and is removed once its result is collected: add a
//     new one for the next message.
//   - Fairness: each call starts trying the operations at a random index,
//     so a channel that is always ready does not starve the others.
//   - No lost wake-ups: a blocked select() registers on every channel of the
//     set (the registration re-checks readiness under the channel's lock),
//     and any of them wakes it; it then tries every operation again.
//   - Rendezvous channels (sync_channel(0)): a selected receive takes the
//     message of a blocked sender; a selected send completes with a receiver
//     blocked in recv(), and otherwise, while the select is parked, offers
//     its message in the channel's slot, as a blocked sender would. Any
//     receiver, a plain one or another select, may take an offer, but only
//     after winning the offering thread's claim word, so that of the offers
//     one select has out on several channels at most one is taken; the rest
//     are withdrawn (their tickets retired, as a timed-out sender's) when it
//     wakes. So two selects on the two ends of a rendezvous channel pair up,
//     and a select never takes its own offer.
//   - spsc_channel() endpoints are not supported (a compile error): their
//     lock-free ring has no list of waiters to register a selecting thread
//     in, and adding one would put a check on every message of their fast
//     path. Use sync_channel(n) when one end needs to select.
//
// The Select keeps every channel it has an operation on alive, and a send
// operation holds a copy of its Sender, so the channel stays connected until
// the operation is removed or the Select destroyed (as a borrowed Sender
// would in Rust).
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_SELECT_H
#define SENDSYNC_SELECT_H

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "sendsync/annotations.h"
#include "sendsync/channel.h"
#include "sendsync/detail/futex.h"
#include "sendsync/result.h"

namespace sendsync {

// try_select() failed: no operation could complete right now.
enum class TrySelectError { would_block };
// select_timeout() / select_deadline() failed: none completed in time.
enum class SelectTimeoutError { timeout };

constexpr const char* to_string(TrySelectError) noexcept {
  return "no operation of the select is ready";
}
constexpr const char* to_string(SelectTimeoutError) noexcept {
  return "timed out waiting on a select";
}

class Select;

namespace detail {

// One operation of a Select, type-erased (the Select mixes channels of
// different message types).
class select_op {
 public:
  select_op(const void* channel, bool is_recv) noexcept
      : channel_(channel), is_recv_(is_recv) {
    node_.wants_recv = is_recv;
  }
  select_op(const select_op&) = delete;
  select_op& operator=(const select_op&) = delete;
  virtual ~select_op() = default;

  // Completes the operation if that needs no waiting; true if it did
  // (successfully or by finding the channel disconnected).
  virtual bool try_complete() = 0;
  // Registers `w` on the channel; true instead if the channel is ready.
  // A rendezvous send may offer its message here (zero_channel::
  // offer_or_register), so this can throw what T's move constructor throws.
  virtual bool register_waiter(select_waiter& w) = 0;
  // Unregisters; a send whose offer a receiver took completes here.
  virtual void unregister_waiter() noexcept = 0;

  void set_index(std::size_t i) noexcept {
    node_.index = static_cast<std::uint32_t>(i);
  }

  // A completed operation whose result has not been collected.
  bool has_result() const noexcept { return has_result_; }
  const void* channel() const noexcept { return channel_; }
  bool is_recv() const noexcept { return is_recv_; }

 protected:
  select_node node_;
  bool has_result_ = false;

 private:
  const void* channel_;
  bool is_recv_;
};

template <class T> class select_recv_op final : public select_op {
 public:
  explicit select_recv_op(std::shared_ptr<chan_core<T>> core) noexcept
      : select_op(core.get(), true), core_(std::move(core)) {}

  bool try_complete() override {
    switch (core_->recv(msg_, false, deadline_t{})) {
      case op_status::ok:
      case op_status::disconnected:
        has_result_ = true;
        return true;
      default:
        return false;
    }
  }
  bool register_waiter(select_waiter& w) override {
    node_.waiter = &w;
    return core_->register_selector(node_);
  }
  void unregister_waiter() noexcept override {
    core_->unregister_selector(node_);
  }

  Result<T, RecvError> take() {
    has_result_ = false;
    if (!msg_) return Result<T, RecvError>::err(RecvError::disconnected);
    auto r = Result<T, RecvError>::ok(std::move(*msg_));
    msg_.reset();
    return r;
  }

 private:
  std::shared_ptr<chan_core<T>> core_;
  std::optional<T> msg_;  // received, not yet collected
};

template <class T> class select_send_op final : public select_op {
 public:
  select_send_op(const Sender<T>& tx, T value)
      : select_op(chan_access::core(tx).get(), false),
        tx_(tx),
        value_(std::move(value)) {}

  bool try_complete() override {
    switch (chan_access::core(tx_)->send(*value_, false, deadline_t{})) {
      case op_status::ok:
        value_.reset();  // moved into the channel
        has_result_ = true;
        return true;
      case op_status::disconnected:
        has_result_ = true;  // value_ kept, for the error
        return true;
      default:
        return false;
    }
  }
  bool register_waiter(select_waiter& w) override {
    node_.waiter = &w;
    return chan_access::core(tx_)->offer_or_register(node_, value_);
  }
  void unregister_waiter() noexcept override {
    if (chan_access::core(tx_)->withdraw(node_, value_)) has_result_ = true;
  }

  Result<void, SendError<T>> take() {
    has_result_ = false;
    if (!value_) return Result<void, SendError<T>>::ok();
    return Result<void, SendError<T>>::err(SendError<T>{std::move(*value_)});
  }

 private:
  Sender<T> tx_;            // a producer while the operation exists
  std::optional<T> value_;  // the message, until sent
};

// A per-thread xorshift generator: where select() starts trying.
inline std::uint64_t select_random() noexcept {
  thread_local std::uint64_t x =
      0x9E3779B97F4A7C15ull ^
      static_cast<std::uint64_t>(
          std::hash<std::thread::id>()(std::this_thread::get_id()));
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return x;
}

template <class> inline constexpr bool always_false = false;

}  // namespace detail

// SelectedOperation
//
// The operation a select() completed. index() says which; recv(rx) or
// send(tx), called with the endpoint that operation was added with, returns
// its result (once). It refers to its Select, which must outlive it and not
// select again before the result is collected (an uncollected result is
// reported again instead).
//
// Not Send and not Sync: it borrows the Select, which is neither (crossbeam's
// SelectedOperation<'a> holds a raw pointer to it and is neither as well).
class [[nodiscard]] SENDSYNC_NOT_SEND SENDSYNC_NOT_SYNC SelectedOperation {
 public:
  // The index that Select::recv / Select::send returned for the operation.
  [[nodiscard]] std::size_t index() const noexcept { return index_; }

  // The received message, or RecvError::disconnected. `rx` must be the
  // receiver of the selected operation (else std::invalid_argument).
  //
  // Example:
  //   if (op.index() == a) auto msg = op.recv(rx_a);
  template <class T> Result<T, RecvError> recv(const Receiver<T>& rx);

  // The outcome of the selected send: ok, or SendError holding the message
  // (the receiver is gone). `tx` must be a Sender of the selected operation's
  // channel (else std::invalid_argument). Removes the operation.
  template <class T> Result<void, SendError<T>> send(const Sender<T>& tx);

 private:
  friend class Select;
  SelectedOperation(Select* sel, std::size_t index) noexcept
      : sel_(sel), index_(index) {}
  detail::select_op& checked(const void* channel, bool is_recv) const;

  Select* sel_;
  std::size_t index_;
};

// Select
//
// A set of channel operations; see the file comment. Movable, not copyable.
//
// Not Send and not Sync, as crossbeam's Select: it is the selecting thread's
// own tool (its waits park that thread), and its type-erased operations hold
// messages of any T, so no bound on them can be stated for the checker.
class SENDSYNC_NOT_SEND SENDSYNC_NOT_SYNC Select {
 public:
  Select() = default;
  Select(Select&&) noexcept = default;
  Select& operator=(Select&&) noexcept = default;
  Select(const Select&) = delete;
  Select& operator=(const Select&) = delete;

  // Adds a receive on `rx`'s channel; returns the operation's index.
  //
  // Example:
  //   const std::size_t a = sel.recv(rx_a);
  template <class T> std::size_t recv(const Receiver<T>& rx) {
    return add(std::make_unique<detail::select_recv_op<T>>(
        detail::chan_access::core(rx)));
  }

  // Adds a send of `value` on `tx`'s channel; returns the operation's index.
  // The operation owns the message until it is sent (or handed back in the
  // SendError of a disconnected channel); if it is removed or the Select is
  // destroyed first, the message is destroyed with it.
  //
  // Example:
  //   const std::size_t out = sel.send(tx, std::move(reply));
  template <class T>
  std::size_t send(const Sender<T>& tx, std::type_identity_t<T> value) {
    return add(std::make_unique<detail::select_send_op<T>>(tx, std::move(value)));
  }

  template <class T> std::size_t recv(const SpscReceiver<T>&) {
    static_assert(detail::always_false<T>,
                  "sendsync::Select does not support spsc_channel endpoints "
                  "(see select.h); use sync_channel(n)");
    return 0;
  }
  template <class T, class U> std::size_t send(const SpscSender<T>&, U&&) {
    static_assert(detail::always_false<T>,
                  "sendsync::Select does not support spsc_channel endpoints "
                  "(see select.h); use sync_channel(n)");
    return 0;
  }

  // Removes the operation `index` (its index is not reused). A send's
  // message is destroyed with it.
  void remove(std::size_t index) {
    if (index < ops_.size() && ops_[index]) {
      ops_[index].reset();
      --live_;
    }
  }

  // Number of operations in the set.
  [[nodiscard]] std::size_t size() const noexcept { return live_; }

  // Blocks until one operation completes, and returns it. Throws
  // std::logic_error if the set is empty (it would block forever).
  //
  // Example:
  //   auto op = sel.select();
  //   if (op.index() == a) handle(op.recv(rx_a));
  SelectedOperation select() {
    if (live_ == 0)
      throw std::logic_error("sendsync::Select::select with no operations");
    return SelectedOperation(this, *run(true, detail::deadline_t{}));
  }

  // Completes an operation that is ready now, or fails with would_block
  // without waiting (the default arm).
  //
  // Example:
  //   if (auto op = sel.try_select()) handle(*op);
  //   else do_other_work();
  Result<SelectedOperation, TrySelectError> try_select() {
    if (auto i = run(false, detail::deadline_t{}))
      return Result<SelectedOperation, TrySelectError>::ok(
          SelectedOperation(this, *i));
    return Result<SelectedOperation, TrySelectError>::err(
        TrySelectError::would_block);
  }

  // As select(), waiting at most `timeout`. An empty set just waits.
  //
  // Example:
  //   auto op = sel.select_timeout(100ms);
  //   if (!op) heartbeat();
  template <class Rep, class Period>
  Result<SelectedOperation, SelectTimeoutError> select_timeout(
      std::chrono::duration<Rep, Period> timeout) {
    return select_until(detail::deadline_after(timeout));
  }

  // As select(), waiting at most until `deadline`.
  template <class Clock, class Duration>
  Result<SelectedOperation, SelectTimeoutError> select_deadline(
      std::chrono::time_point<Clock, Duration> deadline) {
    return select_timeout(deadline - Clock::now());
  }

 private:
  friend class SelectedOperation;

  std::size_t add(std::unique_ptr<detail::select_op> op) {
    if (ops_.size() >= UINT32_MAX)
      throw std::length_error("sendsync::Select: too many operations");
    op->set_index(ops_.size());
    ops_.push_back(std::move(op));
    ++live_;
    return ops_.size() - 1;
  }

  Result<SelectedOperation, SelectTimeoutError> select_until(
      detail::clock::time_point deadline) {
    if (auto i = run(true, detail::deadline_t{deadline}))
      return Result<SelectedOperation, SelectTimeoutError>::ok(
          SelectedOperation(this, *i));
    return Result<SelectedOperation, SelectTimeoutError>::err(
        SelectTimeoutError::timeout);
  }

  // The index of the operation completed, or nullopt if none could be
  // (without blocking, or before the deadline).
  std::optional<std::size_t> run(bool block, const detail::deadline_t& deadline) {
    const std::size_t n = ops_.size();
    // An uncollected result is reported again, so that none is lost.
    for (std::size_t i = 0; i < n; ++i)
      if (ops_[i] && ops_[i]->has_result()) return i;
    const std::size_t start =
        n == 0 ? 0 : static_cast<std::size_t>(detail::select_random() % n);
    detail::select_waiter waiter;
    for (;;) {
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (start + k) % n;
        if (ops_[i] && ops_[i]->try_complete()) return i;
      }
      if (!block) return std::nullopt;
      if (deadline && detail::clock::now() >= *deadline) return std::nullopt;
      // Park until a channel of the set changes. Registering re-checks each
      // channel under its lock, so a change between the tries above and the
      // registration is seen there, and one after it notifies the waiter.
      // Rendezvous sends offer their messages meanwhile; a receiver may take
      // one (winning `claimed`), which completes that operation, and only
      // that one: the others are withdrawn as the thread unregisters.
      waiter.state.store(0, std::memory_order_relaxed);
      waiter.claimed.store(0, std::memory_order_relaxed);
      bool ready = false;
      try {
        for (std::size_t i = 0; i < n && !ready; ++i)
          if (ops_[i]) ready = ops_[i]->register_waiter(waiter);
      } catch (...) {
        unregister_all();
        throw;
      }
      if (!ready) detail::futex_wait(&waiter.state, 0, deadline);
      unregister_all();
      for (std::size_t i = 0; i < n; ++i)
        if (ops_[i] && ops_[i]->has_result()) return i;  // an offer taken
    }
  }

  void unregister_all() noexcept {
    for (auto& op : ops_)
      if (op) op->unregister_waiter();
  }

  std::vector<std::unique_ptr<detail::select_op>> ops_;
  std::size_t live_ = 0;
};

inline detail::select_op& SelectedOperation::checked(const void* channel,
                                                     bool is_recv) const {
  detail::select_op* op =
      index_ < sel_->ops_.size() ? sel_->ops_[index_].get() : nullptr;
  if (op == nullptr || !op->has_result() || op->channel() != channel ||
      op->is_recv() != is_recv)
    throw std::invalid_argument(
        "sendsync::SelectedOperation: not the selected operation's endpoint, "
        "or its result was already collected");
  return *op;
}

template <class T>
Result<T, RecvError> SelectedOperation::recv(const Receiver<T>& rx) {
  auto* core = detail::chan_access::core(rx).get();
  // The same channel address means the same chan_core<T>, so the same T.
  return static_cast<detail::select_recv_op<T>&>(checked(core, true)).take();
}

template <class T>
Result<void, SendError<T>> SelectedOperation::send(const Sender<T>& tx) {
  auto* core = detail::chan_access::core(tx).get();
  auto r = static_cast<detail::select_send_op<T>&>(checked(core, false)).take();
  sel_->remove(index_);
  return r;
}

}  // namespace sendsync

#endif  // SENDSYNC_SELECT_H
