// sendsync-shared: a local reference bound to a part of a shared object
// (`auto &w = workers[id];`, `Stats &s = shared.stats;`) is followed: an
// access through it is an access of that part, with the element index it
// was bound with, and binding it touches nothing (taskflow's executor binds
// its own worker this way while the spawner assigns that worker's thread).
// Each *_ok is silent; each *_bad twin is a real race (tsan_confirm.py).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <cstddef>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

struct Worker {
  std::thread thread;
  std::size_t id = 0;
  long done = 0;
};

// Each thread binds its own element; the spawner assigns the element's
// thread member, which no thread touches.
void own_element_reference_ok() {
  std::vector<Worker> workers(4);
  for (std::size_t i = 0; i < workers.size(); ++i)
    workers[i].thread = std::thread([&workers, i] {
      auto &w = workers[i];
      w.id = i;
      w.done += 1;
    });
  for (Worker &w : workers)
    w.thread.join();
}

// The spawner also files each element's address in an index (as
// taskflow's executor maps thread ids to workers): copying the address
// touches nothing.
void element_address_indexed_ok() {
  std::vector<Worker> workers(4);
  std::map<std::size_t, Worker *> index;
  for (std::size_t i = 0; i < workers.size(); ++i) {
    workers[i].thread = std::thread([&workers, i] {
      auto &w = workers[i];
      w.done += 1;
    });
    index.emplace(i, &workers[i]);
  }
  for (Worker &w : workers)
    w.thread.join();
}

// Every thread binds the same element and writes through it.
void same_element_reference_bad() {
  std::vector<Worker> workers(4);
  for (std::size_t i = 0; i < workers.size(); ++i)
    workers[i].thread = std::thread([&workers] {
    // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: 'workers' is shared with another thread and written without synchronization: type 'std::vector<Worker>' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE+5]]:7: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+4]]:7: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-42]]:8: note: field 'done' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:39: note: wrap it in 'sendsync::Mutex<std::vector<Worker>>', hold one mutex for every access, or give each thread its own copy
      auto &first = workers[0];
      first.done += 1;
    });
  for (Worker &w : workers)
    w.thread.join();
}

struct Stats {
  long hits = 0;
};
struct Shared {
  std::mutex mu;
  Stats stats;
};

void member_reference_bad() {
  Shared shared;
  std::thread t([&shared] {
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'shared' is shared with another thread and written without synchronization: type 'Shared' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+8]]:24: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-9]]:9: note: field 'stats' has type 'Stats', which is not ThreadSafe
  // CHECK-MESSAGES: :[[@LINE-10]]:9: note: 'stats' is public: code outside 'Shared' can use it without a lock
  // CHECK-MESSAGES: :[[@LINE-15]]:8: note: field 'hits' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: wrap it in 'sendsync::Mutex<Shared>', hold one mutex for every access, or give each thread its own copy
    Stats &s = shared.stats;
    s.hits += 1;
  });
  volatile long sink = shared.stats.hits;
  t.join();
}

void member_reference_locked_ok() {
  Shared shared;
  std::thread t([&shared] {
    std::lock_guard<std::mutex> g(shared.mu);
    Stats &s = shared.stats;
    s.hits += 1;
  });
  {
    std::lock_guard<std::mutex> g(shared.mu);
    volatile long sink = shared.stats.hits;
  }
  t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(own_element_reference_ok) TSAN_ENTRY(element_address_indexed_ok)
    TSAN_ENTRY(same_element_reference_bad)
    TSAN_ENTRY(member_reference_bad) TSAN_ENTRY(member_reference_locked_ok)};
TSAN_MAIN(entries)
#endif
