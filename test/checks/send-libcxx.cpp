// The model matches libc++'s spellings (std::__1::...) as well as
// libstdc++'s.
// REQUIRES: libcxx
// RUN: %check_tidy %s --checks='-*,sendsync-send' -- %cxxflags -stdlib=libc++ | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sendsync/annotations.h>

struct SENDSYNC_NOT_SYNC Cell { int v; };

void libcxx(std::mutex &m) {
  std::vector<std::string> ok;
  std::shared_ptr<Cell> bad;
  std::unique_lock<std::mutex> lk(m);
  std::thread t([ok, bad, lk = std::move(lk)] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: capture 'bad' cannot be sent to another thread: type 'std::shared_ptr<Cell>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:22: note: 'std::shared_ptr<Cell>' is Send only if 'Cell' is Send and Sync
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: 'Cell' is marked not Sync here
  // CHECK-MESSAGES: :[[@LINE-5]]:27: warning: capture 'lk' cannot be sent to another thread: type 'std::unique_lock<std::mutex>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-7]]:27: note: 'std::unique_lock<std::mutex>' is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-8]]:27: note: acquire the lock inside the new thread instead of passing it in
  t.join();
}
