/* A thread entry given to the function that starts the thread: when every
 * call of that function passes the same function (`spawn(bump)`), the
 * thread runs it, and two such starts run it beside each other. Calls that
 * pass different functions each start another thread function; they are
 * not merged into one thread that may run either. Each *_ok is silent;
 * each *_bad twin is a real race (tsan_confirm.py runs them under
 * ThreadSanitizer).
 * RUN: %check_tidy %s --checks='-*,sendsync-global' -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#include <pthread.h>
#include <stddef.h>

static long hits;
static long locked_hits;
static long x_count, y_count;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *bump(void *arg) {
  for (int i = 0; i < 1000; ++i)
    hits++;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'hits' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+29]]:3: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-5]]:14: note: 'bump' runs in that thread
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: written here by every thread started there, concurrently: the start is reached again while they run
    // CHECK-MESSAGES: :[[@LINE-12]]:13: note: 'hits' is declared here
    // CHECK-MESSAGES: :[[@LINE-6]]:5: note: make it '_Atomic long', '_Thread_local', or hold one mutex for every access
  return arg;
}

static void *bump_locked(void *arg) {
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&mu);
    locked_hits++;
    pthread_mutex_unlock(&mu);
  }
  return arg;
}

static void *count_x(void *arg) {
  x_count++;
  return arg;
}

static void *count_y(void *arg) {
  y_count++;
  return arg;
}

static pthread_t spawn(void *(*entry)(void *)) {
  pthread_t t;
  pthread_create(&t, NULL, entry, NULL);
  return t;
}

static pthread_t spawn_locked(void *(*entry)(void *)) {
  pthread_t t;
  pthread_create(&t, NULL, entry, NULL);
  return t;
}

static pthread_t spawn_either(void *(*entry)(void *)) {
  pthread_t t;
  pthread_create(&t, NULL, entry, NULL);
  return t;
}

void spawned_twice_bad(void) {
  pthread_t a = spawn(bump);
  pthread_t b = spawn(bump);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

void spawned_twice_ok(void) {
  pthread_t a = spawn_locked(bump_locked);
  pthread_t b = spawn_locked(&bump_locked);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

/* One thread counts x, the other y. */
void different_entries_ok(void) {
  pthread_t a = spawn_either(count_x);
  pthread_t b = spawn_either(count_y);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(spawned_twice_bad) TSAN_ENTRY(spawned_twice_ok)
    TSAN_ENTRY(different_entries_ok)};
TSAN_MAIN(entries)
#endif
