/* Objects reached through pointers, the void* thread argument, and arrays,
 * in C. Each *_ok is silent; each *_bad twin is a real race
 * (tsan_confirm.py runs them under ThreadSanitizer).
 * RUN: %check_tidy %s --checks='-*,sendsync-shared,sendsync-global' -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct args {
  pthread_mutex_t mu;
  long sum;
  long out[4];
};

static void *add_one(void *p) {
  struct args *a = p;
  for (int i = 0; i < 1000; ++i)
    a->sum += 1;
  return NULL;
}

static void *add_one_locked(void *p) {
  struct args *a = (struct args *)p;
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&a->mu);
    a->sum += 1;
    pthread_mutex_unlock(&a->mu);
  }
  return NULL;
}

/* One heap argument block given to two threads. */
void heap_args_bad(void) {
  struct args *a = calloc(1, sizeof *a);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, add_one, a);
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: '*a' is shared with another thread and written without synchronization: type 'args' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-20]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-21]]:5: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-30]]:8: note: field 'sum' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:38: note: hold one mutex for every access
  pthread_create(&t2, NULL, add_one, a);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  free(a);
}

void heap_args_ok(void) {
  struct args *a = calloc(1, sizeof *a);
  pthread_mutex_init(&a->mu, NULL);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, add_one_locked, a);
  pthread_create(&t2, NULL, add_one_locked, a);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  pthread_mutex_destroy(&a->mu);
  free(a);
}

/* The spawner writes the block it handed over before the join. */
void handoff_touched_bad(void) {
  struct args *a = calloc(1, sizeof *a);
  pthread_t t;
  pthread_create(&t, NULL, add_one, a);
  // CHECK-MESSAGES: :[[@LINE-1]]:37: warning: '*a' is shared with another thread and written without synchronization: type 'args' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-49]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-58]]:8: note: field 'sum' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:37: note: hold one mutex for every access
  a->sum = 5;
  pthread_join(t, NULL);
  free(a);
}

/* Handed off and not touched until the join; one fresh block per thread. */
void handoff_ok(void) {
  struct args *a = calloc(1, sizeof *a);
  pthread_t t;
  pthread_create(&t, NULL, add_one, a);
  pthread_join(t, NULL);
  a->sum += 1;
  free(a);
  pthread_t ts[4];
  struct args *blocks[4];
  for (int i = 0; i < 4; ++i) {
    struct args *b = malloc(sizeof *b);
    memset(b, 0, sizeof *b);
    blocks[i] = b;
    pthread_create(&ts[i], NULL, add_one, b);
  }
  for (int i = 0; i < 4; ++i) {
    pthread_join(ts[i], NULL);
    free(blocks[i]);
  }
}

static void *bump(void *arg) {
  for (int i = 0; i < 1000; ++i)
    *(int *)arg += 1;
  return NULL;
}

/* The address of a local, cast to void * where the thread starts. */
void void_cast_bad(void) {
  int x = 0;
  pthread_t t1, t2;
  pthread_create(&t1, NULL, bump, (void *)&x);
  // CHECK-MESSAGES: :[[@LINE-1]]:35: warning: 'x' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-10]]:13: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-11]]:13: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:35: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:35: note: make it '_Atomic int', or hold one mutex for every access
  pthread_create(&t2, NULL, bump, (void *)&x);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

void void_cast_ok(void) {
  int x = 0, y = 0;
  pthread_t t1, t2;
  pthread_create(&t1, NULL, bump, (void *)&x);
  pthread_create(&t2, NULL, bump, (void *)&y);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

static int histogram[8];
static long partial[4];

static void *count_all(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i)
    histogram[i % 8] += 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'histogram' is written by another thread while written elsewhere, without a common lock: type 'int[8]' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+12]]:3: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-6]]:14: note: 'count_all' runs in that thread
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+10]]:3: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-12]]:12: note: 'histogram' is declared here
    // CHECK-MESSAGES: :[[@LINE-7]]:5: note: hold one mutex for every access, or make it '_Thread_local'
  return NULL;
}

