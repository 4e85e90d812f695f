// Ports of Infer's RacerD C++ tests (facebook/infer,
// infer/tests/codetoanalyze/cpp/racerd at be1b9a8dc1): unique_lock.cpp,
// lock_guard_with_scope.cpp, conditional.cpp, noreturn.cpp: which accesses
// a lock covers when it is a unique_lock (deferred, tried, unlocked early),
// a lock_guard in one branch, a temporary, or held across a call that does
// not return. Each port shares one object by reference with a std::thread
// that calls one member function while the spawning thread calls another,
// then joins. Every *_bad races and every *_ok does not
// (test/checks/core/tsan_confirm.py). docs/racerd-ports.md lists RacerD's
// verdict beside ours.
// RUN: %check_tidy %s --checks='-*,sendsync-shared,sendsync-global' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <mutex>
#include <thread>

// A hand-shake for the try-lock ports: the writer keeps the lock until the
// reader has failed to take it. Relaxed, so that it orders nothing (the
// race stays a race under ThreadSanitizer).
std::atomic<bool> writer_holds_lock{false};
std::atomic<bool> reader_gave_up{false};

void keep_lock_until_reader_gave_up() {
  writer_holds_lock.store(true, std::memory_order_relaxed);
  while (!reader_gave_up.load(std::memory_order_relaxed))
    std::this_thread::yield();
}

void wait_until_writer_holds_lock() {
  while (!writer_holds_lock.load(std::memory_order_relaxed))
    std::this_thread::yield();
}

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

// --- unique_lock.cpp: class basics::UniqueLock -------------------------------
class Ledger {
public:
  int guarded_both(bool write, int v) {
    if (write) {
      std::unique_lock<std::mutex> g(mu_);
      guarded1_ = v;
      return 0;
    } else {
      std::lock_guard<std::mutex> g(mu_);
      return guarded1_;
    }
  }

  int guarded_deferred(bool write, int v) {
    if (write) {
      std::unique_lock<std::mutex> g(mu_, std::defer_lock);
      g.lock();
      guarded2_ = v;
      g.unlock();
      return 0;
    } else {
      std::unique_lock<std::mutex> g(mu_);
      return guarded2_;
    }
  }

  int unlocked_early(bool write, int v) {
    if (write) {
      std::unique_lock<std::mutex> g(mu_);
      g.unlock();
      unguarded2_ = v;
      return 0;
    } else {
      std::unique_lock<std::mutex> g(mu_);
      g.unlock();
      return unguarded2_;
    }
  }

  int read_outside(bool write, int v) {
    if (write) {
      std::unique_lock<std::mutex> g(mu_);
      read_outside1_ = v;
      return 0;
    } else {
      return read_outside1_;
    }
  }

  int written_outside(bool write, int v) {
    if (write) {
      written_outside_ = v;
      return 0;
    } else {
      std::unique_lock<std::mutex> g(mu_);
      return written_outside_;
    }
  }

  int read_when_try_fails(bool write, int v) {
    if (write) {
      std::unique_lock<std::mutex> g(mu_);
      read_outside2_ = v;
      keep_lock_until_reader_gave_up();
      return 0;
    } else {
      std::unique_lock<std::mutex> l(mu_, std::try_to_lock);
      if (l.owns_lock()) {
        return 0;
      } else {
        return read_outside2_;
      }
    }
  }

  int read_when_deferred_try_fails(bool write, int v) {
    if (write) {
      std::unique_lock<std::mutex> g(mu_);
      read_outside3_ = v;
      keep_lock_until_reader_gave_up();
      return 0;
    } else {
      std::unique_lock<std::mutex> l(mu_, std::defer_lock);
      if (l.try_lock()) {
        return 0;
      } else {
        return read_outside3_;
      }
    }
  }

private:
  int guarded1_ = 0;
  int guarded2_ = 0;
  int read_outside1_ = 0;
  int read_outside2_ = 0;
  int read_outside3_ = 0;
  int written_outside_ = 0;
  int unguarded2_ = 0;
  std::mutex mu_;
};

// RacerD unique_lock.cpp: UniqueLock::well_guarded1_ok.
void unique_lock_guarded_ok() {
  Ledger l;
  std::thread t([&l] { l.guarded_both(true, 1); });
  volatile int sink = l.guarded_both(false, 0);
  t.join();
}

