// Ports of Infer's RacerD C++ tests (facebook/infer,
// infer/tests/codetoanalyze/cpp/racerd at be1b9a8dc1): dereferencing.cpp,
// locals_ownership.cpp, locals_char_array.cpp, containers.cpp,
// constructor_formals.cpp, lambdas.cpp: what an access names (a member,
// something reached through a member pointer, a parameter, a local, a
// container element) and whether a helper, a constructor or a lambda made
// it. Each port shares one object by reference with a std::thread that calls
// one member function while the spawning thread calls another, then joins.
// Every *_bad races and every *_ok does not
// (test/checks/core/tsan_confirm.py). docs/racerd-ports.md lists RacerD's
// verdict beside ours.
// RUN: %check_tidy %s --checks='-*,sendsync-shared,sendsync-global' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <map>
#include <mutex>
#include <thread>

// --- dereferencing.cpp: class dereferencing::Basic ---------------------------
// Each public function runs a private helper unlocked when `fast`, else
// under the lock; the thread takes the fast path, the spawning thread the
// locked one.
struct Inner {
  int c = 0;
};
struct Middle {
  Inner b;
};
struct Node {
  int w = 0;
  int u = 0;
  Node *next = nullptr;
  Node **indirect = nullptr;
  Middle a;
};

class Deref {
public:
  Deref() {
    target_ptr_ = &target_;
    node_.next = &target_;
    node_.indirect = &target_ptr_;
  }

  void bump_through_pointer(bool fast) {
    if (fast) {
      incr_pointee(&p_);
    } else {
      mu_.lock();
      incr_pointee(&p_);
      mu_.unlock();
    }
  }

  void step_pointer(bool fast) {
    if (fast) {
      step(&q_);
    } else {
      mu_.lock();
      step(&q_);
      mu_.unlock();
    }
  }

  void bump_copy(bool fast) {
    if (fast) {
      incr_copy(h_);
    } else {
      mu_.lock();
      incr_copy(h_);
      mu_.unlock();
    }
  }

  void bump_through_reference(bool fast) {
    if (fast) {
      incr_ref(g_);
    } else {
      mu_.lock();
      incr_ref(g_);
      mu_.unlock();
    }
  }

  void bump_w(bool fast) {
    if (fast) {
      incr_w(node_);
    } else {
      mu_.lock();
      incr_w(node_);
      mu_.unlock();
    }
  }

  void bump_u(bool fast) {
    if (fast) {
      incr_u(node_);
    } else {
      mu_.lock();
      incr_u(node_);
      mu_.unlock();
    }
  }

  void bump_abc(bool fast) {
    if (fast) {
      incr_abc(node_);
    } else {
      mu_.lock();
      incr_abc(node_);
      mu_.unlock();
    }
  }

private:
  void incr_pointee(int *v) { (*v)++; }
  void step(int *v) { v++; }
  void incr_copy(int v) { v++; }
  void incr_ref(int &r) { r++; }
  void incr_w(Node &n) { n.next->w++; }
  void incr_u(Node &n) { (*n.next).u++; }
  void incr_abc(Node &n) { (**n.indirect).a.b.c++; }

  int g_ = 0;
  int h_ = 0;
  int p_ = 0;
  int q_ = 0;
  Node node_;
  Node target_;
  Node *target_ptr_ = nullptr;
  std::mutex mu_;
};

// RacerD dereferencing.cpp: Basic::FN_pointer_deref_bad (a known miss).
void deref_pointer_param_bad() {
  Deref d;
  std::thread t([&d] { d.bump_through_pointer(true); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'd' is shared with another thread and written without synchronization: type 'Deref' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-24]]:33: note: by 'Deref::incr_pointee', which writes 'd.p_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-26]]:33: note: by 'Deref::incr_pointee', which writes 'd.p_' here
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: field 'p_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-28]]:33: note: 'Deref::bump_through_pointer' writes 'p_' without holding 'mu_' (in 'incr_pointee')
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Deref>', hold one mutex for every access, or give each thread its own copy
  d.bump_through_pointer(false);
  t.join();
}

