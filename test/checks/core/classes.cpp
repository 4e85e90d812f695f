// sendsync-shared on classes that synchronize themselves (model rule 4b):
// a private lock member taken by every member function, calls judged by
// what the callee touches, atomic members. Each *_ok is silent; each *_bad
// twin is a real race (test/checks/core/tsan_confirm.py runs them all under
// ThreadSanitizer: every *_bad races, no *_ok does).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

// 1. A class with a private mutex that every member function takes.
class Counter {
public:
  void add() {
    std::lock_guard<std::mutex> g(mu_);
    ++n_;
  }
  int get() {
    std::lock_guard<std::mutex> g(mu_);
    return n_;
  }

private:
  std::mutex mu_;
  int n_ = 0;
};

void locked_class_by_reference_ok() {
  Counter c;
  std::thread t([&c] { c.add(); });
  c.add();
  (void)c.get();
  t.join();
}

void locked_class_shared_ptr_ok() {
  auto c = std::make_shared<Counter>();
  std::thread t([c] { c->add(); });
  c->add();
  t.join();
}

// get() reads without the lock: the class breaks its own rule.
class LeakyCounter {
public:
  void add() {
    std::lock_guard<std::mutex> g(mu_);
    ++n_;
  }
  int get() { return n_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: 'LeakyCounter::get' reads 'n_' without holding 'mu_', which 'LeakyCounter::add' holds to write it: 'LeakyCounter' is not thread-safe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: written under 'mu_' here
  // CHECK-MESSAGES: :[[@LINE-3]]:22: note: hold 'mu_' here too, or declare 'n_' GUARDED_BY(mu_) so that -Wthread-safety checks every access

private:
  std::mutex mu_;
  int n_ = 0;
};

void locked_class_by_reference_bad() {
  LeakyCounter c;
  std::thread t([&c] { c.add(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'c' is shared with another thread and written without synchronization: type 'LeakyCounter' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: by 'LeakyCounter::add', which writes 'c.n_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:9: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-17]]:22: note: by 'LeakyCounter::get', which reads 'c.n_' here
  // CHECK-MESSAGES: :[[@LINE-11]]:7: note: field 'n_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-19]]:22: note: 'LeakyCounter::get' reads 'n_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<LeakyCounter>', hold one mutex for every access, or give each thread its own copy
  (void)c.get();
  t.join();
}

void locked_class_shared_ptr_bad() {
  auto c = std::make_shared<LeakyCounter>();
  std::thread t([c] { c->add(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: the object 'c' points to is shared with every other copy of the 'std::shared_ptr' and written in another thread: type 'LeakyCounter' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:23: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-32]]:7: note: by 'LeakyCounter::add', which writes 'c->n_' here
  // CHECK-MESSAGES: :[[@LINE-24]]:7: note: field 'n_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-32]]:22: note: 'LeakyCounter::get' reads 'n_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-6]]:18: note: share it as 'std::shared_ptr<const LeakyCounter>' and keep what changes in a 'sendsync::Mutex', or give the thread its own copy
  (void)c->get();
  t.join();
}

// The same class through `this`: a member function starts the thread.
class Server {
public:
  void run() {
    std::thread t([this] { bump(); });
    bump();
    t.join();
  }

private:
  void bump() {
    std::lock_guard<std::mutex> g(mu_);
    ++hits_;
  }
  std::mutex mu_;
  long hits_ = 0;
};

void locked_class_this_ok() {
  Server s;
  s.run();
}

class SloppyServer {
public:
  void run() {
    std::thread t([this] { bump(); });
    // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'hits_' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:28: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+11]]:7: note: by 'SloppyServer::bump', which writes 'hits_' here
    // CHECK-MESSAGES: :[[@LINE+3]]:7: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-5]]:20: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-6]]:20: note: make it 'std::atomic<long>', or hold one mutex for every access
    ++hits_;
    t.join();
  }

private:
  void bump() {
    std::lock_guard<std::mutex> g(mu_);
    ++hits_;
  }
  std::mutex mu_;
  long hits_ = 0;
};

void locked_class_this_bad() {
  SloppyServer s;
  s.run();
}

// A member function that hands out a reference to the guarded data.
class Registry {
public:
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }
  std::vector<int> &items() { return items_; }
  // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: 'Registry::items' reads 'items_' without holding 'mu_', which 'Registry::add' holds to write it: 'Registry' is not thread-safe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-4]]:5: note: written under 'mu_' here
  // CHECK-MESSAGES: :[[@LINE-3]]:38: note: hold 'mu_' here too, or declare 'items_' GUARDED_BY(mu_) so that -Wthread-safety checks every access

private:
  std::mutex mu_;
  std::vector<int> items_;
};

void returns_reference_bad() {
  Registry r;
  std::thread t([&r] { r.add(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'r' is shared with another thread and written without synchronization: type 'Registry' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-17]]:5: note: by 'Registry::add', which writes 'r.items_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: read here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-17]]:38: note: by 'Registry::items', which reads 'r.items_' here
  // CHECK-MESSAGES: :[[@LINE-11]]:20: note: field 'items_' has type 'std::vector<int>', which is not ThreadSafe: concurrent non-const use of one object is a data race
  // CHECK-MESSAGES: :[[@LINE-19]]:38: note: 'Registry::items' reads 'items_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<Registry>', hold one mutex for every access, or give each thread its own copy
  r.items().push_back(2);
  t.join();
}

// 1b. A call touches what the callee touches: listen() in one thread,
// stop() and ready() in another, all on atomics.
class Listener {
public:
  void listen() {
    ready_.store(true);
    while (!stopping_.load())
      std::this_thread::yield();
  }
  void stop() { stopping_.store(true); }
  bool ready() const { return ready_.load(); }

private:
  std::atomic<bool> ready_{false};
  std::atomic<bool> stopping_{false};
  int port_ = 8080;
};

void calls_touch_atomics_ok() {
  Listener l;
  std::thread t([&l] { l.listen(); });
  while (!l.ready())
    std::this_thread::yield();
  l.stop();
  t.join();
}

struct PlainListener {
  void listen() {
    while (!stopping)
      std::this_thread::yield();
  }
  void stop() { stopping = true; }
  volatile bool stopping = false;
};

void calls_touch_plain_bad() {
  PlainListener l;
  std::thread t([&l] { l.listen(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'l' is shared with another thread and written without synchronization: type 'PlainListener' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: read here in the new thread
  // CHECK-MESSAGES: :[[@LINE-12]]:13: note: by 'PlainListener::listen', which reads 'l.stopping' here
  // CHECK-MESSAGES: :[[@LINE+4]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-11]]:17: note: by 'PlainListener::stop', which writes 'l.stopping' here
  // CHECK-MESSAGES: :[[@LINE-11]]:17: note: field 'stopping' has type 'bool', which is not ThreadSafe: a plain 'bool' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-7]]:19: note: wrap it in 'sendsync::Mutex<PlainListener>', hold one mutex for every access, or give each thread its own copy
  l.stop();
  t.join();
}

// 2. A struct with a mutex beside its data: every access under s.mu, by
// reference and through a shared_ptr (c->m is one lock on both sides).
struct Account {
  std::mutex mu;
  long balance = 0;
};

void mutex_beside_data_ok() {
  Account a;
  std::thread t([&a] {
    std::lock_guard<std::mutex> g(a.mu);
    a.balance += 10;
  });
  {
    std::lock_guard<std::mutex> g(a.mu);
    a.balance -= 5;
  }
  t.join();
}

void mutex_beside_data_shared_ptr_ok() {
  auto a = std::make_shared<Account>();
  std::thread t([a] {
    std::lock_guard<std::mutex> g(a->mu);
    a->balance += 10;
  });
  {
    std::lock_guard<std::mutex> g(a->mu);
    a->balance -= 5;
  }
  t.join();
}

void mutex_beside_data_bad() {
  Account a;
  std::mutex other;
  std::thread t([&a] {
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'a' is shared with another thread and written without synchronization: type 'Account' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+6]]:5: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+9]]:5: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-36]]:8: note: field 'balance' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-37]]:8: note: 'balance' is public: code outside 'Account' can use it without a lock
  // CHECK-MESSAGES: :[[@LINE-6]]:19: note: wrap it in 'sendsync::Mutex<Account>', hold one mutex for every access, or give each thread its own copy
    std::lock_guard<std::mutex> g(a.mu);
    a.balance += 10;
  });
  {
    std::lock_guard<std::mutex> g(other);
    a.balance -= 5;
  }
  t.join();
}

