// sendsync-shared: objects shared by reference and written without
// synchronization (*_bad), and the idioms that must stay silent (*_ok).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <pthread.h>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include <sendsync/annotations.h>

#if defined(__clang__)
#define GUARDED_BY(x) __attribute__((guarded_by(x)))
#else
#define GUARDED_BY(x)
#endif

// Two threads increment one plain int.
void counter_two_threads_bad() {
  int counter = 0;
  std::thread a([&] { ++counter; });
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'counter' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:25: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:25: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:25: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:25: note: make it 'std::atomic<int>', or hold one mutex for every access
  std::thread b([&] { ++counter; });
  a.join();
  b.join();
}

// Threads spawned by one loop are several threads.
void counter_loop_bad() {
  int counter = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&counter] { counter += 1; });
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'counter' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:39: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE-3]]:39: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:28: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:28: note: make it 'std::atomic<int>', or hold one mutex for every access
  for (auto &t : threads)
    t.join();
}

// The spawning thread writes while the thread reads.
void spawner_writes_bad() {
  std::string message = "hello";
  std::thread t([&message] { (void)message.size(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'message' is shared with another thread and written without synchronization: type 'std::basic_string<char>' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:36: note: read here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:19: note: 'std::basic_string<char>' is not ThreadSafe: concurrent non-const use of one object is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: wrap it in 'sendsync::Mutex<std::basic_string<char>>', hold one mutex for every access, or give each thread its own copy
  message = "changed";
  t.join();
}

// std::ref and &x share too.
void by_ref_argument_bad() {
  int total = 0;
  std::thread t([](int &n) { n = 42; }, std::ref(total));
  // CHECK-MESSAGES: :[[@LINE-1]]:41: warning: 'total' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:30: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:41: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:41: note: make it 'std::atomic<int>', or hold one mutex for every access
  total = 1;
  t.join();
}

// pthread_create's void* followed through the cast in the thread function.
void *add_one(void *arg) {
  int *n = static_cast<int *>(arg);
  *n += 1;
  return nullptr;
}
void pthread_bad() {
  int shared = 0;
  pthread_t tid;
  pthread_create(&tid, nullptr, add_one, &shared);
  // CHECK-MESSAGES: :[[@LINE-1]]:42: warning: 'shared' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-8]]:4: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:42: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:42: note: make it 'std::atomic<int>', or hold one mutex for every access
  shared = 5;
  pthread_join(tid, nullptr);
}

// Two different mutexes are no common lock.
void different_mutexes_bad() {
  std::mutex m1, m2;
  int n = 0;
  std::thread t([&] {
    std::lock_guard<std::mutex> g(m1);
    ++n;
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'n' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:7: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+6]]:7: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:7: note: make it 'std::atomic<int>', or hold one mutex for every access
  });
  {
    std::lock_guard<std::mutex> g(m2);
    ++n;
  }
  t.join();
}

// Not Sync: a class with a mutable cache read from two threads.
struct Cached {
  int key = 0;
  mutable int hits = 0;
  int get() const { ++hits; return key; }
};
void not_sync_bad() {
  Cached c;
  std::thread t([&c] { (void)c.get(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'c' is shared with another thread by reference, but type 'Cached' is not Sync [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:30: note: used here in the new thread
  // CHECK-MESSAGES: :[[@LINE-7]]:36: note: by 'Cached::get', which reads 'c.key' here
  // CHECK-MESSAGES: :[[@LINE-9]]:15: note: mutable field 'hits' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  (void)c.get();
  t.join();
}

// ---- The idioms that must stay silent. ----

void mutex_counter_ok() {
  std::mutex m;
  int counter = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      std::lock_guard<std::mutex> g(m);
      ++counter;
    });
  for (auto &t : threads)
    t.join();
}

void lock_unlock_pairs_ok() {
  std::mutex m;
  int counter = 0;
  std::thread t([&] {
    m.lock();
    ++counter;
    m.unlock();
  });
  m.lock();
  ++counter;
  m.unlock();
  t.join();
}

void atomic_counter_ok() {
  std::atomic<int> counter{0};
  std::thread a([&] { counter.fetch_add(1); });
  std::thread b([&] { ++counter; });
  a.join();
  b.join();
}

void condvar_handoff_ok() {
  std::mutex m;
  std::condition_variable cv;
  bool ready = false;
  int payload = 0;
  std::thread consumer([&] {
    std::unique_lock<std::mutex> lk(m);
    cv.wait(lk, [&] { return ready; });
    (void)payload;
  });
  {
    std::lock_guard<std::mutex> g(m);
    payload = 42;
    ready = true;
  }
  cv.notify_one();
  consumer.join();
}

void distinct_slots_ok() {
  std::vector<int> results(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&results, i] { results[i] = i * i; });
  for (auto &t : threads)
    t.join();
  int sum = 0;
  for (int r : results)
    sum += r;
  (void)sum;
}

void write_then_read_after_join_ok() {
  int result = 0;
  std::thread t([&result] { result = 42; });
  t.join();
  result += 1;
}

void jthread_scope_ok() {
  int result = 0;
  {
    std::jthread t([&result] { result = 42; });
  }
  result += 1;
}

void read_only_sharing_ok() {
  const std::vector<int> data{1, 2, 3};
  std::string name = "x";
  std::thread a([&] { (void)data.size(); (void)name.size(); });
  std::thread b([&] { (void)data[0]; (void)name.empty(); });
  (void)name.length();
  a.join();
  b.join();
}

struct Worker {
  std::mutex m;
  int processed GUARDED_BY(m) = 0;
  std::atomic<bool> stop{false};
  std::thread thread;
  void start() {
    thread = std::thread([this] {
      while (!stop) {
        std::lock_guard<std::mutex> g(m);
        ++processed;
      }
    });
  }
  ~Worker() {
    stop = true;
    if (thread.joinable())
      thread.join();
  }
};

void shared_mutex_readers_ok() {
  std::shared_mutex m;
  int value = 0;
  std::thread r([&] {
    std::shared_lock<std::shared_mutex> g(m);
    (void)value;
  });
  {
    std::unique_lock<std::shared_mutex> g(m);
    value = 1;
  }
  r.join();
}

// Elements: a vector of atomics is written element-wise safely; distinct
// slots picked by a thread argument are fine; vector<bool> packs its
// elements into shared words, so distinct indices still race.
void atomic_elements_ok() {
  std::vector<std::atomic<int>> hits(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&hits](int k) { hits[k % 8].fetch_add(1); }, i);
  for (auto &t : threads)
    t.join();
}

void slots_by_thread_argument_ok() {
  std::vector<int> out(4);
  std::vector<std::thread> threads(4);
  for (int i = 0; i < 4; ++i)
    threads[i] = std::thread([&out, &threads](int k) {
      out[k] = static_cast<int>(threads.size()) * k;
    }, i);
  for (int i = 0; i < 4; ++i)
    threads[i].join();
}

void vector_bool_bad() {
  std::vector<bool> done(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&done, i] { done[i] = true; });
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'done' is shared with another thread and written without synchronization: type 'std::vector<bool>' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-2]]:39: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE-3]]:39: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:28: note: 'std::vector<bool>' is not ThreadSafe: concurrent non-const use of one object is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:28: note: wrap it in 'sendsync::Mutex<std::vector<bool>>', hold one mutex for every access, or give each thread its own copy
  for (auto &t : threads)
    t.join();
}

