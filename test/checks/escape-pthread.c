/* sendsync-escape in C: a local handed to a pthread that outlives it
 * (*_bad), and the forms that join in time (*_ok). Lifetime errors (use
 * after scope), found by AddressSanitizer, not data races; not run under
 * ThreadSanitizer.
 * RUN: %check_tidy %s --checks='-*,sendsync-escape' -- %cflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
 */

#include <pthread.h>
#include <string.h>

static void *log_name(void *arg) {
  const char *name = arg;
  (void)name[0];
  return NULL;
}

/* A local array given to a thread that is then detached. */
void detached_array_bad(void) {
  char name[32];
  strcpy(name, "logger-0");
  pthread_t t;
  pthread_create(&t, NULL, log_name, name);
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: 'name' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-6]]:8: note: 'name' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:38: note: join the thread before 'name' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  pthread_detach(t);
}

/* A local's address, the thread kept in a global handle nobody joins here. */
static pthread_t background;

void global_handle_bad(void) {
  int level = 3;
  pthread_create(&background, NULL, log_name, &level);
  // CHECK-MESSAGES: :[[@LINE-1]]:47: warning: 'level' is a local variable shared by reference with a thread that may outlive it: the thread is stored outside the function [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: stored here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'level' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:47: note: join the thread before 'level' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
}

void joined_ok(void) {
  char name[32];
  strcpy(name, "logger-1");
  pthread_t t;
  pthread_create(&t, NULL, log_name, name);
  pthread_join(t, NULL);
}

/* A string literal lives for the whole program. */
void literal_ok(void) {
  pthread_t t;
  pthread_create(&t, NULL, log_name, (void *)"logger-2");
  pthread_detach(t);
}
