// Ports of Infer's RacerD C++ tests (facebook/infer,
// infer/tests/codetoanalyze/cpp/racerd at be1b9a8dc1): basics.cpp,
// basics_no_mutex.cpp, without_mutex.cpp, std_lock.cpp, scoped_lock.cpp.
// RacerD judges a class that locks without any thread start; each port adds
// the thread start that makes RacerD's situation real: one object shared by
// reference with a std::thread that calls one member function while the
// spawning thread calls another, then joins. Every *_bad races and every
// *_ok does not (test/checks/core/tsan_confirm.py runs them all under
// ThreadSanitizer). docs/racerd-ports.md lists RacerD's verdict beside ours.
// RUN: %check_tidy %s --checks='-*,sendsync-shared,sendsync-global' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <mutex>
#include <thread>

// Lets a *_bad port's thread finish its write before the spawning thread
// takes the lock: otherwise the lock could order the spawning thread's
// locked read before the thread's unlocked write, and ThreadSanitizer would
// see no race in that run. Relaxed, so that it orders nothing.
std::atomic<bool> thread_wrote{false};

void thread_wrote_now() { thread_wrote.store(true, std::memory_order_relaxed); }

void wait_until_thread_wrote() {
  while (!thread_wrote.load(std::memory_order_relaxed))
    std::this_thread::yield();
}

// --- basics.cpp: class basics::Basic ---------------------------------------
// Manual lock()/unlock() on two private mutexes, one field per question.
class Meter {
public:
  void put_plain(int v) { plain_ = v; }
  int take_plain() { return plain_; }

  void put_guarded(int v) {
    mu_.lock();
    guarded_ = v;
    mu_.unlock();
  }
  int take_guarded() {
    int r;
    mu_.lock();
    r = guarded_;
    mu_.unlock();
    return r;
  }

  void put_read_outside(int v) {
    mu_.lock();
    read_outside_ = v;
    mu_.unlock();
  }
  int take_read_outside() { return read_outside_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: 'Meter::take_read_outside' reads 'read_outside_' without holding 'mu_', which 'Meter::put_read_outside' holds to write it: 'Meter' is not thread-safe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-5]]:5: note: written under 'mu_' here
  // CHECK-MESSAGES: :[[@LINE-3]]:36: note: hold 'mu_' here too, or declare 'read_outside_' GUARDED_BY(mu_) so that -Wthread-safety checks every access

  void put_written_outside(int v) {
    mu_.lock();
    mu_.unlock();
    written_outside_ = v;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Meter::put_written_outside' writes 'written_outside_' without holding 'mu_', which 'Meter::take_written_outside' holds to read it: 'Meter' is not thread-safe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE+6]]:9: note: read under 'mu_' here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: hold 'mu_' here too, or declare 'written_outside_' GUARDED_BY(mu_) so that -Wthread-safety checks every access
  }
  int take_written_outside() {
    int r;
    mu_.lock();
    r = written_outside_;
    mu_.unlock();
    return r;
  }

  void fill_under_lock(char *buf) {
    mu_.lock();
    buf[2] = 'c';
    mu_.unlock();
  }
  int peek_unlocked(char *buf, int i) { return buf[i]; }

  void put_both_locks(int v) {
    mu_.lock();
    mu2_.lock();
    both_ = v;
    mu2_.unlock();
    mu_.unlock();
  }
  int take_inner_lock() {
    int r;
    mu2_.lock();
    r = both_;
    mu2_.unlock();
    return r;
  }

  void put_both_locks_again(int v) {
    mu_.lock();
    mu2_.lock();
    both_read_outside_ = v;
    mu2_.unlock();
    mu_.unlock();
  }
  int take_no_lock() { return both_read_outside_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: 'Meter::take_no_lock' reads 'both_read_outside_' without holding 'mu_', which 'Meter::put_both_locks_again' holds to write it: 'Meter' is not thread-safe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-6]]:5: note: written under 'mu_' here
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: hold 'mu_' here too, or declare 'both_read_outside_' GUARDED_BY(mu_) so that -Wthread-safety checks every access

