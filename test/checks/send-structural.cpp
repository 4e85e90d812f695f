// Structural inference: bases, members, mutable members, pointers,
// references, arrays, unions, closures, GUARDED_BY; aliases and typedefs.
// RUN: %check_tidy %s --checks='-*,sendsync-send' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include <sendsync/annotations.h>

#if defined(__clang__)
#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#else
#define GUARDED_BY(x)
#endif

class SENDSYNC_NOT_SEND Handle { int fd_ = 0; };
class SENDSYNC_NOT_SYNC Counter { int n_ = 0; };

template <class T> void send(T value) {
  std::thread t([v = std::move(value)] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'v' cannot be sent to another thread: type 'Box<Handle>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:35: note: field 'value' has type 'Handle', which is not Send
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: 'Handle' is marked not Send here
  t.join();
}

// Members.
struct HoldsHandle { int id; Handle h; };
struct Plain { int a; double b; const char *name; };

void members_bad() {
  HoldsHandle x{};
  std::thread t([x] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'x' cannot be sent to another thread: type 'HoldsHandle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-8]]:37: note: field 'h' has type 'Handle', which is not Send
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  t.join();
}

void members_ok() {
  Plain p{};
  std::thread t([p] {});
  t.join();
}

// Bases.
struct Derived : HoldsHandle { int more; };
void bases_bad() {
  Derived d{};
  std::thread t([d] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'd' cannot be sent to another thread: type 'Derived' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-6]]:18: note: base class 'HoldsHandle', which is not Send
  // CHECK-MESSAGES: :{{[0-9]+}}:37: note: field 'h' has type 'Handle', which is not Send
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  t.join();
}

// Pointers: a pointer to non-const needs Send and Sync of its pointee; a
// pointer to const needs Sync only; references need Sync.
struct PtrToCounter { Counter *c; };
struct PtrToConstCounter { const Counter *c; };
struct PtrToHandle { Handle *h; };
struct PtrToConstHandle { const Handle *h; };
struct RefToHandle { Handle &h; };

void pointers(Counter *c, Handle *h, Handle &hr) {
  PtrToCounter a{c};
  std::thread t1([a] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'a' cannot be sent to another thread: type 'PtrToCounter' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-11]]:32: note: field 'c' has type 'Counter *', which is Send only if 'Counter' is Send and Sync
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Counter' is marked not Sync here
  PtrToConstCounter b{c};
  std::thread t2([b] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'b' cannot be sent to another thread: type 'PtrToConstCounter' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-16]]:43: note: field 'c' has type 'const Counter *', which is Send only if 'Counter' is Sync
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Counter' is marked not Sync here
  PtrToHandle d{h};
  std::thread t3([d] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'd' cannot be sent to another thread: type 'PtrToHandle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:30: note: field 'h' has type 'Handle *', which is Send only if 'Handle' is Send and Sync
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  PtrToConstHandle e{h};
  std::thread t4([e] {});
  RefToHandle f{hr};
  std::thread t5([f] {});
  t1.join(); t2.join(); t3.join(); t4.join(); t5.join();
}

// Arrays and unions.
struct Arr { Handle hs[4]; };
union Either { int i; Handle h; };
union Numbers { int i; float f; };
void arrays_unions(Arr a, Either e, Numbers n) {
  std::thread t1([a] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'a' cannot be sent to another thread: type 'Arr' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-7]]:21: note: field 'hs' has type 'Handle[4]', which is Send only if 'Handle' is Send
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  std::thread t2([e] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'e' cannot be sent to another thread: type 'Either' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-11]]:30: note: field 'h' has type 'Handle', which is not Send
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  std::thread t3([n] {});
  t1.join(); t2.join(); t3.join();
}

// Sync needs a mutable member to be ThreadSafe: a const object with a
// mutable cache is written through `const T&`.
struct Cached {
  int key;
  mutable int cache;
};
struct CachedAtomic {
  int key;
  mutable std::mutex m;
};
void mutable_members(const Cached *c, const CachedAtomic *ca) {
  // A pointer to const needs Sync of the pointee.
  std::thread t1([c] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'c' cannot be sent to another thread: type 'const Cached *' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'const Cached *' is Send only if 'Cached' is Sync
  // CHECK-MESSAGES: :[[@LINE-12]]:15: note: mutable field 'cache' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  std::thread t2([ca] {});
  t1.join(); t2.join();
}

// GUARDED_BY members count as ThreadSafe: -Wthread-safety checks them.
struct Guarded {
  std::mutex m;
  mutable int hits GUARDED_BY(m);
};
void guarded(const Guarded *g) {
  std::thread t([g] {});
  t.join();
}

// Aliases and typedefs resolve to the declaration that decides.
using HandleAlias = Handle;
typedef HoldsHandle HoldsTypedef;
void aliases() {
  HandleAlias h;
  HoldsTypedef x{};
  auto y = x;
  std::thread t1([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  std::thread t2([y] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'y' cannot be sent to another thread: type 'HoldsHandle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:37: note: field 'h' has type 'Handle', which is not Send
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  t1.join(); t2.join();
}

// Closures: a lambda stored in a variable is seen through, and a closure
// held inside another closure is judged by its captures.
void closures() {
  Handle h;
  auto inner = [h] {};
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE+2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  std::thread t1(inner);
  auto outer = [inner] {};
  std::thread t2([outer] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'outer' cannot be sent to another thread: type '(lambda)' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-4]]:17: note: captured variable 'inner' has type '(lambda)', which is not Send
  // CHECK-MESSAGES: :[[@LINE-10]]:17: note: captured variable 'h' has type 'Handle', which is not Send
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  auto ok = [n = 1] { return n; };
  std::thread t3(ok);
  t1.join(); t2.join(); t3.join();
}

// Templates: instantiations are judged, not the pattern.
template <class T> struct Box { T value; };
void templates() {
  send(Box<int>{});
  send(Box<Handle>{});
}