// RacerD dereferencing.cpp: Basic::pointer_arith_ok.
// Silent: `&q_` given to a member function is judged by the callee's
// summary, which never touches *v.
void deref_pointer_arith_ok() {
  Deref d;
  std::thread t([&d] { d.step_pointer(true); });
  d.step_pointer(false);
  t.join();
}

// RacerD dereferencing.cpp: Basic::value_ok.
void deref_value_ok() {
  Deref d;
  std::thread t([&d] { d.bump_copy(true); });
  d.bump_copy(false);
  t.join();
}

// RacerD dereferencing.cpp: Basic::FN_field_bad (a known miss).
void deref_reference_param_bad() {
  Deref d;
  std::thread t([&d] { d.bump_through_reference(true); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'd' is shared with another thread and written without synchronization: type 'Deref' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-55]]:27: note: by 'Deref::incr_ref', which writes 'd.g_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-57]]:27: note: by 'Deref::incr_ref', which writes 'd.g_' here
  // CHECK-MESSAGES: :[[@LINE-53]]:7: note: field 'g_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-59]]:27: note: 'Deref::bump_through_reference' writes 'g_' without holding 'mu_' (in 'incr_ref')
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Deref>', hold one mutex for every access, or give each thread its own copy
  d.bump_through_reference(false);
  t.join();
}

// RacerD dereferencing.cpp: Basic::deref_w_bad (reported).
// Caught: the write goes through the member pointer node_.next; the access
// path continues through it (d.node_.next->w), as RacerD's does.
void deref_member_pointer_bad() {
  Deref d;
  std::thread t([&d] { d.bump_w(true); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'd' is shared with another thread and written without synchronization: type 'Deref' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-72]]:26: note: by 'Deref::incr_w', which writes 'd.node_.next->w' here
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-74]]:26: note: by 'Deref::incr_w', which writes 'd.node_.next->w' here
  // CHECK-MESSAGES: :[[@LINE-165]]:7: note: field 'w' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: wrap it in 'sendsync::Mutex<Deref>', hold one mutex for every access, or give each thread its own copy
  d.bump_w(false);
  t.join();
}

// RacerD dereferencing.cpp: Basic::deref_u_bad (reported).
// Caught: (*node_.next).u, the same path.
void deref_member_pointer_star_bad() {
  Deref d;
  std::thread t([&d] { d.bump_u(true); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'd' is shared with another thread and written without synchronization: type 'Deref' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-87]]:28: note: by 'Deref::incr_u', which writes 'd.node_.next->u' here
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-89]]:28: note: by 'Deref::incr_u', which writes 'd.node_.next->u' here
  // CHECK-MESSAGES: :[[@LINE-180]]:7: note: field 'u' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: wrap it in 'sendsync::Mutex<Deref>', hold one mutex for every access, or give each thread its own copy
  d.bump_u(false);
  t.join();
}

// RacerD dereferencing.cpp: Basic::deref_abc_bad (reported).
// Caught: (**node_.indirect).a.b.c, through two pointers.
void deref_double_pointer_bad() {
  Deref d;
  std::thread t([&d] { d.bump_abc(true); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'd' is shared with another thread and written without synchronization: type 'Deref' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-102]]:31: note: by 'Deref::incr_abc', which writes '(*d.node_.indirect)->a.b.c' here
  // CHECK-MESSAGES: :[[@LINE+6]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-104]]:31: note: by 'Deref::incr_abc', which writes '(*d.node_.indirect)->a.b.c' here
  // CHECK-MESSAGES: :[[@LINE-193]]:10: note: field 'a' has type 'Middle', which is not ThreadSafe
  // CHECK-MESSAGES: :[[@LINE-201]]:9: note: field 'b' has type 'Inner', which is not ThreadSafe
  // CHECK-MESSAGES: :[[@LINE-205]]:7: note: field 'c' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-9]]:19: note: wrap it in 'sendsync::Mutex<Deref>', hold one mutex for every access, or give each thread its own copy
  d.bump_abc(false);
  t.join();
}

// --- locals_ownership.cpp: class locals::Ownership ---------------------------
struct Cell {
  int f = 0;
};

