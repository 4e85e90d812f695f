// Threads started on a member function, a function object, or given a
// pointer: what they reach is shared with the spawner and with each other.
// Each *_ok is silent; each *_bad twin is a real race (tsan_confirm.py runs
// them under ThreadSanitizer).
// RUN: %check_tidy %s --checks='-*,sendsync-shared,sendsync-global' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <array>
#include <pthread.h>
#include <mutex>
#include <thread>
#include <vector>

struct Account {
  long balance = 0;
  void deposit(long n) {
    for (int i = 0; i < 1000; ++i)
      balance += n;
  }
};

// Two threads run a member function on one object.
void member_function_bad() {
  Account acct;
  std::thread a(&Account::deposit, &acct, 1), b(&Account::deposit, &acct, 2);
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: 'acct' is shared with another thread and written without synchronization: type 'Account' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE-4]]:47: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-15]]:8: note: field 'balance' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:36: note: wrap it in 'sendsync::Mutex<Account>', hold one mutex for every access, or give each thread its own copy
  a.join();
  b.join();
}

class LockedAccount {
public:
  void deposit(long n) {
    for (int i = 0; i < 1000; ++i) {
      std::lock_guard<std::mutex> g(mu_);
      balance_ += n;
    }
  }
  long balance() {
    std::lock_guard<std::mutex> g(mu_);
    return balance_;
  }

private:
  std::mutex mu_;
  long balance_ = 0;
};

void member_function_ok() {
  LockedAccount acct;
  std::thread a(&LockedAccount::deposit, &acct, 1),
      b(&LockedAccount::deposit, &acct, 2);
  a.join();
  b.join();
  Account own;
  std::thread c(&Account::deposit, &own, 1);
  c.join();
  own.balance += 1;
}

// The member function is run on the object a pointer points to, which the
// spawner writes meanwhile.
void member_function_pointer_bad() {
  Account *acct = new Account;
  std::thread t(&Account::deposit, acct, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: '*acct' is shared with another thread and written without synchronization: type 'Account' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-54]]:7: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-59]]:8: note: field 'balance' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:36: note: wrap it in 'sendsync::Mutex<Account>', hold one mutex for every access, or give each thread its own copy
  acct->balance = 100;
  t.join();
  delete acct;
}

struct Tally {
  long hits = 0;
  void operator()() {
    for (int i = 0; i < 1000; ++i)
      ++hits;
  }
};

// One function object run by two threads through std::ref.
void functor_ref_bad() {
  Tally tally;
  std::thread a(std::ref(tally)), b(std::ref(tally));
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'tally' is shared with another thread and written without synchronization: type 'Tally' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-9]]:9: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-10]]:9: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE-4]]:35: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-15]]:8: note: field 'hits' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:17: note: wrap it in 'sendsync::Mutex<Tally>', hold one mutex for every access, or give each thread its own copy
  a.join();
  b.join();
}

// Each thread runs its own copy of the function object.
void functor_copy_ok() {
  Tally tally;
  std::thread a(tally), b(tally);
  a.join();
  b.join();
  tally.hits += 1;
}

struct Stats {
  long count = 0;
};

void count_into(Stats *s) {
  for (int i = 0; i < 1000; ++i)
    s->count += 1;
}

// A pointer given to two threads: both write what it points to.
void pointer_argument_bad() {
  Stats *s = new Stats;
  std::thread a(count_into, s), b(count_into, s);
  // CHECK-MESSAGES: :[[@LINE-1]]:29: warning: '*s' is shared with another thread and written without synchronization: type 'Stats' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-8]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-9]]:5: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE-4]]:33: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-16]]:8: note: field 'count' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:29: note: wrap it in 'sendsync::Mutex<Stats>', hold one mutex for every access, or give each thread its own copy
  a.join();
  b.join();
  delete s;
}

// A new object for each thread, read after the joins.
void pointer_argument_ok() {
  std::vector<Stats *> all;
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i) {
    Stats *s = new Stats;
    all.push_back(s);
    ts.emplace_back(count_into, s);
  }
  for (std::thread &t : ts)
    t.join();
  long total = 0;
  for (Stats *s : all) {
    total += s->count;
    delete s;
  }
  (void)total;
}

// A pointer captured by copy still points at the spawner's object.
void pointer_capture_bad() {
  Stats *s = new Stats;
  std::thread t([s] { count_into(s); });
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: '*s' is shared with another thread and written without synchronization: type 'Stats' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:34: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-43]]:5: note: by 'count_into', which writes 's->count' here
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-50]]:8: note: field 'count' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:18: note: wrap it in 'sendsync::Mutex<Stats>', hold one mutex for every access, or give each thread its own copy
  s->count = 7;
  t.join();
  delete s;
}

void pointer_capture_ok() {
  Stats *s = new Stats;
  std::thread t([s] { count_into(s); });
  t.join();
  s->count += 7;
  delete s;
}