// RacerD unique_lock.cpp: UniqueLock::well_guarded2_deferred_ok.
void unique_lock_deferred_ok() {
  Ledger l;
  std::thread t([&l] { l.guarded_deferred(true, 1); });
  volatile int sink = l.guarded_deferred(false, 0);
  t.join();
}

// RacerD unique_lock.cpp: UniqueLock::not_guarded2_ok. Not reported by
// RacerD (neither access is under a lock: its C++ policy stays silent); run
// concurrently the two accesses after unlock() race.
void unique_lock_unlocked_early_bad() {
  Ledger l;
  std::thread t([&l] { l.unlocked_early(true, 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'l' is shared with another thread and written without synchronization: type 'Ledger' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-96]]:7: note: by 'Ledger::unlocked_early', which writes 'l.unguarded2_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-93]]:14: note: by 'Ledger::unlocked_early', which reads 'l.unguarded2_' here
  // CHECK-MESSAGES: :[[@LINE-31]]:7: note: field 'unguarded2_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-95]]:14: note: 'Ledger::unlocked_early' reads 'unguarded2_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Ledger>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = l.unlocked_early(false, 0);
  t.join();
}

// RacerD unique_lock.cpp: UniqueLock::suspiciously_read1_bad (reported).
void unique_lock_read_outside_bad() {
  Ledger l;
  std::thread t([&l] { l.read_outside(true, 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'l' is shared with another thread and written without synchronization: type 'Ledger' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-100]]:7: note: by 'Ledger::read_outside', which writes 'l.read_outside1_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-99]]:14: note: by 'Ledger::read_outside', which reads 'l.read_outside1_' here
  // CHECK-MESSAGES: :[[@LINE-51]]:7: note: field 'read_outside1_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-101]]:14: note: 'Ledger::read_outside' reads 'read_outside1_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Ledger>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = l.read_outside(false, 0);
  t.join();
}

// RacerD unique_lock.cpp: UniqueLock::suspiciously_written_ok. Not reported
// by RacerD (C++ policy: an unlocked write is taken for single-threaded
// code); run concurrently it races with the locked read.
void unique_lock_written_outside_bad() {
  Ledger l;
  std::thread t([&l] { l.written_outside(true, 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'l' is shared with another thread and written without synchronization: type 'Ledger' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-109]]:7: note: by 'Ledger::written_outside', which writes 'l.written_outside_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-107]]:14: note: by 'Ledger::written_outside', which reads 'l.written_outside_' here
  // CHECK-MESSAGES: :[[@LINE-66]]:7: note: field 'written_outside_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-113]]:7: note: 'Ledger::written_outside' writes 'written_outside_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Ledger>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = l.written_outside(false, 0);
  t.join();
}

// RacerD unique_lock.cpp: UniqueLock::suspiciously_read2_trylock_bad
// (reported): the read is on the path where try_to_lock failed.
void unique_lock_try_to_lock_bad() {
  Ledger l;
  std::thread t([&l] { l.read_when_try_fails(true, 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'l' is shared with another thread and written without synchronization: type 'Ledger' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-115]]:7: note: by 'Ledger::read_when_try_fails', which writes 'l.read_outside2_' here
  // CHECK-MESSAGES: :[[@LINE+6]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-109]]:16: note: by 'Ledger::read_when_try_fails', which reads 'l.read_outside2_' here
  // CHECK-MESSAGES: :[[@LINE-85]]:7: note: field 'read_outside2_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-111]]:16: note: 'Ledger::read_when_try_fails' reads 'read_outside2_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Ledger>', hold one mutex for every access, or give each thread its own copy
  wait_until_writer_holds_lock();
  volatile int sink = l.read_when_try_fails(false, 0);
  reader_gave_up.store(true, std::memory_order_relaxed);
  t.join();
}

// RacerD unique_lock.cpp: UniqueLock::suspiciously_read3_deferlock_bad
// (reported): defer_lock, then the read where try_lock() failed.
void unique_lock_defer_try_lock_bad() {
  Ledger l;
  std::thread t([&l] { l.read_when_deferred_try_fails(true, 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'l' is shared with another thread and written without synchronization: type 'Ledger' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-118]]:7: note: by 'Ledger::read_when_deferred_try_fails', which writes 'l.read_outside3_' here
  // CHECK-MESSAGES: :[[@LINE+6]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-112]]:16: note: by 'Ledger::read_when_deferred_try_fails', which reads 'l.read_outside3_' here
  // CHECK-MESSAGES: :[[@LINE-103]]:7: note: field 'read_outside3_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-114]]:16: note: 'Ledger::read_when_deferred_try_fails' reads 'read_outside3_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Ledger>', hold one mutex for every access, or give each thread its own copy
  wait_until_writer_holds_lock();
  volatile int sink = l.read_when_deferred_try_fails(false, 0);
  reader_gave_up.store(true, std::memory_order_relaxed);
  t.join();
}

// --- lock_guard_with_scope.cpp: class basics::LockGuardWithScope ------------
// (RacerD's functions are void but return values; here they return int.)
class Scope {
public:
  int guarded(bool write, int v) {
    std::lock_guard<std::mutex> g(mu_);
    if (write) {
      guarded_ = v;
      return 0;
    } else {
      return guarded_;
    }
  }

  int read_outside(bool write, int v) {
    if (write) {
      std::lock_guard<std::mutex> g(mu_);
      read_outside_ = v;
      return 0;
    } else {
      return read_outside_;
    }
  }

  int written_outside(bool write, int v) {
    if (write) {
      written_outside_ = v;
      return 0;
    } else {
      std::lock_guard<std::mutex> g(mu_);
      return written_outside_;
    }
  }

private:
  int guarded_ = 0;
  int read_outside_ = 0;
  int written_outside_ = 0;
  std::mutex mu_;
};

// RacerD lock_guard_with_scope.cpp: LockGuardWithScope::well_guarded_ok.
void lock_guard_scope_guarded_ok() {
  Scope s;
  std::thread t([&s] { s.guarded(true, 1); });
  volatile int sink = s.guarded(false, 0);
  t.join();
}

// RacerD lock_guard_with_scope.cpp: LockGuardWithScope::suspiciously_read_bad
// (reported).
void lock_guard_scope_read_outside_bad() {
  Scope s;
  std::thread t([&s] { s.read_outside(true, 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 's' is shared with another thread and written without synchronization: type 'Scope' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-39]]:7: note: by 'Scope::read_outside', which writes 's.read_outside_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-38]]:14: note: by 'Scope::read_outside', which reads 's.read_outside_' here
  // CHECK-MESSAGES: :[[@LINE-23]]:7: note: field 'read_outside_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-40]]:14: note: 'Scope::read_outside' reads 'read_outside_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Scope>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = s.read_outside(false, 0);
  t.join();
}

// RacerD lock_guard_with_scope.cpp:
// LockGuardWithScope::suspiciously_written_ok. Not reported by RacerD (C++
// policy); run concurrently the unlocked write races with the locked read.
void lock_guard_scope_written_outside_bad() {
  Scope s;
  std::thread t([&s] { s.written_outside(true, 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 's' is shared with another thread and written without synchronization: type 'Scope' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-48]]:7: note: by 'Scope::written_outside', which writes 's.written_outside_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-46]]:14: note: by 'Scope::written_outside', which reads 's.written_outside_' here
  // CHECK-MESSAGES: :[[@LINE-40]]:7: note: field 'written_outside_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-52]]:7: note: 'Scope::written_outside' writes 'written_outside_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Scope>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = s.written_outside(false, 0);
  t.join();
}

// --- conditional.cpp: class Conditional --------------------------------------
// A unique_lock temporary lives to the end of its full-expression: the
// write after the `if` is not under the lock. The spawning thread reads
// under the lock, so that only the writer's lock decides.
class Conditional {
public:
  bool owns() { return std::unique_lock<std::mutex>(mu_).owns_lock(); }

  void write_after_owns_call() {
    if (owns()) {
    }
    x_ = 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Conditional::write_after_owns_call' writes 'x_' without holding 'mu_', which 'Conditional::x_locked' holds to read it: 'Conditional' is not thread-safe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE+15]]:12: note: read under 'mu_' here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: hold 'mu_' here too, or declare 'x_' GUARDED_BY(mu_) so that -Wthread-safety checks every access
  }

  void write_after_temporary() {
    if (std::unique_lock<std::mutex>(mu_).owns_lock()) {
    }
    y_ = 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Conditional::write_after_temporary' writes 'y_' without holding 'mu_', which 'Conditional::y_locked' holds to read it: 'Conditional' is not thread-safe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE+10]]:12: note: read under 'mu_' here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: hold 'mu_' here too, or declare 'y_' GUARDED_BY(mu_) so that -Wthread-safety checks every access
  }

  int x_locked() {
    std::lock_guard<std::mutex> g(mu_);
    return x_;
  }
  int y_locked() {
    std::lock_guard<std::mutex> g(mu_);
    return y_;
  }

private:
  int x_ = 1;
  int y_ = 1;
  std::mutex mu_;
};

// RacerD conditional.cpp: Conditional::run_ok / get_x (not reported: the
// lock is released when owns() returns). Concurrently, x is written unlocked.
void conditional_owns_in_callee_bad() {
  Conditional c;
  std::thread t([&c] {
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'c' is shared with another thread and written without synchronization: type 'Conditional' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-37]]:5: note: by 'Conditional::write_after_owns_call', which writes 'c.x_' here
  // CHECK-MESSAGES: :[[@LINE+9]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-22]]:12: note: by 'Conditional::x_locked', which reads 'c.x_' here
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: field 'x_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-41]]:5: note: 'Conditional::write_after_owns_call' writes 'x_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Conditional>', hold one mutex for every access, or give each thread its own copy
    c.write_after_owns_call();
    thread_wrote_now();
  });
  wait_until_thread_wrote();
  volatile int sink = c.x_locked();
  t.join();
}

// RacerD conditional.cpp: Conditional::run_FP / get_y (reported by RacerD,
// which keeps the temporary's lock held at the write: a false positive in
// its own terms). Concurrently, y is written unlocked.
void conditional_temporary_lock_bad() {
  Conditional c;
  std::thread t([&c] {
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'c' is shared with another thread and written without synchronization: type 'Conditional' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-50]]:5: note: by 'Conditional::write_after_temporary', which writes 'c.y_' here
  // CHECK-MESSAGES: :[[@LINE+9]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-40]]:12: note: by 'Conditional::y_locked', which reads 'c.y_' here
  // CHECK-MESSAGES: :[[@LINE-36]]:7: note: field 'y_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-54]]:5: note: 'Conditional::write_after_temporary' writes 'y_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Conditional>', hold one mutex for every access, or give each thread its own copy
    c.write_after_temporary();
    thread_wrote_now();
  });
  wait_until_thread_wrote();
  volatile int sink = c.y_locked();
  t.join();
}

// --- noreturn.cpp: class Noreturn --------------------------------------------
// never_returns() leaves by an exception here (RacerD's is only declared),
// which the thread catches; the writes after it never run.
struct Abandoned {};
[[noreturn]] void never_returns() { throw Abandoned{}; }

class Noreturn {
public:
  int x_unlocked() { return x_; }
  int x_locked() {
    std::lock_guard<std::mutex> g(mu_);
    return x_;
  }

  void write_after_lock_scope() {
    { std::unique_lock<std::mutex> g(mu_); }
    x_ = 0;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'Noreturn::write_after_lock_scope' writes 'x_' without holding 'mu_', which 'Noreturn::x_locked' holds to read it: 'Noreturn' is not thread-safe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-7]]:12: note: read under 'mu_' here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: hold 'mu_' here too, or declare 'x_' GUARDED_BY(mu_) so that -Wthread-safety checks every access
  }

  void indirectly_never_returns() { never_returns(); }

  void may_not_return(bool b) {
    if (b)
      never_returns();
  }

  void never_returns_under_lock() {
    std::unique_lock<std::mutex> g(mu_);
    never_returns();
  }

  void write_after_never_returns_under_lock() {
    never_returns_under_lock();
    x_ = 0;
  }

  void write_after_indirect_never_returns_under_lock() {
    std::unique_lock<std::mutex> g(mu_);
    indirectly_never_returns();
    x_ = 0;
  }

  int y_unlocked() { return y_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: 'Noreturn::y_unlocked' reads 'y_' without holding 'mu_', which 'Noreturn::write_after_may_not_return_under_lock' holds to write it: 'Noreturn' is not thread-safe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+6]]:5: note: written under 'mu_' here
  // CHECK-MESSAGES: :[[@LINE-3]]:29: note: hold 'mu_' here too, or declare 'y_' GUARDED_BY(mu_) so that -Wthread-safety checks every access

  void write_after_may_not_return_under_lock(bool b) {
    std::unique_lock<std::mutex> g(mu_);
    may_not_return(b);
    y_ = 0;
  }

private:
  int x_ = 1;
  int y_ = 1;
  std::mutex mu_;
};

