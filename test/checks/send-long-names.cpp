// A type name longer than 200 characters is cut in the middle in messages:
// its head says what the type is, its tail closes it.
// RUN: %check_tidy %s --checks='-*,sendsync-send' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <mutex>
#include <thread>
#include <tuple>

struct FirstComponentWithADeliberatelyLongDescriptiveName {};
struct SecondComponentWithADeliberatelyLongDescriptiveName {};
struct ThirdComponentWithADeliberatelyLongDescriptiveName {};
struct FourthComponentWithADeliberatelyLongDescriptiveName {};

using Long = std::tuple<FirstComponentWithADeliberatelyLongDescriptiveName,
                        SecondComponentWithADeliberatelyLongDescriptiveName,
                        ThirdComponentWithADeliberatelyLongDescriptiveName,
                        FourthComponentWithADeliberatelyLongDescriptiveName,
                        std::unique_lock<std::mutex>>;

void long_name_bad(Long v) {
  std::thread t([v = std::move(v)] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'v' cannot be sent to another thread: type 'std::tuple<FirstComponentWithADeliberatelyLongDescriptiveName, SecondComponentWithADeliberatelyLongDescriptiveName, Thir ... liberatelyLongDescriptiveName, std::unique_lock<std::mutex>>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:18: note: 'std::tuple<FirstComponentWithADeliberatelyLongDescriptiveName, SecondComponentWithADeliberatelyLongDescriptiveName, Thir ... liberatelyLongDescriptiveName, std::unique_lock<std::mutex>>' is Send only if 'std::unique_lock<std::mutex>' is Send
  // CHECK-MESSAGES: :[[@LINE-4]]:18: note: 'std::unique_lock<std::mutex>' is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-5]]:18: note: acquire the lock inside the new thread instead of passing it in
  t.join();
}

// A short one is printed whole.
void short_name_bad(std::unique_lock<std::mutex> lk) {
  std::thread t([lk = std::move(lk)] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'lk' cannot be sent to another thread: type 'std::unique_lock<std::mutex>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:18: note: 'std::unique_lock<std::mutex>' is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-4]]:18: note: acquire the lock inside the new thread instead of passing it in
  t.join();
}
