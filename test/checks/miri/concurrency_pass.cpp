// Ports of the race-free programs of Miri's tests/pass/concurrency (and the
// race-free schedules of tests/pass/concurrency/data_race.rs) that have a
// natural std::thread form. Each *_ok function must stay silent. Programs
// not ported, and race-free ports the checker flags, are listed in
// docs/miri-ports.md.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | count 0

#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <semaphore>
#include <shared_mutex>
#include <source_location>
#include <string>
#include <thread>
#include <vector>

#include <sendsync/channel.h>

using namespace std::chrono_literals;

// --- data_race.rs ---------------------------------------------------------

// miri: pass/concurrency/data_race.rs (test_multiple_reads)
void multiple_reads_ok() {
  unsigned var = 42;
  unsigned r1 = 0, r2 = 0, r3 = 0, r4 = 0;
  std::thread j1([&var, &r1] { r1 = var; });
  std::thread j2([&var, &r2] { r2 = var; });
  std::thread j3([&var, &r3] { r3 = var; });
  std::thread j4([&var, &r4] { r4 = var; });
  j1.join();
  j2.join();
  j3.join();
  j4.join();
  var = 10;
  (void)(r1 + r2 + r3 + r4 + var);
}

// miri: pass/concurrency/data_race.rs (test_rmw_no_block)
void rmw_no_block_ok() {
  static std::atomic<unsigned> sync{0};
  unsigned a = 0;
  std::thread writer([&a] {
    a = 1;
    sync.store(1, std::memory_order_release);
  });
  std::thread swapper([] { (void)sync.exchange(2, std::memory_order_relaxed); });
  std::thread reader([&a] {
    if (sync.load(std::memory_order_acquire) == 2) {
      unsigned seen = a;
      (void)seen;
    }
  });
  writer.join();
  swapper.join();
  reader.join();
}

// miri: pass/concurrency/data_race.rs (test_simple_release)
void simple_release_ok() {
  static std::atomic<unsigned> sync{0};
  unsigned a = 0;
  std::thread writer([&a] {
    a = 1;
    sync.store(1, std::memory_order_release);
  });
  std::thread reader([&a] {
    if (sync.load(std::memory_order_acquire) == 1) {
      unsigned seen = a;
      (void)seen;
    }
  });
  writer.join();
  reader.join();
}

// miri: pass/concurrency/data_race.rs (test_local_variable_lazy_write)
std::atomic<unsigned char *> lazy_slot{nullptr};
void local_variable_lazy_write_ok() {
  unsigned char val = 0;
  std::thread t([] {
    while (lazy_slot.load(std::memory_order_relaxed) == nullptr) {
    }
    *lazy_slot.load(std::memory_order_relaxed) = 127;
  });
  lazy_slot.store(&val, std::memory_order_relaxed);
  t.join();
  (void)val;
}

// --- simple.rs ------------------------------------------------------------

// miri: pass/concurrency/simple.rs (create_and_detach)
void create_and_detach_ok() { std::thread([] {}).detach(); }

// miri: pass/concurrency/simple.rs (create_and_join)
void create_and_join_ok() { std::thread([] {}).join(); }

// miri: pass/concurrency/simple.rs (create_and_get_result)
// (with a named thread: the one-expression form std::thread(...).join() is
// a false positive, see docs/miri-ports.md)
int create_and_get_result_ok() {
  int nine = 0;
  std::thread t([&nine] { nine = 5 + 4; });
  t.join();
  return nine;
}

// miri: pass/concurrency/simple.rs (create_and_leak_result)
void create_and_leak_result_ok() { std::thread([] { return 7; }).detach(); }

// miri: pass/concurrency/simple.rs (create_nested_and_detach)
void create_nested_and_detach_ok() {
  std::thread([] { std::thread([] {}).detach(); }).detach();
}

// miri: pass/concurrency/simple.rs (create_nested_and_join)
void create_nested_and_join_ok() {
  std::thread nested;
  std::thread outer([&nested] { nested = std::thread([] {}); });
  outer.join();
  nested.join();
}

// miri: pass/concurrency/simple.rs (create_move_in)
void create_move_in_ok() {
  std::string x = "Hello!";
  std::thread([x = std::move(x)] { (void)x.size(); }).join();
}

