// sendsync-global: globals and statics written by code a thread runs, with
// another access beside it and no common lock (*_bad); and the forms that
// are fine (*_ok).
// RUN: %check_tidy %s --checks='-*,sendsync-global' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

int hits = 0;
void count_hit() { ++hits; }
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: global 'hits' is written by another thread while written elsewhere, without a common lock: type 'int' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :{{[0-9]+}}:13: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE-3]]:6: note: 'count_hit' runs in that thread
  // CHECK-MESSAGES: :[[@LINE-4]]:22: note: written here by every thread this loop starts, concurrently
  // CHECK-MESSAGES: :[[@LINE-6]]:5: note: 'hits' is declared here
  // CHECK-MESSAGES: :[[@LINE-6]]:22: note: make it 'std::atomic<int>', 'thread_local', or hold one mutex for every access

void global_from_loop_bad() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(count_hit);
  for (auto &t : threads)
    t.join();
}

struct Stats {
  static long total;
};
long Stats::total = 0;
void add(long n) { Stats::total += n; }
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: static member 'total' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :{{[0-9]+}}:15: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE+6]]:22: note: the lambda in 'static_member_bad' calls 'add' here
  // CHECK-MESSAGES: :[[@LINE-4]]:6: note: 'add' runs in that thread
  // CHECK-MESSAGES: :{{[0-9]+}}:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-7]]:13: note: 'total' is declared here
  // CHECK-MESSAGES: :[[@LINE-7]]:20: note: make it 'std::atomic<long>', 'thread_local', or hold one mutex for every access
void static_member_bad() {
  std::thread t([] { add(1); });
  Stats::total = 5;
  t.join();
}

int next_id() {
  static int counter = 0;
  return ++counter;
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: static local 'counter' is written by another thread while written elsewhere, without a common lock: type 'int' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :{{[0-9]+}}:15: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE+8]]:28: note: the lambda in 'static_local_bad' calls 'next_id' here
  // CHECK-MESSAGES: :[[@LINE-6]]:5: note: 'next_id' runs in that thread
  // CHECK-MESSAGES: :[[@LINE-5]]:12: note: written here by another thread
  // CHECK-MESSAGES: :{{[0-9]+}}:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-8]]:14: note: 'counter' is declared here
  // CHECK-MESSAGES: :[[@LINE-8]]:12: note: make it 'std::atomic<int>', 'thread_local', or hold one mutex for every access
}
void static_local_bad() {
  std::thread a([] { (void)next_id(); });
  std::thread b([] { (void)next_id(); });
  a.join();
  b.join();
}

// ---- Fine. ----
std::mutex hits_mutex;
int locked_hits = 0;
void locked_hit() {
  std::lock_guard<std::mutex> g(hits_mutex);
  ++locked_hits;
}
void locked_ok() {
  std::thread a(locked_hit), b(locked_hit);
  a.join();
  b.join();
}

// The lock is taken by the caller.
int guarded_by_caller = 0;
void bump() { ++guarded_by_caller; }
void caller_locks_ok() {
  std::thread a([] {
    std::lock_guard<std::mutex> g(hits_mutex);
    bump();
  });
  {
    std::lock_guard<std::mutex> g(hits_mutex);
    bump();
  }
  a.join();
}

std::atomic<int> atomic_hits{0};
thread_local int per_thread = 0;
const int limit = 10;
constexpr int other_limit = 20;
void atomics_and_thread_locals_ok() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([] {
      ++atomic_hits;
      ++per_thread;
      (void)(limit + other_limit);
    });
  for (auto &t : threads)
    t.join();
}

int result = 0;
void written_then_read_after_join_ok() {
  std::thread t([] { result = 42; });
  t.join();
  result += 1;
}