class Ownership {
public:
  int local_struct() {
    Cell c;
    mu_.lock();
    c.f = 7;
    mu_.unlock();
    return c.f;
  }

  int heap_struct() {
    Cell *c = new Cell();
    mu_.lock();
    c->f = 7;
    mu_.unlock();
    int r = c->f;
    delete c;
    return r;
  }

  int copied_member() {
    Cell c = current_;
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'Ownership::copied_member' reads 'current_' without holding 'mu_', which 'Ownership::pointer_to_member' holds to write it: 'Ownership' is not thread-safe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE+11]]:5: note: written under 'mu_' here
    // CHECK-MESSAGES: :[[@LINE-3]]:14: note: hold 'mu_' here too, or declare 'current_' GUARDED_BY(mu_) so that -Wthread-safety checks every access
    mu_.lock();
    c.f = 7;
    mu_.unlock();
    return c.f;
  }

  int pointer_to_member() {
    Cell *c = &current_;
    mu_.lock();
    c->f = 7;
    mu_.unlock();
    return c->f;
  }

  int copied_parameter(Cell formal) {
    Cell c = formal;
    mu_.lock();
    c.f = 7;
    mu_.unlock();
    return c.f;
  }

  int pointer_parameter(Cell *formal) {
    Cell *c = formal;
    mu_.lock();
    c->f = 7;
    mu_.unlock();
    return c->f;
  }

private:
  Cell current_;
  std::mutex mu_;
};

// RacerD locals_ownership.cpp: Ownership::struct_ok.
void locals_struct_ok() {
  Ownership o;
  std::thread t([&o] { volatile int sink = o.local_struct(); });
  volatile int sink = o.local_struct();
  t.join();
}

// RacerD locals_ownership.cpp: Ownership::ptr_to_struct_ok (the port frees
// what it allocates).
void locals_heap_struct_ok() {
  Ownership o;
  std::thread t([&o] { volatile int sink = o.heap_struct(); });
  volatile int sink = o.heap_struct();
  t.join();
}

// RacerD locals_ownership.cpp: Ownership::copy_constructor_ok.
void locals_copied_member_ok() {
  Ownership o;
  std::thread t([&o] { volatile int sink = o.copied_member(); });
  volatile int sink = o.copied_member();
  t.join();
}

// RacerD locals_ownership.cpp: Ownership::FN_ptr_to_field_struct_bad (a
// known miss): the read after unlock() races with the other thread's write.
// Caught, but not for the right reason: `Cell *c = &current_` stores the
// address in a local pointer, which counts as an unlocked write of
// current_; the later c->f is not followed.
void locals_pointer_to_member_bad() {
  Ownership o;
  std::thread t([&o] { volatile int sink = o.pointer_to_member(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'o' is shared with another thread and written without synchronization: type 'Ownership' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:44: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-61]]:5: note: by 'Ownership::pointer_to_member', which writes 'o.current_.f' here
  // CHECK-MESSAGES: :[[@LINE+6]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-61]]:12: note: by 'Ownership::pointer_to_member', which reads 'o.current_.f' here
  // CHECK-MESSAGES: :[[@LINE-42]]:8: note: field 'current_' has type 'Cell', which is not ThreadSafe
  // CHECK-MESSAGES: :[[@LINE-78]]:14: note: 'Ownership::copied_member' reads 'current_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-103]]:7: note: field 'f' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-9]]:19: note: wrap it in 'sendsync::Mutex<Ownership>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = o.pointer_to_member();
  t.join();
}

// RacerD locals_ownership.cpp: Ownership::copy_formal_ok.
void locals_copied_parameter_ok() {
  Ownership o;
  Cell shared;
  std::thread t([&o, &shared] {
    volatile int sink = o.copied_parameter(shared);
  });
  volatile int sink = o.copied_parameter(shared);
  t.join();
}

// RacerD locals_ownership.cpp: Ownership::FN_ptr_to_formal_bad (a known
// miss of RacerD's): both threads pass the same cell, written and read
// through a local copy of the pointer parameter (Cell *c = formal).
void locals_pointer_parameter_bad() {
  Ownership o;
  Cell shared;
  std::thread t([&o, &shared] {
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'shared' is shared with another thread and written without synchronization: type 'Cell' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+6]]:45: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-76]]:5: note: by 'Ownership::pointer_parameter', which writes 'shared.f' here
  // CHECK-MESSAGES: :[[@LINE+6]]:43: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-76]]:12: note: by 'Ownership::pointer_parameter', which reads 'shared.f' here
  // CHECK-MESSAGES: :[[@LINE-132]]:7: note: field 'f' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:23: note: wrap it in 'sendsync::Mutex<Cell>', hold one mutex for every access, or give each thread its own copy
    volatile int sink = o.pointer_parameter(&shared);
  });
  volatile int sink = o.pointer_parameter(&shared);
  t.join();
}

