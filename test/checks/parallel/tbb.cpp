// oneTBB's loops and reductions are parallel crossings by default (option
// ParallelFunctions, matched by the name a call spells: tbb::parallel_for
// for tbb::detail::d1::parallel_for), as a user's own are once listed.
// Each *_ok is silent; each *_bad races: run by hand with
// `tsan_confirm.py --link=-ltbb` (without the fake headers: the real oneTBB).
// ThreadSanitizer also reports inside the uninstrumented libtbb for every
// *_ok, so CI's tsan-confirm does not take this file.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags -I%S/../Inputs/fake-tbb | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
// RUN: %check_tidy %s --checks='-*,sendsync-shared' --config="{CheckOptions: {ParallelFunctions: 'ranges::par_each'}}" -- %cxxflags -I%S/../Inputs/fake-tbb -DUSER_ONLY | FileCheck %s --check-prefix=USER --implicit-check-not='{{warning|error|note}}:'

#include <algorithm>
#include <atomic>
#include <functional>
#include <numeric>
#include <thread>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_for_each.h>
#include <tbb/parallel_reduce.h>

static std::vector<int> numbers() {
  std::vector<int> v(10000);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

#ifndef USER_ONLY
// oneTBB: each index once.
void tbb_index_ok() {
  std::vector<int> v = numbers();
  tbb::parallel_for(0, int(v.size()), [&](int i) { v[i] += 1; });
}

// oneTBB: every run adds to one total.
void tbb_total_bad() {
  std::vector<int> v = numbers();
  long total = 0;
  tbb::parallel_for(0, int(v.size()), [&](int i) { total += v[i]; });
  // CHECK-MESSAGES: :[[@LINE-1]]:52: warning: 'total' is shared by the concurrent runs of a parallel algorithm's callable and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:52: note: written here in each run
  // CHECK-MESSAGES: :[[@LINE-3]]:52: note: written here by every run of the callable, concurrently
  // CHECK-MESSAGES: :[[@LINE-4]]:52: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:52: note: write only the element each run is given, combine results with a reduction (std::transform_reduce), or make it 'std::atomic<long>'
}

// oneTBB: each run's subrange of indices.
void tbb_range_ok() {
  std::vector<int> v = numbers();
  tbb::parallel_for(tbb::blocked_range<int>(0, int(v.size())),
                    [&](const tbb::blocked_range<int> &r) {
                      for (int i = r.begin(); i != r.end(); ++i)
                        v[i] *= 2;
                    });
}

// oneTBB: a histogram whose buckets several runs share.
void tbb_histogram_bad() {
  std::vector<int> v = numbers();
  std::vector<int> hist(10);
  tbb::parallel_for(tbb::blocked_range<int>(0, int(v.size())),
                    [&](const tbb::blocked_range<int> &r) {
                      for (int i = r.begin(); i != r.end(); ++i)
                        hist[v[i] % 10] += 1;
                        // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'hist' is shared by the concurrent runs of a parallel algorithm's callable and written without synchronization: type 'std::vector<int>' is not ThreadSafe [sendsync-shared]
                        // CHECK-MESSAGES: :[[@LINE-2]]:25: note: written here in each run
                        // CHECK-MESSAGES: :[[@LINE-3]]:25: note: written here by every run of the callable, concurrently
                        // CHECK-MESSAGES: :[[@LINE-4]]:25: note: 'std::vector<int>' is not ThreadSafe: concurrent non-const use of one object is a data race
                        // CHECK-MESSAGES: :[[@LINE-5]]:25: note: write only the element each run is given, combine results with a reduction (std::transform_reduce), or wrap it in 'sendsync::Mutex<std::vector<int>>'
                    });
}

// oneTBB: a functional reduction.
void tbb_reduce_ok() {
  std::vector<int> v = numbers();
  long total = tbb::parallel_reduce(
      tbb::blocked_range<int>(0, int(v.size())), 0L,
      [&](const tbb::blocked_range<int> &r, long sum) {
        for (int i = r.begin(); i != r.end(); ++i)
          sum += v[i];
        return sum;
      },
      std::plus<long>());
  (void)total;
}

// oneTBB: the reduction's body also bumps a plain counter.
void tbb_reduce_bad() {
  std::vector<int> v = numbers();
  int chunks = 0;
  long total = tbb::parallel_reduce(
      tbb::blocked_range<int>(0, int(v.size())), 0L,
      [&](const tbb::blocked_range<int> &r, long sum) {
        ++chunks;
        // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: 'chunks' is shared by the concurrent runs of a parallel algorithm's callable and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
        // CHECK-MESSAGES: :[[@LINE-2]]:11: note: written here in each run
        // CHECK-MESSAGES: :[[@LINE-3]]:11: note: written here by every run of the callable, concurrently
        // CHECK-MESSAGES: :[[@LINE-4]]:11: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
        // CHECK-MESSAGES: :[[@LINE-5]]:11: note: write only the element each run is given, combine results with a reduction (std::transform_reduce), or make it 'std::atomic<int>'
        for (int i = r.begin(); i != r.end(); ++i)
          sum += v[i];
        return sum;
      },
      std::plus<long>());
  (void)total;
}

// oneTBB's parallel_for_each: each element once.
void tbb_for_each_ok() {
  std::vector<int> v = numbers();
  tbb::parallel_for_each(v.begin(), v.end(), [](int &x) { x -= 1; });
}

#endif

// A user's loop, listed in ParallelFunctions: f(x) for every element, on
// two threads at once.
namespace ranges {
template <class T, class F> void par_each(std::vector<T> &v, F f) {
  auto half = v.begin() + v.size() / 2;
  std::thread t([&] { std::for_each(v.begin(), half, f); });
  std::for_each(half, v.end(), f);
  t.join();
}
} // namespace ranges

void listed_bad() {
  std::vector<int> v = numbers();
  long total = 0;
  ranges::par_each(v, [&](int x) { total += x; });
  // USER: :[[@LINE-1]]:36: warning: 'total' is shared by the concurrent runs of a parallel algorithm's callable and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // USER: :[[@LINE-2]]:36: note: written here in each run
  // USER: :[[@LINE-3]]:36: note: written here by every run of the callable, concurrently
  // USER: :[[@LINE-4]]:36: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // USER: :[[@LINE-5]]:36: note: write only the element each run is given, combine results with a reduction (std::transform_reduce), or make it 'std::atomic<long>'
}

void listed_ok() {
  std::vector<int> v = numbers();
  std::atomic<long> total{0};
  ranges::par_each(v, [&](int x) { total += x; });
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const tsan_entry entries[] = {
    TSAN_ENTRY(tbb_index_ok) TSAN_ENTRY(tbb_total_bad) TSAN_ENTRY(tbb_range_ok)
    TSAN_ENTRY(tbb_histogram_bad) TSAN_ENTRY(tbb_reduce_ok)
    TSAN_ENTRY(tbb_reduce_bad) TSAN_ENTRY(tbb_for_each_ok)
    TSAN_ENTRY(listed_bad) TSAN_ENTRY(listed_ok)};
TSAN_MAIN(entries)
#endif
