// Every sendsync annotation is checked where it is written, whichever
// sendsync checks run (the first enabled one reports), once per place:
// annotations on the wrong kind of entity, a crossing parameter that
// carries nothing, unknown names, malformed bounds, contradictions. The
// annotations written as annotations.h means them stay silent.
// RUN: %check_tidy %s --checks='-*,sendsync-send' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
// RUN: %check_tidy %s --checks='-*,sendsync-escape' -- %cxxflags | grep -c 'warning: .*\[sendsync-escape\]' | FileCheck %s --check-prefix=ESCAPE
// ESCAPE: {{^12$}}

#include <sendsync/annotations.h>
#include <thread>

SENDSYNC_NOT_SEND void not_send_on_function();
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: SENDSYNC_NOT_SEND applies to a class; on a function it means nothing [sendsync-send]
SENDSYNC_NOT_SYNC int not_sync_on_variable;
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: SENDSYNC_NOT_SYNC applies to a class; on a variable it means nothing [sendsync-send]
struct Holder {
  SENDSYNC_NOT_SEND int field;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: SENDSYNC_NOT_SEND applies to a class; on a field it means nothing [sendsync-send]
};
enum class SENDSYNC_THREAD_SAFE Colour { Red };
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: SENDSYNC_THREAD_SAFE applies to a class; on an enum it means nothing [sendsync-send]
void post(SENDSYNC_CROSSES_THREAD int n);
// CHECK-MESSAGES: :[[@LINE-1]]:11: warning: SENDSYNC_CROSSES_THREAD on a parameter of type 'int': a number carries nothing to another thread that could race; mark the parameter that does (the callable, or the value moved across) [sendsync-send]
SENDSYNC_JOINS int joins_on_variable;
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: SENDSYNC_JOINS applies to a function (a member function of an executor that waits for its tasks); on a variable it means nothing [sendsync-send]
class SENDSYNC_NOT_SEND SENDSYNC_UNSAFE_SEND Both { int v; };
// CHECK-MESSAGES: :[[@LINE-1]]:25: warning: SENDSYNC_UNSAFE_SEND contradicts SENDSYNC_NOT_SEND on the same class (the negative one wins, as Rust's negative impls do); remove one [sendsync-send]
template <class T> class SENDSYNC_SEND_IF("T: Sendable") Typo { T v; };
// CHECK-MESSAGES: :[[@LINE-1]]:26: warning: malformed sendsync bounds "T: Sendable": 'Sendable' is not a trait (Send, Sync or ThreadSafe) [sendsync-send]
template <class T> class SENDSYNC_SYNC_IF("U: Sync") WrongParam { T v; };
// CHECK-MESSAGES: :[[@LINE-1]]:26: warning: sendsync bounds "U: Sync" name 'U', which is not a template parameter of 'WrongParam' [sendsync-send]
class SENDSYNC_SEND_IF("T: Send") NotATemplate { int v; };
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: sendsync bounds "T: Send" are on a class that is not a template [sendsync-send]
struct [[clang::annotate("sendsync::not_sned")]] Unknown {};
// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: unknown sendsync annotation 'sendsync::not_sned' (include/sendsync/annotations.h lists them) [sendsync-send]
// Reported at the template, not again for each instantiation.
template <class T> struct PerInstance { SENDSYNC_NOT_SEND T *p; };
// CHECK-MESSAGES: :[[@LINE-1]]:41: warning: SENDSYNC_NOT_SEND applies to a class; on a field it means nothing [sendsync-send]
PerInstance<int> per_int;
PerInstance<long> per_long;

// The clean twins: each annotation where it means something.
class SENDSYNC_NOT_SEND Handle { int fd; };
class SENDSYNC_UNSAFE_SEND SENDSYNC_NOT_SYNC Cell { int *p; };
template <class T> class SENDSYNC_SEND_IF("T: Send") SENDSYNC_SYNC_IF("T: Sync") Box { T v; };
template <class T> struct Pair;
template <class T> struct SENDSYNC_THREAD_SAFE_IF("T: ThreadSafe") Pair<T *> { T *a; };
template <class F> void spawn(SENDSYNC_CROSSES_THREAD F f) { std::thread(f).detach(); }
struct Pool {
  void post(SENDSYNC_CROSSES_THREAD_SCOPED void (*task)(void *), void *arg);
  SENDSYNC_JOINS void wait_idle();
};
Box<int> box_int;
