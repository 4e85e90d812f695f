// Parallel algorithms are crossings whose callable many threads run at once
// (docs/model.md, "Parallel algorithms"): std algorithms given
// std::execution::par or par_unseq, and parameters annotated
// SENDSYNC_RUNS_CONCURRENTLY (oneTBB's loops: tbb.cpp). What the callable writes
// through its captures is written by every run; the element or index each
// run is given is its own. Each *_ok is silent; each *_bad races: run by
// hand with `tsan_confirm.py --link=-ltbb` (libstdc++'s oneTBB backend).
// ThreadSanitizer also reports inside the uninstrumented libtbb for every
// *_ok, so CI's tsan-confirm does not take these files.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <algorithm>
#include <atomic>
#include <execution>
#include <mutex>
#include <numeric>
#include <vector>

#include "sendsync/annotations.h"

static std::vector<int> numbers() {
  std::vector<int> v(10000);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

// Every run appends to one vector.
void push_back_bad() {
  std::vector<int> in = numbers(), out;
  std::for_each(std::execution::par, in.begin(), in.end(),
                [&out](int x) { out.push_back(x); });
                // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'out' is shared by the concurrent runs of a parallel algorithm's callable and written without synchronization: type 'std::vector<int>' is not ThreadSafe [sendsync-shared]
                // CHECK-MESSAGES: :[[@LINE-2]]:33: note: written here in each run
                // CHECK-MESSAGES: :[[@LINE-3]]:33: note: written here by every run of the callable, concurrently
                // CHECK-MESSAGES: :[[@LINE-4]]:19: note: 'std::vector<int>' is not ThreadSafe: concurrent non-const use of one object is a data race
                // CHECK-MESSAGES: :[[@LINE-5]]:19: note: write only the element each run is given, combine results with a reduction (std::transform_reduce), or wrap it in 'sendsync::Mutex<std::vector<int>>'
}

// Each run changes only the element it is given.
void element_ok() {
  std::vector<int> v = numbers();
  std::for_each(std::execution::par, v.begin(), v.end(),
                [](int &x) { x += 1; });
}

// A plain counter summed by every run.
void counter_bad() {
  std::vector<int> in = numbers();
  long sum = 0;
  std::for_each(std::execution::par, in.begin(), in.end(),
                [&sum](int x) { sum += x; });
                // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'sum' is shared by the concurrent runs of a parallel algorithm's callable and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
                // CHECK-MESSAGES: :[[@LINE-2]]:33: note: written here in each run
                // CHECK-MESSAGES: :[[@LINE-3]]:33: note: written here by every run of the callable, concurrently
                // CHECK-MESSAGES: :[[@LINE-4]]:19: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
                // CHECK-MESSAGES: :[[@LINE-5]]:19: note: write only the element each run is given, combine results with a reduction (std::transform_reduce), or make it 'std::atomic<long>'
}

// The same sum on an atomic.
void atomic_counter_ok() {
  std::vector<int> in = numbers();
  std::atomic<long> sum{0};
  std::for_each(std::execution::par, in.begin(), in.end(),
                [&sum](int x) { sum.fetch_add(x, std::memory_order_relaxed); });
}

// Appends under one mutex.
void locked_ok() {
  std::vector<int> in = numbers(), out;
  std::mutex mu;
  std::for_each(std::execution::par, in.begin(), in.end(), [&](int x) {
    std::lock_guard<std::mutex> lock(mu);
    out.push_back(x);
  });
}

// par_unseq may interleave runs on one thread: a lock there is undefined.
void unsequenced_lock_bad() {
  std::vector<int> in = numbers(), out;
  std::mutex mu;
  std::for_each(std::execution::par_unseq, in.begin(), in.end(), [&](int x) {
    std::lock_guard<std::mutex> lock(mu);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: a lock is taken in the callable of an algorithm run with 'std::execution::par_unseq': its runs may interleave on one thread, so a run can wait for a lock its own thread holds (undefined behaviour) [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the algorithm is called here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: run it with 'std::execution::par', or update the shared data without a lock (an atomic, a reduction)
    out.push_back(x);
  });
}

// par_unseq with no lock and nothing shared written.
void unsequenced_ok() {
  std::vector<int> v = numbers();
  std::for_each(std::execution::par_unseq, v.begin(), v.end(),
                [](int &x) { x *= 2; });
}

// Runs given an index write the element it selects.
void index_ok() {
  std::vector<int> in = numbers(), idx = numbers(), out(in.size());
  std::for_each(std::execution::par, idx.begin(), idx.end(),
                [&](int i) { out[i] = in[i] * 2; });
}

// A captured index selects one element for every run.
void captured_index_bad() {
  std::vector<int> in = numbers(), out(4);
  int k = 2;
  std::for_each(std::execution::par, in.begin(), in.end(),
                [&out, k](int x) { out[k] = x; });
                // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'out' is shared by the concurrent runs of a parallel algorithm's callable and written without synchronization: type 'std::vector<int>' is not ThreadSafe [sendsync-shared]
                // CHECK-MESSAGES: :[[@LINE-2]]:36: note: written here in each run
                // CHECK-MESSAGES: :[[@LINE-3]]:36: note: written here by every run of the callable, concurrently
                // CHECK-MESSAGES: :[[@LINE-4]]:19: note: 'std::vector<int>' is not ThreadSafe: concurrent non-const use of one object is a data race
                // CHECK-MESSAGES: :[[@LINE-5]]:19: note: write only the element each run is given, combine results with a reduction (std::transform_reduce), or wrap it in 'sendsync::Mutex<std::vector<int>>'
}

// The transformation counts its calls in a plain int.
void transform_reduce_bad() {
  std::vector<int> in = numbers();
  int calls = 0;
  long total = std::transform_reduce(
      std::execution::par, in.begin(), in.end(), 0L, std::plus<long>(),
      [&calls](int x) {
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'calls' is shared by the concurrent runs of a parallel algorithm's callable and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
      // CHECK-MESSAGES: :[[@LINE+4]]:11: note: written here in each run
      // CHECK-MESSAGES: :[[@LINE+3]]:11: note: written here by every run of the callable, concurrently
      // CHECK-MESSAGES: :[[@LINE-4]]:9: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
      // CHECK-MESSAGES: :[[@LINE-5]]:9: note: write only the element each run is given, combine results with a reduction (std::transform_reduce), or make it 'std::atomic<int>'
        ++calls;
        return long(x);
      });
  (void)total;
}

// A reduction with no shared state.
void transform_reduce_ok() {
  std::vector<int> in = numbers();
  long total =
      std::transform_reduce(std::execution::par, in.begin(), in.end(), 0L,
                            std::plus<long>(), [](int x) { return long(x); });
  (void)total;
}

// A comparator that counts comparisons in a plain int.
void sort_comparator_bad() {
  std::vector<int> v = numbers();
  std::reverse(v.begin(), v.end());
  int comparisons = 0;
  std::sort(std::execution::par, v.begin(), v.end(), [&](int a, int b) {
    ++comparisons;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'comparisons' is shared by the concurrent runs of a parallel algorithm's callable and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: written here in each run
    // CHECK-MESSAGES: :[[@LINE-3]]:7: note: written here by every run of the callable, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: write only the element each run is given, combine results with a reduction (std::transform_reduce), or make it 'std::atomic<int>'
    return a < b;
  });
}

// A pure comparator.
void sort_comparator_ok() {
  std::vector<int> v = numbers();
  std::reverse(v.begin(), v.end());
  std::sort(std::execution::par, v.begin(), v.end(),
            [](int a, int b) { return a < b; });
}

// The sequenced policy runs on the calling thread only.
void sequenced_ok() {
  std::vector<int> in = numbers(), out;
  std::for_each(std::execution::seq, in.begin(), in.end(),
                [&out](int x) { out.push_back(x); });
}

// A global written by every run.
long g_total = 0;
void global_bad() {
  std::vector<int> in = numbers();
  std::for_each(std::execution::par, in.begin(), in.end(),
                [](int x) { g_total += x; });
                // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: global 'g_total' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
                // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the thread is started here
                // CHECK-MESSAGES: :[[@LINE-3]]:29: note: written here by every run of the callable, concurrently
                // CHECK-MESSAGES: :[[@LINE-8]]:6: note: 'g_total' is declared here
                // CHECK-MESSAGES: :[[@LINE-5]]:29: note: make it 'std::atomic<long>', 'thread_local', or hold one mutex for every access
}

// An atomic global.
std::atomic<long> g_atomic_total{0};
void global_ok() {
  std::vector<int> in = numbers();
  std::for_each(std::execution::par, in.begin(), in.end(),
                [](int x) { g_atomic_total += x; });
}

// A pointer captured by copy: every run writes its one pointee.
void pointee_bad() {
  std::vector<int> in = numbers();
  long total = 0;
  long *p = &total;
  std::for_each(std::execution::par, in.begin(), in.end(),
                [p](int x) { *p += x; });
                // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'total' is shared by the concurrent runs of a parallel algorithm's callable and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
                // CHECK-MESSAGES: :[[@LINE-2]]:31: note: written here in each run
                // CHECK-MESSAGES: :[[@LINE-3]]:31: note: written here by every run of the callable, concurrently
                // CHECK-MESSAGES: :[[@LINE-4]]:18: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
                // CHECK-MESSAGES: :[[@LINE-5]]:18: note: write only the element each run is given, combine results with a reduction (std::transform_reduce), or make it 'std::atomic<long>'
}

// The same pointee only read.
void pointee_ok() {
  std::vector<int> v = numbers();
  long scale = 3;
  const long *p = &scale;
  std::for_each(std::execution::par, v.begin(), v.end(),
                [p](int &x) { x = int(x * *p); });
}

// A user's parallel loop, annotated: runs f(i) for i in [0, n) at once.
template <class F>
void par_for(int n, SENDSYNC_RUNS_CONCURRENTLY const F &f) {
  std::vector<int> indices(n);
  std::iota(indices.begin(), indices.end(), 0);
  std::for_each(std::execution::par, indices.begin(), indices.end(), f);
}

void annotated_bad() {
  std::vector<int> v = numbers();
  long total = 0;
  par_for(int(v.size()), [&](int i) { total += v[i]; });
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: 'total' is shared by the concurrent runs of a parallel algorithm's callable and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:39: note: written here in each run
  // CHECK-MESSAGES: :[[@LINE-3]]:39: note: written here by every run of the callable, concurrently
  // CHECK-MESSAGES: :[[@LINE-4]]:39: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:39: note: write only the element each run is given, combine results with a reduction (std::transform_reduce), or make it 'std::atomic<long>'
}

void annotated_ok() {
  std::vector<int> v = numbers();
  par_for(int(v.size()), [&](int i) { v[i] *= 3; });
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const tsan_entry entries[] = {
    TSAN_ENTRY(push_back_bad) TSAN_ENTRY(element_ok) TSAN_ENTRY(counter_bad)
    TSAN_ENTRY(atomic_counter_ok) TSAN_ENTRY(locked_ok)
    TSAN_ENTRY(unsequenced_ok) TSAN_ENTRY(index_ok)
    TSAN_ENTRY(captured_index_bad) TSAN_ENTRY(transform_reduce_bad)
    TSAN_ENTRY(transform_reduce_ok) TSAN_ENTRY(sort_comparator_bad)
    TSAN_ENTRY(sort_comparator_ok) TSAN_ENTRY(sequenced_ok)
    TSAN_ENTRY(global_bad) TSAN_ENTRY(global_ok) TSAN_ENTRY(pointee_bad)
    TSAN_ENTRY(pointee_ok) TSAN_ENTRY(annotated_bad)
    TSAN_ENTRY(annotated_ok)};
TSAN_MAIN(entries)
#endif
