// sendsync-shared on threads started by a loop, one per iteration: what an
// iteration declares anew is its thread's own (a range-for element, a
// reference bound to the element the loop index selects, a local), unless
// it is a reference bound to one object for every iteration. Each *_ok is
// silent; each *_bad twin is a real race (tsan_confirm.py).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <thread>
#include <vector>

void range_for_element_ok() {
  std::vector<long> results(4);
  std::vector<std::thread> ts;
  for (long &r : results)
    ts.emplace_back([&r] { r += 1; });
  for (auto &t : ts)
    t.join();
}

void range_for_same_object_bad() {
  std::vector<long> results(4);
  long total = 0;
  std::vector<std::thread> ts;
  for (long &r : results) {
    long &sum = total;
    ts.emplace_back([&r, &sum] { sum += r; });
    // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'sum' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:34: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE-3]]:34: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:27: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:27: note: make it 'std::atomic<long>', or hold one mutex for every access
  }
  for (auto &t : ts)
    t.join();
}

void indexed_reference_ok() {
  std::vector<long> results(4);
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i) {
    long &mine = results[i];
    ts.emplace_back([&mine] { mine += 1; });
  }
  for (auto &t : ts)
    t.join();
}

void fixed_index_reference_bad() {
  std::vector<long> results(4);
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i) {
    long &mine = results[0];
    ts.emplace_back([&mine] { mine += 1; });
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'mine' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:31: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE-3]]:31: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:23: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:23: note: make it 'std::atomic<long>', or hold one mutex for every access
  }
  for (auto &t : ts)
    t.join();
}

struct Worker {
  long done = 0;
  std::thread th;
};

void member_of_indexed_element_ok() {
  std::vector<Worker> ws(4);
  for (size_t i = 0; i < ws.size(); ++i) {
    auto &w = ws[i];
    w.th = std::thread([&w] { w.done += 1; });
  }
  for (auto &w : ws)
    w.th.join();
}

void reference_to_one_object_bad() {
  long total = 0;
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i) {
    long &mine = total;
    ts.emplace_back([&mine] { mine += 1; });
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'mine' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:31: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE-3]]:31: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:23: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:23: note: make it 'std::atomic<long>', or hold one mutex for every access
  }
  for (auto &t : ts)
    t.join();
}

void at_and_iterator_ok() {
  std::vector<long> a(4), b(4);
  std::vector<std::thread> ts;
  for (size_t i = 0; i < a.size(); ++i) {
    long &x = a.at(i);
    ts.emplace_back([&x] { x += 1; });
  }
  for (auto it = b.begin(); it != b.end(); ++it) {
    long &y = *it;
    ts.emplace_back([&y] { y += 1; });
  }
  for (auto &t : ts)
    t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(range_for_element_ok) TSAN_ENTRY(range_for_same_object_bad)
    TSAN_ENTRY(indexed_reference_ok) TSAN_ENTRY(fixed_index_reference_bad)
    TSAN_ENTRY(member_of_indexed_element_ok) TSAN_ENTRY(reference_to_one_object_bad)
    TSAN_ENTRY(at_and_iterator_ok)};
TSAN_MAIN(entries)
#endif
