// A coroutine that may resume on another thread must hold only Send values
// across the suspension points where it may (docs/model.md, "Coroutines"):
// Rust's "future is not Send". Each *_bad holds a value that is not Send
// across such a point; each *_ok twin does not.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
// RUN: %check_tidy %s --checks='-*,sendsync-send' --config="{CheckOptions: {AssumeCoroutinesResumeElsewhere: true}}" -- %cxxflags -DASSUMED_ONLY | FileCheck %s --check-prefix=ASSUMED --implicit-check-not='{{warning|error|note}}:'

#include <mutex>
#include <string>

#include "mini_task.h"

// Must stay on the thread that made it (a GUI handle, a thread-local
// arena's allocation).
struct SENDSYNC_NOT_SEND thread_affine {
  int id = 0;
};

std::mutex mu;
int counter = 0;

#ifndef ASSUMED_ONLY

// The lock is released by whichever thread resumes the coroutine.
mini::task lock_across_hop_bad() {
  std::unique_lock<std::mutex> lock(mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'lock' lives across a suspension point after which the coroutine may run on another thread: type 'std::unique_lock<std::mutex>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: the coroutine may resume on another thread here: awaiter 'mini::hop_awaiter' is annotated SENDSYNC_RESUMES_ELSEWHERE
  // CHECK-MESSAGES: :[[@LINE-3]]:32: note: 'std::unique_lock<std::mutex>' is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-4]]:32: note: end its scope before the suspension point (a block around its uses): the lock is then released by the thread that took it
  ++counter;
  co_await mini::hop();
  ++counter;
}

// The lock ends with its block, before the hop.
mini::task lock_before_hop_ok() {
  {
    std::lock_guard<std::mutex> lock(mu);
    ++counter;
  }
  co_await mini::hop();
  std::lock_guard<std::mutex> lock(mu);
  ++counter;
}

// Unlocked before the hop: the guard holds nothing across it.
mini::task unlocked_before_hop_ok() {
  std::unique_lock<std::mutex> lock(mu);
  ++counter;
  lock.unlock();
  co_await mini::hop();
}

// An awaiter whose await_suspend starts a thread, not annotated.
mini::task affine_across_thread_awaiter_bad() {
  thread_affine a;
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'a' lives across a suspension point after which the coroutine may run on another thread: type 'thread_affine' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: the coroutine may resume on another thread here: the await_suspend of 'mini::thread_awaiter' hands it to another thread
  // CHECK-MESSAGES: :[[@LINE-45]]:8: note: 'thread_affine' is marked not Send here
  // CHECK-MESSAGES: :[[@LINE-4]]:17: note: end its scope before the suspension point (a block around its uses)
  co_await mini::thread_awaiter{};
  a.id = 1;
}

mini::task plain_across_thread_awaiter_ok() {
  int n = 0;
  std::string s = "moved with the coroutine";
  co_await mini::thread_awaiter{};
  n += int(s.size());
}

// A suspension that resumes where the coroutine runs: nothing moves.
mini::task affine_across_yield_ok() {
  thread_affine a;
  co_await mini::yield_awaiter{};
  a.id = 2;
}

// After the hop, a value made there stays there.
mini::task affine_after_hop_ok() {
  co_await mini::hop();
  thread_affine a;
  co_await mini::yield_awaiter{};
  a.id = 3;
}

// A parameter lives in the frame for the whole call.
mini::task affine_parameter_bad(thread_affine a) {
// CHECK-MESSAGES: :[[@LINE-1]]:47: warning: parameter 'a' lives across a suspension point after which the coroutine may run on another thread: type 'thread_affine' is not Send [sendsync-send]
// CHECK-MESSAGES: :[[@LINE+3]]:3: note: the coroutine may resume on another thread here: awaiter 'mini::hop_awaiter' is annotated SENDSYNC_RESUMES_ELSEWHERE
// CHECK-MESSAGES: :[[@LINE-77]]:8: note: 'thread_affine' is marked not Send here
// CHECK-MESSAGES: :[[@LINE-4]]:47: note: take it by a Send type, or do not suspend where it may resume elsewhere
  co_await mini::hop();
  a.id = 4;
}

// A guard handed in by value holds its caller's lock.
mini::task guard_parameter_bad(std::unique_lock<std::mutex> lock) {
// CHECK-MESSAGES: :[[@LINE-1]]:61: warning: parameter 'lock' lives across a suspension point after which the coroutine may run on another thread: type 'std::unique_lock<std::mutex>' is not Send [sendsync-send]
// CHECK-MESSAGES: :[[@LINE+3]]:3: note: the coroutine may resume on another thread here: awaiter 'mini::hop_awaiter' is annotated SENDSYNC_RESUMES_ELSEWHERE
// CHECK-MESSAGES: :[[@LINE-3]]:61: note: 'std::unique_lock<std::mutex>' is not Send: a lock must be released by the thread that acquired it
// CHECK-MESSAGES: :[[@LINE-4]]:61: note: take it by a Send type, or do not suspend where it may resume elsewhere
  co_await mini::hop();
  ++counter;
}

mini::task plain_parameter_ok(int n) {
  co_await mini::hop();
  n += 1;
}

// The awaited task hops, so the awaiting one resumes on its thread.
mini::task child_hops() { co_await mini::hop(); }

mini::task affine_across_child_bad() {
  thread_affine a;
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'a' lives across a suspension point after which the coroutine may run on another thread: type 'thread_affine' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: the coroutine may resume on another thread here: it awaits 'child_hops', which may finish on another thread
  // CHECK-MESSAGES: :[[@LINE-105]]:8: note: 'thread_affine' is marked not Send here
  // CHECK-MESSAGES: :[[@LINE-4]]:17: note: end its scope before the suspension point (a block around its uses)
  co_await child_hops();
  a.id = 5;
}

mini::task plain_across_child_ok() {
  int n = 0;
  co_await child_hops();
  n += 1;
}

// Given to another thread: every suspension point may resume elsewhere.
mini::task spawned_affine_bad() {
  thread_affine a;
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'a' lives across a suspension point after which the coroutine may run on another thread: type 'thread_affine' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: the coroutine may resume on another thread here
  // CHECK-MESSAGES: :[[@LINE+14]]:3: note: it is given to another thread here, which resumes it after each suspension
  // CHECK-MESSAGES: :[[@LINE-123]]:8: note: 'thread_affine' is marked not Send here
  // CHECK-MESSAGES: :[[@LINE-5]]:17: note: end its scope before the suspension point (a block around its uses)
  co_await mini::yield_awaiter{};
  a.id = 6;
}

mini::task spawned_plain_ok() {
  int n = 0;
  co_await mini::yield_awaiter{};
  n += 1;
}

void spawn_both() {
  mini::spawn(spawned_affine_bad());
  mini::spawn(spawned_plain_ok());
  mini::join_all();
}

// Started here and never given away: its yield resumes on this thread.
mini::task started_here_ok() {
  thread_affine a;
  co_await mini::yield_awaiter{};
  a.id = 7;
}

void start_here() { mini::start(started_here_ok()); }

#endif

// Silent unless every coroutine is assumed to resume elsewhere.
mini::task assumed_bad() {
  thread_affine a;
  // ASSUMED: :[[@LINE-1]]:17: warning: 'a' lives across a suspension point after which the coroutine may run on another thread: type 'thread_affine' is not Send [sendsync-send]
  // ASSUMED: :[[@LINE+3]]:3: note: the coroutine may resume on another thread here (option AssumeCoroutinesResumeElsewhere)
  // ASSUMED: :[[@LINE-157]]:8: note: 'thread_affine' is marked not Send here
  // ASSUMED: :[[@LINE-4]]:17: note: end its scope before the suspension point (a block around its uses)
  co_await mini::yield_awaiter{};
  a.id = 8;
}
