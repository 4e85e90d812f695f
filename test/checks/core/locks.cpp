// sendsync-shared: locks as Clang's CFG sees them, on every path. Each
// *_ok is silent; each *_bad twin is a real race (tsan_confirm.py).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>

#if defined(__clang__)
#define CAPABILITY(x) __attribute__((capability(x)))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#else
#define CAPABILITY(x)
#define ACQUIRE(...)
#define RELEASE(...)
#endif

// Opaque to the analysis: which path runs is decided at run time.
bool flag_from_elsewhere();
bool flag_from_elsewhere() { return std::thread::hardware_concurrency() > 0; }

// Lets the new thread run first, so that under ThreadSanitizer its locked
// section is not ordered before the spawner's by the lock itself.
void let_thread_run() {
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

// lock()/unlock() in both branches of an if.
void lock_in_branches_ok() {
  std::mutex m;
  long v = 0;
  std::thread t([&] {
    std::lock_guard<std::mutex> g(m);
    ++v;
  });
  if (flag_from_elsewhere()) {
    m.lock();
    v += 2;
    m.unlock();
  } else {
    m.lock();
    v -= 2;
    m.unlock();
  }
  t.join();
}

// Locked on one path only: `if (!fast) mu.lock(); v = 1;`.
void lock_on_one_path_bad() {
  std::mutex m;
  long v = 0;
  bool fast = flag_from_elsewhere();
  std::thread t([&] {
    std::lock_guard<std::mutex> g(m);
    ++v;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'v' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+6]]:3: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: make it 'std::atomic<long>', or hold one mutex for every access
  });
  if (!fast)
    m.lock();
  v = 1;
  if (!fast)
    m.unlock();
  t.join();
}

// An early return releases the guard; the write after it is still locked.
void early_return_ok() {
  std::mutex m;
  long v = 0;
  std::thread t([&] {
    std::unique_lock<std::mutex> l(m);
    if (!flag_from_elsewhere())
      return;
    ++v;
  });
  {
    std::lock_guard<std::mutex> g(m);
    --v;
  }
  t.join();
}

// unlock() before the write.
void unlocked_early_bad() {
  std::mutex m;
  long v = 0;
  std::thread t([&] {
    std::unique_lock<std::mutex> l(m);
    l.unlock();
    ++v;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'v' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+7]]:7: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: make it 'std::atomic<long>', or hold one mutex for every access
  });
  let_thread_run();
  {
    std::lock_guard<std::mutex> g(m);
    --v;
  }
  t.join();
}

// defer_lock, then lock(); try_to_lock with the result checked.
void deferred_and_try_ok() {
  std::mutex m;
  long v = 0;
  std::thread t([&] {
    std::unique_lock<std::mutex> l(m, std::defer_lock);
    l.lock();
    ++v;
  });
  for (;;) {
    std::unique_lock<std::mutex> l(m, std::try_to_lock);
    if (!l.owns_lock())
      continue;
    --v;
    break;
  }
  t.join();
}

// defer_lock and never locked; try_to_lock and never checked.
void deferred_never_locked_bad() {
  std::mutex m;
  long v = 0;
  std::thread t([&] {
    std::unique_lock<std::mutex> l(m, std::defer_lock);
    ++v;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'v' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+6]]:7: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: make it 'std::atomic<long>', or hold one mutex for every access
  });
  {
    std::unique_lock<std::mutex> l(m, std::try_to_lock);
    --v;
  }
  t.join();
}

// A try_lock() whose result is checked.
void try_lock_checked_ok() {
  std::mutex m;
  long v = 0;
  std::thread t([&] {
    while (!m.try_lock())
      std::this_thread::yield();
    ++v;
    m.unlock();
  });
  {
    std::lock_guard<std::mutex> g(m);
    --v;
  }
  t.join();
}

// scoped_lock of two; a moved unique_lock still holds its mutex.
void scoped_and_moved_ok() {
  std::mutex a, b;
  long v = 0;
  std::thread t([&] {
    std::scoped_lock both(a, b);
    ++v;
  });
  {
    std::unique_lock<std::mutex> l(a);
    std::unique_lock<std::mutex> moved(std::move(l));
    --v;
  }
  t.join();
}

// Readers share a shared_lock; the writer takes it exclusively.
void reader_writer_ok() {
  std::shared_mutex m;
  long v = 0;
  std::thread t([&] {
    std::unique_lock<std::shared_mutex> w(m);
    ++v;
  });
  {
    std::shared_lock<std::shared_mutex> r(m);
    (void)v;
  }
  t.join();
}

