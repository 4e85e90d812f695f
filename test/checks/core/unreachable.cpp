// sendsync-shared: code no path reaches runs never. A path ends at a
// return, at a call of a [[noreturn]] function, and at a call of a function
// of the unit that never returns although it does not say so: every path
// through its body ends in a throw, in such a call, or in a loop with no
// way out. A try's handlers stay reachable, and a virtual function may be
// overridden by one that returns.
// Each *_ok is silent; each *_bad twin is a real race (tsan_confirm.py).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <mutex>
#include <thread>

struct Failed {};

// Always throws, and is not [[noreturn]].
void fail() { throw Failed{}; }
// Throws only when asked to.
void fail_if(bool really) {
  if (really)
    throw Failed{};
}
// Returns only by throwing: the loop has no other way out.
void poll_until_failed(std::atomic<int> &polls) {
  for (;;)
    if (polls.fetch_add(1, std::memory_order_relaxed) > 2)
      fail();
}
// Never returns, one call further.
void give_up() { fail(); }

// Lets a *_bad thread write before the spawning thread reads. Relaxed,
// so that it orders nothing (the race stays a race under ThreadSanitizer).
std::atomic<bool> thread_wrote{false};
void wait_until_thread_wrote() {
  while (!thread_wrote.load(std::memory_order_relaxed))
    std::this_thread::yield();
}

void after_return_ok() {
  int x = 1;
  std::thread t([&x] {
    return;
    x = 0;
  });
  volatile int sink = x;
  t.join();
}

void after_throwing_call_ok() {
  int x = 1;
  std::thread t([&x] {
    try {
      fail();
      x = 0;
    } catch (const Failed &) {
    }
  });
  volatile int sink = x;
  t.join();
}

void after_call_that_may_return_bad() {
  int x = 1;
  std::thread t([&x] {
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'x' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+6]]:7: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+11]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:19: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: make it 'std::atomic<int>', or hold one mutex for every access
    try {
      fail_if(false);
      x = 0;
      thread_wrote.store(true, std::memory_order_relaxed);
    } catch (const Failed &) {
    }
  });
  wait_until_thread_wrote();
  volatile int sink = x;
  t.join();
}

void after_endless_loop_and_indirect_call_ok() {
  int x = 1;
  std::atomic<int> polls{0};
  std::thread t([&x, &polls] {
    try {
      poll_until_failed(polls);
      x = 0;
    } catch (const Failed &) {
    }
    try {
      give_up();
      x = 2;
    } catch (const Failed &) {
    }
  });
  volatile int sink = x;
  t.join();
}

// The handler runs when the call throws: it is reached.
void in_handler_bad() {
  int x = 1;
  std::thread t([&x] {
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'x' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+7]]:7: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+11]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:19: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: make it 'std::atomic<int>', or hold one mutex for every access
    try {
      fail();
    } catch (const Failed &) {
      x = 0;
      thread_wrote.store(true, std::memory_order_relaxed);
    }
  });
  wait_until_thread_wrote();
  volatile int sink = x;
  t.join();
}

// A virtual function that always throws may be overridden by one that
// returns: what follows its call is reached.
struct Step {
  virtual ~Step() = default;
  virtual void run() { throw Failed{}; }
};
struct Quiet final : Step {
  void run() override {}
};

void after_virtual_call_bad() {
  int x = 1;
  Quiet q;
  Step &s = q;
  std::thread t([&x, &s] {
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'x' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+6]]:7: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+11]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:19: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: make it 'std::atomic<int>', or hold one mutex for every access
    try {
      s.run();
      x = 0;
      thread_wrote.store(true, std::memory_order_relaxed);
    } catch (const Failed &) {
    }
  });
  wait_until_thread_wrote();
  volatile int sink = x;
  t.join();
}

// The path that unlocks and then fails never reaches the write: the lock is
// held on every path that does.
struct Account {
  std::mutex mu;
  int balance = 0;
};

void lock_held_on_every_returning_path_ok() {
  Account a;
  std::thread t([&a] {
    try {
      std::unique_lock<std::mutex> g(a.mu);
      if (a.balance < 0) {
        g.unlock();
        fail();
      }
      a.balance = 1;
    } catch (const Failed &) {
    }
  });
  {
    std::lock_guard<std::mutex> g(a.mu);
    volatile int sink = a.balance;
  }
  t.join();
}

void lock_dropped_on_a_returning_path_bad() {
  Account a;
  std::thread t([&a] {
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'a' is shared with another thread and written without synchronization: type 'Account' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+10]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+15]]:25: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-29]]:7: note: field 'balance' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-30]]:7: note: 'balance' is public: code outside 'Account' can use it without a lock
  // CHECK-MESSAGES: :[[@LINE-6]]:19: note: wrap it in 'sendsync::Mutex<Account>', hold one mutex for every access, or give each thread its own copy
    std::unique_lock<std::mutex> g(a.mu);
    if (a.balance == 0) {
      g.unlock();
      fail_if(false);
    }
    a.balance = 1;
    thread_wrote.store(true, std::memory_order_relaxed);
  });
  wait_until_thread_wrote();
  {
    std::lock_guard<std::mutex> g(a.mu);
    volatile int sink = a.balance;
  }
  t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(after_return_ok) TSAN_ENTRY(after_throwing_call_ok)
    TSAN_ENTRY(after_call_that_may_return_bad)
    TSAN_ENTRY(after_endless_loop_and_indirect_call_ok)
    TSAN_ENTRY(in_handler_bad) TSAN_ENTRY(after_virtual_call_bad)
    TSAN_ENTRY(lock_held_on_every_returning_path_ok)
    TSAN_ENTRY(lock_dropped_on_a_returning_path_bad)};
TSAN_MAIN(entries)
#endif
