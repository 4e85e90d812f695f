/* One element of an array given to a thread by a constant index
 * (`&res[0]`, `res + 1`): every thread given the same element shares it;
 * threads given different elements do not. Each *_ok is silent; each *_bad
 * twin is a real race (tsan_confirm.py runs them under ThreadSanitizer).
 * RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#include <pthread.h>
#include <stddef.h>

struct result {
  pthread_mutex_t mu;
  long sum;
};

static void *accumulate(void *arg) {
  struct result *r = arg;
  for (int i = 0; i < 1000; ++i)
    r->sum += i;
  return NULL;
}

static void *accumulate_locked(void *arg) {
  struct result *r = arg;
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&r->mu);
    r->sum += i;
    pthread_mutex_unlock(&r->mu);
  }
  return NULL;
}

/* Every thread of the loop is given the first element. */
void same_element_bad(void) {
  struct result res[4] = {0};
  pthread_t t[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&t[i], NULL, accumulate, &res[0]);
    // CHECK-MESSAGES: :[[@LINE-1]]:45: warning: 'res' is shared with another thread and written without synchronization: type 'result[4]' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-21]]:5: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE-22]]:5: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:45: note: 'result[4]' is ThreadSafe only if 'result' is ThreadSafe
    // CHECK-MESSAGES: :[[@LINE-30]]:8: note: field 'sum' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-6]]:45: note: hold one mutex for every access
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], NULL);
}

void same_element_locked_ok(void) {
  struct result res[2];
  for (int i = 0; i < 2; ++i) {
    pthread_mutex_init(&res[i].mu, NULL);
    res[i].sum = 0;
  }
  pthread_t t1, t2;
  pthread_create(&t1, NULL, accumulate_locked, &res[1]);
  pthread_create(&t2, NULL, accumulate_locked, res + 1);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

void distinct_elements_ok(void) {
  struct result res[2] = {0};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, accumulate, &res[0]);
  pthread_create(&t2, NULL, accumulate, res + 1);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

static void *bump_next(void *arg) {
  long *p = arg;
  for (int i = 0; i < 1000; ++i)
    p[1] += 1;
  return NULL;
}

static void *bump_here(void *arg) {
  long *p = arg;
  for (int i = 0; i < 1000; ++i)
    p[0] += 1;
  return NULL;
}

/* `p[1]` from &counts[0] and `p[0]` from &counts[1] are one element. */
void shifted_element_bad(void) {
  long counts[2] = {0, 0};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, bump_next, &counts[0]);
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: 'counts' is shared with another thread and written without synchronization: type 'long[2]' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-17]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-11]]:5: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:40: note: 'long[2]' is ThreadSafe only if 'long' is ThreadSafe
  // CHECK-MESSAGES: :[[@LINE-6]]:40: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:40: note: hold one mutex for every access
  pthread_create(&t2, NULL, bump_here, &counts[1]);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(same_element_bad) TSAN_ENTRY(same_element_locked_ok)
    TSAN_ENTRY(distinct_elements_ok) TSAN_ENTRY(shifted_element_bad)};
TSAN_MAIN(entries)
#endif
