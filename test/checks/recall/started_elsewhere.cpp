// Globals and threads started in another function than the code they race
// with: a detached thread outlives the function that starts it, so what its
// callers do after the call runs beside it. Each *_ok is silent; each *_bad
// twin is a real race (tsan_confirm.py runs them under ThreadSanitizer).
// RUN: %check_tidy %s --checks='-*,sendsync-global' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

static long hits;
static std::atomic<bool> done;

static void record() {
  for (int i = 0; i < 1000; ++i)
    ++hits;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: global 'hits' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+10]]:3: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE+10]]:5: note: the lambda in 'start_recorder' calls 'record' here
    // CHECK-MESSAGES: :[[@LINE-6]]:13: note: 'record' runs in that thread
    // CHECK-MESSAGES: :[[@LINE+18]]:7: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE+15]]:3: note: after this call to 'start_recorder', which returns while the thread runs
    // CHECK-MESSAGES: :[[@LINE-12]]:13: note: 'hits' is declared here
    // CHECK-MESSAGES: :[[@LINE-8]]:7: note: make it 'std::atomic<long>', 'thread_local', or hold one mutex for every access
}

static void start_recorder() {
  std::thread([] {
    record();
    done = true;
  }).detach();
}

// The caller of start_recorder writes hits while the recorder runs.
void detached_in_callee_bad() {
  done = false;
  start_recorder();
  for (int i = 0; i < 1000; ++i)
    ++hits;
  while (!done)
    std::this_thread::yield();
}

static std::atomic<long> atomic_hits;

static void start_atomic_recorder() {
  std::thread([] {
    for (int i = 0; i < 1000; ++i)
      ++atomic_hits;
    done = true;
  }).detach();
}

// The same shape on an atomic counter.
void detached_in_callee_ok() {
  done = false;
  start_atomic_recorder();
  for (int i = 0; i < 1000; ++i)
    ++atomic_hits;
  while (!done)
    std::this_thread::yield();
}

static long setting;

static void start_reader() {
  std::thread([] {
    long seen = setting;
    (void)seen;
    done = true;
  }).detach();
}

// Written before the thread starts, read by it afterwards: ordered by the
// thread's start.
void written_before_start_ok() {
  done = false;
  setting = 3;
  start_reader();
  while (!done)
    std::this_thread::yield();
}

static long results;

static std::future<void> start_worker() {
  std::promise<void> finished;
  std::future<void> f = finished.get_future();
  std::thread([p = std::move(finished)]() mutable {
    results += 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'results' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE+19]]:3: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE+17]]:25: note: after this call to 'start_worker', which returns while the thread runs
    // CHECK-MESSAGES: :[[@LINE-11]]:13: note: 'results' is declared here
    // CHECK-MESSAGES: :[[@LINE-6]]:5: note: make it 'std::atomic<long>', 'thread_local', or hold one mutex for every access
    p.set_value();
  }).detach();
  return f;
}

// The caller waits for the detached thread's future before it writes.
void waited_for_ok() {
  std::future<void> f = start_worker();
  f.get();
  results += 1;
}

// Without the wait, the caller's write races with the thread's.
void not_waited_for_bad() {
  std::future<void> f = start_worker();
  results += 1;
  f.get();
}

static long cache_hits;

static void lookups() {
  for (int i = 0; i < 1000; ++i)
    ++cache_hits;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: global 'cache_hits' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+18]]:45: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-5]]:13: note: 'lookups' runs in that thread
    // CHECK-MESSAGES: :[[@LINE+11]]:7: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+16]]:43: note: which is started here
    // CHECK-MESSAGES: :[[@LINE+8]]:9: note: read here by another thread
    // CHECK-MESSAGES: :[[@LINE+14]]:43: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-12]]:13: note: 'cache_hits' is declared here
    // CHECK-MESSAGES: :[[@LINE-9]]:7: note: make it 'std::atomic<long>', 'thread_local', or hold one mutex for every access
}

static void stats() {
  for (int i = 0; i < 1000; ++i)
    if (cache_hits > 500)
      cache_hits = 0;
}

static void idle() {}

static std::thread start_lookups() { return std::thread(lookups); }
static std::thread start_stats() { return std::thread(stats); }
static std::thread start_idle() { return std::thread(idle); }

// Two threads, each started in a function of its own, both running.
void two_starters_bad() {
  std::thread a = start_lookups();
  std::thread b = start_stats();
  a.join();
  b.join();
}

// The first is joined before the second starts.
void two_starters_ok() {
  std::thread a = start_lookups();
  a.join();
  std::thread b = start_stats();
  std::thread c = start_idle();
  b.join();
  c.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const tsan_entry entries[] = {
    TSAN_ENTRY(detached_in_callee_bad) TSAN_ENTRY(detached_in_callee_ok)
    TSAN_ENTRY(written_before_start_ok) TSAN_ENTRY(waited_for_ok)
    TSAN_ENTRY(not_waited_for_bad) TSAN_ENTRY(two_starters_bad)
    TSAN_ENTRY(two_starters_ok)};
TSAN_MAIN(entries)
#endif
