//===- bench/runtime/locks.cpp - Mutex<T>, RwLock<T> and their C++ peers --===//
//
// Scenarios (the Rust binary registers the same names):
//
//   lock:   uncontended, contended-2t, contended-4t
//           each thread repeats lock, ++counter, unlock; `ops` acquisitions
//           in all; ns per acquisition
//   rwlock: read-1t, read-2t     every operation a read lock and a read
//           mixed-4t             4 threads, every 10th operation a write
//
// The critical section is one increment of a shared 64-bit counter, so the
// figures are the locks' own cost plus the cache-line transfer.
//
//===----------------------------------------------------------------------===//
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include <absl/synchronization/mutex.h>
#include <boost/thread/synchronized_value.hpp>

#include "harness.h"
#include "sendsync/mutex.h"
#include "sendsync/rwlock.h"

namespace bench {
namespace {

using counter = std::uint64_t;

// ---------------------------------------------------------------------------
// Adapters: increment() under the exclusive lock, read() under the shared
// one (for the reader-writer locks).
// ---------------------------------------------------------------------------

struct std_mutex_lock {
  void increment() {
    std::lock_guard lock(mu);
    ++value;
  }
  std::mutex mu;
  counter value = 0;
};

struct sendsync_mutex_lock {
  void increment() { ++*m.lock(); }
  sendsync::Mutex<counter> m{0u};
};

struct absl_mutex_lock {
  void increment() {
    absl::MutexLock lock(&mu);
    ++value;
  }
  absl::Mutex mu;
  counter value = 0;
};

// boost::synchronized_value<T> guards its T with a boost::mutex (a
// pthread_mutex_t); synchronize() returns a locking pointer.
struct boost_synchronized_lock {
  void increment() { ++*v.synchronize(); }
  boost::synchronized_value<counter> v{0u};
};

struct std_shared_mutex_rw {
  void increment() {
    std::lock_guard lock(mu);
    ++value;
  }
  counter read() {
    std::shared_lock lock(mu);
    return value;
  }
  std::shared_mutex mu;
  counter value = 0;
};

struct sendsync_rwlock_rw {
  void increment() { ++*rw.write(); }
  counter read() { return *rw.read(); }
  sendsync::RwLock<counter> rw{0u};
};

struct absl_mutex_rw {
  void increment() {
    absl::MutexLock lock(&mu);
    ++value;
  }
  counter read() {
    absl::ReaderMutexLock lock(&mu);
    return value;
  }
  absl::Mutex mu;
  counter value = 0;
};

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

template <class L> double increments(std::size_t ops, int threads) {
  L lock;
  const std::size_t per_thread = ops / threads;
  std::vector<std::function<void()>> bodies;
  for (int t = 0; t < threads; ++t)
    bodies.emplace_back([&lock, per_thread] {
      for (std::size_t i = 0; i < per_thread; ++i) lock.increment();
    });
  return run_parallel(std::move(bodies)) / static_cast<double>(ops);
}

// `write_every` == 0: reads only.
template <class L>
double reads(std::size_t ops, int threads, std::size_t write_every) {
  L lock;
  const std::size_t per_thread = ops / threads;
  std::vector<std::function<void()>> bodies;
  for (int t = 0; t < threads; ++t)
    bodies.emplace_back([&lock, per_thread, write_every] {
      counter sum = 0;
      for (std::size_t i = 0; i < per_thread; ++i) {
        if (write_every != 0 && i % write_every == 0)
          lock.increment();
        else
          sum += lock.read();
      }
      do_not_optimize(sum);
    });
  return run_parallel(std::move(bodies)) / static_cast<double>(ops);
}

template <class L> void add_mutex(const std::string& impl,
                                  const std::string& note) {
  add_case("lock", "uncontended", impl, note,
           [](const run_args& a) { return increments<L>(a.ops, 1); });
  add_case("lock", "contended-2t", impl, note,
           [](const run_args& a) { return increments<L>(a.ops, 2); });
  add_case("lock", "contended-4t", impl, note,
           [](const run_args& a) { return increments<L>(a.ops, 4); });
  add_op_case("lock.lock_unlock", impl, [](const run_args&) {
    auto lock = std::make_shared<L>();
    return ops_fn([lock](std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) lock->increment();
    });
  });
}

template <class L> void add_rwlock(const std::string& impl,
                                   const std::string& note) {
  add_case("rwlock", "read-1t", impl, note,
           [](const run_args& a) { return reads<L>(a.ops, 1, 0); });
  add_case("rwlock", "read-2t", impl, note,
           [](const run_args& a) { return reads<L>(a.ops, 2, 0); });
  add_case("rwlock", "mixed-4t", impl, note,
           [](const run_args& a) { return reads<L>(a.ops, 4, 10); });
  add_op_case("rwlock.read", impl, [](const run_args&) {
    auto lock = std::make_shared<L>();
    return ops_fn([lock](std::size_t n) {
      counter sum = 0;
      for (std::size_t i = 0; i < n; ++i) sum += lock->read();
      do_not_optimize(sum);
    });
  });
  add_op_case("rwlock.write", impl, [](const run_args&) {
    auto lock = std::make_shared<L>();
    return ops_fn([lock](std::size_t n) {
      for (std::size_t i = 0; i < n; ++i) lock->increment();
    });
  });
}

}  // namespace

void register_lock_cases() {
  // Debian builds Abseil without NDEBUG, which turns absl::Mutex's deadlock
  // detection on by default (a lock-order graph updated on every Lock,
  // about 350 instructions). Production builds of Abseil have it off; so
  // does this benchmark, to measure the lock and not the debugging aid.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  add_mutex<std_mutex_lock>("baseline", "std::mutex");
  add_mutex<sendsync_mutex_lock>("sendsync", "Mutex<T>");
  add_mutex<absl_mutex_lock>("absl", "absl::Mutex");
  add_mutex<boost_synchronized_lock>("boost-synchronized",
                                     "boost::synchronized_value<T>");
  add_rwlock<std_shared_mutex_rw>("baseline", "std::shared_mutex");
  add_rwlock<sendsync_rwlock_rw>("sendsync", "RwLock<T>");
  add_rwlock<absl_mutex_rw>("absl", "absl::Mutex ReaderLock/WriterLock");
}

}  // namespace bench
