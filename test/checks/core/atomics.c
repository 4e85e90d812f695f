/* sendsync-global and sendsync-shared in C: data handed from one thread to
 * another through an atomic flag is ordered when the store releases and
 * the load acquires: C11's atomic_store_explicit/atomic_load_explicit (or
 * the seq_cst atomic_store/atomic_load), a plain use of an _Atomic object
 * (seq_cst), GCC's __atomic builtins, or relaxed operations placed after a
 * release fence and before an acquire fence. Relaxed operations alone
 * order nothing.
 * Each *_ok is silent; each *_bad twin is a real race (tsan_confirm.py).
 * ThreadSanitizer does not model stand-alone fences (GCC says so with
 * -Wtsan), so the fenced *_ok is left out of its entry table: it is
 * race-free by [atomics.fences], not by a run.
 * RUN: %check_tidy %s --checks='-*,sendsync-shared,sendsync-global' -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#include <pthread.h>
#include <stdatomic.h>

static long message;
static atomic_int posted;

static void *post_release(void *arg) {
  (void)arg;
  message = 42;
  atomic_store_explicit(&posted, 1, memory_order_release);
  return NULL;
}

static void *read_acquire(void *arg) {
  (void)arg;
  while (!atomic_load_explicit(&posted, memory_order_acquire))
    ;
  return (void *)message;
}

void c11_release_acquire_ok(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, post_release, NULL);
  pthread_create(&b, NULL, read_acquire, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

static long relaxed_message;
static atomic_int relaxed_posted;

static void *post_relaxed(void *arg) {
  (void)arg;
  relaxed_message = 42;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: global 'relaxed_message' is written by another thread while read elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :[[@LINE+19]]:3: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:14: note: 'post_relaxed' runs in that thread
  // CHECK-MESSAGES: :[[@LINE+12]]:18: note: read here by another thread
  // CHECK-MESSAGES: :[[@LINE+17]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-11]]:13: note: 'relaxed_message' is declared here
  // CHECK-MESSAGES: :[[@LINE-7]]:3: note: make it '_Atomic long', '_Thread_local', or hold one mutex for every access
  atomic_store_explicit(&relaxed_posted, 1, memory_order_relaxed);
  return NULL;
}

static void *read_relaxed(void *arg) {
  (void)arg;
  while (!atomic_load_explicit(&relaxed_posted, memory_order_relaxed))
    ;
  return (void *)relaxed_message;
}

void c11_relaxed_bad(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, post_relaxed, NULL);
  pthread_create(&b, NULL, read_relaxed, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

static long plain_message;
static _Atomic int plain_posted;

static void *post_plain(void *arg) {
  (void)arg;
  plain_message = 42;
  plain_posted = 1;
  return NULL;
}

static void *read_plain(void *arg) {
  (void)arg;
  while (!plain_posted)
    ;
  return (void *)plain_message;
}

void atomic_object_seq_cst_ok(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, post_plain, NULL);
  pthread_create(&b, NULL, read_plain, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

/* The write comes after the flag is set: nothing orders it. */
static long late_message;
static _Atomic int late_posted;

static void *post_late(void *arg) {
  (void)arg;
  late_posted = 1;
  late_message = 42;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: global 'late_message' is written by another thread while read elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :[[@LINE+18]]:3: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE-6]]:14: note: 'post_late' runs in that thread
  // CHECK-MESSAGES: :[[@LINE+11]]:18: note: read here by another thread
  // CHECK-MESSAGES: :[[@LINE+16]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-12]]:13: note: 'late_message' is declared here
  // CHECK-MESSAGES: :[[@LINE-7]]:3: note: make it '_Atomic long', '_Thread_local', or hold one mutex for every access
  return NULL;
}

static void *read_late(void *arg) {
  (void)arg;
  while (!late_posted)
    ;
  return (void *)late_message;
}

void atomic_object_write_after_flag_bad(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, post_late, NULL);
  pthread_create(&b, NULL, read_late, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

static long gcc_message;
static int gcc_posted;

static void *post_gcc(void *arg) {
  (void)arg;
  gcc_message = 42;
  __atomic_store_n(&gcc_posted, 1, __ATOMIC_RELEASE);
  return NULL;
}

static void *read_gcc(void *arg) {
  (void)arg;
  while (!__atomic_load_n(&gcc_posted, __ATOMIC_ACQUIRE))
    ;
  return (void *)gcc_message;
}

void gcc_builtins_ok(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, post_gcc, NULL);
  pthread_create(&b, NULL, read_gcc, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

static long fenced_message;
static atomic_int fenced_posted;

static void *post_fenced(void *arg) {
  (void)arg;
  fenced_message = 42;
  atomic_thread_fence(memory_order_release);
  atomic_store_explicit(&fenced_posted, 1, memory_order_relaxed);
  return NULL;
}

static void *read_fenced(void *arg) {
  (void)arg;
  while (!atomic_load_explicit(&fenced_posted, memory_order_relaxed))
    ;
  atomic_thread_fence(memory_order_acquire);
  return (void *)fenced_message;
}

void fences_ok(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, post_fenced, NULL);
  pthread_create(&b, NULL, read_fenced, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

/* A release fence with no acquire on the other side orders nothing. */
static long half_message;
static atomic_int half_posted;

static void *post_half(void *arg) {
  (void)arg;
  half_message = 42;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: global 'half_message' is written by another thread while read elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
  // CHECK-MESSAGES: :[[@LINE+20]]:3: note: the thread is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:14: note: 'post_half' runs in that thread
  // CHECK-MESSAGES: :[[@LINE+13]]:18: note: read here by another thread
  // CHECK-MESSAGES: :[[@LINE+18]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-11]]:13: note: 'half_message' is declared here
  // CHECK-MESSAGES: :[[@LINE-7]]:3: note: make it '_Atomic long', '_Thread_local', or hold one mutex for every access
  atomic_thread_fence(memory_order_release);
  atomic_store_explicit(&half_posted, 1, memory_order_relaxed);
  return NULL;
}

static void *read_half(void *arg) {
  (void)arg;
  while (!atomic_load_explicit(&half_posted, memory_order_relaxed))
    ;
  return (void *)half_message;
}

void release_fence_alone_bad(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, post_half, NULL);
  pthread_create(&b, NULL, read_half, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(c11_release_acquire_ok) TSAN_ENTRY(c11_relaxed_bad)
    TSAN_ENTRY(atomic_object_seq_cst_ok)
    TSAN_ENTRY(atomic_object_write_after_flag_bad)
    TSAN_ENTRY(gcc_builtins_ok) TSAN_ENTRY(release_fence_alone_bad)};
TSAN_MAIN(entries)
#endif