/* Every thread writes every element of a global array. */
void global_array_bad(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, count_all, NULL);
  pthread_create(&t2, NULL, count_all, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

static void *sum_part(void *arg) {
  long id = (long)arg;
  long s = 0;
  for (long j = id * 100; j < (id + 1) * 100; ++j)
    s += j;
  partial[id] = s;
  return NULL;
}

/* Each thread of the loop writes the element its own id selects. */
void partitioned_array_ok(void) {
  pthread_t ts[4];
  for (long i = 0; i < 4; ++i)
    pthread_create(&ts[i], NULL, sum_part, (void *)i);
  long total = 0;
  for (int i = 0; i < 4; ++i)
    pthread_join(ts[i], NULL);
  for (int i = 0; i < 4; ++i)
    total += partial[i];
  (void)total;
}

static void *fill(void *arg) {
  char *buf = arg;
  for (int i = 0; i < 64; ++i)
    buf[i] = 'x';
  return NULL;
}

/* A local array written by the thread and cleared by the spawner. */
void local_array_bad(void) {
  char buf[64];
  pthread_t t;
  pthread_create(&t, NULL, fill, buf);
  // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'buf' is shared with another thread and written without synchronization: type 'char[64]' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-10]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:10: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:34: note: 'char[64]' is ThreadSafe only if 'char' is ThreadSafe
  // CHECK-MESSAGES: :[[@LINE-5]]:34: note: 'char' is not ThreadSafe: a plain 'char' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:34: note: hold one mutex for every access
  memset(buf, 0, sizeof buf);
  pthread_join(t, NULL);
}

void local_array_ok(void) {
  char buf[64];
  pthread_t t;
  pthread_create(&t, NULL, fill, buf);
  pthread_join(t, NULL);
  memset(buf, 0, sizeof buf);
}

#define N 4000
static long squares[N];

static void *fill_from(void *arg) {
  int k = (int)(long)arg;
  for (int i = k; i < N; i += 1) /* meant: i += 2 */
    squares[i] = (long)i * i;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'squares' is written by another thread while written elsewhere, without a common lock: type 'long[4000]' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+19]]:5: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-6]]:14: note: 'fill_from' runs in that thread
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-10]]:13: note: 'squares' is declared here
    // CHECK-MESSAGES: :[[@LINE-6]]:5: note: hold one mutex for every access, or make it '_Thread_local'
  return NULL;
}

static void *fill_strided(void *arg) {
  int k = (int)(long)arg;
  for (int i = k; i < N; i += 2)
    squares[i] = (long)i * i;
  return NULL;
}

/* Both threads of the loop write every element from their start on. */
void stride_bad(void) {
  pthread_t ts[2];
  for (long k = 0; k < 2; ++k)
    pthread_create(&ts[k], NULL, fill_from, (void *)k);
  for (int k = 0; k < 2; ++k)
    pthread_join(ts[k], NULL);
}

/* Thread k writes the elements i with i % 2 == k. */
void stride_ok(void) {
  pthread_t ts[2];
  for (long k = 0; k < 2; ++k)
    pthread_create(&ts[k], NULL, fill_strided, (void *)k);
  for (int k = 0; k < 2; ++k)
    pthread_join(ts[k], NULL);
}

static long samples[1000];

static void fill_span(int from, int to) {
  for (int i = from; i < to; ++i)
    samples[i] = i;
}

static void *low_half(void *arg) {
  (void)arg;
  fill_span(0, 500);
  return NULL;
}

static void *high_half(void *arg) {
  (void)arg;
  fill_span(500, 1000);
  return NULL;
}

static void *low_half_and_one(void *arg) {
  (void)arg;
  for (int i = 0; i <= 500; ++i)
    samples[i] = i;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'samples' is written by another thread while written elsewhere, without a common lock: type 'long[1000]' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+21]]:3: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-6]]:14: note: 'low_half_and_one' runs in that thread
    // CHECK-MESSAGES: :[[@LINE-22]]:5: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+19]]:3: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-28]]:13: note: 'samples' is declared here
    // CHECK-MESSAGES: :[[@LINE-7]]:5: note: hold one mutex for every access, or make it '_Thread_local'
  return NULL;
}