// miri: pass/concurrency/simple.rs (create_move_out)
std::size_t create_move_out_ok() {
  auto result = std::async(std::launch::async, [] { return std::string("Hello!"); });
  return result.get().size();
}

// miri: pass/concurrency/simple.rs (shared_readonly)
void shared_readonly_ok() {
  auto x = std::make_shared<const int>(42);
  std::thread h([copy = x] { int seen = *copy; (void)seen; });
  int seen = *x;
  (void)seen;
  h.join();
}

// --- scope.rs -------------------------------------------------------------

// miri: pass/concurrency/scope.rs
std::size_t scope_ok() {
  std::vector<int> a{1, 2, 3};
  std::size_t x = 0;
  {
    std::jthread first([&a] { (void)a.size(); });
    std::jthread second([&a, &x] { x += a[0] + a[2]; });
  }
  a.push_back(4);
  return x + a.size();
}

// --- channels.rs (with sendsync's channel, the std::sync::mpsc analogue) ---

// miri: pass/concurrency/channels.rs (simple_send)
void simple_send_ok() {
  auto [tx, rx] = sendsync::channel<int>();
  std::thread t([tx = std::move(tx)] { (void)tx.send(10); });
  auto got = rx.recv();
  (void)got;
  t.join();
}

// miri: pass/concurrency/channels.rs (multiple_send)
void multiple_send_ok() {
  auto [tx, rx] = sendsync::channel<int>();
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i)
    threads.emplace_back([tx = tx, i] { (void)tx.send(i); });
  int sum = 0;
  for (int k = 0; k < 10; ++k)
    if (auto got = rx.recv())
      sum += *got;
  (void)sum;
  for (auto &t : threads)
    t.join();
}

// miri: pass/concurrency/channels.rs (send_on_sync)
void send_on_sync_ok() {
  auto [tx, rx] = sendsync::sync_channel<int>(1);
  (void)tx.send(1);
  std::thread t([tx = std::move(tx)] { (void)tx.send(2); });
  auto first = rx.recv();
  auto second = rx.recv();
  (void)first;
  (void)second;
  t.join();
}

// --- small regression programs --------------------------------------------

// miri: pass/concurrency/concurrent_caller_location.rs
static void where_called(std::source_location loc = std::source_location::current()) {
  (void)loc.line();
}
static void initialize_location() { where_called(); }
void concurrent_caller_location_ok() {
  std::thread j1(initialize_location);
  std::thread j2(initialize_location);
  j1.join();
  j2.join();
}

// miri: pass/concurrency/issue-miri-1643.rs
static void take_callback(std::function<bool()> &) {}
static void initialize_callback() {
  std::function<bool()> cb = [] { return false; };
  take_callback(cb);
}
void issue_miri_1643_ok() {
  std::thread j1(initialize_callback);
  std::thread j2(initialize_callback);
  j1.join();
  j2.join();
}

// miri: pass/concurrency/miri_thread_join_spawned.rs
static void *spin_twice(void *) {
  std::this_thread::yield();
  std::this_thread::yield();
  return nullptr;
}
void miri_thread_join_spawned_ok() {
  pthread_t tid;
  pthread_create(&tid, nullptr, spin_twice, nullptr);
  pthread_join(tid, nullptr);
}

// --- spin_loop.rs, spin_loops_nopreempt.rs --------------------------------

// miri: pass/concurrency/spin_loop.rs (spin)
std::atomic<unsigned> spin_flag{0};
void spin_ok() {
  std::thread waiter([] {
    while (spin_flag.load(std::memory_order_acquire) == 0) {
    }
  });
  std::this_thread::yield();
  spin_flag.store(1, std::memory_order_release);
  waiter.join();
}

// miri: pass/concurrency/spin_loop.rs (two_player_ping_pong)
std::atomic<unsigned> ping_flag{0};
void two_player_ping_pong_ok() {
  std::thread waiter1([] { while (ping_flag.load(std::memory_order_acquire) == 0) {} });
  std::thread waiter2([] { while (ping_flag.load(std::memory_order_acquire) == 0) {} });
  std::thread progress([] { ping_flag.store(1, std::memory_order_release); });
  waiter1.join();
  waiter2.join();
  progress.join();
}

