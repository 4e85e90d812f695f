/* sendsync-shared and sendsync-global in C: pthread locks, joins, and
 * addresses given to functions that touch no data. Each *_ok is silent;
 * each *_bad twin is a real race (tsan_confirm.py runs them under
 * ThreadSanitizer).
 * RUN: %check_tidy %s --checks='-*,sendsync-shared,sendsync-global' -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

struct counter {
  pthread_mutex_t mu;
  long value;
};

/* The mutex beside the data, reached through the thread's argument. */
static void *add_locked(void *arg) {
  struct counter *c = (struct counter *)arg;
  pthread_mutex_lock(&c->mu);
  c->value += 1;
  pthread_mutex_unlock(&c->mu);
  return NULL;
}

void struct_mutex_ok(void) {
  struct counter c = {PTHREAD_MUTEX_INITIALIZER, 0};
  pthread_t t;
  pthread_create(&t, NULL, add_locked, &c);
  pthread_mutex_lock(&c.mu);
  c.value -= 1;
  pthread_mutex_unlock(&c.mu);
  pthread_join(t, NULL);
}

void struct_mutex_not_taken_bad(void) {
  struct counter c = {PTHREAD_MUTEX_INITIALIZER, 0};
  pthread_t t;
  pthread_create(&t, NULL, add_locked, &c);
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: 'c' is shared with another thread and written without synchronization: type 'counter' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-20]]:3: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-29]]:8: note: field 'value' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:40: note: hold one mutex for every access
  c.value -= 1;
  pthread_join(t, NULL);
}

/* trylock counts on the branch where it succeeded. */
static void *add_trylock(void *arg) {
  struct counter *c = (struct counter *)arg;
  while (pthread_mutex_trylock(&c->mu) != 0)
    usleep(100);
  c->value += 1;
  pthread_mutex_unlock(&c->mu);
  return NULL;
}

/* Set once the thread has tried the lock, so that the spawner holds it
 * until then and the try fails on every run (relaxed: no happens-before,
 * ThreadSanitizer still sees the two writes unordered). */
static atomic_int trylock_tried;

static void *add_trylock_unchecked(void *arg) {
  struct counter *c = (struct counter *)arg;
  int busy = pthread_mutex_trylock(&c->mu);
  atomic_store_explicit(&trylock_tried, 1, memory_order_relaxed);
  c->value += 1;
  if (!busy)
    pthread_mutex_unlock(&c->mu);
  return NULL;
}

void trylock_checked_ok(void) {
  struct counter c = {PTHREAD_MUTEX_INITIALIZER, 0};
  pthread_t t;
  pthread_create(&t, NULL, add_trylock, &c);
  pthread_mutex_lock(&c.mu);
  c.value -= 1;
  pthread_mutex_unlock(&c.mu);
  pthread_join(t, NULL);
}

void trylock_unchecked_bad(void) {
  struct counter c = {PTHREAD_MUTEX_INITIALIZER, 0};
  pthread_t t;
  pthread_mutex_lock(&c.mu);
  pthread_create(&t, NULL, add_trylock_unchecked, &c);
  // CHECK-MESSAGES: :[[@LINE-1]]:51: warning: 'c' is shared with another thread and written without synchronization: type 'counter' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-22]]:3: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-78]]:8: note: field 'value' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:51: note: hold one mutex for every access
  while (!atomic_load_explicit(&trylock_tried, memory_order_relaxed))
    ;
  c.value -= 1;
  pthread_mutex_unlock(&c.mu);
  pthread_join(t, NULL);
}

/* Reader-writer locks: readers share, the writer excludes. */
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static long table;

static void *write_table(void *arg) {
  (void)arg;
  pthread_rwlock_wrlock(&table_lock);
  table += 1;
  pthread_rwlock_unlock(&table_lock);
  return NULL;
}