// The thread function locks the mutex it was given by reference: the
// spawner's own mutex, so both sides hold one lock.
void add_locked(std::mutex &mu, int &total, int c) {
  std::lock_guard<std::mutex> g(mu);
  total += c;
}

void lock_passed_by_reference_ok() {
  std::mutex mu;
  int total = 0;
  std::thread t(add_locked, std::ref(mu), std::ref(total), 1);
  {
    std::lock_guard<std::mutex> g(mu);
    total += 2;
  }
  t.join();
}

void lock_passed_by_reference_other_mutex_bad() {
  std::mutex mu, other;
  int total = 0;
  std::thread t(add_locked, std::ref(mu), std::ref(total), 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: 'total' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-19]]:3: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+5]]:5: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-4]]:43: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:43: note: make it 'std::atomic<int>', or hold one mutex for every access
  {
    std::lock_guard<std::mutex> g(other);
    total += 2;
  }
  t.join();
}

// Work distribution: each thread takes the next index from an atomic
// counter, so no two threads (or iterations) get the same element.
void slots_by_atomic_ticket_ok() {
  std::vector<int> out(64);
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&out, &next] {
      for (std::size_t i; (i = next++) < out.size();)
        out[i] = static_cast<int>(i);
      std::size_t j = next.fetch_add(1);
      if (j < out.size())
        out[j] = 0;
    });
  for (auto &t : threads)
    t.join();
}