// RacerD noreturn.cpp: Noreturn::write_not_under_lock / get_x_without_lock
// (not reported: neither access is locked). With the spawning thread
// reading under the lock, the write after the guard's scope still races.
void noreturn_write_after_lock_scope_bad() {
  Noreturn n;
  std::thread t([&n] {
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'n' is shared with another thread and written without synchronization: type 'Noreturn' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+7]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-54]]:5: note: by 'Noreturn::write_after_lock_scope', which writes 'n.x_' here
  // CHECK-MESSAGES: :[[@LINE+9]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-61]]:12: note: by 'Noreturn::x_locked', which reads 'n.x_' here
  // CHECK-MESSAGES: :[[@LINE-16]]:7: note: field 'x_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-66]]:29: note: 'Noreturn::x_unlocked' reads 'x_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Noreturn>', hold one mutex for every access, or give each thread its own copy
    n.write_after_lock_scope();
    thread_wrote_now();
  });
  wait_until_thread_wrote();
  volatile int sink = n.x_locked();
  t.join();
}

// RacerD noreturn.cpp: Noreturn::write_after_never_returns_under_lock /
// get_x_without_lock (not reported): the write is unreachable, since
// never_returns_under_lock() always throws (inferred: it is not itself
// [[noreturn]]).
void noreturn_callee_never_returns_ok() {
  Noreturn n;
  std::thread t([&n] {
    try {
      n.write_after_never_returns_under_lock();
    } catch (const Abandoned &) {
    }
  });
  volatile int sink = n.x_unlocked();
  t.join();
}

