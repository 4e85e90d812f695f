/* Argument blocks: each thread gets a block of its own (`&args[i]`) whose
 * pointer members the spawner set, in every block, to the address of one
 * object of its own (`args[i].total = &total`, or in the initializer).
 * `*a->total` in the thread is that object, shared by every such thread;
 * `pthread_mutex_lock(a->lock)` locks the one mutex the members point to.
 * A member pointed at a different object per block is each thread's own.
 * Each *_ok is silent; each *_bad twin is a real race (tsan_confirm.py
 * runs them under ThreadSanitizer).
 * RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#include <pthread.h>
#include <stddef.h>

struct args {
  int id;
  long *total;
  pthread_mutex_t *lock;
};

static void *add(void *p) {
  struct args *a = p;
  for (int i = 0; i < 1000; ++i)
    *a->total += a->id;
  return NULL;
}

static void *add_locked(void *p) {
  struct args *a = p;
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(a->lock);
    *a->total += a->id;
    pthread_mutex_unlock(a->lock);
  }
  return NULL;
}

void one_total_bad(void) {
  long total = 0;
  pthread_t t[4];
  struct args a[4];
  for (int i = 0; i < 4; ++i) {
    a[i].id = i;
    a[i].total = &total;
    a[i].lock = NULL;
    pthread_create(&t[i], NULL, add, &a[i]);
    // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: 'total' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-24]]:6: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE-25]]:6: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:38: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:38: note: make it '_Atomic long', or hold one mutex for every access
  }
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], NULL);
}

void one_total_locked_ok(void) {
  long total = 0;
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  pthread_t t[4];
  struct args a[4];
  for (int i = 0; i < 4; ++i) {
    a[i].id = i;
    a[i].total = &total;
    a[i].lock = &m;
    pthread_create(&t[i], NULL, add_locked, &a[i]);
  }
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], NULL);
}

/* Each block points at a total of its own. */
void own_totals_ok(void) {
  long totals[4] = {0};
  pthread_t t[4];
  struct args a[4];
  for (int i = 0; i < 4; ++i) {
    a[i].id = i;
    a[i].total = &totals[i];
    a[i].lock = NULL;
    pthread_create(&t[i], NULL, add, &a[i]);
  }
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], NULL);
}

/* The blocks written out in their initializer. */
void initialized_bad(void) {
  long total = 0;
  struct args a[2] = {{1, &total, NULL}, {2, &total, NULL}};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, add, &a[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'total' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-70]]:6: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-71]]:6: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:34: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:34: note: make it '_Atomic long', or hold one mutex for every access
  pthread_create(&t2, NULL, add, &a[1]);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

void initialized_locked_ok(void) {
  long total = 0;
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  struct args a[2] = {{1, &total, &m}, {2, &total, &m}};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, add_locked, &a[0]);
  pthread_create(&t2, NULL, add_locked, &a[1]);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

void initialized_ok(void) {
  long first = 0, second = 0;
  struct args a[2] = {{1, &first, NULL}, {2, &second, NULL}};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, add, &a[0]);
  pthread_create(&t2, NULL, add, &a[1]);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

struct locked_args {
  pthread_mutex_t mu;
  long *total;
};

static void *add_own_lock(void *p) {
  struct locked_args *a = p;
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&a->mu);
    *a->total += 1;
    pthread_mutex_unlock(&a->mu);
  }
  return NULL;
}

/* Each block's own mutex locks nothing the others lock. */
void own_locks_bad(void) {
  long total = 0;
  pthread_t t[2];
  struct locked_args a[2];
  for (int i = 0; i < 2; ++i) {
    pthread_mutex_init(&a[i].mu, NULL);
    a[i].total = &total;
    pthread_create(&t[i], NULL, add_own_lock, &a[i]);
    // CHECK-MESSAGES: :[[@LINE-1]]:47: warning: 'total' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-16]]:6: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE-17]]:6: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:47: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:47: note: make it '_Atomic long', or hold one mutex for every access
  }
  for (int i = 0; i < 2; ++i)
    pthread_join(t[i], NULL);
}

/* The second block's member is pointed elsewhere through an alias: not
 * one object for every block. */
void repointed_ok(void) {
  long first = 0, second = 0;
  pthread_t t[2];
  struct args a[2];
  for (int i = 0; i < 2; ++i) {
    struct args *b = &a[i];
    a[i].id = i;
    a[i].total = &first;
    a[i].lock = NULL;
    if (i == 1)
      b->total = &second;
    pthread_create(&t[i], NULL, add, &a[i]);
  }
  for (int i = 0; i < 2; ++i)
    pthread_join(t[i], NULL);
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(one_total_bad) TSAN_ENTRY(one_total_locked_ok)
    TSAN_ENTRY(own_totals_ok)
    TSAN_ENTRY(initialized_bad) TSAN_ENTRY(initialized_locked_ok)
    TSAN_ENTRY(initialized_ok)
    TSAN_ENTRY(own_locks_bad) TSAN_ENTRY(repointed_ok)};
TSAN_MAIN(entries)
#endif