// Every thread of the loop writes the same element of a std::array.
void std_array_bad() {
  std::array<long, 4> sums{};
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&sums] {
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'sums' is shared with another thread and written without synchronization: type 'std::array<long, 4>' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE+5]]:9: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+4]]:9: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:23: note: 'std::array<long, 4>' is not ThreadSafe: concurrent non-const use of one object is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:23: note: wrap it in 'sendsync::Mutex<std::array<long, 4>>', hold one mutex for every access, or give each thread its own copy
      for (int k = 0; k < 1000; ++k)
        sums[0] += 1;
    });
  for (std::thread &t : ts)
    t.join();
}

void std_array_ok() {
  std::array<long, 4> sums{};
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&sums, i] {
      for (int k = 0; k < 1000; ++k)
        sums[i] += 1;
    });
  for (std::thread &t : ts)
    t.join();
}

static void add_twice(long &n) {
  n += 1;
  n += 1;
}

// Every conflicting access is noted, the first few of them by place.
void many_conflicts_bad() {
  long n = 0;
  std::thread t(add_twice, std::ref(n));
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'n' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-8]]:3: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+11]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE+6]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE+6]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE+6]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-7]]:28: note: and 1 more conflicting access
  // CHECK-MESSAGES: :[[@LINE-8]]:28: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-9]]:28: note: make it 'std::atomic<long>', or hold one mutex for every access
  n = 1;
  n += 2;
  n *= 3;
  n -= 4;
  n = 5;
  t.join();
}

struct Summer {
  long &total;
  int from, to;
  void operator()() const {
    for (int i = from; i < to; ++i)
      total += i;
  }
};

// Function objects passed by value still reach the spawner's local through
// a reference member.
void functor_reference_member_bad() {
  long total = 0;
  std::thread a(Summer{total, 0, 1000}), b(Summer{total, 1000, 2000});
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'total' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:51: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-12]]:7: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE-5]]:42: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-6]]:17: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:17: note: make it 'std::atomic<long>', or hold one mutex for every access
  a.join();
  b.join();
}

struct PartialSummer {
  long *out;
  int from, to;
  void operator()() const {
    long s = 0;
    for (int i = from; i < to; ++i)
      s += i;
    *out = s;
  }
};

// Each function object writes its own slot through its pointer member.
void functor_pointer_member_ok() {
  long first = 0, second = 0;
  std::thread a(PartialSummer{&first, 0, 1000}),
      b(PartialSummer{&second, 1000, 2000});
  a.join();
  b.join();
}

static long progress;

static void download() {
  for (int i = 0; i < 1000; ++i)
    progress += 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'progress' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+19]]:15: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-5]]:13: note: 'download' runs in that thread
    // CHECK-MESSAGES: :[[@LINE+8]]:5: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+18]]:15: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-10]]:13: note: 'progress' is declared here
    // CHECK-MESSAGES: :[[@LINE-7]]:5: note: make it 'std::atomic<long>', 'thread_local', or hold one mutex for every access
}

static void unpack() {
  for (int i = 0; i < 1000; ++i)
    progress += 2;
}

static void report() {}

// Threads started through a function pointer variable run what it holds
// at each start.
void function_pointer_variable_bad() {
  void (*step)() = download;
  std::thread a(step);
  step = unpack;
  std::thread b(step);
  a.join();
  b.join();
}

void function_pointer_variable_ok() {
  void (*step)() = download;
  std::thread a(step);
  step = report;
  std::thread b(step);
  a.join();
  b.join();
}

static void *bump_long(void *arg) {
  for (int i = 0; i < 1000; ++i)
    *static_cast<long *>(arg) += 1;
  return nullptr;
}

// pthread_create in C++: the address of a local, cast to void *.
void pthread_void_argument_bad() {
  long n = 0;
  pthread_t a, b;
  pthread_create(&a, nullptr, bump_long, static_cast<void *>(&n));
  // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: 'n' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-10]]:26: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-11]]:26: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:42: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:42: note: make it 'std::atomic<long>', or hold one mutex for every access
  pthread_create(&b, nullptr, bump_long, static_cast<void *>(&n));
  pthread_join(a, nullptr);
  pthread_join(b, nullptr);
}

void pthread_void_argument_ok() {
  long n = 0, m = 0;
  pthread_t a, b;
  pthread_create(&a, nullptr, bump_long, static_cast<void *>(&n));
  pthread_create(&b, nullptr, bump_long, static_cast<void *>(&m));
  pthread_join(a, nullptr);
  pthread_join(b, nullptr);
}

class Image {
public:
  static constexpr int W = 16, H = 16;
  void paint_rows(int from, int to, int v) {
    for (int r = from; r < to; ++r)
      for (int c = 0; c < W; ++c)
        px_[r * W + c] = v;
  }

private:
  int px_[W * H] = {};
};

