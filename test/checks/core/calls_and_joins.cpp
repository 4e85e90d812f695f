// sendsync-shared: `&x` is judged by what the callee does with it, and a
// thread runs beside its spawner only until it is joined on every path.
// Each *_ok is silent; each *_bad twin is a real race (tsan_confirm.py).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <cstdio>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <sendsync/annotations.h>
#include <mutex>
#include <pthread.h>
#include <thread>

bool flag_from_elsewhere();
bool flag_from_elsewhere() { return std::thread::hardware_concurrency() > 0; }

// 6. Taking an address is not a write: the callee decides.
void show(const long *p) { std::printf("%ld\n", *p); }
void note_address(long *p) { (void)p; }
void bump(long *p) { ++*p; }

void address_read_or_untouched_ok() {
  long v = 0;
  std::thread t([&v] { show(&v); });
  note_address(&v);
  std::printf("%p\n", static_cast<void *>(&v));
  t.join();
}

void address_written_by_callee_bad() {
  long v = 0;
  std::thread t([&v] { bump(&v); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'v' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:29: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-15]]:25: note: by 'bump', which writes 'v' here
  // CHECK-MESSAGES: :[[@LINE+4]]:8: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-17]]:25: note: by 'bump', which writes 'v' here
  // CHECK-MESSAGES: :[[@LINE-6]]:19: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: make it 'std::atomic<long>', or hold one mutex for every access
  bump(&v);
  t.join();
}

// A barrier passed by address touches no data of the caller's.
void barrier_address_ok() {
  pthread_barrier_t b;
  pthread_barrier_init(&b, nullptr, 2);
  long v = 0;
  std::thread t([&] {
    v = 1;
    pthread_barrier_wait(&b);
  });
  pthread_barrier_wait(&b);
  t.join();
  v = 2;
  pthread_barrier_destroy(&b);
}

// A function of this file that locks inside: the spawner's call is judged
// by what it does, as the thread's is.
void add_locked(std::mutex &m, long &total) {
  std::lock_guard<std::mutex> g(m);
  ++total;
}
void add_unlocked(long &total) { ++total; }

void callee_locks_ok() {
  std::mutex m;
  long total = 0;
  std::thread t(add_locked, std::ref(m), std::ref(total));
  add_locked(m, total);
  t.join();
}

void callee_does_not_lock_bad() {
  std::mutex m;
  long total = 0;
  std::thread t(add_locked, std::ref(m), std::ref(total));
  // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: 'total' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-17]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:16: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-17]]:36: note: by 'add_unlocked', which writes 'total' here
  // CHECK-MESSAGES: :[[@LINE-5]]:42: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:42: note: make it 'std::atomic<long>', or hold one mutex for every access
  add_unlocked(total);
  t.join();
}

// 7. Joined on every path before the spawner writes.
void joined_on_every_path_ok() {
  long v = 0;
  std::thread t([&v] { ++v; });
  if (flag_from_elsewhere()) {
    t.join();
    v = 1;
  } else {
    t.join();
    v = 2;
  }
}

// Joined on one path only before the write.
void joined_on_one_path_bad() {
  long v = 0;
  bool early = !flag_from_elsewhere();
  std::thread t([&v] { ++v; });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'v' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:26: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:19: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: make it 'std::atomic<long>', or hold one mutex for every access
  if (early)
    t.join();
  v = 1;
  if (!early)
    t.join();
}

// The thread's own future: get() waits for it.
void future_get_ok() {
  long v = 0;
  auto f = std::async(std::launch::async, [&v] { ++v; });
  f.get();
  ++v;
}

// The call whose argument waits: `acc` is named before get() returns, but
// add() runs after it (a callee's access is judged where the call is).
struct Tally {
  long n = 0;
  void add(long k) { n += k; }
};
void callee_after_argument_get_ok() {
  Tally acc;
  auto f = std::async(std::launch::async, [&acc] {
    acc.n = 1;
    return 2L;
  });
  acc.add(f.get());
}

// The twin: add() runs before the wait.
void callee_before_get_bad() {
  Tally acc;
  auto f = std::async(std::launch::async, [&acc] {
  // CHECK-MESSAGES: :[[@LINE-1]]:45: warning: 'acc' is shared with another thread and written without synchronization: type 'Tally' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+5]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+7]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-18]]:22: note: by 'Tally::add', which writes 'acc.n' here
  // CHECK-MESSAGES: :[[@LINE-20]]:8: note: field 'n' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:45: note: wrap it in 'sendsync::Mutex<Tally>', hold one mutex for every access, or give each thread its own copy
    acc.n = 1;
    return 2L;
  });
  acc.add(1);
  f.get();
}

// pthread_join, and pthread_tryjoin_np on the branch where it succeeded.
void *add_one(void *arg) {
  ++*static_cast<long *>(arg);
  return nullptr;
}