// 3. An atomic member is touched alone, never "the whole struct".
volatile long observed; // keeps a read that is otherwise discarded
struct Stats {
  std::atomic<long> total{0};
  long limit = 100;
};

void atomic_member_ok() {
  Stats s;
  std::thread t([&s] { s.total.fetch_add(1); });
  s.total.fetch_add(1);
  t.join();
}

void atomic_member_beside_plain_bad() {
  Stats s;
  std::thread t([&s] {
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 's' is shared with another thread and written without synchronization: type 'Stats' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE+5]]:16: note: read here in the new thread
  // CHECK-MESSAGES: :[[@LINE+6]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-16]]:8: note: field 'limit' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: wrap it in 'sendsync::Mutex<Stats>', hold one mutex for every access, or give each thread its own copy
    s.total.fetch_add(1);
    observed = s.limit;
  });
  s.limit = 50;
  t.join();
}

// 4. Distinct fields do not conflict.
struct Pair {
  long left = 0;
  long right = 0;
};

void distinct_fields_ok() {
  Pair p;
  std::thread t([&p] { p.left = 1; });
  p.right = 2;
  t.join();
}

void same_field_bad() {
  Pair p;
  std::thread t([&p] { p.left = 1; });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'p' is shared with another thread and written without synchronization: type 'Pair' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-17]]:8: note: field 'left' has type 'long', which is not ThreadSafe: a plain 'long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: wrap it in 'sendsync::Mutex<Pair>', hold one mutex for every access, or give each thread its own copy
  p.left = 2;
  t.join();
}