static void *write_table_as_reader(void *arg) {
  (void)arg;
  pthread_rwlock_rdlock(&table_lock);
  table += 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: global 'table' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :[[@LINE+20]]:3: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE-6]]:14: note: 'write_table_as_reader' runs in that thread
  // CHECK-MESSAGES: :[[@LINE+20]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-18]]:13: note: 'table' is declared here
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: make it '_Atomic long', '_Thread_local', or hold one mutex for every access
  pthread_rwlock_unlock(&table_lock);
  return NULL;
}

void rwlock_ok(void) {
  pthread_t t;
  pthread_create(&t, NULL, write_table, NULL);
  pthread_rwlock_rdlock(&table_lock);
  printf("%ld\n", table);
  pthread_rwlock_unlock(&table_lock);
  pthread_join(t, NULL);
}

void rwlock_write_under_read_bad(void) {
  pthread_t t;
  pthread_create(&t, NULL, write_table_as_reader, NULL);
  pthread_rwlock_rdlock(&table_lock);
  table += 1;
  pthread_rwlock_unlock(&table_lock);
  pthread_join(t, NULL);
}

/* A spinlock around a global. */
static pthread_spinlock_t spin;
static long hits;

static void *hit_spin(void *arg) {
  (void)arg;
  pthread_spin_lock(&spin);
  hits += 1;
  pthread_spin_unlock(&spin);
  return NULL;
}

static void *hit_plain(void *arg) {
  (void)arg;
  hits += 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: global 'hits' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :[[@LINE+21]]:3: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:14: note: 'hit_plain' runs in that thread
  // CHECK-MESSAGES: :[[@LINE+21]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-17]]:13: note: 'hits' is declared here
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: make it '_Atomic long', '_Thread_local', or hold one mutex for every access
  return NULL;
}

void spinlock_ok(void) {
  pthread_t t;
  pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
  pthread_create(&t, NULL, hit_spin, NULL);
  pthread_spin_lock(&spin);
  hits += 1;
  pthread_spin_unlock(&spin);
  pthread_join(t, NULL);
}

void spinlock_not_taken_bad(void) {
  pthread_t t;
  pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
  pthread_create(&t, NULL, hit_plain, NULL);
  pthread_spin_lock(&spin);
  hits += 1;
  pthread_spin_unlock(&spin);
  pthread_join(t, NULL);
}

/* Joined before the spawner touches the global; printf("%p", &g) and a
 * barrier's address touch no data. */
static long result;
static pthread_barrier_t barrier;

static void *produce(void *arg) {
  (void)arg;
  result = 42;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: global 'result' is written by another thread while read elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :[[@LINE+12]]:3: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:14: note: 'produce' runs in that thread
  // CHECK-MESSAGES: :[[@LINE+11]]:27: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-10]]:13: note: 'result' is declared here
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: make it '_Atomic long', '_Thread_local', or hold one mutex for every access
  pthread_barrier_wait(&barrier);
  return NULL;
}

void join_then_read_ok(void) {
  pthread_t t;
  pthread_barrier_init(&barrier, NULL, 2);
  pthread_create(&t, NULL, produce, NULL);
  printf("%p\n", (void *)&result);
  pthread_barrier_wait(&barrier);
  pthread_join(t, NULL);
  printf("%ld\n", result);
  pthread_barrier_destroy(&barrier);
}

void read_before_join_bad(void) {
  pthread_t t;
  pthread_barrier_init(&barrier, NULL, 1);
  pthread_create(&t, NULL, produce, NULL);
  usleep(50000);
  printf("%ld\n", result);
  pthread_join(t, NULL);
  pthread_barrier_destroy(&barrier);
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(struct_mutex_ok) TSAN_ENTRY(struct_mutex_not_taken_bad)
    TSAN_ENTRY(trylock_checked_ok) TSAN_ENTRY(trylock_unchecked_bad)
    TSAN_ENTRY(rwlock_ok) TSAN_ENTRY(rwlock_write_under_read_bad)
    TSAN_ENTRY(spinlock_ok) TSAN_ENTRY(spinlock_not_taken_bad)
    TSAN_ENTRY(join_then_read_ok) TSAN_ENTRY(read_before_join_bad)};
TSAN_MAIN(entries)
#endif