void pthread_join_ok() {
  long v = 0;
  pthread_t t;
  pthread_create(&t, nullptr, add_one, &v);
  pthread_join(t, nullptr);
  ++v;
}

void pthread_tryjoin_checked_ok() {
  long v = 0;
  pthread_t t;
  pthread_create(&t, nullptr, add_one, &v);
  while (pthread_tryjoin_np(t, nullptr) != 0)
    std::this_thread::yield();
  ++v;
}

void pthread_write_before_join_bad() {
  long v = 0;
  pthread_t t;
  pthread_create(&t, nullptr, add_one, &v);
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: 'v' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-26]]:26: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:5: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:40: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:40: note: make it 'std::atomic<long>', or hold one mutex for every access
  ++v;
  pthread_join(t, nullptr);
}

// Two threads declared in one statement are two threads.
void two_in_one_statement_ok() {
  std::mutex m;
  long n = 0;
  std::thread a([&] {
    std::lock_guard<std::mutex> g(m);
    ++n;
  }), b([&] {
    std::lock_guard<std::mutex> g(m);
    ++n;
  });
  a.join();
  b.join();
}

void two_in_one_statement_bad() {
  long n = 0;
  std::thread a([&n] { ++n; }), b([&n] { ++n; });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'n' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:26: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:44: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE-4]]:33: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:19: note: make it 'std::atomic<long>', or hold one mutex for every access
  a.join();
  b.join();
}

// An executor whose wait() joins every task it was given (SENDSYNC_JOINS,
// or the JoinFunctions option for executors one cannot annotate).
class Executor {
public:
  void submit(SENDSYNC_CROSSES_THREAD std::function<void()> task) {
    threads_.emplace_back(std::move(task));
  }
  SENDSYNC_JOINS void wait() {
    for (auto &t : threads_)
      t.join();
    threads_.clear();
  }

private:
  std::vector<std::thread> threads_;
};

void executor_joined_ok() {
  long v = 0;
  Executor ex;
  ex.submit([&v] { ++v; });
  ex.wait();
  ++v;
}

void executor_written_before_wait_bad() {
  long v = 0;
  Executor ex;
  ex.submit([&v] { ++v; });
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'v' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:22: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:5: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: make it 'std::atomic<long>', or hold one mutex for every access
  ++v;
  ex.wait();
}

// Arguments forwarded to a constructor (std::forward in a factory of this
// file) are touched as the constructor touches them.
struct Conn {
  explicit Conn(const std::string &h) : host(h) {}
  std::string host;
};
struct Appender {
  explicit Appender(std::string &h) { h += "!"; }
};
template <class T, class... Args> std::unique_ptr<T> make_owned(Args &&...args) {
  return std::unique_ptr<T>(new T(std::forward<Args>(args)...));
}

void forwarded_and_read_ok() {
  std::string host = "localhost";
  std::thread t([&host] { auto c = make_owned<Conn>(host); });
  auto c = make_owned<Conn>(host);
  t.join();
}

void forwarded_and_written_bad() {
  std::string host = "localhost";
  std::thread t([&host] { auto a = make_owned<Appender>(host); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'host' is shared with another thread and written without synchronization: type 'std::basic_string<char>' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:57: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-18]]:39: note: by 'Appender::Appender', which writes 'host' here
  // CHECK-MESSAGES: :[[@LINE+4]]:33: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-20]]:39: note: by 'Appender::Appender', which writes 'host' here
  // CHECK-MESSAGES: :[[@LINE-6]]:19: note: 'std::basic_string<char>' is not ThreadSafe: concurrent non-const use of one object is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: wrap it in 'sendsync::Mutex<std::basic_string<char>>', hold one mutex for every access, or give each thread its own copy
  auto a = make_owned<Appender>(host);
  t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(address_read_or_untouched_ok) TSAN_ENTRY(address_written_by_callee_bad)
    TSAN_ENTRY(barrier_address_ok) TSAN_ENTRY(callee_locks_ok)
    TSAN_ENTRY(callee_does_not_lock_bad) TSAN_ENTRY(joined_on_every_path_ok)
    TSAN_ENTRY(joined_on_one_path_bad) TSAN_ENTRY(future_get_ok)
    TSAN_ENTRY(callee_after_argument_get_ok) TSAN_ENTRY(callee_before_get_bad)
    TSAN_ENTRY(pthread_join_ok) TSAN_ENTRY(pthread_tryjoin_checked_ok)
    TSAN_ENTRY(pthread_write_before_join_bad) TSAN_ENTRY(two_in_one_statement_ok)
    TSAN_ENTRY(two_in_one_statement_bad) TSAN_ENTRY(executor_joined_ok)
    TSAN_ENTRY(executor_written_before_wait_bad) TSAN_ENTRY(forwarded_and_read_ok)
    TSAN_ENTRY(forwarded_and_written_bad)};
TSAN_MAIN(entries)
#endif
