/* A thread wrapper of the project's own, configured as a crossing function
 * that calls its routine with its argument and hands the thread back
 * through a pointer, and its join function (the shape of the Juliet test
 * suite's stdThreadCreate/stdThreadJoin). Each *_ok is silent; each *_bad
 * twin is a real race (tsan_confirm.py runs them under ThreadSanitizer).
 * RUN: %check_tidy %s --checks='-*,sendsync-shared,sendsync-global' --config="{CheckOptions: {CrossingFunctions: 'my_thread_create:0:1', JoinFunctions: 'my_thread_join'}}" -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#include <pthread.h>
#include <stdlib.h>

typedef void (*my_routine)(void *);
struct my_thread {
  pthread_t handle;
  my_routine routine;
  void *arg;
};
typedef struct my_thread *my_thread_t;

static void *trampoline(void *p) {
  struct my_thread *t = p;
  t->routine(t->arg);
  return NULL;
}

static int my_thread_create(my_routine routine, void *arg, my_thread_t *out) {
  struct my_thread *t = malloc(sizeof *t);
  if (!t)
    return 0;
  t->routine = routine;
  t->arg = arg;
  if (pthread_create(&t->handle, NULL, trampoline, t) != 0) {
    free(t);
    return 0;
  }
  *out = t;
  return 1;
}

static int my_thread_join(my_thread_t t) {
  int ok = pthread_join(t->handle, NULL) == 0;
  free(t);
  return ok;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int total;

static void add_unlocked(void *arg) {
  int *n = arg;
  for (int i = 0; i < 1000; i++)
    *n = *n + 1;
}

static void add_locked(void *arg) {
  int *n = arg;
  for (int i = 0; i < 1000; i++) {
    pthread_mutex_lock(&lock);
    *n = *n + 1;
    pthread_mutex_unlock(&lock);
  }
}

static void add_total(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; i++)
    total = total + 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'total' is written by another thread while read elsewhere, without a common lock: type 'int' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+48]]:8: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-6]]:13: note: 'add_total' runs in that thread
    // CHECK-MESSAGES: :[[@LINE+48]]:14: note: read here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-25]]:12: note: 'total' is declared here
    // CHECK-MESSAGES: :[[@LINE-6]]:5: note: make it '_Atomic int', '_Thread_local', or hold one mutex for every access
}

/* Two threads given the address of one local through the wrapper. */
void wrapper_argument_bad(void) {
  int value = 0;
  my_thread_t a = NULL, b = NULL;
  if (!my_thread_create(add_unlocked, (void *)&value, &a))
  // CHECK-MESSAGES: :[[@LINE-1]]:39: warning: 'value' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-30]]:6: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-31]]:11: note: read here by another thread
  // CHECK-MESSAGES: :[[@LINE+6]]:8: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-33]]:6: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+4]]:8: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-7]]:39: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-8]]:39: note: make it '_Atomic int', or hold one mutex for every access
    a = NULL;
  if (!my_thread_create(add_unlocked, (void *)&value, &b))
    b = NULL;
  if (a)
    my_thread_join(a);
  if (b)
    my_thread_join(b);
}

/* The same under a lock, read after both joins (which happen only when
 * the thread started). */
void wrapper_argument_ok(void) {
  int value = 0;
  my_thread_t a = NULL, b = NULL;
  if (!my_thread_create(add_locked, (void *)&value, &a))
    a = NULL;
  if (!my_thread_create(add_locked, (void *)&value, &b))
    b = NULL;
  if (a && my_thread_join(a))
    a = NULL;
  if (b && my_thread_join(b))
    b = NULL;
  value = value + 1;
}

/* A global written by the routine while the spawner reads it. */
void wrapper_global_bad(void) {
  my_thread_t a = NULL;
  if (!my_thread_create(add_total, NULL, &a))
    return;
  int seen = total;
  (void)seen;
  my_thread_join(a);
}

void wrapper_global_ok(void) {
  my_thread_t a = NULL;
  if (!my_thread_create(add_total, NULL, &a))
    return;
  my_thread_join(a);
  int seen = total;
  (void)seen;
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(wrapper_argument_bad) TSAN_ENTRY(wrapper_argument_ok)
    TSAN_ENTRY(wrapper_global_bad) TSAN_ENTRY(wrapper_global_ok)};
TSAN_MAIN(entries)
#endif
