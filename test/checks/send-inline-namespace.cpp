// The model matches declarations in std's inline namespaces (libc++'s
// std::__1), with or without libc++ installed.
// RUN: %check_tidy %s --checks='-*,sendsync-send' -- -std=c++20 -nostdinc++ -I%S/Inputs/fake-libcxx -I%S/../../include | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <fake_libcxx.h>
#include <sendsync/annotations.h>

struct SENDSYNC_NOT_SYNC Cell { int v; };

void f(std::unique_lock<std::mutex> &&lk) {
  std::vector<int> ok;
  std::shared_ptr<Cell> bad;
  std::thread t([ok, bad] {}, static_cast<std::unique_lock<std::mutex> &&>(lk));
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: capture 'bad' cannot be sent to another thread: type 'std::shared_ptr<Cell>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:22: note: 'std::shared_ptr<Cell>' is Send only if 'Cell' is Send and Sync
  // CHECK-MESSAGES: :[[@LINE-9]]:8: note: 'Cell' is marked not Sync here
  // CHECK-MESSAGES: :[[@LINE-5]]:31: warning: argument 2 cannot be sent to another thread: type 'std::unique_lock<std::mutex>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-7]]:31: note: 'std::unique_lock<std::mutex>' is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-8]]:31: note: acquire the lock inside the new thread instead of passing it in
  std::async([ok] {});
  t.join();
}
