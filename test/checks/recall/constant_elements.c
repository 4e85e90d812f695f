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

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(same_element_bad) TSAN_ENTRY(same_element_locked_ok)
    TSAN_ENTRY(distinct_elements_ok)};
TSAN_MAIN(entries)
#endif
