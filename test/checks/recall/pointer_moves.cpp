// A thread's pointer to a shared object is followed only while it keeps
// pointing into what it was given. One the thread points at something of
// its own, itself or through a lambda that captures it by reference, names
// that from then on; one it never points elsewhere still names the shared
// object. Each *_ok is silent; each *_bad twin is a real race
// (tsan_confirm.py runs them under ThreadSanitizer).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <thread>

// Reads the shared value, then writes an array of its own through p.
static void own_array(int *shared) {
  int *p = shared;
  int mine[4] = {};
  int v = *p;
  p = mine;
  *p = v;
}

// A lambda that captures p by reference points it at a local.
static void redirected(int *shared) {
  int *p = shared;
  int mine = 0;
  auto redirect = [&] { p = &mine; };
  redirect();
  *p = 3;
}

// Writes the shared value through a copy it never changes.
static void kept(int *shared) {
  int *p = shared;
  *p += 1;
}

void own_array_ok() {
  int x = 0;
  std::thread a(own_array, &x), b(own_array, &x);
  std::thread c(redirected, &x), d(redirected, &x);
  a.join();
  b.join();
  c.join();
  d.join();
}

void kept_bad() {
  int x = 0;
  std::thread a(kept, &x), b(kept, &x);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'x' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-17]]:4: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-18]]:4: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE-4]]:28: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:23: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:23: note: make it 'std::atomic<int>', or hold one mutex for every access
  a.join();
  b.join();
}

// The thread's own copy of the spawner's pointer, pointed elsewhere by a
// mutable lambda before it writes.
void captured_copy_ok() {
  int x = 0;
  int *p = &x;
  auto work = [p]() mutable {
    int mine = *p;
    p = &mine;
    *p += 1;
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
}

void captured_copy_bad() {
  int x = 0;
  int *p = &x;
  auto work = [p] { *p += 1; };
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'x' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:22: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:22: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:24: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:16: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:16: note: make it 'std::atomic<int>', or hold one mutex for every access
  std::thread a(work), b(work);
  a.join();
  b.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(own_array_ok) TSAN_ENTRY(kept_bad)
    TSAN_ENTRY(captured_copy_ok) TSAN_ENTRY(captured_copy_bad)};
TSAN_MAIN(entries)
#endif