// --- locals_char_array.cpp: locals_char_array::A -----------------------------
void scratch() {
  char line[1024];
  int x;
  line[0] = line[1] = 'a';
  x = 0;
  volatile int sink = line[0] + x;
}

struct Scratcher {
  void run(bool fast) {
    if (fast) {
      scratch();
    } else {
      mu_.lock();
      scratch();
      mu_.unlock();
    }
  }
  std::mutex mu_;
};

// RacerD locals_char_array.cpp: A::locals_ok.
void locals_char_array_ok() {
  Scratcher s;
  std::thread t([&s] { s.run(true); });
  s.run(false);
  t.join();
}

// --- containers.cpp: struct containers::B ------------------------------------
struct Entry {
  int value = 0;
};

class Table {
public:
  void put(int key, int value) {
    mu_.lock();
    map_[key].value = value;
    mu_.unlock();
  }
  int get(int key) { return map_[key].value; }
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'Table::get' writes 'map_' without holding 'mu_', which 'Table::put' holds to write it: 'Table' is not thread-safe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-5]]:5: note: written under 'mu_' here
  // CHECK-MESSAGES: :[[@LINE-3]]:29: note: hold 'mu_' here too, or declare 'map_' GUARDED_BY(mu_) so that -Wthread-safety checks every access
  int size() { return map_.size(); }

private:
  std::map<int, Entry> map_;
  std::mutex mu_;
};