// miri: pass/concurrency/spin_loops_nopreempt.rs (two_player_ping_pong)
std::atomic<unsigned> yield_flag{0};
void two_player_ping_pong_yield_ok() {
  auto wait = [] {
    while (yield_flag.load(std::memory_order_acquire) == 0)
      std::this_thread::yield();
  };
  std::thread waiter1(wait);
  std::thread waiter2(wait);
  std::thread progress([] { yield_flag.store(1, std::memory_order_release); });
  waiter1.join();
  waiter2.join();
  progress.join();
}

// --- sync.rs --------------------------------------------------------------

// miri: pass/concurrency/sync.rs (check_barriers)
void check_barriers_ok() {
  std::barrier<> barrier(10);
  std::vector<std::thread> handles;
  for (int i = 0; i < 10; ++i)
    handles.emplace_back([&barrier] { barrier.arrive_and_wait(); });
  for (auto &h : handles)
    h.join();
}

// miri: pass/concurrency/sync.rs (check_conditional_variables_notify_one)
void notify_one_ok() {
  std::mutex lock;
  std::condition_variable cvar;
  bool started = false;
  std::thread t([&] {
    std::this_thread::yield();
    std::lock_guard<std::mutex> g(lock);
    started = true;
    cvar.notify_one();
  });
  {
    std::unique_lock<std::mutex> g(lock);
    while (!started)
      cvar.wait(g);
  }
  t.join();
}

// miri: pass/concurrency/sync.rs (check_conditional_variables_timed_wait_timeout)
void timed_wait_timeout_ok() {
  std::mutex lock;
  std::condition_variable cvar;
  std::unique_lock<std::mutex> g(lock);
  (void)cvar.wait_for(g, 10ms);
}

// miri: pass/concurrency/sync.rs (check_conditional_variables_timed_wait_notimeout)
void timed_wait_notimeout_ok() {
  std::mutex lock;
  std::condition_variable cvar;
  std::unique_lock<std::mutex> g(lock);
  std::thread notifier([&cvar] {
    std::this_thread::sleep_for(1ms);
    cvar.notify_one();
  });
  (void)cvar.wait_for(g, 4000ms);
  g.unlock();
  notifier.join();
}

// miri: pass/concurrency/sync.rs (check_mutex)
int check_mutex_ok() {
  std::mutex m;
  int data = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&m, &data] {
      std::lock_guard<std::mutex> g(m);
      std::this_thread::yield();
      data += 1;
    });
  for (auto &t : threads)
    t.join();
  return data;
}

// miri: pass/concurrency/sync.rs (check_rwlock_write)
int check_rwlock_write_ok() {
  std::shared_mutex m;
  int data = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&m, &data] {
      std::unique_lock<std::shared_mutex> w(m);
      std::this_thread::yield();
      data += 1;
    });
    threads.emplace_back([&m, &data] {
      std::shared_lock<std::shared_mutex> r(m);
      std::this_thread::yield();
      (void)(data >= 0 && data <= 3);
    });
  }
  for (auto &t : threads)
    t.join();
  return data;
}

// miri: pass/concurrency/sync.rs (check_rwlock_read_no_deadlock)
void check_rwlock_read_no_deadlock_ok() {
  std::shared_mutex l1, l2;
  std::shared_lock<std::shared_mutex> guard1(l1);
  std::thread t([&l1, &l2] {
    std::shared_lock<std::shared_mutex> g2(l2);
    std::this_thread::yield();
    std::shared_lock<std::shared_mutex> g1(l1);
  });
  std::this_thread::yield();
  std::shared_lock<std::shared_mutex> guard2(l2);
  t.join();
}

// miri: pass/concurrency/sync.rs (park_unpark), a binary semaphore per thread
// standing in for its park token
void park_unpark_ok() {
  std::binary_semaphore main_token{0}, t2_token{0};
  std::thread t2([&main_token, &t2_token] {
    t2_token.acquire();
    std::this_thread::sleep_for(10ms);
    main_token.release();
  });
  t2_token.release();
  main_token.acquire();
  t2.join();
}

// --- sync_nopreempt.rs ----------------------------------------------------

