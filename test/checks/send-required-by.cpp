// What demands Send, as rustc's "required by a bound in `spawn`": one note
// right after each sendsync-send warning, at the thread start (std::thread,
// std::jthread, std::async, emplace_back and make_unique of a thread, a
// parallel execution policy) or at the parameter of an annotated or
// configured function the value is passed to. Each *_bad has an *_ok twin
// that sends a Send value through the same crossing and is silent.
// RUN: %check_tidy %s --checks='-*,sendsync-send' --config="{CheckOptions: {CrossingFunctions: 'lib::post:0;lib::start:0:1', ParallelFunctions: 'lib::each'}}" -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <algorithm>
#include <execution>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include <sendsync/annotations.h>

class SENDSYNC_NOT_SEND Handle { int fd = 0; };
class SENDSYNC_NOT_SYNC Cell { int v = 0; };

struct Pool {
  template <class F> void submit(SENDSYNC_CROSSES_THREAD F task) {}
  template <class F> void scoped(SENDSYNC_CROSSES_THREAD_SCOPED F task) {}
  template <class F, class T>
  void send(SENDSYNC_CROSSES_THREAD F task, SENDSYNC_CROSSES_THREAD T value) {}
  template <class F> void each(SENDSYNC_RUNS_CONCURRENTLY F body) {}
};

namespace lib {
template <class F> void post(F task) {}
template <class F, class T> void start(F fn, T arg) {}
template <class F> void each(int n, F body) {}
} // namespace lib

void use(Handle) {}
void use_int(int) {}

void std_thread_bad(Handle h) {
  std::thread t([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-24]]:7: note: 'Handle' is marked not Send here
  t.join();
}

void std_thread_ok(int n) {
  std::thread t([n] {});
  t.join();
}

void argument_bad(Handle h) {
  std::jthread t(use, h);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: argument 2 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:16: note: required because 'std::jthread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-37]]:7: note: 'Handle' is marked not Send here
}

void argument_ok(int n) { std::jthread t(use_int, n); }

void async_bad(Handle h) {
  auto f = std::async(std::launch::async, [h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: required because 'std::async' may run its callable and arguments on a new thread
  // CHECK-MESSAGES: :[[@LINE-46]]:7: note: 'Handle' is marked not Send here
}

void async_ok(int n) { auto f = std::async(std::launch::async, [n] {}); }

void emplace_bad(std::vector<std::jthread> &threads, Handle h) {
  threads.emplace_back([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:11: note: required because 'std::jthread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-55]]:7: note: 'Handle' is marked not Send here
  auto t = std::make_unique<std::thread>([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-59]]:7: note: 'Handle' is marked not Send here
  t->detach();
}

void emplace_ok(std::vector<std::jthread> &threads, int n) {
  threads.emplace_back([n] {});
  auto t = std::make_unique<std::thread>([n] {});
  t->detach();
}

void annotated_bad(Pool &pool, Handle h) {
  pool.submit([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-68]]:60: note: required by this parameter of 'Pool::submit', which runs its argument on another thread
  // CHECK-MESSAGES: :[[@LINE-73]]:7: note: 'Handle' is marked not Send here
  pool.scoped([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-71]]:67: note: required by this parameter of 'Pool::scoped', which runs its argument on another thread
  // CHECK-MESSAGES: :[[@LINE-77]]:7: note: 'Handle' is marked not Send here
  pool.send([] {}, h);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: argument 2 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-73]]:71: note: required by this parameter of 'Pool::send', which moves its argument to another thread
  // CHECK-MESSAGES: :[[@LINE-81]]:7: note: 'Handle' is marked not Send here
}

void annotated_ok(Pool &pool, int n) {
  pool.submit([n] {});
  pool.scoped([n] {});
  pool.send([] {}, n);
}

void concurrent_bad(Pool &pool, Cell c) {
  pool.each([c] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: capture 'c' is used by the concurrent runs of a parallel algorithm's callable at once: type 'Cell' is not Sync [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-85]]:61: note: required by this parameter of 'Pool::each', which runs its argument on many threads at once
  // CHECK-MESSAGES: :[[@LINE-93]]:7: note: 'Cell' is marked not Sync here
  std::vector<int> v(8);
  std::for_each(std::execution::par, v.begin(), v.end(), [c](int) {});
  // CHECK-MESSAGES: :[[@LINE-1]]:59: warning: capture 'c' is used by the concurrent runs of a parallel algorithm's callable at once: type 'Cell' is not Sync [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: required because 'std::for_each' runs its callable on many threads at once under a parallel execution policy
  // CHECK-MESSAGES: :[[@LINE-98]]:7: note: 'Cell' is marked not Sync here
}

void concurrent_ok(Pool &pool, int n) {
  pool.each([n] {});
  std::vector<int> v(8);
  std::for_each(std::execution::par, v.begin(), v.end(), [n](int) {});
}

void configured_bad(Handle h, Cell c) {
  lib::post([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-99]]:32: note: required by this parameter of 'lib::post', which runs its argument on another thread (option CrossingFunctions)
  // CHECK-MESSAGES: :[[@LINE-112]]:7: note: 'Handle' is marked not Send here
  lib::each(4, [c](int) {});
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: capture 'c' is used by the concurrent runs of a parallel algorithm's callable at once: type 'Cell' is not Sync [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-101]]:39: note: required by this parameter of 'lib::each', which runs its argument on many threads at once (option ParallelFunctions)
  // CHECK-MESSAGES: :[[@LINE-115]]:7: note: 'Cell' is marked not Sync here
  lib::start(use, h);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: argument 2 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-106]]:48: note: required by this parameter of 'lib::start', which passes its argument to the callable it runs on another thread (option CrossingFunctions)
  // CHECK-MESSAGES: :[[@LINE-120]]:7: note: 'Handle' is marked not Send here
}

void configured_ok(int n) {
  lib::post([n] {});
  lib::each(4, [n](int) {});
  lib::start(use_int, n);
}
