// A pointer to a type that is not Sync, given to two threads, shares its
// pointee by reference: the same Sync violation as a `const T&`. Each *_ok
// is silent; each *_bad twin is a real race (tsan_confirm.py runs them under
// ThreadSanitizer).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <thread>

// A lookup cache that counts its hits in a plain mutable member: const
// member functions write it, so it is not Sync.
struct Cache {
  mutable long hits = 0;
  long get() const { return ++hits; }
};

static void use(const Cache *c) {
  for (int i = 0; i < 1000; ++i)
    c->get();
}

void const_pointer_to_non_sync_bad() {
  const Cache *c = new Cache;
  std::thread a(use, c), b(use, c);
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: '*c' is shared with another thread by reference, but type 'Cache' is not Sync [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-7]]:5: note: used here in the new thread
  // CHECK-MESSAGES: :[[@LINE-14]]:16: note: mutable field 'hits' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  a.join();
  b.join();
  delete c;
}

struct CountingCache {
  mutable std::atomic<long> hits{0};
  long get() const { return ++hits; }
};

static void use_counting(const CountingCache *c) {
  for (int i = 0; i < 1000; ++i)
    c->get();
}

void const_pointer_to_sync_ok() {
  const CountingCache *c = new CountingCache;
  std::thread a(use_counting, c), b(use_counting, c);
  a.join();
  b.join();
  delete c;
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const tsan_entry entries[] = {
    TSAN_ENTRY(const_pointer_to_non_sync_bad)
    TSAN_ENTRY(const_pointer_to_sync_ok)};
TSAN_MAIN(entries)
#endif
