//===- sendsync/detail/ring.h - Growable ring buffer ------------*- C++ -*-===//
//
// Internal. ring<T>: a FIFO over one contiguous allocation. The rendezvous
// channel's slot is one of capacity 1; the thread pool's task queues double
// it when full (amortised O(1), no allocation per task). Not thread-safe:
// the owner's mutex guards it.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_RING_H
#define SENDSYNC_DETAIL_RING_H

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

#include "sendsync/annotations.h"

namespace sendsync::detail {

// Send iff T is Send: the raw pointer owns its elements (as Rust's Vec<T>),
// which the checker's pointer rule would read as shared (T: Send + Sync).
template <class T> class SENDSYNC_SEND_IF("T: Send") ring {
 public:
  ring() noexcept = default;
  explicit ring(std::size_t capacity)
      : slots_(capacity > 0 ? std::allocator<T>().allocate(capacity) : nullptr),
        cap_(capacity) {}
  ring(ring&& o) noexcept
      : slots_(std::exchange(o.slots_, nullptr)),
        cap_(std::exchange(o.cap_, 0)),
        head_(std::exchange(o.head_, 0)),
        size_(std::exchange(o.size_, 0)) {}
  ring& operator=(ring&& o) noexcept {
    ring(std::move(o)).swap(*this);
    return *this;
  }
  ring(const ring&) = delete;
  ring& operator=(const ring&) = delete;
  ~ring() {
    clear();
    std::allocator<T>().deallocate(slots_, cap_);
  }

  void swap(ring& o) noexcept {
    std::swap(slots_, o.slots_);
    std::swap(cap_, o.cap_);
    std::swap(head_, o.head_);
    std::swap(size_, o.size_);
  }

  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return cap_; }
  bool empty() const noexcept { return size_ == 0; }
  bool full() const noexcept { return size_ == cap_; }

  // Appends `v`; precondition: !full().
  void push(T&& v) {
    ::new (static_cast<void*>(slots_ + wrap(head_ + size_))) T(std::move(v));
    ++size_;
  }

  // Makes room for `n` elements in all (no-op if there is).
  void reserve(std::size_t n) {
    if (n > cap_) reallocate(n);
  }

  // Appends `v`, doubling the capacity first if full.
  void push_grow(T&& v) {
    if (full()) reallocate(cap_ < 8 ? 16 : cap_ * 2);
    push(std::move(v));
  }

  // Removes and returns the oldest element; precondition: !empty().
  T pop() {
    T* p = slots_ + head_;
    T v(std::move(*p));
    p->~T();
    head_ = wrap(head_ + 1);
    --size_;
    return v;
  }

  // Removes and returns the newest element; precondition: !empty(). (The
  // thread pool's worker queues: their owner takes its newest task.)
  T pop_back() {
    T* p = slots_ + wrap(head_ + size_ - 1);
    T v(std::move(*p));
    p->~T();
    --size_;
    return v;
  }

  void clear() noexcept {
    while (size_ > 0) {
      slots_[head_].~T();
      head_ = wrap(head_ + 1);
      --size_;
    }
    head_ = 0;
  }

 private:
  std::size_t wrap(std::size_t i) const noexcept {
    return i >= cap_ ? i - cap_ : i;
  }

  void reallocate(std::size_t new_cap) {
    T* fresh = std::allocator<T>().allocate(new_cap);
    std::size_t moved = 0;
    try {
      for (; moved < size_; ++moved)
        ::new (static_cast<void*>(fresh + moved))
            T(std::move_if_noexcept(slots_[wrap(head_ + moved)]));
    } catch (...) {
      for (std::size_t i = 0; i < moved; ++i) fresh[i].~T();
      std::allocator<T>().deallocate(fresh, new_cap);
      throw;
    }
    const std::size_t n = size_;
    clear();
    std::allocator<T>().deallocate(slots_, cap_);
    slots_ = fresh;
    cap_ = new_cap;
    head_ = 0;
    size_ = n;
  }

  T* slots_ = nullptr;
  std::size_t cap_ = 0;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace sendsync::detail

#endif  // SENDSYNC_DETAIL_RING_H
