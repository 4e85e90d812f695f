/* sendsync-global in C: an object published through a global _Atomic
 * pointer. A plain use of the _Atomic global is a seq_cst load or store:
 * what is written before the store is ordered before what the loading
 * thread does after its load; what is written after the store is not.
 * Each *_ok is silent; each *_bad twin is a real race (tsan_confirm.py).
 * RUN: %check_tidy %s --checks='-*,sendsync-global' -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

static long *_Atomic mailbox;

static void *take(void *arg) {
  (void)arg;
  while (!mailbox)
    ;
  long *p = mailbox;
  *p += 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:4: warning: what global 'mailbox' points to is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :[[@LINE+11]]:3: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE-8]]:14: note: 'take' runs in that thread
  // CHECK-MESSAGES: :[[@LINE+12]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-12]]:22: note: 'mailbox' is declared here
  // CHECK-MESSAGES: :[[@LINE-6]]:4: note: hold one mutex for every access to what 'mailbox' points to
  return NULL;
}

void published_then_written_bad(void) {
  mailbox = NULL;
  pthread_t t;
  pthread_create(&t, NULL, take, NULL);
  long v = 0;
  mailbox = &v;
  v = 5;
  pthread_join(t, NULL);
}

void written_then_published_ok(void) {
  mailbox = NULL;
  pthread_t t;
  pthread_create(&t, NULL, take, NULL);
  long v = 0;
  v = 5;
  mailbox = &v;
  pthread_join(t, NULL);
}

/* Dereferenced in place: `*mailbox` loads the pointer (seq_cst) and writes
 * what it points to. */
static void *bump_in_place(void *arg) {
  (void)arg;
  while (!mailbox)
    ;
  *mailbox += 1;
  // CHECK-MESSAGES: :[[@LINE-1]]:4: warning: what global 'mailbox' points to is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :[[@LINE+11]]:3: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE-7]]:14: note: 'bump_in_place' runs in that thread
  // CHECK-MESSAGES: :[[@LINE+12]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-48]]:22: note: 'mailbox' is declared here
  // CHECK-MESSAGES: :[[@LINE-6]]:4: note: hold one mutex for every access to what 'mailbox' points to
  return NULL;
}

void in_place_then_written_bad(void) {
  mailbox = NULL;
  pthread_t t;
  pthread_create(&t, NULL, bump_in_place, NULL);
  long v = 0;
  mailbox = &v;
  v = 5;
  pthread_join(t, NULL);
}

void written_then_in_place_ok(void) {
  mailbox = NULL;
  pthread_t t;
  pthread_create(&t, NULL, bump_in_place, NULL);
  long v = 0;
  v = 5;
  mailbox = &v;
  pthread_join(t, NULL);
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(published_then_written_bad) TSAN_ENTRY(written_then_published_ok)
    TSAN_ENTRY(in_place_then_written_bad) TSAN_ENTRY(written_then_in_place_ok)};
TSAN_MAIN(entries)
#endif