// Two threads paint overlapping rows of a member array.
void member_array_bad() {
  Image img;
  std::thread top([&img] { for (int n = 0; n < 2000; ++n) img.paint_rows(0, 10, 1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'img' is shared with another thread and written without synchronization: type 'Image' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:59: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-13]]:9: note: by 'Image::paint_rows', which writes 'img.px_[]' here
  // CHECK-MESSAGES: :[[@LINE+7]]:62: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE-15]]:9: note: by 'Image::paint_rows', which writes 'img.px_[]' here
  // CHECK-MESSAGES: :[[@LINE+5]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-13]]:7: note: field 'px_' has type 'int[256]', which is not ThreadSafe
  // CHECK-MESSAGES: :[[@LINE-14]]:7: note: 'int[256]' is ThreadSafe only if 'int' is ThreadSafe
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-10]]:21: note: wrap it in 'sendsync::Mutex<Image>', hold one mutex for every access, or give each thread its own copy
  std::thread bottom([&img] { for (int n = 0; n < 2000; ++n) img.paint_rows(8, Image::H, 2); });
  top.join();
  bottom.join();
}

// Disjoint rows.
void member_array_ok() {
  Image img;
  std::thread top([&img] { for (int n = 0; n < 100; ++n) img.paint_rows(0, 8, 1); });
  std::thread bottom([&img] { for (int n = 0; n < 2000; ++n) img.paint_rows(8, Image::H, 2); });
  top.join();
  bottom.join();
}

static void add_to(long *n) {
  for (int i = 0; i < 1000; ++i)
    *n += 1;
}

// A local pointer that only ever holds one local's address is that local.
void pointer_to_local_bad() {
  long n = 0;
  long *p = &n;
  std::thread t(add_to, p);
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'n' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-9]]:6: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+13]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE+5]]:30: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE-12]]:6: note: by 'add_to', which writes 'n' here
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-7]]:25: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-8]]:25: note: make it 'std::atomic<long>', or hold one mutex for every access
  std::thread u([p] { add_to(p); });
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'n' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:30: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-19]]:6: note: by 'add_to', which writes 'n' here
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-5]]:18: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:18: note: make it 'std::atomic<long>', or hold one mutex for every access
  n = 5;
  t.join();
  u.join();
}

void pointer_to_local_ok() {
  long n = 0;
  long *p = &n;
  std::thread t(add_to, p);
  t.join();
  n = 5;
}

static long frames;

static void decode() {
  for (int i = 0; i < 1000; ++i)
    frames += 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: global 'frames' is written by another thread while written elsewhere, without a common lock: type 'long' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE+21]]:8: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE-5]]:13: note: 'decode' runs in that thread
    // CHECK-MESSAGES: :[[@LINE+8]]:5: note: written here by another thread
    // CHECK-MESSAGES: :[[@LINE+18]]:8: note: which is started here
    // CHECK-MESSAGES: :[[@LINE-10]]:13: note: 'frames' is declared here
    // CHECK-MESSAGES: :[[@LINE-7]]:5: note: make it 'std::atomic<long>', 'thread_local', or hold one mutex for every access
}

static void render() {
  for (int i = 0; i < 1000; ++i)
    frames -= 1;
}

static void idle() {}

// A thread per entry of a table of functions: each entry may be what a
// thread runs, and the loop's threads run the entries beside each other.
void function_table_bad() {
  void (*stages[])() = {decode, render};
  std::vector<std::thread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back(stages[i]);
  for (std::thread &t : ts)
    t.join();
}

// The loop indexes the table by its induction variable: each entry runs in
// one thread, so decode does not run beside itself.
void function_table_ok() {
  void (*stages[])() = {decode, idle};
  std::vector<std::thread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back(stages[i]);
  for (std::thread &t : ts)
    t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const tsan_entry entries[] = {
    TSAN_ENTRY(member_function_bad) TSAN_ENTRY(member_function_ok)
    TSAN_ENTRY(member_function_pointer_bad) TSAN_ENTRY(functor_ref_bad)
    TSAN_ENTRY(functor_copy_ok) TSAN_ENTRY(pointer_argument_bad)
    TSAN_ENTRY(pointer_argument_ok) TSAN_ENTRY(pointer_capture_bad)
    TSAN_ENTRY(pointer_capture_ok) TSAN_ENTRY(std_array_bad)
    TSAN_ENTRY(std_array_ok) TSAN_ENTRY(many_conflicts_bad)
    TSAN_ENTRY(functor_reference_member_bad)
    TSAN_ENTRY(functor_pointer_member_ok)
    TSAN_ENTRY(function_pointer_variable_bad)
    TSAN_ENTRY(function_pointer_variable_ok)
    TSAN_ENTRY(pthread_void_argument_bad) TSAN_ENTRY(pthread_void_argument_ok)
    TSAN_ENTRY(member_array_bad) TSAN_ENTRY(member_array_ok)
    TSAN_ENTRY(pointer_to_local_bad) TSAN_ENTRY(pointer_to_local_ok)
    TSAN_ENTRY(function_table_bad) TSAN_ENTRY(function_table_ok)};
TSAN_MAIN(entries)
#endif
