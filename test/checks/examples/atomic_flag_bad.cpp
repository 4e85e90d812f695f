// The wrong twin of examples/atomic_flag.cpp: the flag is a plain `bool`.
// The reader's loop races with the writer's store (undefined behaviour); in
// practice the compiler may read `ready` once and spin forever, and nothing
// orders the write of `message` before the flag.
// sendsync-shared flags `ready`: a plain bool written by one thread and read
// by another.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
#include <iostream>
#include <string>
#include <thread>

#include <sendsync/thread.h>

int main() {
  bool ready = false;  // BAD: written by one thread, read by another
  std::string message;

  sendsync::scope([&](sendsync::Scope& s) {
    s.spawn([&ready, &message] {
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'ready' is shared with another thread and written without synchronization: type 'bool' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :{{[0-9]+}}:15: note: read here in the new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: written here by another thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: 'bool' is not ThreadSafe: a plain 'bool' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:15: note: make it 'std::atomic<bool>', or hold one mutex for every access
  // CHECK-MESSAGES: :[[@LINE-7]]:23: warning: 'message' is shared with another thread and written without synchronization: type 'std::basic_string<char>' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :{{[0-9]+}}:37: note: read here in the new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: written here by another thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-11]]:23: note: 'std::basic_string<char>' is not ThreadSafe: concurrent non-const use of one object is a data race
  // CHECK-MESSAGES: :[[@LINE-12]]:23: note: wrap it in 'sendsync::Mutex<std::basic_string<char>>', hold one mutex for every access, or give each thread its own copy
      while (!ready) std::this_thread::yield();
      std::cout << "flag seen: " << message << '\n';
    });
    s.spawn([&ready, &message] {
      message = "the answer is 42";
      ready = true;
    });
  });
}
