// sendsync-global shows how the thread reaches a write a callee makes: one
// note per call from the thread's entry down (a function or a lambda), the
// first three of a longer chain and then how many more. Each *_bad has an
// *_ok twin whose same chain is locked, and is silent.
// RUN: %check_tidy %s --checks='-*,sendsync-global' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <mutex>
#include <thread>

long total = 0;
void bump() { ++total; }
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: global 'total' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :[[@LINE+11]]:15: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE+7]]:17: note: 'worker' calls 'step' here
  // CHECK-MESSAGES: :[[@LINE+5]]:15: note: 'step' calls 'bump' here
  // CHECK-MESSAGES: :[[@LINE-5]]:6: note: 'bump' runs in that thread
  // CHECK-MESSAGES: :[[@LINE+8]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-8]]:6: note: 'total' is declared here
  // CHECK-MESSAGES: :[[@LINE-8]]:17: note: make it 'std::atomic<long>', 'thread_local', or hold one mutex for every access
void step() { bump(); }
void worker() { step(); }

void two_calls_bad() {
  std::thread t(worker);
  total = 0;
  t.join();
}

int depth = 0;
void d5() { ++depth; }
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: global 'depth' is written by another thread while written elsewhere, without a common lock: type 'int' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :[[@LINE+15]]:15: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE+14]]:22: note: the lambda in 'long_chain_bad' calls 'd1' here
  // CHECK-MESSAGES: :[[@LINE+10]]:13: note: 'd1' calls 'd2' here
  // CHECK-MESSAGES: :[[@LINE+8]]:13: note: 'd2' calls 'd3' here
  // CHECK-MESSAGES: :[[@LINE+5]]:13: note: and 2 more calls, the last one to 'd5' here
  // CHECK-MESSAGES: :[[@LINE-7]]:6: note: 'd5' runs in that thread
  // CHECK-MESSAGES: :[[@LINE+10]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-10]]:5: note: 'depth' is declared here
  // CHECK-MESSAGES: :[[@LINE-10]]:15: note: make it 'std::atomic<int>', 'thread_local', or hold one mutex for every access
void d4() { d5(); }
void d3() { d4(); }
void d2() { d3(); }
void d1() { d2(); }

void long_chain_bad() {
  std::thread t([] { d1(); });
  depth = 0;
  t.join();
}

std::mutex m;
long locked_total = 0;
void locked_bump() { ++locked_total; }
void locked_step() { std::lock_guard<std::mutex> g(m); locked_bump(); }
void locked_worker() { locked_step(); }

void two_calls_ok() {
  std::thread t(locked_worker);
  {
    std::lock_guard<std::mutex> g(m);
    locked_total = 0;
  }
  t.join();
}

int locked_depth = 0;
void l5() { ++locked_depth; }
void l4() { l5(); }
void l3() { l4(); }
void l2() { std::lock_guard<std::mutex> g(m); l3(); }
void l1() { l2(); }

void long_chain_ok() {
  std::thread t([] { l1(); });
  {
    std::lock_guard<std::mutex> g(m);
    locked_depth = 0;
  }
  t.join();
}
