// sendsync-shared: a value handed over through a std::atomic is ordered
// when the store side releases and the load side acquires: a release or
// seq_cst store, a read-modify-write (exchange, fetch_add,
// compare_exchange) with an order that releases or acquires, or relaxed
// operations after a release fence and before an acquire fence (Miri's
// test_fence_sync). Relaxed operations alone order nothing.
// Each *_ok is silent; each *_bad twin is a real race (tsan_confirm.py).
// ThreadSanitizer does not model stand-alone fences (GCC says so with
// -Wtsan), so the fenced *_ok is left out of its entry table: it is
// race-free by [atomics.fences], not by a run.
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <thread>

void fence_sync_ok() {
  static std::atomic<int> sync{0};
  int var = 0;
  std::thread writer([&var] {
    var = 1;
    std::atomic_thread_fence(std::memory_order_release);
    sync.store(1, std::memory_order_relaxed);
  });
  std::thread reader([&var] {
    while (sync.load(std::memory_order_relaxed) != 1)
      std::this_thread::yield();
    std::atomic_thread_fence(std::memory_order_acquire);
    volatile int sink = var;
  });
  writer.join();
  reader.join();
}

void fence_on_one_side_bad() {
  static std::atomic<int> sync{0};
  int var = 0;
  std::thread writer([&var] {
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'var' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+5]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+11]]:25: note: read here by another thread
  // CHECK-MESSAGES: :[[@LINE+7]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:24: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:24: note: make it 'std::atomic<int>', or hold one mutex for every access
    var = 1;
    std::atomic_thread_fence(std::memory_order_release);
    sync.store(1, std::memory_order_relaxed);
  });
  std::thread reader([&var] {
    while (sync.load(std::memory_order_relaxed) != 1)
      std::this_thread::yield();
    volatile int sink = var;
  });
  writer.join();
  reader.join();
}

// A read-modify-write that acquires and releases hands over like a store
// and a load: the exchange that finds the other thread's 1 sees its write.
void exchange_handoff_ok() {
  std::atomic<int> turn{0};
  int var = 0;
  std::thread writer([&var, &turn] {
    var = 1;
    turn.exchange(1, std::memory_order_acq_rel);
  });
  std::thread reader([&var, &turn] {
    while (turn.exchange(0, std::memory_order_acq_rel) != 1)
      std::this_thread::yield();
    volatile int sink = var;
  });
  writer.join();
  reader.join();
}

void relaxed_fetch_add_bad() {
  std::atomic<int> done{0};
  int var = 0;
  std::thread writer([&var, &done] {
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'var' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+5]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+10]]:25: note: read here by another thread
  // CHECK-MESSAGES: :[[@LINE+6]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:24: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:24: note: make it 'std::atomic<int>', or hold one mutex for every access
    var = 1;
    done.fetch_add(1, std::memory_order_relaxed);
  });
  std::thread reader([&var, &done] {
    while (done.load(std::memory_order_relaxed) == 0)
      std::this_thread::yield();
    volatile int sink = var;
  });
  writer.join();
  reader.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(fence_on_one_side_bad) TSAN_ENTRY(exchange_handoff_ok)
    TSAN_ENTRY(relaxed_fetch_add_bad)};
TSAN_MAIN(entries)
#endif