// RacerD noreturn.cpp: Noreturn::write_after_indirect_never_returns_under_lock
// / get_x_without_lock (not reported): the write is unreachable, one call
// further.
void noreturn_indirect_never_returns_ok() {
  Noreturn n;
  std::thread t([&n] {
    try {
      n.write_after_indirect_never_returns_under_lock();
    } catch (const Abandoned &) {
    }
  });
  volatile int sink = n.x_unlocked();
  t.join();
}

// RacerD noreturn.cpp:
// Noreturn::write_after_call_to_may_never_return_under_lock_bad /
// get_y_without_lock (reported).
void noreturn_may_not_return_bad() {
  Noreturn n;
  std::thread t([&n] { n.write_after_may_not_return_under_lock(false); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'n' is shared with another thread and written without synchronization: type 'Noreturn' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-70]]:5: note: by 'Noreturn::write_after_may_not_return_under_lock', which writes 'n.y_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:23: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-80]]:29: note: by 'Noreturn::y_unlocked', which reads 'n.y_' here
  // CHECK-MESSAGES: :[[@LINE-68]]:7: note: field 'y_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-82]]:29: note: 'Noreturn::y_unlocked' reads 'y_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Noreturn>', hold one mutex for every access, or give each thread its own copy
  volatile int sink = n.y_unlocked();
  t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(unique_lock_guarded_ok) TSAN_ENTRY(unique_lock_deferred_ok)
    TSAN_ENTRY(unique_lock_unlocked_early_bad) TSAN_ENTRY(unique_lock_read_outside_bad)
    TSAN_ENTRY(unique_lock_written_outside_bad) TSAN_ENTRY(unique_lock_try_to_lock_bad)
    TSAN_ENTRY(unique_lock_defer_try_lock_bad) TSAN_ENTRY(lock_guard_scope_guarded_ok)
    TSAN_ENTRY(lock_guard_scope_read_outside_bad)
    TSAN_ENTRY(lock_guard_scope_written_outside_bad)
    TSAN_ENTRY(conditional_owns_in_callee_bad) TSAN_ENTRY(conditional_temporary_lock_bad)
    TSAN_ENTRY(noreturn_write_after_lock_scope_bad)
    TSAN_ENTRY(noreturn_callee_never_returns_ok)
    TSAN_ENTRY(noreturn_indirect_never_returns_ok)
    TSAN_ENTRY(noreturn_may_not_return_bad)};
TSAN_MAIN(entries)
#endif
