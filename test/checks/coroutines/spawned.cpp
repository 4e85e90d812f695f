// A coroutine given to another thread (a spawn, a configured co_spawn) runs
// its body there, with its parameters bound at the call: a reference
// parameter shares the caller's object, as std::ref does for a thread
// function, and a temporary bound to one is gone before the coroutine runs
// (docs/model.md, "Coroutines"). Each *_bad has the finding; each *_ok
// twin is silent.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "mini_task.h"

mini::task count_into(long &total) {
  co_await mini::yield_awaiter{};
  total += 1;
}

mini::task count_atomic(std::atomic<long> &total) {
  co_await mini::yield_awaiter{};
  total += 1;
}

// (The pause lets the caller's statement end first, as it mostly would.)
mini::task log_line(const std::string &line) {
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::printf("%s\n", line.c_str());
  co_return;
}

mini::task log_copy(std::string line) {
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::printf("%s\n", line.c_str());
  co_return;
}

// The coroutine writes the caller's local after the caller has returned.
void local_escapes_bad() {
  long total = 0;
  mini::spawn(count_into(total));
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'total' is a local variable shared by reference with a thread that may outlive it: the thread is started with no handle to join [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: started here
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: 'total' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:26: note: join the thread before 'total' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
}

// A heap object that is never freed outlives every thread.
void heap_ok() { mini::spawn(count_atomic(*new std::atomic<long>(0))); }

// The temporary string ends with the statement.
void temporary_bad() { mini::spawn(log_line(std::string("started"))); }
// CHECK-MESSAGES: :[[@LINE-1]]:45: warning: a temporary is bound to reference parameter 'line' of coroutine 'log_line', which is given to another thread: the temporary is destroyed at the end of this statement, before the coroutine runs [sendsync-escape]
// CHECK-MESSAGES: :[[@LINE-2]]:24: note: the coroutine is given to another thread here
// CHECK-MESSAGES: :[[@LINE-29]]:40: note: take 'line' by value: the coroutine frame then owns a copy

// By value: the frame owns its copy.
void by_value_ok() { mini::spawn(log_copy(std::string("started"))); }

// The caller and the coroutine both write one counter.
long shared_total = 0;
mini::task add_to(long &t) {
  co_await mini::yield_awaiter{};
  t += 1;
}
void race_bad() {
  mini::spawn(add_to(shared_total));
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: 'shared_total' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:22: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:22: note: make it 'std::atomic<long>', or hold one mutex for every access
  shared_total += 1;
  mini::join_all();
}

// The same on an atomic.
std::atomic<long> atomic_total{0};
void race_ok() {
  mini::spawn(count_atomic(atomic_total));
  atomic_total += 1;
  mini::join_all();
}

// A member coroutine runs on the caller's object.
struct counter {
  long n = 0;
  mini::task bump() {
    co_await mini::yield_awaiter{};
    ++n;
  }
};
void member_escapes_bad() {
  counter c;
  mini::spawn(c.bump());
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'c' is a local variable shared by reference with a thread that may outlive it: the thread is started with no handle to join [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: started here
  // CHECK-MESSAGES: :[[@LINE-4]]:11: note: 'c' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: join the thread before 'c' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const tsan_entry entries[] = {TSAN_ENTRY(race_bad) TSAN_ENTRY(race_ok)};
TSAN_MAIN(entries)
#endif
