// sendsync-escape: references to locals given to threads that may outlive
// them (*_bad), and the joined, scoped and by-value forms that are fine (*_ok).
// RUN: %check_tidy %s --checks='-*,sendsync-escape' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <future>
#include <string>
#include <thread>
#include <vector>

#include <sendsync/annotations.h>

void detached_bad() {
  std::string name = "worker";
  std::thread t([&name] { (void)name.size(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'name' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :{{[0-9]+}}:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'name' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:19: note: join the thread before 'name' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  t.detach();
}

void detached_temporary_bad() {
  int n = 0;
  std::thread([&] { ++n; }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'n' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'n' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:23: note: join the thread before 'n' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
}

std::thread returned_bad() {
  int local = 0;
  std::thread t([&local] { ++local; });
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'local' is a local variable shared by reference with a thread that may outlive it: the thread is returned from the function [sendsync-escape]
  // CHECK-MESSAGES: :{{[0-9]+}}:3: note: returned here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'local' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:19: note: join the thread before 'local' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  return t;
}

struct Service {
  std::thread worker;
  std::vector<std::thread> pool;
  void start_bad() {
    int config = 1;
    worker = std::thread([&config] { (void)config; });
  // CHECK-MESSAGES: :[[@LINE-1]]:28: warning: 'config' is a local variable shared by reference with a thread that may outlive it: the thread is stored outside the function [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:14: note: stored here
  // CHECK-MESSAGES: :[[@LINE-4]]:9: note: 'config' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:28: note: join the thread before 'config' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  }
  void stored_bad() {
    int config = 2;
    std::thread t([&config] { (void)config; });
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'config' is a local variable shared by reference with a thread that may outlive it: the thread is stored outside the function [sendsync-escape]
  // CHECK-MESSAGES: :{{[0-9]+}}:20: note: stored here
  // CHECK-MESSAGES: :[[@LINE-4]]:9: note: 'config' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:21: note: join the thread before 'config' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
    pool.push_back(std::move(t));
  }
  void this_capture_ok() {
    // Members live as long as the object, which joins in its destructor.
    worker = std::thread([this] { (void)pool.size(); });
  }
  ~Service() {
    if (worker.joinable())
      worker.join();
    for (auto &t : pool)
      t.join();
  }
};

std::future<int> future_returned_bad() {
  int x = 1;
  auto f = std::async(std::launch::async, [&x] { return x; });
  // CHECK-MESSAGES: :[[@LINE-1]]:45: warning: 'x' is a local variable shared by reference with a thread that may outlive it: the thread is returned from the function [sendsync-escape]
  // CHECK-MESSAGES: :{{[0-9]+}}:3: note: returned here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'x' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:45: note: join the thread before 'x' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  return f;
}

struct Executor {
  template <class F> void post(SENDSYNC_CROSSES_THREAD F &&f) { (void)f; }
  template <class F> void run_all(SENDSYNC_CROSSES_THREAD_SCOPED F &&f) { (void)f; }
};
void executor_bad(Executor &ex) {
  int local = 0;
  ex.post([&local] { ++local; });
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'local' is a local variable shared by reference with a thread that may outlive it: the thread is started with no handle to join [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: started here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'local' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: join the thread before 'local' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
}

// ---- Fine. ----
void joined_ok() {
  std::string name = "worker";
  std::thread t([&name] { (void)name.size(); });
  t.join();
}

void jthread_ok() {
  int n = 0;
  std::jthread t([&n] { ++n; });
}

void by_value_detached_ok() {
  std::string name = "worker";
  std::thread([name] { (void)name.size(); }).detach();
}

void scoped_ok(Executor &ex) {
  int local = 0;
  ex.run_all([&local] { ++local; });
}

void async_waited_ok() {
  int x = 1;
  auto f = std::async(std::launch::async, [&x] { return x; });
  (void)f.get();
}

void reference_parameter_ok(std::string &owned_by_caller) {
  // The caller's object: its lifetime is the caller's to know.
  std::thread([&owned_by_caller] { (void)owned_by_caller; }).detach();
}
