// What a pointer member points to, reached through a shared object: the
// access path continues through the dereference (h.next->hits), so two
// threads writing one pointee through one shared object conflict. Each *_ok
// is silent; each *_bad twin is a real race (tsan_confirm.py runs them under
// ThreadSanitizer).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <mutex>
#include <thread>

struct Link {
  int hits = 0;
};

struct Holder {
  Link *next = nullptr;
};

void field_pointee_bad() {
  Link target;
  Holder h{&target};
  std::thread t([&h] { h.next->hits++; });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'h' is shared with another thread and written without synchronization: type 'Holder' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: field 'hits' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: wrap it in 'sendsync::Mutex<Holder>', hold one mutex for every access, or give each thread its own copy
  h.next->hits++;
  t.join();
}

std::mutex link_mutex;

// Both writes hold one mutex.
void field_pointee_locked_ok() {
  Link target;
  Holder h{&target};
  std::thread t([&h] {
    std::lock_guard<std::mutex> g(link_mutex);
    h.next->hits++;
  });
  {
    std::lock_guard<std::mutex> g(link_mutex);
    h.next->hits++;
  }
  t.join();
}

// Both threads only read through the pointer.
void field_pointee_read_ok() {
  Link target;
  Holder h{&target};
  std::thread t([&h] { volatile int sink = h.next->hits; });
  volatile int sink = h.next->hits;
  t.join();
}

struct Tally {
  std::atomic<int> n{0};
};

struct TallyHolder {
  Tally *tally = nullptr;
};

// The pointee is ThreadSafe: its atomic is written from both threads.
void field_pointee_thread_safe_ok() {
  Tally target;
  TallyHolder h{&target};
  std::thread t([&h] { h.tally->n++; });
  h.tally->n++;
  t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const tsan_entry entries[] = {
    TSAN_ENTRY(field_pointee_bad) TSAN_ENTRY(field_pointee_locked_ok)
    TSAN_ENTRY(field_pointee_read_ok) TSAN_ENTRY(field_pointee_thread_safe_ok)};
TSAN_MAIN(entries)
#endif