private:
  int guarded_ = 0;
  int read_outside_ = 0;
  int written_outside_ = 0;
  int plain_ = 0;
  int both_ = 0;
  int both_read_outside_ = 0;
  std::mutex mu_;
  std::mutex mu2_;
};

// RacerD basics.cpp: Basic::set_well_guarded_ok / get_well_guarded_ok.
void basics_well_guarded_ok() {
  Meter m;
  std::thread t([&m] { m.put_guarded(1); });
  volatile int sink = m.take_guarded();
  t.join();
}

// RacerD basics.cpp: Basic::set_suspiciously_read_bad /
// get_suspiciously_read_bad (reported).
void basics_suspiciously_read_bad() {
  Meter m;
  std::thread t([&m] { m.put_read_outside(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'm' is shared with another thread and written without synchronization: type 'Meter' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-84]]:5: note: by 'Meter::put_read_outside', which writes 'm.read_outside_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-83]]:36: note: by 'Meter::take_read_outside', which reads 'm.read_outside_' here
  // CHECK-MESSAGES: :[[@LINE-27]]:7: note: field 'read_outside_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-85]]:36: note: 'Meter::take_read_outside' reads 'read_outside_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Meter>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = m.take_read_outside();
  t.join();
}

// RacerD basics.cpp: Basic::set_suspiciously_written_ok /
// get_suspiciously_written_ok. Not reported by RacerD (its C++ policy takes
// a write outside every lock for single-threaded code); run concurrently the
// write after unlock() races with the locked read.
void basics_suspiciously_written_bad() {
  Meter m;
  std::thread t([&m] {
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'm' is shared with another thread and written without synchronization: type 'Meter' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-92]]:5: note: by 'Meter::put_written_outside', which writes 'm.written_outside_' here
  // CHECK-MESSAGES: :[[@LINE+9]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-86]]:9: note: by 'Meter::take_written_outside', which reads 'm.written_outside_' here
  // CHECK-MESSAGES: :[[@LINE-45]]:7: note: field 'written_outside_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-96]]:5: note: 'Meter::put_written_outside' writes 'written_outside_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Meter>', hold one mutex for every access, or give each thread its own copy
    m.put_written_outside(1);
    thread_wrote_now();
  });
  wait_until_thread_wrote();
  volatile int sink = m.take_written_outside();
  t.join();
}

// RacerD basics.cpp: Basic::set_not_guarded_ok / get_not_guarded_ok. RacerD's
// assumption made real: the unlocked field is written before any thread
// starts, then only read on both sides.
void basics_not_guarded_ok() {
  Meter m;
  m.put_plain(3);
  std::thread t([&m] { volatile int sink = m.take_plain(); });
  volatile int sink = m.take_plain();
  t.join();
}

// RacerD basics.cpp: Basic::write_array_under_lock_ok /
// read_array_outside_lock_ok: the arrays are parameters, not members; each
// thread passes its own buffer.
void basics_array_parameters_ok() {
  Meter m;
  char mine[4] = {'a', 'b', 'c', 'd'};
  char theirs[4] = {'a', 'b', 'c', 'd'};
  std::thread t([&m, &theirs] { m.fill_under_lock(theirs); });
  volatile int sink = m.peek_unlocked(mine, 2);
  t.join();
}

// RacerD basics.cpp: Basic::set_double_lock_guarded_ok /
// read_double_lock_guarded_ok: written under both locks, read under one.
void basics_double_lock_guarded_ok() {
  Meter m;
  std::thread t([&m] { m.put_both_locks(1); });
  volatile int sink = m.take_inner_lock();
  t.join();
}

