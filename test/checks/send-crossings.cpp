// Every kind of crossing: std::thread, std::jthread, std::async (with and
// without a launch policy), pthread_create, annotated parameters (plain,
// scoped, packs, members, constructors), functors, function pointers and
// member function pointers.
// RUN: %check_tidy %s --checks='-*,sendsync-send' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <functional>
#include <future>
#include <memory>
#include <vector>
#include <pthread.h>
#include <thread>
#include <utility>

#include <sendsync/annotations.h>

class SENDSYNC_NOT_SEND Handle { int fd = 0; };

void use(Handle) {}

void std_crossings() {
  Handle h;
  std::thread t1(use, h);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: argument 2 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-9]]:7: note: 'Handle' is marked not Send here
  std::jthread t2([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:16: note: required because 'std::jthread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-13]]:7: note: 'Handle' is marked not Send here
  auto f1 = std::async([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:13: note: required because 'std::async' may run its callable and arguments on a new thread
  // CHECK-MESSAGES: :[[@LINE-17]]:7: note: 'Handle' is marked not Send here
  auto f2 = std::async(std::launch::async, use, h);
  // CHECK-MESSAGES: :[[@LINE-1]]:49: warning: argument 3 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:13: note: required because 'std::async' may run its callable and arguments on a new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  t1.join();
}

void *worker(void *arg) { return arg; }
void pthread_crossing() {
  pthread_t tid;
  int arg = 0;
  pthread_create(&tid, nullptr, worker, &arg);
  pthread_join(tid, nullptr);
}

// Functors: the callable object itself is sent.
struct Task {
  Handle h;
  void operator()() const {}
};
struct GoodTask {
  int n;
  void operator()() const {}
};
void functors() {
  std::thread t1(Task{});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: callable cannot be sent to another thread: type 'Task' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-11]]:10: note: field 'h' has type 'Handle', which is not Send
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  std::thread t2(GoodTask{1});
  t1.join(); t2.join();
}

// Member function pointers: the object argument is sent.
struct Widget {
  Handle h;
  void run() {}
};
struct GoodWidget {
  int n;
  void run() {}
};
void member_pointers(Widget w, GoodWidget g) {
  std::thread t1(&Widget::run, w);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: argument 2 'w' cannot be sent to another thread: type 'Widget' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-11]]:10: note: field 'h' has type 'Handle', which is not Send
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  std::thread t2(&GoodWidget::run, g);
  std::thread t3(&Widget::run, &w); // a pointer shares; sendsync-shared's job
  t1.join(); t2.join(); t3.join();
}

// A user's executor, annotated as the runtime's are.
struct Executor {
  template <class F> void post(SENDSYNC_CROSSES_THREAD F &&f) { (void)f; }
  template <class F, class... Args>
  void spawn(SENDSYNC_CROSSES_THREAD F &&f, SENDSYNC_CROSSES_THREAD Args &&...args) {}
  template <class F> void run_scoped(SENDSYNC_CROSSES_THREAD_SCOPED F &&f) { (void)f; }
  void local(std::function<void()> f); // not a crossing
};
void annotated(Executor &ex) {
  Handle h;
  ex.post([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-10]]:60: note: required by this parameter of 'Executor::post', which runs its argument on another thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  ex.spawn(use, 1, h);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: argument 3 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-12]]:79: note: required by this parameter of 'Executor::spawn', which moves its argument to another thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  ex.run_scoped([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-15]]:73: note: required by this parameter of 'Executor::run_scoped', which runs its argument on another thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  ex.local([h] {});
}

// Annotated free functions and constructors.
void submit(int priority, SENDSYNC_CROSSES_THREAD std::function<void()> task);
struct Worker {
  template <class F> explicit Worker(SENDSYNC_CROSSES_THREAD F f) { (void)f; }
};
void annotated_free() {
  Handle h;
  submit(1, [h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-8]]:73: note: required by this parameter of 'submit', which runs its argument on another thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  Worker w([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-10]]:64: note: required by this parameter of 'Worker::Worker', which runs its argument on another thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  Worker ok([] {});
}

// Threads the standard library builds from the user's arguments.
void emplaced() {
  Handle h;
  std::vector<std::thread> threads;
  threads.emplace_back([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:11: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  threads.emplace(threads.begin(), use, h);
  // CHECK-MESSAGES: :[[@LINE-1]]:41: warning: argument 3 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:11: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  std::vector<std::jthread> jthreads;
  jthreads.emplace_back([n = 1] {});
  auto p = std::make_unique<std::thread>([h] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: capture 'h' cannot be sent to another thread: type 'Handle' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :{{[0-9]+}}:7: note: 'Handle' is marked not Send here
  for (auto &t : threads)
    t.join();
  p->join();
}

// NOLINT suppresses one finding.
void suppressed() {
  Handle h;
  std::thread t([h] {}); // NOLINT(sendsync-send)
  // NOLINTNEXTLINE(sendsync-send)
  std::thread t2([h] {});
  t.join(); t2.join();
}
