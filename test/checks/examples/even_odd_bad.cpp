// The wrong twin of examples/even_odd.cpp: whose turn it is lives in a plain
// `int` that both threads read and write without a lock, and each thread
// spins on it. Unsynchronised reads and writes of the same int from two
// threads are a data race (undefined behaviour): the compiler may hoist the
// load out of the loop, and the output order is not guaranteed.
// sendsync-shared flags `next`: a plain variable written by one thread and
// read by another.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
#include <iostream>
#include <thread>

#include <sendsync/thread.h>

namespace {

constexpr int last = 20;

}  // namespace

int main() {
  int next = 1;  // BAD: shared by both threads, no lock, not atomic
  std::cout << "alternating:";
  sendsync::scope([&](sendsync::Scope& s) {
    for (int parity : {1, 0}) {
      s.spawn([&next, parity] {
      // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'next' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
      // CHECK-MESSAGES: :[[@LINE+13]]:13: note: written here in the new thread
      // CHECK-MESSAGES: :[[@LINE+12]]:13: note: written here by every thread this loop starts, concurrently
      // CHECK-MESSAGES: :[[@LINE+7]]:18: note: read here by every thread this loop starts, concurrently
      // CHECK-MESSAGES: :[[@LINE+6]]:34: note: read here by every thread this loop starts, concurrently
      // CHECK-MESSAGES: :[[@LINE+7]]:15: note: read here by every thread this loop starts, concurrently
      // CHECK-MESSAGES: :[[@LINE-7]]:17: note: and 1 more conflicting access
      // CHECK-MESSAGES: :[[@LINE-8]]:17: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
      // CHECK-MESSAGES: :[[@LINE-9]]:17: note: make it 'std::atomic<int>', or hold one mutex for every access
        for (;;) {
          while (next <= last && next % 2 != parity)
            std::this_thread::yield();  // waits for a write it may never see
          if (next > last) return;
          std::cout << ' ' << next;
          ++next;
        }
      });
    }
  });
  std::cout << '\n';
}
