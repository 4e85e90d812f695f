// Every row of the standard-library model, each with a Send twin that must
// stay silent and a not-Send twin that must be flagged.
// RUN: %check_tidy %s --checks='-*,sendsync-send' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <any>
#include <array>
#include <atomic>
#include <barrier>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <latch>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <set>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include <sendsync/annotations.h>

struct SENDSYNC_NOT_SEND Local { int v = 0; };
struct SENDSYNC_NOT_SYNC Cell { int v = 0; };

template <class T> void run(T &&value) {
  std::thread t([](auto) {}, std::forward<T>(value));
  t.join();
}

void containers_ok() {
  std::vector<int> v;
  std::thread t1([v] {});
  std::deque<std::string> d;
  std::thread t2([d] {});
  std::map<int, std::list<int>> m;
  std::thread t3([m] {});
  std::unordered_map<std::string, std::set<int>> u;
  std::thread t4([u] {});
  std::optional<int> o;
  std::variant<int, double> va;
  std::tuple<int, std::string> tu;
  std::pair<int, int> p;
  std::array<int, 4> a{};
  std::thread t5([o, va, tu, p, a] {});
  t1.join(); t2.join(); t3.join(); t4.join(); t5.join();
}

void containers_bad() {
  std::vector<Local> v;
  std::thread t1([v] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'v' cannot be sent to another thread: type 'std::vector<Local>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::vector<Local>' is Send only if 'Local' is Send
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Local' is marked not Send here
  std::map<int, Local> m;
  std::thread t2([m] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'm' cannot be sent to another thread: type 'std::map<int, Local>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::map<int, Local>' is Send only if 'Local' is Send
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Local' is marked not Send here
  std::optional<Local> o;
  std::thread t3([o] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'o' cannot be sent to another thread: type 'std::optional<Local>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::optional<Local>' is Send only if 'Local' is Send
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Local' is marked not Send here
  std::tuple<int, Local> tu;
  std::thread t4([tu] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'tu' cannot be sent to another thread: type 'std::tuple<int, Local>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::tuple<int, Local>' is Send only if 'Local' is Send
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Local' is marked not Send here
  t1.join(); t2.join(); t3.join(); t4.join();
}

void unique_ptr_rows() {
  auto ok = std::make_unique<int>(1);
  std::thread t1([p = std::move(ok)] {});
  auto bad = std::make_unique<Local>();
  std::thread t2([p = std::move(bad)] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'p' cannot be sent to another thread: type 'std::unique_ptr<Local>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::unique_ptr<Local>' is Send only if 'Local' is Send
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Local' is marked not Send here
  t1.join(); t2.join();
}

void shared_ptr_rows() {
  auto ok = std::make_shared<const int>(1);
  std::weak_ptr<int> w;
  std::thread t1([ok, w] {});
  auto bad = std::make_shared<Cell>();
  std::thread t2([bad] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'bad' cannot be sent to another thread: type 'std::shared_ptr<Cell>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::shared_ptr<Cell>' is Send only if 'Cell' is Send and Sync
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Cell' is marked not Sync here
  std::weak_ptr<Cell> wbad;
  std::thread t3([wbad] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'wbad' cannot be sent to another thread: type 'std::weak_ptr<Cell>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::weak_ptr<Cell>' is Send only if 'Cell' is Send and Sync
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Cell' is marked not Sync here
  t1.join(); t2.join(); t3.join();
}

void borrow_rows(const std::vector<int> &data, Cell &cell) {
  std::span<const int> s(data);
  std::string_view sv = "text";
  auto r = std::cref(data);
  std::thread t1([s, sv, r] {});
  std::thread t2([](std::reference_wrapper<Cell>) {}, std::ref(cell));
  // CHECK-MESSAGES: :[[@LINE-1]]:55: warning: argument 2 cannot be sent to another thread: type 'std::reference_wrapper<Cell>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:55: note: 'std::reference_wrapper<Cell>' is Send only if 'Cell' is Sync
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Cell' is marked not Sync here
  std::span<Cell> sc(&cell, 1);
  std::thread t3([sc] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'sc' cannot be sent to another thread: type 'std::span<Cell>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::span<Cell>' is Send only if 'Cell' is Sync
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Cell' is marked not Sync here
  t1.join(); t2.join(); t3.join();
}

// Synchronization primitives are Send, Sync and ThreadSafe; by pointer they
// can be handed to a thread freely.
void synchronizers_ok(std::mutex &m, std::shared_mutex &sm,
                      std::condition_variable &cv, std::once_flag &once,
                      std::latch &l, std::barrier<> &b,
                      std::counting_semaphore<4> &sem, std::atomic<int> &a,
                      std::atomic_flag &f) {
  std::stop_source src;
  std::stop_token tok = src.get_token();
  std::thread t([pm = &m, psm = &sm, pcv = &cv, po = &once, pl = &l, pb = &b,
                 ps = &sem, pa = &a, pf = &f, src, tok] {});
  t.join();
}

void guards_bad(std::mutex &m, std::shared_mutex &sm) {
  std::unique_lock<std::mutex> lk(m);
  std::thread t1([](std::unique_lock<std::mutex>) {}, std::move(lk));
  // CHECK-MESSAGES: :[[@LINE-1]]:55: warning: argument 2 'lk' cannot be sent to another thread: type 'std::unique_lock<std::mutex>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:55: note: 'std::unique_lock<std::mutex>' is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-4]]:55: note: acquire the lock inside the new thread instead of passing it in
  std::shared_lock<std::shared_mutex> sl(sm);
  std::thread t2([sl = std::move(sl)] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'sl' cannot be sent to another thread: type 'std::shared_lock<std::shared_mutex>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::shared_lock<std::shared_mutex>' is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-4]]:19: note: acquire the lock inside the new thread instead of passing it in
  t1.join(); t2.join();
}

void guards_ok(std::mutex &m) {
  // Locking inside the thread is the fix.
  std::thread t([&m] { std::lock_guard<std::mutex> g(m); });
  t.join();
}

void threads_ok() {
  std::thread inner([] {});
  std::thread t([inner = std::move(inner)]() mutable { inner.join(); });
  t.join();
}

void futures_rows() {
  std::promise<int> p;
  std::future<int> f = p.get_future();
  std::thread t1([p = std::move(p)]() mutable { p.set_value(1); });
  std::shared_future<int> sf = f.share();
  std::thread t2([sf] { sf.get(); });
  std::promise<Local> pl;
  std::thread t3([pl = std::move(pl)] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'pl' cannot be sent to another thread: type 'std::promise<Local>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::promise<Local>' is Send only if 'Local' is Send
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Local' is marked not Send here
  std::packaged_task<Local()> task;
  std::thread t4([task = std::move(task)] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'task' cannot be sent to another thread: type 'std::packaged_task<Local ()>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::packaged_task<Local ()>' is Send only if 'Local' is Send
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Local' is marked not Send here
  std::shared_future<Cell> sfc;
  std::thread t5([sfc] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'sfc' cannot be sent to another thread: type 'std::shared_future<Cell>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'std::shared_future<Cell>' is Send only if 'Cell' is Send and Sync
  // CHECK-MESSAGES: :{{[0-9]+}}:8: note: 'Cell' is marked not Sync here
  t1.join(); t2.join(); t3.join(); t4.join(); t5.join();
}

void type_erased_ok() {
  // Assumed Send by default: the target type is erased.
  std::function<void()> fn = [] {};
  std::any any = 1;
  std::thread t([fn, any] {});
  t.join();
}

// enable_shared_from_this's mutable weak_ptr is set once, before the object
// can be shared: a shared_ptr to such a class is Send when the class is.
struct Session : std::enable_shared_from_this<Session> {
  std::weak_ptr<Session> peer;
};
void shared_from_this_ok() {
  auto s = std::make_shared<Session>();
  std::thread t([s] { (void)s->shared_from_this(); });
  t.join();
}