// A class whose locking is inconsistent but that no thread of this file
// uses: setting up before sharing (leveldb's LRUCache::SetCapacity) is
// common, so its locking is judged only once it is seen crossing.
class Cache {
public:
  void set_capacity(long c) { capacity_ = c; }
  long capacity() {
    std::lock_guard<std::mutex> g(mu_);
    return capacity_;
  }

private:
  std::mutex mu_;
  long capacity_ = 0;
};

void inconsistent_but_never_shared_ok() {
  Cache c;
  c.set_capacity(10);
  observed = c.capacity();
}

// A test fixture's SetUp() is its constructor by another name.
struct FixtureBase {
  virtual ~FixtureBase() = default;
  virtual void SetUp() {}
};
class EventsFixture : public FixtureBase {
public:
  void SetUp() override { events_.clear(); }
  void send(int e) {
    std::lock_guard<std::mutex> g(mu_);
    events_.push_back(e);
  }

private:
  std::mutex mu_;
  std::vector<int> events_;
};

void fixture_set_up_ok() {
  EventsFixture f;
  f.SetUp();
  std::thread t([&f] { f.send(1); });
  f.send(2);
  t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(locked_class_by_reference_ok) TSAN_ENTRY(locked_class_shared_ptr_ok)
    TSAN_ENTRY(locked_class_by_reference_bad) TSAN_ENTRY(locked_class_shared_ptr_bad)
    TSAN_ENTRY(locked_class_this_ok) TSAN_ENTRY(locked_class_this_bad)
    TSAN_ENTRY(returns_reference_bad) TSAN_ENTRY(calls_touch_atomics_ok)
    TSAN_ENTRY(calls_touch_plain_bad) TSAN_ENTRY(mutex_beside_data_ok)
    TSAN_ENTRY(mutex_beside_data_shared_ptr_ok) TSAN_ENTRY(mutex_beside_data_bad)
    TSAN_ENTRY(atomic_member_ok) TSAN_ENTRY(atomic_member_beside_plain_bad)
    TSAN_ENTRY(distinct_fields_ok) TSAN_ENTRY(same_field_bad)
    TSAN_ENTRY(inconsistent_but_never_shared_ok) TSAN_ENTRY(fixture_set_up_ok)};
TSAN_MAIN(entries)
#endif
