/* sendsync-shared: POSIX semaphores and barriers synchronize memory
 * ([POSIX 4.12]): what a thread writes before sem_post happens before
 * what another does after the sem_wait that takes it, and a
 * pthread_barrier_wait orders what each thread did before it before what
 * every thread does after it. Each *_ok is silent; each *_bad twin is a
 * real race (tsan_confirm.py).
 * RUN: %check_tidy %s --checks='-*,sendsync-shared,sendsync-global' -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#define _POSIX_C_SOURCE 200809L /* pthread_barrier_t under -std=c11 */
#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>

struct handoff {
  sem_t ready;
  long data;
};

static void *produce(void *arg) {
  struct handoff *h = arg;
  h->data = 42;
  sem_post(&h->ready);
  return NULL;
}

static void *produce_late(void *arg) {
  struct handoff *h = arg;
  sem_post(&h->ready);
  h->data = 42;
  return NULL;
}

void sem_ok(void) {
  struct handoff h = {.data = 0};
  sem_init(&h.ready, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, produce, &h);
  sem_wait(&h.ready);
  long v = h.data;
  (void)v;
  pthread_join(t, NULL);
  sem_destroy(&h.ready);
}

void sem_bad(void) {
  struct handoff h = {.data = 0};
  sem_init(&h.ready, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, produce_late, &h);
  // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: 'h' is shared with another thread and written without synchronization: type 'handoff' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-22]]:3: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:12: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-37]]:8: note: field 'data' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:42: note: hold one mutex for every access
  sem_wait(&h.ready);
  long v = h.data;
  (void)v;
  pthread_join(t, NULL);
  sem_destroy(&h.ready);
}

static pthread_barrier_t phase;
static long part[2];
static long seen[2];

static void *exchange(void *arg) {
  long id = (long)arg;
  part[id] = id + 1;
  pthread_barrier_wait(&phase);
  seen[id] = part[1 - id];
  return NULL;
}

static void *exchange_early(void *arg) {
  long id = (long)arg;
  part[id] = id + 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: global 'part' is written by another thread while read elsewhere, without a common lock: type 'long[2]' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :[[@LINE+26]]:3: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:14: note: 'exchange_early' runs in that thread
  // CHECK-MESSAGES: :[[@LINE+6]]:14: note: read here by another thread
  // CHECK-MESSAGES: :[[@LINE+24]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+22]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-21]]:13: note: 'part' is declared here
  // CHECK-MESSAGES: :[[@LINE-9]]:3: note: hold one mutex for every access, or make it '_Thread_local'
  seen[id] = part[1 - id];
  pthread_barrier_wait(&phase);
  return NULL;
}

void barrier_ok(void) {
  pthread_barrier_init(&phase, NULL, 2);
  pthread_t a, b;
  pthread_create(&a, NULL, exchange, (void *)0);
  pthread_create(&b, NULL, exchange, (void *)1);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pthread_barrier_destroy(&phase);
}

void barrier_bad(void) {
  pthread_barrier_init(&phase, NULL, 2);
  pthread_t a, b;
  pthread_create(&a, NULL, exchange_early, (void *)0);
  pthread_create(&b, NULL, exchange_early, (void *)1);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pthread_barrier_destroy(&phase);
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(sem_ok) TSAN_ENTRY(sem_bad)
    TSAN_ENTRY(barrier_ok) TSAN_ENTRY(barrier_bad)};
TSAN_MAIN(entries)
#endif
