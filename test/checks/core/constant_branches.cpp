// sendsync-global and sendsync-shared: a thread started with constants
// (`std::thread(work, 0)`) never takes a branch those constants rule out:
// in the thread given 1, `if (id == 0) ...` runs never, so only thread 0
// writes what that branch writes. A parameter the thread changes is no
// constant. Each *_ok is silent; each *_bad twin is a real race
// (tsan_confirm.py).
// RUN: %check_tidy %s --checks='-*,sendsync-shared,sendsync-global' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <thread>

static long leader_total;
static long changed_total;


static long leaders_total;

static void lead(int id) {
  if (id == 0)
    leader_total += 1;
}

static void lead_too(int id) {
  if (id == 0)
    leaders_total += 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'leaders_total' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+28]]:15: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-5]]:13: note: 'lead_too' runs in that thread
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+25]]:31: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-15]]:13: note: 'leaders_total' is declared here
    // CHECK-MESSAGES: :[[@LINE-7]]:5: note: make it 'std::atomic<long>', 'thread_local', or hold one mutex for every access
}

static void changed(int id) {
  id = 0;
  if (id == 0)
    changed_total += 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'changed_total' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+21]]:15: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-6]]:13: note: 'changed' runs in that thread
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+18]]:30: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-31]]:13: note: 'changed_total' is declared here
    // CHECK-MESSAGES: :[[@LINE-7]]:5: note: make it 'std::atomic<long>', 'thread_local', or hold one mutex for every access
}

void leader_ok() {
  std::thread a(lead, 0), b(lead, 1);
  a.join();
  b.join();
}

void two_leaders_bad() {
  std::thread a(lead_too, 0), b(lead_too, 0);
  a.join();
  b.join();
}

void changed_parameter_bad() {
  std::thread a(changed, 0), b(changed, 1);
  a.join();
  b.join();
}

void local_leader_ok() {
  long sum = 0;
  auto work = [&sum](int id) {
    if (id != 0)
      return;
    sum += 1;
  };
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(leader_ok) TSAN_ENTRY(two_leaders_bad)
    TSAN_ENTRY(changed_parameter_bad) TSAN_ENTRY(local_leader_ok)};
TSAN_MAIN(entries)
#endif