// Not a ticket: a load gives every thread the same index, and an index
// that is a ticket once but then stepped by hand can meet another's.
void slots_by_shared_load_bad() {
  std::vector<int> out(64);
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&out, &next] {
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'out' is shared with another thread and written without synchronization: type 'std::vector<int>' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE+5]]:7: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+4]]:7: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:28: note: 'std::vector<int>' is not ThreadSafe: concurrent non-const use of one object is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:28: note: wrap it in 'sendsync::Mutex<std::vector<int>>', hold one mutex for every access, or give each thread its own copy
      std::size_t i = next.load();
      out[i] = 1;
    });
  for (auto &t : threads)
    t.join();
}

void slots_by_stepped_ticket_bad() {
  std::vector<int> out(64);
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&out, &next] {
    // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'out' is shared with another thread and written without synchronization: type 'std::vector<int>' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE+6]]:7: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE+5]]:7: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:28: note: 'std::vector<int>' is not ThreadSafe: concurrent non-const use of one object is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:28: note: wrap it in 'sendsync::Mutex<std::vector<int>>', hold one mutex for every access, or give each thread its own copy
      std::size_t i = next++;
      ++i;
      out[i] = 1;
    });
  for (auto &t : threads)
    t.join();
}

// Borrowed exclusively (nothing else touches it until the join): Send is
// what it needs, not Sync.
struct SENDSYNC_NOT_SYNC Receiver { int next() { return 1; } };
struct SENDSYNC_NOT_SEND Affine { int get() const { return 0; } };
void exclusive_borrow_ok() {
  Receiver rx;
  std::thread t([&rx] { (void)rx.next(); });
  t.join();
}
void exclusive_borrow_of_thread_affine_bad() {
  Affine a;
  std::thread t([&a] { (void)a.get(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'a' is used by another thread through a reference, but type 'Affine' is not Send [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:30: note: used here in the new thread
  // CHECK-MESSAGES: :[[@LINE-11]]:8: note: 'Affine' is marked not Send here
  t.join();
}

// A copied shared_ptr shares its pointee with every other copy.
struct Config { int retries = 0; };
void shared_ptr_pointee_bad() {
  auto cfg = std::make_shared<Config>();
  std::thread t([cfg] { cfg->retries = 3; });
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: the object 'cfg' points to is shared with every other copy of the 'std::shared_ptr' and written in another thread: type 'Config' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:25: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-6]]:21: note: field 'retries' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-4]]:18: note: share it as 'std::shared_ptr<const Config>' and keep what changes in a 'sendsync::Mutex', or give the thread its own copy
  t.join();
}
void shared_ptr_to_const_ok() {
  auto cfg = std::make_shared<const Config>();
  std::thread t([cfg] { (void)cfg->retries; });
  t.join();
}
void shared_ptr_pointee_read_ok() {
  auto cfg = std::make_shared<Config>();
  std::thread t([cfg] { (void)cfg->retries; });
  t.join();
}
void shared_ptr_to_atomic_ok() {
  auto hits = std::make_shared<std::atomic<int>>(0);
  std::thread t([hits] { hits->fetch_add(1); });
  t.join();
}