/* Two threads fill [0, 500) and [500, 1000). */
void disjoint_halves_ok(void) {
  pthread_t lo, hi;
  pthread_create(&lo, NULL, low_half, NULL);
  pthread_create(&hi, NULL, high_half, NULL);
  pthread_join(lo, NULL);
  pthread_join(hi, NULL);
}

/* [0, 500] and [500, 1000) share samples[500]. */
void overlapping_halves_bad(void) {
  pthread_t lo, hi;
  pthread_create(&lo, NULL, low_half_and_one, NULL);
  pthread_create(&hi, NULL, high_half, NULL);
  pthread_join(lo, NULL);
  pthread_join(hi, NULL);
}

struct worker {
  pthread_t tid;
  pthread_mutex_t lock;
  long id;
};

static long shared_total;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;

static void *own_lock(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < 1000; i++) {
    pthread_mutex_lock(&w->lock);
    shared_total += w->id;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'shared_total' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+26]]:5: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-7]]:14: note: 'own_lock' runs in that thread
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-12]]:13: note: 'shared_total' is declared here
    // CHECK-MESSAGES: :[[@LINE-6]]:5: note: make it '_Atomic long', '_Thread_local', or hold one mutex for every access
    pthread_mutex_unlock(&w->lock);
  }
  return NULL;
}

static void *common_lock(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < 1000; i++) {
    pthread_mutex_lock(&total_lock);
    shared_total += w->id;
    pthread_mutex_unlock(&total_lock);
  }
  return NULL;
}

/* Each thread of the loop locks the mutex of its own element. */
void per_thread_mutex_bad(void) {
  struct worker w[2];
  for (int i = 0; i < 2; i++) {
    w[i].id = i + 1;
    pthread_mutex_init(&w[i].lock, NULL);
    pthread_create(&w[i].tid, NULL, own_lock, &w[i]);
  }
  for (int i = 0; i < 2; i++) {
    pthread_join(w[i].tid, NULL);
    pthread_mutex_destroy(&w[i].lock);
  }
}

void common_mutex_ok(void) {
  struct worker w[2];
  for (int i = 0; i < 2; i++) {
    w[i].id = i + 1;
    pthread_create(&w[i].tid, NULL, common_lock, &w[i]);
  }
  for (int i = 0; i < 2; i++)
    pthread_join(w[i].tid, NULL);
}

/* A thread started through a function pointer variable. */
void function_pointer_bad(void) {
  void *(*routine)(void *) = add_one;
  struct args *a = calloc(1, sizeof *a);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, routine, a);
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: '*a' is shared with another thread and written without synchronization: type 'args' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-347]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-348]]:5: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-357]]:8: note: field 'sum' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:38: note: hold one mutex for every access
  pthread_create(&t2, NULL, routine, a);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  free(a);
}

void function_pointer_ok(void) {
  void *(*routine)(void *) = add_one_locked;
  struct args *a = calloc(1, sizeof *a);
  pthread_mutex_init(&a->mu, NULL);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, routine, a);
  pthread_create(&t2, NULL, routine, a);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  pthread_mutex_destroy(&a->mu);
  free(a);
}

static long *tally;
static pthread_mutex_t tally_lock = PTHREAD_MUTEX_INITIALIZER;

static void *bump_tally(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; i++)
    *tally += 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: what global 'tally' points to is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+23]]:3: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-6]]:14: note: 'bump_tally' runs in that thread
    // CHECK-MESSAGES: :[[@LINE-4]]:6: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+21]]:3: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-12]]:14: note: 'tally' is declared here
    // CHECK-MESSAGES: :[[@LINE-7]]:6: note: hold one mutex for every access to what 'tally' points to
  return NULL;
}

static void *bump_tally_locked(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; i++) {
    pthread_mutex_lock(&tally_lock);
    *tally += 1;
    pthread_mutex_unlock(&tally_lock);
  }
  return NULL;
}

/* Two threads write what a global pointer points to. */
void global_pointee_bad(void) {
  tally = calloc(1, sizeof *tally);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, bump_tally, NULL);
  pthread_create(&t2, NULL, bump_tally, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  free(tally);
}

