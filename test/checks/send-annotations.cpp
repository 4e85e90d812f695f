// Every annotation form, on any redeclaration, and the conditional forms on
// templates, including packs and partial specializations.
// RUN: %check_tidy %s --checks='-*,sendsync-send' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <thread>
#include <utility>

#include <sendsync/annotations.h>

class SENDSYNC_NOT_SEND NotSend { int v = 0; };
class SENDSYNC_NOT_SYNC NotSync { int v = 0; };

// UNSAFE_SEND overrides what the members say: the author vouches for it.
class SENDSYNC_UNSAFE_SEND Vouched { NotSend inner; };
// UNSAFE_SYNC and THREAD_SAFE make a type Sync, so pointers to it are Send.
class SENDSYNC_UNSAFE_SYNC SyncVouched { NotSync inner; };
class SENDSYNC_THREAD_SAFE Registry { NotSync inner; };

void positive_ok(SyncVouched *s, Registry *r) {
  Vouched v;
  std::thread t([v, s, r] {});
  t.join();
}

void negative_bad(NotSync *p) {
  NotSend n;
  std::thread t([n, p] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'n' cannot be sent to another thread: type 'NotSend' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'NotSend' is marked not Send here
  // CHECK-MESSAGES: :[[@LINE-4]]:21: warning: capture 'p' cannot be sent to another thread: type 'NotSync *' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-6]]:21: note: 'NotSync *' is Send only if 'NotSync' is Send and Sync
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'NotSync' is marked not Sync here
  t.join();
}

// An annotation on a forward declaration applies to the definition.
class SENDSYNC_NOT_SEND Forward;
class Forward { int v = 0; };
void redeclaration_bad() {
  Forward f;
  std::thread t([f] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'f' cannot be sent to another thread: type 'Forward' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: 'Forward' is marked not Send here
  t.join();
}

// Conditional forms: Send iff the bounds hold.
template <class T> class SENDSYNC_SEND_IF("T: Send") Owner { T *p = nullptr; };
template <class T>
class SENDSYNC_SYNC_IF("T: Send") SENDSYNC_THREAD_SAFE_IF("T: Send") Locked {
  T value;
};
template <class K, class V>
class SENDSYNC_SEND_IF("K: Send + Sync, V: Send") Table { K *k; V *v; };
template <class... Ts> class SENDSYNC_SEND_IF("Ts: Send") All { int n; };

void conditional(Locked<NotSync> *lns, Locked<NotSend> *lnsend) {
  Owner<int> ok1;
  Owner<NotSync> ok2; // NotSync is Send; the raw pointer member is vouched for
  Owner<NotSend> bad1;
  std::thread t1([ok1, ok2, bad1] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: capture 'bad1' cannot be sent to another thread: type 'Owner<NotSend>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:29: note: 'Owner<NotSend>' is Send only if 'NotSend' is Send
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'NotSend' is marked not Send here
  // Locked<T> is Sync iff T is Send, whatever T's Sync is.
  std::thread t2([lns] {});
  std::thread t3([lnsend] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'lnsend' cannot be sent to another thread: type 'Locked<NotSend> *' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'Locked<NotSend> *' is Send only if 'Locked<NotSend>' is Send and Sync
  // CHECK-MESSAGES: :[[@LINE-4]]:19: note: 'Locked<NotSend>' is Sync only if 'NotSend' is Send
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'NotSend' is marked not Send here
  Table<int, int> tok;
  Table<NotSync, int> tbad;
  std::thread t4([tok, tbad] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: capture 'tbad' cannot be sent to another thread: type 'Table<NotSync, int>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:24: note: 'Table<NotSync, int>' is Send only if 'NotSync' is Send and Sync
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'NotSync' is marked not Sync here
  All<int, double> aok;
  All<int, NotSend, double> abad;
  std::thread t5([aok, abad] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: capture 'abad' cannot be sent to another thread: type 'All<int, NotSend, double>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:24: note: 'All<int, NotSend, double>' is Send only if 'NotSend' is Send
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'NotSend' is marked not Send here
  t1.join(); t2.join(); t3.join(); t4.join(); t5.join();
}

// Partial specializations carry their own annotations.
template <class T> struct Slot { T value; };
template <class T> struct SENDSYNC_SEND_IF("T: Sync") Slot<T *> { T *p; };
void partial(Slot<NotSync *> a, Slot<NotSend *> b) {
  std::thread t([a, b] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'a' cannot be sent to another thread: type 'Slot<NotSync *>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:18: note: 'Slot<NotSync *>' is Send only if 'NotSync' is Sync
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'NotSync' is marked not Sync here
  t.join();
}

// Malformed bounds are reported at the annotation, once.
template <class T> class SENDSYNC_SEND_IF("T: Sendable") Typo { T v; };
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: malformed sendsync bounds "T: Sendable": 'Sendable' is not a trait (Send, Sync or ThreadSafe) [sendsync-send]
template <class T> class SENDSYNC_SEND_IF("U: Send") WrongParam { T v; };
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: sendsync bounds "U: Send" name 'U', which is not a template parameter of 'WrongParam' [sendsync-send]
class SENDSYNC_SEND_IF("T: Send") NotATemplate { int v; };
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: sendsync bounds "T: Send" are on a class that is not a template [sendsync-send]
void malformed(Typo<int> a, WrongParam<int> b, NotATemplate c) {
  std::thread t([a, b, c] {});
  t.join();
}
