/* sendsync-global: a thread given its number as `(void *)1` never takes a
 * branch that number rules out (`if (id == 0)` with `long id = (long)arg`):
 * only thread 0 writes what that branch writes. Each *_ok is silent; each
 * *_bad twin is a real race (tsan_confirm.py).
 * RUN: %check_tidy %s --checks='-*,sendsync-global' -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#include <pthread.h>
#include <stddef.h>

static long part[2];
static long total;
static long totals;

static void *work(void *arg) {
  long id = (long)arg;
  part[id] = id + 1;
  if (id == 0)
    total += 1;
  return NULL;
}

static void *work_too(void *arg) {
  long id = (long)arg;
  if (id == 0)
    totals += 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'totals' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+19]]:3: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-6]]:14: note: 'work_too' runs in that thread
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+17]]:3: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-19]]:13: note: 'totals' is declared here
    // CHECK-MESSAGES: :[[@LINE-7]]:5: note: make it '_Atomic long', '_Thread_local', or hold one mutex for every access
  return NULL;
}

void leader_ok(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work, (void *)0);
  pthread_create(&b, NULL, work, (void *)1);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

void two_leaders_bad(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work_too, NULL);
  pthread_create(&b, NULL, work_too, (void *)0);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(leader_ok) TSAN_ENTRY(two_leaders_bad)};
TSAN_MAIN(entries)
#endif
