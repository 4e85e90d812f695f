//===- test/runtime/test_util.h - Helpers for the runtime tests -*- C++ -*-===//
//
// Counted: a value type that counts live instances, to check that every
// value handed to a primitive is destroyed exactly once (the "drops" tests).
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_TEST_RUNTIME_TEST_UTIL_H
#define SENDSYNC_TEST_RUNTIME_TEST_UTIL_H

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace sendsync_test {

// Counts live instances in a per-test static; moved-from instances are still
// instances (they are destroyed too), so `live()` returns to its starting
// value exactly when every constructed instance was destroyed once.
struct Counted {
  static std::atomic<long>& live_count() {
    static std::atomic<long> n{0};
    return n;
  }
  static long live() { return live_count().load(); }

  Counted() : value(0) { live_count().fetch_add(1); }
  explicit Counted(int v) : value(v) { live_count().fetch_add(1); }
  Counted(const Counted& o) : value(o.value) { live_count().fetch_add(1); }
  Counted(Counted&& o) noexcept : value(o.value) { live_count().fetch_add(1); }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) noexcept = default;
  ~Counted() {
    if (live_count().fetch_sub(1) <= 0) std::abort();  // destroyed twice
  }

  int value;
};

// Gives a just-started peer thread time to reach its blocking call. This is
// not synchronisation: every test using it passes whichever side runs first;
// the pause only makes it likely that the *blocking* path (park, then be
// woken by the event under test) is exercised rather than the fast path.
inline void let_peer_block() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

}  // namespace sendsync_test

#endif  // SENDSYNC_TEST_RUNTIME_TEST_UTIL_H
