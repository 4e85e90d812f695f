// Many threads increment one counter; the total must be exactly the number
// of increments.
//
// Twice: once with the count inside a sendsync::Mutex<int> (each increment
// holds the lock), once with a std::atomic<std::size_t> (each increment is one
// indivisible read-modify-write). Both totals are checked against the
// expected sum; the program fails if either is off.
//
// The wrong twin, test/checks/examples/counter_bad.cpp,
// increments a plain `int` captured by reference: the threads' `++` race, and
// increments are lost.
#include <atomic>
#include <cstddef>
#include <iostream>

#include <sendsync/mutex.h>
#include <sendsync/thread.h>

namespace {

constexpr int threads = 8;
constexpr int increments_per_thread = 10000;
constexpr int expected = threads * increments_per_thread;

}  // namespace

int main() {
  sendsync::Mutex<int> locked_count(0);
  std::atomic<std::size_t> atomic_count{0};

  sendsync::scope([&](sendsync::Scope& s) {
    for (int t = 0; t < threads; ++t) {
      s.spawn([&locked_count, &atomic_count] {
        for (int i = 0; i < increments_per_thread; ++i) {
          ++*locked_count.lock();  // the guard dies at the end of the line
          // Relaxed is enough: only the final value matters, and the scope's
          // join makes it visible to the main thread.
          atomic_count.fetch_add(1, std::memory_order_relaxed);
        }
      });
    }
  });

  int from_mutex = std::move(locked_count).into_inner();
  std::size_t from_atomic = atomic_count.load();
  std::cout << "mutex counter: " << from_mutex << " (expected " << expected
            << ")\n"
            << "atomic counter: " << from_atomic << " (expected " << expected
            << ")\n";
  bool ok = from_mutex == expected &&
            from_atomic == static_cast<std::size_t>(expected);
  return ok ? 0 : 1;
}