// miri: pass/concurrency/sync_nopreempt.rs (check_conditional_variables_notify_all)
void notify_all_ok() {
  std::mutex lock;
  std::condition_variable cvar;
  bool go = false;
  std::vector<std::thread> handles;
  for (int i = 0; i < 5; ++i)
    handles.emplace_back([&] {
      std::unique_lock<std::mutex> g(lock);
      cvar.wait(g, [&go] { return go; });
    });
  {
    std::lock_guard<std::mutex> g(lock);
    go = true;
  }
  cvar.notify_all();
  for (auto &h : handles)
    h.join();
}

// miri: pass/concurrency/sync_nopreempt.rs (check_rwlock_unlock_bug1)
void rwlock_unlock_bug1_ok() {
  std::shared_mutex l;
  int value = 0;
  std::shared_lock<std::shared_mutex> r1(l);
  std::shared_lock<std::shared_mutex> r2(l);
  std::thread t([&l, &value] {
    std::unique_lock<std::shared_mutex> w(l);
    value += 1;
  });
  std::this_thread::yield();
  r1.unlock();
  int seen = value;
  (void)seen;
  r2.unlock();
  t.join();
}

// miri: pass/concurrency/sync_nopreempt.rs (check_rwlock_unlock_bug2)
void rwlock_unlock_bug2_ok() {
  std::shared_mutex l;
  std::shared_lock<std::shared_mutex> r(l);
  std::thread h([&l] { std::unique_lock<std::shared_mutex> w(l); });
  std::this_thread::yield();
  r.unlock();
  h.join();
}

// --- threadname.rs --------------------------------------------------------

// miri: pass/concurrency/threadname.rs
void threadname_ok() {
  std::thread([] {
    char buf[16];
    (void)pthread_getname_np(pthread_self(), buf, sizeof buf);
  }).detach();
  std::string name = "childthread";
  std::thread([name] { (void)pthread_setname_np(pthread_self(), name.c_str()); }).join();
  std::string long_name = "test_named_thread_truncation";
  for (int i = 0; i < 100; ++i)
    long_name += " long";
  std::thread([long_name] {
    (void)pthread_setname_np(pthread_self(), long_name.substr(0, 15).c_str());
  }).join();
}

// --- the ones with shared globals -----------------------------------------

// miri: pass/concurrency/issue-miri-4655-mix-atomic-nonatomic.rs
constexpr std::size_t kSize = 256;
unsigned char filled[kSize];
std::atomic<std::size_t> filled_upto{0};
void issue_miri_4655_ok() {
  std::thread sender([] {
    for (std::size_t i = 0; i < kSize; ++i) {
      filled[i] = 1;
      filled_upto.store(i + 1, std::memory_order_release);
      std::this_thread::yield();
    }
  });
  for (;;) {
    std::size_t i = filled_upto.load(std::memory_order_acquire);
    if (i > 0) {
      unsigned char seen = filled[i - 1];
      (void)seen;
    }
    if (i == kSize)
      break;
    std::this_thread::yield();
  }
  sender.join();
}

// Former false positives, fixed in the analysis.

// miri: pass/concurrency/data_race.rs test_read_read_race1 (an atomic_ref
// load beside a plain read: both read).
void atomic_ref_load_beside_read_ok() {
  unsigned short a = 0;
  std::thread t1([&a] { unsigned short seen = a; (void)seen; });
  std::thread t2([&a] { (void)std::atomic_ref<unsigned short>(a).load(); });
  t1.join();
  t2.join();
}

// miri: pass/concurrency/simple.rs create_and_get_result, in one expression:
// the temporary thread is joined before the statement ends.
int joined_temporary_ok() {
  int nine = 0;
  std::thread([&nine] { nine = 5 + 4; }).join();
  return nine;
}

// miri: pass/concurrency/sync.rs check_once: std::call_once orders the
// initializing write before every return from call_once on the same flag.
std::size_t once_cached_val = 0;
std::once_flag once_cached_flag;
static std::size_t once_get_cached_val() {
  std::call_once(once_cached_flag, [] { once_cached_val = 42; });
  return once_cached_val;
}
void call_once_ok() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i)
    threads.emplace_back([] { (void)once_get_cached_val(); });
  for (auto &t : threads)
    t.join();
}
