// sendsync-shared: the standard library's synchronizers order memory as an
// atomic release and acquire on one object do. What a thread writes before
// a semaphore's release(), a latch's count_down(), a barrier's arrive(), or
// a promise's set_value() happens before what another thread does after
// that semaphore's acquire(), that latch's or barrier's wait(), or a get()
// or wait() on the promise's future ([thread.sema.cnt], [thread.latch],
// [thread.barrier], [futures.state]). A write after the release orders
// nothing. Each *_ok is silent; each *_bad twin is a real race
// (tsan_confirm.py).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <barrier>
#include <future>
#include <latch>
#include <semaphore>
#include <thread>

void semaphore_ok() {
  int data = 0;
  std::binary_semaphore ready(0);
  std::thread t([&] {
    data = 42;
    ready.release();
  });
  ready.acquire();
  int v = data;
  (void)v;
  t.join();
}

void semaphore_bad() {
  int data = 0;
  std::binary_semaphore ready(0);
  std::thread t([&] {
    ready.release();
    data = 42;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'data' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+5]]:11: note: read here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: make it 'std::atomic<int>', or hold one mutex for every access
  });
  ready.acquire();
  int v = data;
  (void)v;
  t.join();
}

// A semaphore that starts with two tokens lets both threads past acquire()
// with no release between them: it orders nothing among them (the latch
// only makes them meet there).
void semaphore_tokens_bad() {
  long total = 0;
  std::counting_semaphore<2> slots(2);
  std::latch both(2);
  std::thread a([&] {
    slots.acquire();
    both.arrive_and_wait();
    total += 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'total' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+9]]:5: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+5]]:15: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-6]]:5: note: make it 'std::atomic<long>', or hold one mutex for every access
    slots.release();
  });
  std::thread b([&] {
    slots.acquire();
    both.arrive_and_wait();
    total += 1;
    slots.release();
  });
  a.join();
  b.join();
}

// With one token it is a lock: each increment follows the other's release.
void semaphore_one_token_ok() {
  long total = 0;
  std::counting_semaphore<2> slots(1);
  std::thread a([&] {
    slots.acquire();
    total += 1;
    slots.release();
  });
  std::thread b([&] {
    slots.acquire();
    total += 1;
    slots.release();
  });
  a.join();
  b.join();
}

void promise_ok() {
  int data = 0;
  std::promise<void> ready;
  std::future<void> done = ready.get_future();
  std::thread t([&] {
    data = 42;
    ready.set_value();
  });
  done.wait();
  int v = data;
  (void)v;
  t.join();
}

void promise_bad() {
  int data = 0;
  std::promise<int> ready;
  std::future<int> done = ready.get_future();
  std::thread t([&] {
    ready.set_value(1);
    data = 42;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'data' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+4]]:24: note: read here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: make it 'std::atomic<int>', or hold one mutex for every access
  });
  int v = done.get() + data;
  (void)v;
  t.join();
}

// Each worker fills its own half, then reads the other's after the
// barrier.
void barrier_ok() {
  int part[2] = {0, 0};
  int seen[2] = {0, 0};
  std::barrier sync(2);
  auto work = [&](int id) {
    part[id] = id + 1;
    sync.arrive_and_wait();
    seen[id] = part[1 - id];
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
}

// The other's half is read before the barrier.
void barrier_bad() {
  int part[2] = {0, 0};
  int seen[2] = {0, 0};
  std::barrier sync(2);
  auto work = [&](int id) {
    part[id] = id + 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'part' is shared with another thread and written without synchronization: type 'int[2]' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+7]]:16: note: read here by another thread
    // CHECK-MESSAGES: :[[@LINE+9]]:27: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+7]]:27: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-7]]:5: note: 'int[2]' is ThreadSafe only if 'int' is ThreadSafe
    // CHECK-MESSAGES: :[[@LINE-8]]:5: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-9]]:5: note: wrap it in 'sendsync::Mutex<int[2]>', hold one mutex for every access, or give each thread its own copy
    seen[id] = part[1 - id];
    sync.arrive_and_wait();
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
}

void latch_ok() {
  int data = 0;
  std::latch ready(1);
  std::thread t([&] {
    data = 42;
    ready.count_down();
  });
  ready.wait();
  data += 1;
  t.join();
}

void latch_bad() {
  int data = 0;
  std::latch ready(1);
  std::thread t([&] {
    ready.count_down();
    data = 42;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'data' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+5]]:3: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: make it 'std::atomic<int>', or hold one mutex for every access
  });
  ready.wait();
  data += 1;
  t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(semaphore_ok) TSAN_ENTRY(semaphore_bad)
    TSAN_ENTRY(semaphore_tokens_bad) TSAN_ENTRY(semaphore_one_token_ok)
    TSAN_ENTRY(promise_ok) TSAN_ENTRY(promise_bad)
    TSAN_ENTRY(barrier_ok) TSAN_ENTRY(barrier_bad)
    TSAN_ENTRY(latch_ok) TSAN_ENTRY(latch_bad)};
TSAN_MAIN(entries)
#endif
