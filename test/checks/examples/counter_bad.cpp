// The wrong twin of examples/counter.cpp: the threads increment a plain
// `int` captured by reference. `++count` is a read, an add and a write; two
// threads interleave them, increments are lost, and the data race is
// undefined behaviour.
// sendsync-shared flags `count`: a plain variable written by several
// threads.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
#include <iostream>

#include <sendsync/thread.h>

namespace {

constexpr int threads = 8;
constexpr int increments_per_thread = 10000;
constexpr int expected = threads * increments_per_thread;

}  // namespace

int main() {
  int count = 0;  // BAD: written by every thread, no lock, not atomic

  sendsync::scope([&](sendsync::Scope& s) {
    for (int t = 0; t < threads; ++t) {
      s.spawn([&count] {
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'count' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :{{[0-9]+}}:59: note: written here in the new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:59: note: written here by every thread this loop starts, concurrently
  // CHECK-MESSAGES: :[[@LINE-4]]:17: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:17: note: make it 'std::atomic<int>', or hold one mutex for every access
        for (int i = 0; i < increments_per_thread; ++i) ++count;
      });
    }
  });

  std::cout << "plain counter: " << count << " (expected " << expected
            << ")\n";
  return count == expected ? 0 : 1;
}