// A compiled library's class: atomic state, and member functions defined in
// another translation unit. What they do with the atomics cannot be seen
// here; like a class with a lock, it is taken to keep its discipline there
// (docs/model.md, rule 4b).
class io_context_like {
public:
  void run();
  void post(int job);

private:
  std::atomic<int> state_{0};
  int pending_[4];
  int count_ = 0;
};

void library_class_with_atomics_ok(io_context_like &io) {
  std::thread t([&io] { io.run(); });
  io.post(1);
  t.join();
}

// The same shape with no atomic and no lock: nothing says it synchronizes.
class plain_context {
public:
  void run();
  void post(int job);

private:
  int pending_[4];
  int count_ = 0;
};

void library_class_plain_bad(plain_context &io) {
  std::thread t([&io] { io.run(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'io' is shared with another thread and written without synchronization: type 'plain_context' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:25: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-8]]:7: note: field 'count_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: wrap it in 'sendsync::Mutex<plain_context>', hold one mutex for every access, or give each thread its own copy
  io.post(1);
  t.join();
}

// A work-stealing deque: the owner pushes and pops at one end without the
// lock, ordering its slots through acquire/release indices; thieves take
// the lock at the other end. Its unlocked uses are coordinated by the
// atomics, as in a lock-free class (docs/model.md, rule 4b).
class steal_deque {
public:
  void push(int v) {
    unsigned h = head_.load(std::memory_order_relaxed);
    slots_[h % 64] = v;
    head_.store(h + 1, std::memory_order_release);
  }
  bool steal(int &out) {
    std::lock_guard<std::mutex> g(mu_);
    unsigned t = tail_.load(std::memory_order_relaxed);
    if (t == head_.load(std::memory_order_acquire))
      return false;
    out = slots_[t % 64];
    tail_.store(t + 1, std::memory_order_release);
    return true;
  }

private:
  std::mutex mu_;
  std::atomic<unsigned> head_{0}, tail_{0};
  int slots_[64] = {};
};

void work_stealing_deque_ok(steal_deque &d) {
  std::thread thief([&d] {
    int v;
    d.steal(v);
  });
  d.push(1);
  thief.join();
}

// A lock beside a statistics counter: the counter's relaxed increment
// orders nothing, so the unlocked write beside it is a race.
class counted_cache {
public:
  void put_unlocked(int k) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    last_ = k;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'counted_cache::put_unlocked' writes 'last_' without holding 'mu_', which 'counted_cache::get' holds to read it: 'counted_cache' is not thread-safe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE+5]]:12: note: read under 'mu_' here
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: hold 'mu_' here too, or declare 'last_' GUARDED_BY(mu_) so that -Wthread-safety checks every access
  }
  int get() {
    std::lock_guard<std::mutex> g(mu_);
    return last_;
  }

private:
  std::mutex mu_;
  std::atomic<long> hits_{0};
  int last_ = 0;
};

void lock_beside_relaxed_counter_bad(counted_cache &c) {
  std::thread t([&c] { c.put_unlocked(1); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'c' is shared with another thread and written without synchronization: type 'counted_cache' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:24: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE-20]]:5: note: by 'counted_cache::put_unlocked', which writes 'c.last_' here
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-22]]:5: note: by 'counted_cache::put_unlocked', which writes 'c.last_' here
  // CHECK-MESSAGES: :[[@LINE-10]]:7: note: field 'last_' has type 'int', which is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-24]]:5: note: 'counted_cache::put_unlocked' writes 'last_' without holding 'mu_'
  // CHECK-MESSAGES: :[[@LINE-8]]:19: note: wrap it in 'sendsync::Mutex<counted_cache>', hold one mutex for every access, or give each thread its own copy
  c.put_unlocked(2);
  t.join();
}
