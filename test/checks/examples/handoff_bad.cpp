// The wrong twin of examples/handoff.cpp: the worker is handed the lock that
// guards the numbers, so it would unlock a mutex the main thread locked.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
#include <cstdint>
#include <iostream>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

int main() {
  std::mutex m;
  std::vector<std::int64_t> numbers(100000);
  std::iota(numbers.begin(), numbers.end(), 1);
  std::unique_lock<std::mutex> lock(m);
  std::int64_t sum = 0;
  std::thread worker(
      [&numbers, &sum, lock = std::move(lock)] {
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: capture 'lock' cannot be sent to another thread: type 'std::unique_lock<std::mutex>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:24: note: 'std::unique_lock<std::mutex>' is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-4]]:24: note: acquire the lock inside the new thread instead of passing it in
        sum = std::accumulate(numbers.begin(), numbers.end(), std::int64_t{0});
      });
  worker.join();
  std::cout << "sum of 1..100000 = " << sum << '\n';
}
