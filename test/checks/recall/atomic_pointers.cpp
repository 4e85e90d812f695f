// sendsync-global: an object published through a global atomic pointer
// (Miri's local_variable_*_race, alloc_*_race): a local whose address is
// stored into it, a local pointer stored into it or loaded from it, all
// stand for what the global points to. A relaxed publication orders
// nothing; a release store read by an acquire load orders what came
// before the store, not what comes after it.
// Each *_ok is silent; each *_bad twin is a real race (tsan_confirm.py).
// RUN: %check_tidy %s --checks='-*,sendsync-global' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <thread>

std::atomic<int *> published{nullptr};

// Miri's local_variable_write_race: the spawner's local, published with a
// relaxed store and written after it.
void local_published_relaxed_bad() {
  published.store(nullptr);
  std::thread t([] {
    while (!published.load(std::memory_order_relaxed))
      std::this_thread::yield();
    int *p = published.load(std::memory_order_relaxed);
    *p = 127;
    // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: what global 'published' points to is written by another thread while written elsewhere, without a common lock: type 'int' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE-6]]:15: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE+6]]:3: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-14]]:20: note: 'published' is declared here
    // CHECK-MESSAGES: :[[@LINE-5]]:6: note: hold one mutex for every access to what 'published' points to
  });
  int val = 0;
  published.store(&val, std::memory_order_relaxed);
  val = 42;
  t.join();
}

// Miri's local_variable_read_race: read after the relaxed publication
// while the thread writes it.
void local_published_read_bad() {
  published.store(nullptr);
  std::thread t([] {
    while (!published.load(std::memory_order_relaxed))
      std::this_thread::yield();
    int *p = published.load(std::memory_order_relaxed);
    *p = 127;
    // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: what global 'published' points to is written by another thread while read elsewhere, without a common lock: type 'int' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE-6]]:15: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE+6]]:23: note: read here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-35]]:20: note: 'published' is declared here
    // CHECK-MESSAGES: :[[@LINE-5]]:6: note: hold one mutex for every access to what 'published' points to
  });
  int val = 0;
  published.store(&val, std::memory_order_relaxed);
  volatile int sink = val;
  t.join();
}

// Written before a release store that the thread's acquire load reads, and
// not touched again until the join.
void local_published_release_ok() {
  published.store(nullptr);
  std::thread t([] {
    while (!published.load(std::memory_order_acquire))
      std::this_thread::yield();
    int *p = published.load(std::memory_order_acquire);
    *p = 127;
  });
  int val = 0;
  val = 42;
  published.store(&val, std::memory_order_release);
  t.join();
}

std::atomic<long *> slot{nullptr};

// Miri's alloc_write_race: a heap object published through a relaxed
// store; the thread writes it through the pointer it loads.
void heap_published_relaxed_bad() {
  slot.store(nullptr);
  std::thread t([] {
    while (!slot.load(std::memory_order_relaxed))
      std::this_thread::yield();
    long *p = slot.load(std::memory_order_relaxed);
    *p = 2;
    // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: what global 'slot' points to is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE-6]]:15: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE+6]]:4: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-14]]:21: note: 'slot' is declared here
    // CHECK-MESSAGES: :[[@LINE-5]]:6: note: hold one mutex for every access to what 'slot' points to
  });
  long *h = new long(0);
  slot.store(h, std::memory_order_relaxed);
  *h = 1;
  t.join();
  delete h;
}

void heap_published_release_ok() {
  slot.store(nullptr);
  std::thread t([] {
    while (!slot.load(std::memory_order_acquire))
      std::this_thread::yield();
    long *p = slot.load(std::memory_order_acquire);
    *p = 2;
  });
  long *h = new long(0);
  *h = 1;
  slot.store(h, std::memory_order_release);
  t.join();
  delete h;
}

// The pointer loaded and dereferenced in place: `*slot.load()` is what slot
// points to, as a local loaded from it is.
void in_place_load_bad() {
  slot.store(nullptr);
  std::thread t([] {
    while (!slot.load(std::memory_order_relaxed))
      std::this_thread::yield();
    *slot.load(std::memory_order_relaxed) += 2;
    // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: what global 'slot' points to is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE+6]]:4: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-50]]:21: note: 'slot' is declared here
    // CHECK-MESSAGES: :[[@LINE-5]]:6: note: hold one mutex for every access to what 'slot' points to
  });
  long *h = new long(0);
  slot.store(h, std::memory_order_relaxed);
  *h = 1;
  t.join();
  delete h;
}

void in_place_load_ok() {
  slot.store(nullptr);
  std::thread t([] {
    while (!slot.load(std::memory_order_acquire))
      std::this_thread::yield();
    *slot.load(std::memory_order_acquire) += 2;
  });
  long *h = new long(0);
  *h = 1;
  slot.store(h, std::memory_order_release);
  t.join();
  delete h;
}

// A lock-free stack's push: each thread fills in its own node before the
// compare-exchange publishes it; nothing else touches it from there.
struct Node {
  int value;
  Node *next;
};
std::atomic<Node *> top{nullptr};

void push(int value) {
  Node *n = new Node{value, nullptr};
  n->next = top.load(std::memory_order_relaxed);
  while (!top.compare_exchange_weak(n->next, n, std::memory_order_release,
                                    std::memory_order_relaxed))
    ;
}

void lock_free_push_ok() {
  std::thread a([] { push(1); });
  std::thread b([] { push(2); });
  a.join();
  b.join();
  for (Node *n = top.exchange(nullptr); n;) {
    Node *next = n->next;
    delete n;
    n = next;
  }
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(local_published_relaxed_bad) TSAN_ENTRY(local_published_read_bad)
    TSAN_ENTRY(local_published_release_ok)
    TSAN_ENTRY(heap_published_relaxed_bad)
    TSAN_ENTRY(heap_published_release_ok) TSAN_ENTRY(in_place_load_bad)
    TSAN_ENTRY(in_place_load_ok) TSAN_ENTRY(lock_free_push_ok)};
TSAN_MAIN(entries)
#endif