// RacerD containers.cpp: B::FN_write_container_bad / FN_get_bad (a known
// miss): operator[] on a map inserts.
void containers_get_bad() {
  Table tb;
  std::thread t([&tb] { tb.put(1, 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'tb' is shared with another thread and written without synchronization: type 'Table' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:25: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-21]]:5: note: by 'Table::put', which writes 'tb.map_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-20]]:29: note: by 'Table::get', which writes 'tb.map_' here
  // CHECK-MESSAGES: :[[@LINE-14]]:24: note: field 'map_' has type 'std::map<int, Entry>', which is not ThreadSafe: concurrent non-const use of one object is a data race
  // CHECK-MESSAGES: :[[@LINE-22]]:29: note: 'Table::get' writes 'map_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Table>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = tb.get(2);
  t.join();
}

// RacerD containers.cpp: B::FN_write_container_bad / FN_size_bad (a known
// miss).
void containers_size_bad() {
  Table tb;
  std::thread t([&tb] { tb.put(1, 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'tb' is shared with another thread and written without synchronization: type 'Table' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:25: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-38]]:5: note: by 'Table::put', which writes 'tb.map_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-33]]:23: note: by 'Table::size', which reads 'tb.map_' here
  // CHECK-MESSAGES: :[[@LINE-31]]:24: note: field 'map_' has type 'std::map<int, Entry>', which is not ThreadSafe: concurrent non-const use of one object is a data race
  // CHECK-MESSAGES: :[[@LINE-39]]:29: note: 'Table::get' writes 'map_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Table>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = tb.size();
  t.join();
}

// --- constructor_formals.cpp: class constructor_formals::Basic ---------------
class Copyable {
public:
  Copyable() = default;
  Copyable(Copyable &other) : field_(other.field_) {}

  void set_under_lock(int v) {
    mu_.lock();
    field_ = v;
    mu_.unlock();
  }

private:
  std::mutex mu_;
  int field_ = 0;
};

// RacerD constructor_formals.cpp: Basic::FN_set_under_lock_bad (a known
// miss): the copy constructor reads `other` without its lock.
// Caught: the copy constructor's summary reads other.field_ without
// other.mu_, which breaks the class's discipline.
void constructor_copy_bad() {
  Copyable a;
  std::thread t([&a] { a.set_under_lock(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'a' is shared with another thread and written without synchronization: type 'Copyable' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-18]]:5: note: by 'Copyable::set_under_lock', which writes 'a.field_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:14: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-24]]:38: note: by 'Copyable::Copyable', which reads 'a.field_' here
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: field 'field_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-26]]:38: note: 'Copyable::Copyable' reads 'field_' of another 'Copyable' without holding its 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Copyable>', hold one mutex for every access, or give each thread its own copy
  Copyable b(a);
  t.join();
}

// --- lambdas.cpp: class Lambdas ----------------------------------------------
class Lambdas {
public:
  void lambda_never_called() {
    auto with_sync = [&]() {
      mu_.lock();
      f_ = 0;
      mu_.unlock();
      return f_;
    };
  }

  int read_in_lambda() {
    auto read = [&]() { return g_; };
    return read();
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'Lambdas::read_in_lambda' reads 'g_' without holding 'mu_', which 'Lambdas::set_under_lock' holds to write it: 'Lambdas' is not thread-safe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-3]]:32: note: by the lambda in 'Lambdas::read_in_lambda', which reads it here
    // CHECK-MESSAGES: :[[@LINE+6]]:5: note: written under 'mu_' here
    // CHECK-MESSAGES: :[[@LINE-4]]:12: note: hold 'mu_' here too, or declare 'g_' GUARDED_BY(mu_) so that -Wthread-safety checks every access
  }

  void set_under_lock(int v) {
    mu_.lock();
    g_ = v;
    mu_.unlock();
  }

private:
  int f_ = 0;
  int g_ = 0;
  std::mutex mu_;
};

// RacerD lambdas.cpp: Lambdas::race_in_lambda_even_without_call_ok.
void lambda_not_called_ok() {
  Lambdas l;
  std::thread t([&l] { l.lambda_never_called(); });
  l.lambda_never_called();
  t.join();
}

// RacerD lambdas.cpp: Lambdas::FN_race_in_lambda_bad / set_under_lock (a
// known miss).
// Caught: the local lambda's read of g_ is part of read_in_lambda's
// summary (a lambda called where it is written shares the caller's `this`).
void lambda_called_bad() {
  Lambdas l;
  std::thread t([&l] { l.set_under_lock(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'l' is shared with another thread and written without synchronization: type 'Lambdas' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-27]]:5: note: by 'Lambdas::set_under_lock', which writes 'l.g_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-39]]:32: note: by the lambda in 'Lambdas::read_in_lambda', which reads 'l.g_' here
  // CHECK-MESSAGES: :[[@LINE-24]]:7: note: field 'g_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-41]]:32: note: 'Lambdas::read_in_lambda' reads 'g_' without holding 'mu_' (in 'operator()')
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Lambdas>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = l.read_in_lambda();
  t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(deref_pointer_param_bad) TSAN_ENTRY(deref_pointer_arith_ok)
    TSAN_ENTRY(deref_value_ok) TSAN_ENTRY(deref_reference_param_bad)
    TSAN_ENTRY(deref_member_pointer_bad) TSAN_ENTRY(deref_member_pointer_star_bad)
    TSAN_ENTRY(deref_double_pointer_bad) TSAN_ENTRY(locals_struct_ok)
    TSAN_ENTRY(locals_heap_struct_ok) TSAN_ENTRY(locals_copied_member_ok)
    TSAN_ENTRY(locals_pointer_to_member_bad) TSAN_ENTRY(locals_copied_parameter_ok)
    TSAN_ENTRY(locals_pointer_parameter_bad) TSAN_ENTRY(locals_char_array_ok)
    TSAN_ENTRY(containers_get_bad) TSAN_ENTRY(containers_size_bad)
    TSAN_ENTRY(constructor_copy_bad) TSAN_ENTRY(lambda_not_called_ok)
    TSAN_ENTRY(lambda_called_bad)};
TSAN_MAIN(entries)
#endif
