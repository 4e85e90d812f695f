// Standard algorithms given a container's iterators read or write its
// elements: std::fill, std::sort and the destination of std::copy write,
// std::accumulate and std::find read. Each *_ok is silent; each *_bad twin
// is a real race (tsan_confirm.py runs them under ThreadSanitizer).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <memory>
#include <numeric>
#include <thread>
#include <vector>

static void reset(std::vector<int> &levels) {
  for (int round = 0; round < 100; ++round)
    std::fill(levels.begin(), levels.end(), round);
}

// One thread refills the vector while the spawner sums it.
void fill_while_summing_bad() {
  std::vector<int> levels(1000, 1);
  std::thread resetter(reset, std::ref(levels));
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: 'levels' is shared with another thread and written without synchronization: type 'std::vector<int>' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-8]]:31: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+6]]:46: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE+5]]:30: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-5]]:31: note: 'std::vector<int>' is not ThreadSafe: concurrent non-const use of one object is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:31: note: wrap it in 'sendsync::Mutex<std::vector<int>>', hold one mutex for every access, or give each thread its own copy
  long total = 0;
  for (int round = 0; round < 100; ++round)
    total += std::accumulate(levels.begin(), levels.end(), 0L);
  resetter.join();
  (void)total;
}

// The sum waits for the refill.
void fill_then_sum_ok() {
  std::vector<int> levels(1000, 1);
  std::thread resetter(reset, std::ref(levels));
  resetter.join();
  long total = std::accumulate(levels.begin(), levels.end(), 0L);
  (void)total;
}

static long sum(const std::vector<int> &v) {
  return std::accumulate(v.begin(), v.end(), 0L);
}

// Two threads that only read.
void two_readers_ok() {
  std::vector<int> data(1000, 2);
  long a = 0, b = 0;
  std::thread t1([&data, &a] { a = sum(data); });
  std::thread t2([&data, &b] {
    b = std::count(data.begin(), data.end(), 2);
  });
  t1.join();
  t2.join();
}

// A thread copies into the vector the spawner sorts.
void copy_into_while_sorting_bad() {
  std::vector<int> source(1000, 3), target(1000, 0);
  std::thread copier([&source, &target] {
  // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: 'target' is shared with another thread and written without synchronization: type 'std::vector<int>' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+5]]:45: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+6]]:29: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE+5]]:13: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-5]]:33: note: 'std::vector<int>' is not ThreadSafe: concurrent non-const use of one object is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:33: note: wrap it in 'sendsync::Mutex<std::vector<int>>', hold one mutex for every access, or give each thread its own copy
    std::copy(source.begin(), source.end(), target.begin());
  });
  std::sort(target.begin(), target.end());
  copier.join();
}

// Copying out of a vector the spawner only reads.
void copy_from_while_reading_ok() {
  std::vector<int> source(1000, 3), target(1000, 0);
  std::thread copier([&source, &target] {
    std::copy(source.begin(), source.end(), target.begin());
  });
  long seen = std::accumulate(source.begin(), source.end(), 0L);
  copier.join();
  (void)seen;
}

// Atomic elements reached through a shared_ptr, by operator[] and at():
// each use is atomic. Two threads also print to the same C stream, which
// stdio locks.
void shared_atomic_elements_ok() {
  auto counts = std::make_shared<std::array<std::atomic<int>, 2>>();
  std::thread a([counts] { (*counts)[0].fetch_add(1); });
  std::thread b([counts] { counts->at(0).fetch_add(1); });
  std::fprintf(stderr, "%s", "");
  a.join();
  b.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const tsan_entry entries[] = {
    TSAN_ENTRY(fill_while_summing_bad) TSAN_ENTRY(fill_then_sum_ok)
    TSAN_ENTRY(two_readers_ok) TSAN_ENTRY(copy_into_while_sorting_bad)
    TSAN_ENTRY(copy_from_while_reading_ok) TSAN_ENTRY(shared_atomic_elements_ok)};
TSAN_MAIN(entries)
#endif