void global_pointee_ok(void) {
  tally = calloc(1, sizeof *tally);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, bump_tally_locked, NULL);
  pthread_create(&t2, NULL, bump_tally_locked, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  free(tally);
}

static int ticks;

static void *tick(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i)
    ticks++;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'ticks' is written by another thread while written elsewhere, without a common lock: type 'int' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+23]]:5: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-6]]:14: note: 'tick' runs in that thread
    // CHECK-MESSAGES: :[[@LINE+10]]:5: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+20]]:5: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-11]]:12: note: 'ticks' is declared here
    // CHECK-MESSAGES: :[[@LINE-7]]:5: note: make it '_Atomic int', '_Thread_local', or hold one mutex for every access
  return NULL;
}

static void *tock(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; ++i)
    ticks--;
  return NULL;
}

static void *rest(void *arg) { return arg; }

/* Threads started through a table of functions, one per entry. */
void function_table_bad(void) {
  void *(*jobs[2])(void *) = {tick, tock};
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, jobs[i], NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
}

/* One thread per entry: tick runs once, beside a thread that rests. */
void function_table_ok(void) {
  void *(*jobs[2])(void *) = {tick, rest};
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, jobs[i], NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
}

/* A callee writes through a local copy of its pointer parameter: the
 * write is to what the caller gave it. */
struct account {
  pthread_mutex_t mu;
  long balance;
};

static void deposit(struct account *acct, long amount) {
  struct account *a = acct;
  a->balance += amount;
}

static void deposit_locked(struct account *acct, long amount) {
  struct account *a = acct;
  pthread_mutex_lock(&a->mu);
  a->balance += amount;
  pthread_mutex_unlock(&a->mu);
}

static void *depositor(void *arg) {
  for (int i = 0; i < 1000; ++i)
    deposit(arg, 1);
  return NULL;
}

static void *depositor_locked(void *arg) {
  for (int i = 0; i < 1000; ++i)
    deposit_locked(arg, 1);
  return NULL;
}

void pointer_copy_in_callee_bad(void) {
  struct account acct = {PTHREAD_MUTEX_INITIALIZER, 0};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, depositor, &acct);
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: 'acct' is shared with another thread and written without synchronization: type 'account' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-15]]:13: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-28]]:3: note: by 'deposit', which writes 'acct.balance' here
  // CHECK-MESSAGES: :[[@LINE-17]]:13: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE-30]]:3: note: by 'deposit', which writes 'acct.balance' here
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-37]]:8: note: field 'balance' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-8]]:40: note: hold one mutex for every access
  pthread_create(&t2, NULL, depositor, &acct);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

void pointer_copy_in_callee_ok(void) {
  struct account acct = {PTHREAD_MUTEX_INITIALIZER, 0};
  pthread_t t1, t2;
  pthread_create(&t1, NULL, depositor_locked, &acct);
  pthread_create(&t2, NULL, depositor_locked, &acct);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(heap_args_bad) TSAN_ENTRY(heap_args_ok)
    TSAN_ENTRY(handoff_touched_bad) TSAN_ENTRY(handoff_ok)
    TSAN_ENTRY(void_cast_bad) TSAN_ENTRY(void_cast_ok)
    TSAN_ENTRY(global_array_bad) TSAN_ENTRY(partitioned_array_ok)
    TSAN_ENTRY(local_array_bad) TSAN_ENTRY(local_array_ok)
    TSAN_ENTRY(stride_bad) TSAN_ENTRY(stride_ok)
    TSAN_ENTRY(disjoint_halves_ok) TSAN_ENTRY(overlapping_halves_bad)
    TSAN_ENTRY(per_thread_mutex_bad) TSAN_ENTRY(common_mutex_ok)
    TSAN_ENTRY(function_pointer_bad) TSAN_ENTRY(function_pointer_ok)
    TSAN_ENTRY(global_pointee_bad) TSAN_ENTRY(global_pointee_ok)
    TSAN_ENTRY(function_table_bad) TSAN_ENTRY(function_table_ok)
    TSAN_ENTRY(pointer_copy_in_callee_bad) TSAN_ENTRY(pointer_copy_in_callee_ok)};
TSAN_MAIN(entries)
#endif