// RacerD basics.cpp: Basic::set_double_suspiciously_read_bad /
// read_double_suspiciously_read_bad (reported).
void basics_double_suspiciously_read_bad() {
  Meter m;
  std::thread t([&m] { m.put_both_locks_again(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'm' is shared with another thread and written without synchronization: type 'Meter' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-107]]:5: note: by 'Meter::put_both_locks_again', which writes 'm.both_read_outside_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-105]]:31: note: by 'Meter::take_no_lock', which reads 'm.both_read_outside_' here
  // CHECK-MESSAGES: :[[@LINE-95]]:7: note: field 'both_read_outside_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-107]]:31: note: 'Meter::take_no_lock' reads 'both_read_outside_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Meter>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = m.take_no_lock();
  t.join();
}

// --- basics_no_mutex.cpp: class basics::BasicsNoMutex ----------------------
// No lock in the class: RacerD does not consider it concurrent. Made real:
// the object is filled before the thread starts and only read afterwards.
class Pairing {
public:
  void fill(int v) {
    first_ = v;
    second_ = v;
  }
  int first() { return first_; }

private:
  int first_ = 0;
  int second_ = 0;
};

// RacerD basics_no_mutex.cpp: BasicsNoMutex::set_ok / get_field1_ok.
void basics_no_mutex_ok() {
  Pairing p;
  p.fill(5);
  std::thread t([&p] { volatile int sink = p.first(); });
  volatile int sink = p.first();
  t.join();
}

// --- without_mutex.cpp: class without_mutex::WithoutMutex -------------------
// The lock is a parameter, not a member.
class Borrowed {
public:
  int get() { return value_; }
  void set(std::mutex &mu, int v) {
    std::lock_guard<std::mutex> g(mu);
    value_ = v;
  }

private:
  int value_ = 0;
};

// RacerD without_mutex.cpp: WithoutMutex::set_bad / get_bad (reported).
void without_mutex_bad() {
  Borrowed b;
  std::mutex mu;
  std::thread t([&b, &mu] { b.set(mu, 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'b' is shared with another thread and written without synchronization: type 'Borrowed' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:29: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-14]]:5: note: by 'Borrowed::set', which writes 'b.value_' here
  // CHECK-MESSAGES: :[[@LINE+4]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-19]]:22: note: by 'Borrowed::get', which reads 'b.value_' here
  // CHECK-MESSAGES: :[[@LINE-13]]:7: note: field 'value_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: wrap it in 'sendsync::Mutex<Borrowed>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = b.get();
  t.join();
}

// --- std_lock.cpp: class basics::StdLock ------------------------------------
// std::lock on this object's mutex and another's. RacerD's functions leave
// the mutexes locked; here each unlocks what it took.
class Linked {
public:
  void copy_guarded(Linked *other) {
    std::lock(mu_, other->mu_);
    guarded_ = other->guarded_;
    other->mu_.unlock();
    mu_.unlock();
  }
  int guarded() {
    mu_.lock();
    int r = guarded_;
    mu_.unlock();
    return r;
  }

  void copy_unguarded(Linked *other) {
    std::lock(mu_, other->mu_);
    unguarded_ = other->unguarded_;
    other->mu_.unlock();
    mu_.unlock();
  }
  int unguarded() { return unguarded_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'Linked::unguarded' reads 'unguarded_' without holding 'mu_', which 'Linked::copy_unguarded' holds to write it: 'Linked' is not thread-safe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-6]]:5: note: written under 'mu_' here
  // CHECK-MESSAGES: :[[@LINE-3]]:28: note: hold 'mu_' here too, or declare 'unguarded_' GUARDED_BY(mu_) so that -Wthread-safety checks every access

private:
  int guarded_ = 0;
  int unguarded_ = 0;
  std::mutex mu_;
};

// RacerD std_lock.cpp: StdLock::set_ok / get_ok.
// Silent: std::lock(a, b) acquires both.
void std_lock_ok() {
  Linked a, b;
  std::thread t([&a, &b] { a.copy_guarded(&b); });
  volatile int sink = a.guarded();
  t.join();
}

// RacerD std_lock.cpp: StdLock::set_bad / get_bad (reported).
void std_lock_bad() {
  Linked a, b;
  std::thread t([&a, &b] { a.copy_unguarded(&b); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'a' is shared with another thread and written without synchronization: type 'Linked' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:28: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-30]]:5: note: by 'Linked::copy_unguarded', which writes 'a.unguarded_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-28]]:28: note: by 'Linked::unguarded', which reads 'a.unguarded_' here
  // CHECK-MESSAGES: :[[@LINE-22]]:7: note: field 'unguarded_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-30]]:28: note: 'Linked::unguarded' reads 'unguarded_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Linked>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = a.unguarded();
  t.join();
}

// --- scoped_lock.cpp: class ScopedLock ---------------------------------------
class Scoped {
public:
  void store_x(int v) {
    std::scoped_lock<std::mutex> g(mu_);
    x_ = v;
  }
  int load_x() {
    std::scoped_lock<std::mutex> g(mu_);
    return x_;
  }
  void store_y(int v) {
    std::scoped_lock<std::mutex> g(mu_);
    y_ = v;
  }
  int load_y() { return y_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'Scoped::load_y' reads 'y_' without holding 'mu_', which 'Scoped::store_y' holds to write it: 'Scoped' is not thread-safe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-4]]:5: note: written under 'mu_' here
  // CHECK-MESSAGES: :[[@LINE-3]]:25: note: hold 'mu_' here too, or declare 'y_' GUARDED_BY(mu_) so that -Wthread-safety checks every access
  void store_z(int v) { z_ = v; }
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'Scoped::store_z' writes 'z_' without holding 'mu_', which 'Scoped::load_z' holds to read it: 'Scoped' is not thread-safe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+4]]:12: note: read under 'mu_' here
  // CHECK-MESSAGES: :[[@LINE-3]]:25: note: hold 'mu_' here too, or declare 'z_' GUARDED_BY(mu_) so that -Wthread-safety checks every access
  int load_z() {
    std::scoped_lock<std::mutex> g(mu_);
    return z_;
  }

