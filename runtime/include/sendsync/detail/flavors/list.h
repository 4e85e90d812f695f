//===- sendsync/detail/flavors/list.h - Unbounded channel -------*- C++ -*-===//
//
// Internal. list_channel<T>: the state of channel(), a lock-free linked list
// of blocks of 31 slots (crossbeam-channel's list flavour). Senders and
// receivers claim positions by CAS on tail_ and head_, on separate cache
// lines; a block is allocated once per 31 messages and freed by whichever
// receiver reads its last slot. The endpoints reach it through
// chan_core<T> (channel.h).
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_FLAVORS_LIST_H
#define SENDSYNC_DETAIL_FLAVORS_LIST_H

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "sendsync/annotations.h"
#include "sendsync/detail/flavors/waker.h"
#include "sendsync/detail/futex.h"

namespace sendsync::detail {

// Positions: head_.index and tail_.index count slots in steps of
// `1 << shift`, 32 positions (`lap`) per block, of which the last (offset
// 31) is never a slot: a position there means "the next block is being
// installed", and whoever sees it waits. The low bit of tail_.index marks
// the channel disconnected (the last sender or the receiver is gone); the
// low bit of head_.index says that the head block is not the tail block
// (a hint that spares receivers the emptiness check).
//
// A send claims the position at tail_ by CAS, writes the message and sets
// its slot's write_bit (release); the send that claims a block's last slot
// installs the next block (allocated before its CAS, so that no one waits
// on an allocation). A receive claims the position at head_ by CAS when it
// is behind tail_, waits for the slot's write_bit (acquire), moves the
// message out and sets read_bit. A block is freed by the receive of its last
// slot, unless some earlier slot is still being read: that receive sets
// destroy_bit on the slot, and the slot's reader, seeing it, frees the
// block (the rest of its slots checked the same way).
//
// Memory ordering: the write_bit publishes the message, so everything the
// sender did before send() happens-before everything the receiver does after
// the matching recv() returns.
//
// Parking: only receivers wait (for a message), on the receivers'
// wait_side (waker.h), as array_channel's do; every send notifies it, which
// costs one load when nobody waits. Select's entry points and the
// selectors' list are lock_free_waker's; the senders' side stays unused
// (a send never waits, so a selected send is always ready).
//
// Send and Sync iff T is Send (annotated: the slots hold T's as raw bytes,
// which the checker cannot see).
template <class T>
class SENDSYNC_SEND_IF("T: Send") SENDSYNC_SYNC_IF("T: Send") list_channel
    : public lock_free_waker<list_channel<T>> {
  using waker = lock_free_waker<list_channel<T>>;
  friend waker;

 public:
  list_channel() = default;
  list_channel(const list_channel&) = delete;
  list_channel& operator=(const list_channel&) = delete;

  // The last endpoint is gone: nothing runs concurrently. drop_receiver()
  // has emptied the list already; what a send that raced with it left (its
  // first block) dies here.
  ~list_channel() {
    std::size_t head = head_.index.load(std::memory_order_relaxed) & ~mark_bit;
    const std::size_t tail =
        tail_.index.load(std::memory_order_relaxed) & ~mark_bit;
    block* b = head_.blk.load(std::memory_order_relaxed);
    for (; head != tail; head += one) {
      const std::size_t offset = (head >> shift) % lap;
      if (offset < block_cap) {
        slot& s = b->slots[offset];
        if ((s.state.load(std::memory_order_relaxed) & empty_bit) == 0)
          s.msg()->~T();
      } else {
        block* next = b->next.load(std::memory_order_relaxed);
        delete b;
        b = next;
      }
    }
    delete b;
  }

  // A new sender is cloned from a live one, so the count is not 0 here.
  void add_sender() noexcept {
    senders_.fetch_add(1, std::memory_order_relaxed);
  }

  void drop_sender() noexcept {
    if (senders_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    tail_.index.fetch_or(mark_bit, std::memory_order_seq_cst);
    this->disconnect(/*recv_side=*/true);
  }

  // The marked tail stops new sends; every buffered message dies here,
  // after the sends that claimed a slot before the mark have written it.
  void drop_receiver() noexcept {
    tail_.index.fetch_or(mark_bit, std::memory_order_seq_cst);
    discard_all();
  }

  // Sends `v` (moved from only on success); `block` and `deadline` do not
  // matter, as nothing waits for room. Not inlined into chan_core's
  // dispatch (see array_channel::send).
  [[gnu::noinline]] op_status send(T& v, bool, const deadline_t&) {
    const op_status s = push(v);
    if (s == op_status::ok) this->notify(/*recv_side=*/true);
    return s;
  }

  // Receives into `out`.
  [[gnu::noinline]] op_status recv(std::optional<T>& out, bool block,
                                   const deadline_t& deadline) {
    const op_status s = pop(out);
    if (s == op_status::would_block && block)
      return recv_blocking(out, deadline);
    return s;
  }

  // The messages buffered, as crossbeam's Channel::len: positions between
  // head and tail, less the one position per block that is not a slot.
  std::size_t size() const noexcept {
    for (;;) {
      std::size_t tail = tail_.index.load(std::memory_order_seq_cst);
      std::size_t head = head_.index.load(std::memory_order_seq_cst);
      if (tail_.index.load(std::memory_order_seq_cst) != tail) continue;
      tail = (tail & ~mark_bit) >> shift;
      head = (head & ~mark_bit) >> shift;
      // A position at a block's end counts as the next block's first.
      if (tail % lap == lap - 1) ++tail;
      if (head % lap == lap - 1) ++head;
      const std::size_t base = head / lap * lap;
      tail -= base;
      head -= base;
      return tail - head - tail / lap;
    }
  }

  std::optional<std::size_t> capacity() const noexcept { return std::nullopt; }

 private:
  static constexpr std::size_t write_bit = 1;    // the message is written
  static constexpr std::size_t read_bit = 2;     // the message is taken
  static constexpr std::size_t destroy_bit = 4;  // the reader frees the block
  // With write_bit: the send's move constructor threw, the slot holds
  // nothing and receivers skip it.
  static constexpr std::size_t empty_bit = 8;

  static constexpr std::size_t lap = 32;
  static constexpr std::size_t block_cap = lap - 1;
  static constexpr std::size_t shift = 1;
  static constexpr std::size_t one = std::size_t{1} << shift;
  static constexpr std::size_t mark_bit = 1;

  struct slot {
    std::atomic<std::size_t> state{0};
    alignas(T) unsigned char storage[sizeof(T)];

    T* msg() noexcept { return std::launder(reinterpret_cast<T*>(storage)); }

    // Waits for the send that claimed the slot to have written it; its
    // state (acquire: the message is visible).
    std::size_t wait_write() noexcept {
      unsigned step = 0;
      for (;;) {
        const std::size_t st = state.load(std::memory_order_acquire);
        if (st & write_bit) return st;
        backoff(step);
      }
    }
  };

  struct block {
    std::atomic<block*> next{nullptr};
    slot slots[block_cap];

    // Waits for the send that claimed the last slot to link the next block.
    block* wait_next() noexcept {
      unsigned step = 0;
      for (;;) {
        block* n = next.load(std::memory_order_acquire);
        if (n != nullptr) return n;
        backoff(step);
      }
    }

    // Frees `b` unless a slot from `start` on is still being read; that
    // slot's reader frees it instead (destroy_bit). Called by the reader of
    // the last slot (start 0), or of a slot it was handed to.
    static void destroy(block* b, std::size_t start) noexcept {
      // The last slot is not checked: its reader started the destruction.
      for (std::size_t i = start; i < block_cap - 1; ++i) {
        slot& s = b->slots[i];
        if ((s.state.load(std::memory_order_acquire) & read_bit) == 0 &&
            (s.state.fetch_or(destroy_bit, std::memory_order_acq_rel) &
             read_bit) == 0)
          return;
      }
      delete b;
    }
  };

  // head_ or tail_: a position and the block it falls in.
  struct alignas(cache_line) position {
    std::atomic<std::size_t> index{0};
    std::atomic<block*> blk{nullptr};
  };

  // Whether a non-blocking recv would complete now, successfully or with
  // disconnection (the marked tail: the senders are gone); a send always
  // would. For lock_free_waker::register_selector.
  bool ready(bool recv_side) const noexcept {
    if (!recv_side) return true;
    const std::size_t tail = tail_.index.load(std::memory_order_seq_cst);
    if (tail & mark_bit) return true;
    const std::size_t head = head_.index.load(std::memory_order_seq_cst);
    return (tail >> shift) != (head >> shift);
  }

  // Sends `v` (moved from) or fails with disconnected (untouched). Throws
  // if a block cannot be allocated (untouched) or T's move constructor
  // throws (the claimed slot goes out empty). The fast path claims a slot
  // that is not a block's last; everything else (a lost CAS, a block to
  // install or wait for, the first block, disconnection) starts over out of
  // line, so that the fast path saves few registers (callgrind: about 20
  // instructions per send+recv).
  [[gnu::always_inline]] op_status push(T& v) {
    std::size_t tail = tail_.index.load(std::memory_order_acquire);
    block* b = tail_.blk.load(std::memory_order_acquire);
    const std::size_t offset = (tail >> shift) % lap;
    if ((tail & mark_bit) == 0 && offset + 1 < block_cap && b != nullptr &&
        tail_.index.compare_exchange_weak(tail, tail + one,
                                          std::memory_order_seq_cst,
                                          std::memory_order_relaxed))
        [[likely]] {
      write(b->slots[offset], v);
      return op_status::ok;
    }
    return push_slow(v);
  }

  [[gnu::noinline]] op_status push_slow(T& v) {
    unsigned step = 0;
    std::size_t tail = tail_.index.load(std::memory_order_acquire);
    block* b = tail_.blk.load(std::memory_order_acquire);
    // Allocated for the next block, owned until installed. A raw pointer,
    // deleted by hand on the way out: a unique_ptr's cleanup on the
    // exception path cost the fast path about 10 instructions (callgrind).
    block* next_block = nullptr;
    for (;;) {
      if (tail & mark_bit) [[unlikely]] {
        delete next_block;
        return op_status::disconnected;
      }
      const std::size_t offset = (tail >> shift) % lap;
      if (offset == block_cap) {
        // Another send is installing the next block.
        backoff(step);
        tail = tail_.index.load(std::memory_order_acquire);
        b = tail_.blk.load(std::memory_order_acquire);
        continue;
      }
      // Claiming the last slot: have the next block ready first.
      if (offset + 1 == block_cap && next_block == nullptr) [[unlikely]]
        next_block = new block;
      if (b == nullptr) [[unlikely]] {
        // The first message: install the first block.
        block* fresh = next_block != nullptr ? next_block : new block;
        next_block = nullptr;
        if (tail_.blk.compare_exchange_strong(b, fresh,
                                              std::memory_order_release,
                                              std::memory_order_relaxed)) {
          head_.blk.store(fresh, std::memory_order_release);
          b = fresh;
        } else {
          next_block = fresh;
          tail = tail_.index.load(std::memory_order_acquire);
          b = tail_.blk.load(std::memory_order_acquire);
          continue;
        }
      }
      const std::size_t new_tail = tail + one;
      if (tail_.index.compare_exchange_weak(tail, new_tail,
                                            std::memory_order_seq_cst,
                                            std::memory_order_acquire)) {
        if (offset + 1 == block_cap) [[unlikely]] {
          block* nb = std::exchange(next_block, nullptr);
          tail_.blk.store(nb, std::memory_order_release);
          // Past the position that is not a slot. An add, not crossbeam's
          // store, which would wipe out a mark_bit set meanwhile by the
          // receiver's disconnection (sends after it would then succeed).
          tail_.index.fetch_add(one, std::memory_order_release);
          b->next.store(nb, std::memory_order_release);
        } else if (next_block != nullptr) [[unlikely]] {
          delete next_block;  // allocated for a slot another send took
        }
        write(b->slots[offset], v);
        return op_status::ok;
      }
      b = tail_.blk.load(std::memory_order_acquire);
      backoff(step);
    }
  }

  static void write(slot& s, T& v) {
    try {
      ::new (static_cast<void*>(s.storage)) T(std::move(v));
    } catch (...) {
      // Claimed: publish it empty, or its receiver would wait for ever.
      s.state.fetch_or(write_bit | empty_bit, std::memory_order_release);
      throw;
    }
    s.state.fetch_or(write_bit, std::memory_order_release);
  }

  // The step of a receive at `head` that compares it with the tail, unless
  // `new_head` (head + one) already knows head_ is behind the tail's block:
  // would_block or disconnected when nothing is buffered, else none, with
  // the mark set in `new_head` when head_ moves behind the tail's block.
  [[gnu::always_inline]] std::optional<op_status>
  past_tail(std::size_t head, std::size_t& new_head) const noexcept {
    if ((new_head & mark_bit) != 0) return std::nullopt;
    std::atomic_thread_fence(std::memory_order_seq_cst);
    const std::size_t tail = tail_.index.load(std::memory_order_relaxed);
    if ((head >> shift) == (tail >> shift))
      return tail & mark_bit ? op_status::disconnected
                             : op_status::would_block;
    if ((head >> shift) / lap != (tail >> shift) / lap) new_head |= mark_bit;
    return std::nullopt;
  }

  // Receives into `out` if a message is buffered: ok, would_block (empty) or
  // disconnected (empty, and the tail marked). A fast path as push's: a
  // slot that is not a block's last, else pop_slow.
  [[gnu::always_inline]] op_status pop(std::optional<T>& out) {
    std::size_t head = head_.index.load(std::memory_order_acquire);
    block* b = head_.blk.load(std::memory_order_acquire);
    const std::size_t offset = (head >> shift) % lap;
    if (offset + 1 < block_cap && b != nullptr) [[likely]] {
      std::size_t new_head = head + one;
      if (std::optional<op_status> empty = past_tail(head, new_head))
        return *empty;
      if (head_.index.compare_exchange_weak(head, new_head,
                                            std::memory_order_seq_cst,
                                            std::memory_order_relaxed) &&
          read(b, offset, out)) [[likely]]
        return op_status::ok;
    }
    return pop_slow(out);
  }

  [[gnu::noinline]] op_status pop_slow(std::optional<T>& out) {
    unsigned step = 0;
    std::size_t head = head_.index.load(std::memory_order_acquire);
    block* b = head_.blk.load(std::memory_order_acquire);
    for (;;) {
      const std::size_t offset = (head >> shift) % lap;
      if (offset == block_cap) {
        // Another receive is moving head_ to the next block.
        backoff(step);
        head = head_.index.load(std::memory_order_acquire);
        b = head_.blk.load(std::memory_order_acquire);
        continue;
      }
      std::size_t new_head = head + one;
      if (std::optional<op_status> empty = past_tail(head, new_head))
        return *empty;
      if (b == nullptr) [[unlikely]] {
        // The first send has claimed a position but not installed the
        // first block yet.
        backoff(step);
        head = head_.index.load(std::memory_order_acquire);
        b = head_.blk.load(std::memory_order_acquire);
        continue;
      }
      if (head_.index.compare_exchange_weak(head, new_head,
                                            std::memory_order_seq_cst,
                                            std::memory_order_acquire)) {
        if (offset + 1 == block_cap) [[unlikely]] {
          // Took the block's last slot: move head_ to the next block.
          block* next = b->wait_next();
          std::size_t next_index = (new_head & ~mark_bit) + one;
          if (next->next.load(std::memory_order_relaxed) != nullptr)
            next_index |= mark_bit;
          head_.blk.store(next, std::memory_order_release);
          head_.index.store(next_index, std::memory_order_release);
        }
        if (read(b, offset, out)) return op_status::ok;
        // Skipped a failed send's empty slot: try the next one.
        head = head_.index.load(std::memory_order_acquire);
        b = head_.blk.load(std::memory_order_acquire);
        continue;
      }
      b = head_.blk.load(std::memory_order_acquire);
      backoff(step);
    }
  }

  // Takes the message out of a claimed slot (false: the slot was empty) and
  // releases the slot, freeing its block if it was the last reader. If T's
  // move constructor throws, the message is destroyed (it can be neither
  // left in the list nor delivered) and the exception goes to the receiver.
  [[gnu::always_inline]] static bool read(block* b, std::size_t offset,
                                          std::optional<T>& out) {
    slot& s = b->slots[offset];
    const std::size_t st = s.wait_write();
    if constexpr (std::is_nothrow_move_constructible_v<T>) {
      // No exception to guard against: no landing pad on the fast path.
      const bool full = (st & empty_bit) == 0;
      if (full) {
        out.emplace(std::move(*s.msg()));
        s.msg()->~T();
      }
      release_slot(b, offset);
      return full;
    }
    struct release {
      block* b;
      std::size_t offset;
      bool full;
      ~release() {
        if (full) b->slots[offset].msg()->~T();
        release_slot(b, offset);
      }
    } guard{b, offset, (st & empty_bit) == 0};
    if (!guard.full) return false;
    out.emplace(std::move(*s.msg()));
    return true;
  }

  // Marks a slot read, freeing its block if it was the last one being read.
  static void release_slot(block* b, std::size_t offset) noexcept {
    if (offset + 1 == block_cap) [[unlikely]]
      block::destroy(b, 0);
    else if (b->slots[offset].state.fetch_or(read_bit,
                                             std::memory_order_acq_rel) &
             destroy_bit) [[unlikely]]
      block::destroy(b, offset + 1);
  }

  // Destroys every buffered message and frees every block (crossbeam's
  // discard_all_messages). The tail is marked: no send claims a position
  // any more, but those that claimed one before may still be writing.
  void discard_all() noexcept {
    unsigned step = 0;
    std::size_t tail = tail_.index.load(std::memory_order_acquire);
    while ((tail >> shift) % lap == block_cap) {
      backoff(step);  // a send is installing the next block
      tail = tail_.index.load(std::memory_order_acquire);
    }
    std::size_t head = head_.index.load(std::memory_order_acquire);
    block* b = head_.blk.exchange(nullptr, std::memory_order_acq_rel);
    if ((head >> shift) != (tail >> shift)) {
      // The first send may not have installed the first block yet.
      while (b == nullptr) {
        backoff(step);
        b = head_.blk.exchange(nullptr, std::memory_order_acq_rel);
      }
    }
    for (; (head >> shift) != (tail >> shift); head += one) {
      const std::size_t offset = (head >> shift) % lap;
      if (offset < block_cap) {
        slot& s = b->slots[offset];
        if ((s.wait_write() & empty_bit) == 0) s.msg()->~T();
      } else {
        block* next = b->wait_next();
        delete b;
        b = next;
      }
    }
    delete b;
    head_.index.store(head & ~mark_bit, std::memory_order_release);
  }

  // Waiting for a message parks on the receivers' side (waker.h).
  [[gnu::noinline]] op_status recv_blocking(std::optional<T>& out,
                                            const deadline_t& deadline) {
    return this->side(/*recv_side=*/true)
        .block([&] { return pop(out); }, [] { return true; }, deadline);
  }

  std::atomic<std::size_t> senders_{1};
  // Receivers write head_, senders tail_.
  position head_;
  position tail_;
};

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_FLAVORS_LIST_H
