// sendsync-shared: an atomic pointer that threads share by reference (a
// lambda's capture, a reference parameter bound with std::ref) stands for
// what it points to, as a global one does for sendsync-global (Miri's
// read_write_race_stack, write_write_race_stack). A thread's local whose
// address it stores there, and a pointer loaded from it or dereferenced in
// place (`*slot.load()`), are that pointee; the atomic pointer's own loads
// and stores race with nothing. Before the store that publishes it, a local
// is its thread's own; a release store read by an acquire load orders what
// came before the store, not what comes after it.
// Each *_ok is silent; each *_bad twin is a real race (tsan_confirm.py).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

struct Node {
  int value;
  Node *next;
};

// Miri's read_write_race_stack: the first thread publishes its stack
// variable, then reads it; the second writes it through the pointer.
void stack_read_write_race_bad() {
  std::atomic<unsigned long *> pointer{nullptr};
  std::thread j1([&pointer] {
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: '*pointer' is shared with another thread and written without synchronization: type 'unsigned long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+8]]:26: note: read here in the new thread
  // CHECK-MESSAGES: :[[@LINE+13]]:6: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+9]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:20: note: 'unsigned long' is not ThreadSafe: a plain 'unsigned long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:20: note: make it 'std::atomic<unsigned long>', or hold one mutex for every access
    unsigned long stack_var = 0;
    pointer.store(&stack_var, std::memory_order_release);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    unsigned long seen = stack_var;
    (void)seen;
  });
  std::thread j2([&pointer] {
    while (!pointer.load(std::memory_order_acquire))
      std::this_thread::yield();
    *pointer.load(std::memory_order_acquire) = 3;
  });
  j1.join();
  j2.join();
}

// Miri's write_write_race_stack: both write it, through a loaded pointer.
void stack_write_write_race_bad() {
  std::atomic<unsigned long *> pointer{nullptr};
  std::thread j1([&pointer] {
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: '*pointer' is shared with another thread and written without synchronization: type 'unsigned long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+8]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+13]]:6: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+8]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:20: note: 'unsigned long' is not ThreadSafe: a plain 'unsigned long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:20: note: make it 'std::atomic<unsigned long>', or hold one mutex for every access
    unsigned long stack_var = 0;
    pointer.store(&stack_var, std::memory_order_release);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stack_var = 1;
  });
  std::thread j2([&pointer] {
    while (!pointer.load(std::memory_order_acquire))
      std::this_thread::yield();
    unsigned long *p = pointer.load(std::memory_order_acquire);
    *p = 3;
  });
  j1.join();
  j2.join();
}

// The twin: the first thread reads its variable only once the second has
// released it back (`done`), after its write.
void stack_handed_back_ok() {
  std::atomic<unsigned long *> pointer{nullptr};
  std::atomic<bool> done{false};
  std::thread j1([&] {
    unsigned long stack_var = 0;
    pointer.store(&stack_var, std::memory_order_release);
    while (!done.load(std::memory_order_acquire))
      std::this_thread::yield();
    unsigned long seen = stack_var;
    (void)seen;
  });
  std::thread j2([&] {
    while (!pointer.load(std::memory_order_acquire))
      std::this_thread::yield();
    unsigned long *p = pointer.load(std::memory_order_acquire);
    *p = 3;
    done.store(true, std::memory_order_release);
  });
  j1.join();
  j2.join();
}

// The spawner's own in-place load reaches the same pointee.
void spawner_in_place_bad() {
  long x = 0;
  std::atomic<long *> slot{&x};
  std::thread t([&slot] { *slot.load(std::memory_order_acquire) += 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: '*slot' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:28: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:4: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:19: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: make it 'std::atomic<long>', or hold one mutex for every access
  *slot.load(std::memory_order_acquire) += 1;
  t.join();
}

// What an exchange takes is its thread's own: no two exchanges take the
// same node (a lock-free stack's pop-all).
void exchange_taken_ok() {
  std::atomic<Node *> head{new Node{1, nullptr}};
  std::thread a([&head] {
    if (Node *n = head.exchange(nullptr, std::memory_order_acquire))
      n->value += 1;
  });
  std::thread b([&head] {
    if (Node *n = head.exchange(nullptr, std::memory_order_acquire))
      n->value += 1;
  });
  a.join();
  b.join();
}

// Through reference parameters: the functions' `slot` is the spawner's.
static void publish_then_write(std::atomic<int *> &slot) {
  int mine = 0;
  slot.store(&mine, std::memory_order_release);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  mine = 1;
}
static void bump(std::atomic<int *> &slot) {
  while (!slot.load(std::memory_order_acquire))
    std::this_thread::yield();
  *slot.load(std::memory_order_acquire) += 1;
}

void reference_parameters_bad() {
  std::atomic<int *> slot{nullptr};
  std::thread a(publish_then_write, std::ref(slot));
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: '*slot' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-12]]:3: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-8]]:4: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:37: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:37: note: make it 'std::atomic<int>', or hold one mutex for every access
  std::thread b(bump, std::ref(slot));
  a.join();
  b.join();
}

// The twin: the publisher writes only before its release store, and waits
// for the other thread to be done before its variable goes away.
static void write_then_publish(std::atomic<int *> &slot,
                               std::atomic<bool> &done) {
  int mine = 1;
  slot.store(&mine, std::memory_order_release);
  while (!done.load(std::memory_order_acquire))
    std::this_thread::yield();
}
static void bump_then_done(std::atomic<int *> &slot, std::atomic<bool> &done) {
  while (!slot.load(std::memory_order_acquire))
    std::this_thread::yield();
  *slot.load(std::memory_order_acquire) += 1;
  done.store(true, std::memory_order_release);
}

void reference_parameters_ok() {
  std::atomic<int *> slot{nullptr};
  std::atomic<bool> done{false};
  std::thread a(write_then_publish, std::ref(slot), std::ref(done));
  std::thread b(bump_then_done, std::ref(slot), std::ref(done));
  a.join();
  b.join();
}

// A lock-free hand-off through a local head: the producer fills its node
// before the compare-exchange publishes it, and touches it no more; the
// consumer that loads it is the only one to write it.
void lock_free_handoff_ok() {
  std::atomic<Node *> head{nullptr};
  std::thread producer([&head] {
    Node *n = new Node{42, nullptr};
    n->next = head.load(std::memory_order_relaxed);
    while (!head.compare_exchange_weak(n->next, n, std::memory_order_release,
                                       std::memory_order_relaxed))
      ;
  });
  std::thread consumer([&head] {
    Node *n = head.load(std::memory_order_acquire);
    if (n)
      n->value += 1;
  });
  producer.join();
  consumer.join();
  delete head.load();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(stack_read_write_race_bad) TSAN_ENTRY(stack_write_write_race_bad)
    TSAN_ENTRY(stack_handed_back_ok) TSAN_ENTRY(spawner_in_place_bad)
    TSAN_ENTRY(exchange_taken_ok) TSAN_ENTRY(reference_parameters_bad)
    TSAN_ENTRY(reference_parameters_ok) TSAN_ENTRY(lock_free_handoff_ok)};
TSAN_MAIN(entries)
#endif
