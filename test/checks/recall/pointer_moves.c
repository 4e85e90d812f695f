/* A thread's pointer to a shared object is followed only while it keeps
 * pointing into what it was given. One the thread points at a buffer of its
 * own (`p = malloc(n)`, `arg = &local`) names that buffer from then on; one
 * that moves through the shared data (`n = n->next`, `p++`) still names it.
 * Each *_ok is silent; each *_bad twin is a real race (tsan_confirm.py runs
 * them under ThreadSanitizer).
 * RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#include <pthread.h>
#include <stdlib.h>

struct node {
  long value;
  struct node *next;
};

/* Reads the shared value, then works in a buffer of its own. */
static void *own_buffer(void *arg) {
  long *p = arg;
  long first = *p;
  p = malloc(4 * sizeof *p);
  for (int i = 0; i < 4; ++i)
    p[i] = first + i;
  free(p);
  return NULL;
}

/* Writes the shared value, and never points anywhere else. */
static void *shared_buffer(void *arg) {
  long *p = arg;
  long first = *p;
  for (int i = 0; i < 4; ++i)
    p[i] = first + i;
  return NULL;
}

/* The argument itself pointed at a local of the thread's. */
static void *own_argument(void *arg) {
  long local = *(long *)arg;
  arg = &local;
  *(long *)arg += 1;
  return NULL;
}

/* Every node of the list the argument heads, counted up. */
static void *bump_list(void *arg) {
  for (struct node *n = arg; n; n = n->next)
    n->value += 1;
  return NULL;
}

/* Every element of the array the argument points into. */
static void *bump_array(void *arg) {
  long *p = arg;
  for (int i = 0; i < 4; ++i, ++p)
    *p += 1;
  return NULL;
}

void own_buffer_ok(void) {
  long seed[4] = {1, 2, 3, 4};
  pthread_t t1, t2, t3, t4;
  pthread_create(&t1, NULL, own_buffer, seed);
  pthread_create(&t2, NULL, own_buffer, seed);
  pthread_create(&t3, NULL, own_argument, seed);
  pthread_create(&t4, NULL, own_argument, seed);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  pthread_join(t3, NULL);
  pthread_join(t4, NULL);
}

void shared_buffer_bad(void) {
  long seed[4] = {1, 2, 3, 4};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, shared_buffer, seed);
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: 'seed' is shared with another thread and written without synchronization: type 'long[4]' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-45]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-46]]:5: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+6]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-50]]:17: note: read here by another thread
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-7]]:44: note: 'long[4]' is ThreadSafe only if 'long' is ThreadSafe
  // CHECK-MESSAGES: :[[@LINE-8]]:44: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-9]]:44: note: hold one mutex for every access
  pthread_create(&t2, NULL, shared_buffer, seed);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

void list_bad(void) {
  struct node second = {2, NULL};
  struct node head = {1, &second};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, bump_list, &head);
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: 'head' is shared with another thread and written without synchronization: type 'node' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-49]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-50]]:5: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-87]]:8: note: field 'value' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:40: note: hold one mutex for every access
  pthread_create(&t2, NULL, bump_list, &head);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

void list_ok(void) {
  struct node a2 = {2, NULL}, a1 = {1, &a2};
  struct node b2 = {2, NULL}, b1 = {1, &b2};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, bump_list, &a1);
  pthread_create(&t2, NULL, bump_list, &b1);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

void stepped_bad(void) {
  long counts[4] = {0};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, bump_array, counts);
  // CHECK-MESSAGES: :[[@LINE-1]]:41: warning: 'counts' is shared with another thread and written without synchronization: type 'long[4]' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-66]]:6: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-67]]:6: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:41: note: 'long[4]' is ThreadSafe only if 'long' is ThreadSafe
  // CHECK-MESSAGES: :[[@LINE-6]]:41: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:41: note: hold one mutex for every access
  pthread_create(&t2, NULL, bump_array, counts);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(own_buffer_ok) TSAN_ENTRY(shared_buffer_bad)
    TSAN_ENTRY(list_bad) TSAN_ENTRY(list_ok)
    TSAN_ENTRY(stepped_bad)
};
TSAN_MAIN(entries)
#endif
