//===- test/runtime/test_util.h - Helpers for the runtime tests -*- C++ -*-===//
//
// Counted: a value type that counts live instances, to check that every
// value handed to a primitive is destroyed exactly once (the "drops" tests).
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_TEST_RUNTIME_TEST_UTIL_H
#define SENDSYNC_TEST_RUNTIME_TEST_UTIL_H

#include <atomic>
#include <cstdlib>

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

}  // namespace sendsync_test

#endif  // SENDSYNC_TEST_RUNTIME_TEST_UTIL_H
