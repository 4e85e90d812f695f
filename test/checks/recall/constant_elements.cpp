// One element of an array given to a thread by a constant index, in C++:
// two threads given `&totals[0]` share it; `&totals[0]` and `&totals[1]`
// are two objects. Each *_ok is silent; each *_bad twin is a real race
// (tsan_confirm.py runs them under ThreadSanitizer).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <thread>

static void add(long *total) {
  for (int i = 0; i < 1000; ++i)
    *total += i;
}

void same_element_bad() {
  long totals[2] = {0, 0};
  std::thread a(add, &totals[0]), b(add, &totals[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: 'totals' is shared with another thread and written without synchronization: type 'long[2]' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-7]]:6: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-8]]:6: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE-4]]:35: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:22: note: 'long[2]' is ThreadSafe only if 'long' is ThreadSafe
  // CHECK-MESSAGES: :[[@LINE-6]]:22: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:22: note: wrap it in 'sendsync::Mutex<long[2]>', hold one mutex for every access, or give each thread its own copy
  a.join();
  b.join();
}

void distinct_elements_ok() {
  long totals[2] = {0, 0};
  std::thread a(add, &totals[0]), b(add, &totals[1]);
  a.join();
  b.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(same_element_bad) TSAN_ENTRY(distinct_elements_ok)};
TSAN_MAIN(entries)
#endif