// Writing under a shared (reader) lock.
void write_under_reader_lock_bad() {
  std::shared_mutex m;
  long v = 0;
  std::thread t([&] {
    std::shared_lock<std::shared_mutex> r(m);
    ++v;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'v' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+6]]:7: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: make it 'std::atomic<long>', or hold one mutex for every access
  });
  {
    std::shared_lock<std::shared_mutex> r(m);
    --v;
  }
  t.join();
}

// Lock and unlock wrappers defined in this file, and functions annotated
// for Clang's thread-safety analysis.
void enter(std::mutex &m) { m.lock(); }
void leave(std::mutex &m) { m.unlock(); }

struct CAPABILITY("mutex") Spin {
  void acquire() ACQUIRE() { m.lock(); }
  void release() RELEASE() { m.unlock(); }
  std::mutex m;
};

void wrappers_and_annotations_ok() {
  std::mutex m;
  Spin s;
  long v = 0, w = 0;
  std::thread t([&] {
    enter(m);
    ++v;
    leave(m);
    s.acquire();
    ++w;
    s.release();
  });
  enter(m);
  --v;
  leave(m);
  s.acquire();
  --w;
  s.release();
  t.join();
}

// The wrapper releases before the write.
void wrapper_released_bad() {
  std::mutex m;
  long v = 0;
  std::thread t([&] {
    enter(m);
    leave(m);
    ++v;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'v' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+6]]:5: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: make it 'std::atomic<long>', or hold one mutex for every access
  });
  let_thread_run();
  enter(m);
  --v;
  leave(m);
  t.join();
}

// A mutex chosen from an array, and a lock the spawner holds around the
// thread start.
void lock_from_array_and_held_at_start_ok() {
  std::mutex locks[4];
  long v = 0;
  locks[1].lock();
  std::thread t([&] {
    std::lock_guard<std::mutex> g(locks[1]);
    ++v;
  });
  --v;
  locks[1].unlock();
  t.join();
}

// A guard returned by a member function holds the lock it was made with.
struct Held {
  std::unique_lock<std::mutex> hold() {
    return std::unique_lock<std::mutex>(mu);
  }
  std::unique_lock<std::mutex> later() {
    return std::unique_lock<std::mutex>(mu, std::defer_lock);
  }
  std::mutex mu;
  long n = 0;
};

void returned_guard_ok() {
  Held h;
  auto work = [&h] {
    auto guard = h.hold();
    ++h.n;
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
}

// A guard moved into another and unlocked there holds nothing.
void moved_guard_unlocked_bad() {
  std::mutex mu;
  long v = 0;
  auto work = [&] {
    std::unique_lock<std::mutex> first(mu);
    std::unique_lock<std::mutex> second(std::move(first));
    second.unlock();
    ++v;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'v' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE-3]]:7: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+4]]:24: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-6]]:7: note: make it 'std::atomic<long>', or hold one mutex for every access
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
}

// A deferred guard holds nothing until it is locked.
void returned_deferred_guard_bad() {
  Held h;
  auto work = [&h] {
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'h' is shared with another thread and written without synchronization: type 'Held' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+7]]:7: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+6]]:7: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+7]]:24: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-43]]:8: note: field 'n' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-44]]:8: note: 'n' is public: code outside 'Held' can use it without a lock
  // CHECK-MESSAGES: :[[@LINE-7]]:17: note: wrap it in 'sendsync::Mutex<Held>', hold one mutex for every access, or give each thread its own copy
    auto guard = h.later();
    ++h.n;
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(lock_in_branches_ok) TSAN_ENTRY(lock_on_one_path_bad)
    TSAN_ENTRY(early_return_ok) TSAN_ENTRY(unlocked_early_bad)
    TSAN_ENTRY(deferred_and_try_ok) TSAN_ENTRY(deferred_never_locked_bad)
    TSAN_ENTRY(try_lock_checked_ok) TSAN_ENTRY(scoped_and_moved_ok)
    TSAN_ENTRY(reader_writer_ok) TSAN_ENTRY(write_under_reader_lock_bad)
    TSAN_ENTRY(wrappers_and_annotations_ok) TSAN_ENTRY(wrapper_released_bad)
    TSAN_ENTRY(lock_from_array_and_held_at_start_ok)
    TSAN_ENTRY(returned_guard_ok) TSAN_ENTRY(returned_deferred_guard_bad)
    TSAN_ENTRY(moved_guard_unlocked_bad)};
TSAN_MAIN(entries)
#endif