private:
  int x_ = 0, y_ = 0, z_ = 0;
  std::mutex mu_;
};

// RacerD scoped_lock.cpp: ScopedLock::store_x / get_x.
void scoped_lock_ok() {
  Scoped s;
  std::thread t([&s] { s.store_x(1); });
  volatile int sink = s.load_x();
  t.join();
}

// RacerD scoped_lock.cpp: ScopedLock::store_y / get_y_bad (reported).
void scoped_lock_bad() {
  Scoped s;
  std::thread t([&s] { s.store_y(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 's' is shared with another thread and written without synchronization: type 'Scoped' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-34]]:5: note: by 'Scoped::store_y', which writes 's.y_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-34]]:25: note: by 'Scoped::load_y', which reads 's.y_' here
  // CHECK-MESSAGES: :[[@LINE-21]]:15: note: field 'y_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-36]]:25: note: 'Scoped::load_y' reads 'y_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Scoped>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = s.load_y();
  t.join();
}

// RacerD scoped_lock.cpp: ScopedLock::store_z / get_z. Not reported by
// RacerD (C++ policy: an unlocked write is taken for single-threaded code);
// run concurrently it races with the locked read.
void scoped_lock_unlocked_store_bad() {
  Scoped s;
  std::thread t([&s] { s.store_z(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 's' is shared with another thread and written without synchronization: type 'Scoped' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-46]]:25: note: by 'Scoped::store_z', which writes 's.z_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-42]]:12: note: by 'Scoped::load_z', which reads 's.z_' here
  // CHECK-MESSAGES: :[[@LINE-39]]:23: note: field 'z_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-50]]:25: note: 'Scoped::store_z' writes 'z_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Scoped>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = s.load_z();
  t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(basics_well_guarded_ok) TSAN_ENTRY(basics_suspiciously_read_bad)
    TSAN_ENTRY(basics_suspiciously_written_bad) TSAN_ENTRY(basics_not_guarded_ok)
    TSAN_ENTRY(basics_array_parameters_ok) TSAN_ENTRY(basics_double_lock_guarded_ok)
    TSAN_ENTRY(basics_double_suspiciously_read_bad) TSAN_ENTRY(basics_no_mutex_ok)
    TSAN_ENTRY(without_mutex_bad) TSAN_ENTRY(std_lock_ok) TSAN_ENTRY(std_lock_bad)
    TSAN_ENTRY(scoped_lock_ok) TSAN_ENTRY(scoped_lock_bad)
    TSAN_ENTRY(scoped_lock_unlocked_store_bad)};
TSAN_MAIN(entries)
#endif
