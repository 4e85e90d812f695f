// sendsync-escape: every way a thread's handle can leave the function that
// borrowed a local for it (*_bad), and the forms that join in time (*_ok).
// These are lifetime errors (use after scope), found by AddressSanitizer,
// not data races; they are not run under ThreadSanitizer.
// RUN: %check_tidy %s --checks='-*,sendsync-escape' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <future>
#include <pthread.h>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

// Returned as a temporary: the caller joins it after `local` is gone.
std::thread returned_temporary_bad() {
  int local = 0;
  return std::thread([&local] { ++local; });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'local' is a local variable shared by reference with a thread that may outlive it: the thread is returned from the function [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: returned here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'local' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:24: note: join the thread before 'local' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
}

// A future from std::async returned: its wait happens in the caller.
std::future<void> returned_future_bad() {
  int local = 0;
  return std::async(std::launch::async, [&local] { ++local; });
  // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: 'local' is a local variable shared by reference with a thread that may outlive it: the thread is returned from the function [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: returned here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'local' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:43: note: join the thread before 'local' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
}

// The future's value is returned, not the future: get() waits first.
long returned_value_ok() {
  long base = 40;
  std::future<long> f = std::async(std::launch::async, [&base] { return base; });
  return f.get() + 2;
}

// A local future returned: the borrow of `base` outlives the function.
std::future<long> returned_local_future_bad() {
  long base = 40;
  std::future<long> f = std::async(std::launch::async, [&base] { return base; });
  // CHECK-MESSAGES: :[[@LINE-1]]:58: warning: 'base' is a local variable shared by reference with a thread that may outlive it: the thread is returned from the function [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: returned here
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: 'base' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:58: note: join the thread before 'base' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  return f;
}

// Added to the caller's container through a reference parameter.
void caller_container_bad(std::vector<std::thread> &threads) {
  int local = 0;
  threads.emplace_back([&local] { ++local; });
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'local' is a local variable shared by reference with a thread that may outlive it: the thread is stored outside the function [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: stored here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'local' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:26: note: join the thread before 'local' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
}

// The same container, joined before the function returns.
void caller_container_ok(std::vector<std::thread> &threads) {
  int local = 0;
  threads.emplace_back([&local] { ++local; });
  for (std::thread &t : threads)
    t.join();
  threads.clear();
}

struct Service {
  std::unique_ptr<std::thread> worker;
  std::optional<std::thread> maybe;

  // Held by a member smart pointer that outlives the call.
  void member_unique_ptr_bad() {
    int local = 0;
    worker = std::make_unique<std::thread>([&local] { ++local; });
    // CHECK-MESSAGES: :[[@LINE-1]]:46: warning: 'local' is a local variable shared by reference with a thread that may outlive it: the thread is stored outside the function [sendsync-escape]
    // CHECK-MESSAGES: :[[@LINE-2]]:14: note: stored here
    // CHECK-MESSAGES: :[[@LINE-4]]:9: note: 'local' is destroyed at the end of its scope
    // CHECK-MESSAGES: :[[@LINE-4]]:46: note: join the thread before 'local' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  }

  // Emplaced into a member optional.
  void member_optional_bad() {
    int local = 0;
    maybe.emplace([&local] { ++local; });
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'local' is a local variable shared by reference with a thread that may outlive it: the thread is stored outside the function [sendsync-escape]
    // CHECK-MESSAGES: :[[@LINE-2]]:5: note: stored here
    // CHECK-MESSAGES: :[[@LINE-4]]:9: note: 'local' is destroyed at the end of its scope
    // CHECK-MESSAGES: :[[@LINE-4]]:21: note: join the thread before 'local' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  }

  // A value the thread owns may go anywhere.
  void member_by_value_ok() {
    int local = 0;
    worker = std::make_unique<std::thread>([local]() mutable { ++local; });
  }
};

// Returned by value, but borrowing nothing of the function's.
std::thread returned_owning_ok(int start) {
  return std::thread([start]() mutable { ++start; });
}

static void *print_name(void *arg) {
  const char *name = static_cast<const char *>(arg);
  (void)name[0];
  return nullptr;
}

// A local array handed to a pthread that is then detached.
void pthread_detached_bad() {
  char name[16] = "worker";
  pthread_t t;
  pthread_create(&t, nullptr, print_name, name);
  // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: 'name' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-5]]:8: note: 'name' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:43: note: join the thread before 'name' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  pthread_detach(t);
}

void pthread_joined_ok() {
  char name[16] = "worker";
  pthread_t t;
  pthread_create(&t, nullptr, print_name, name);
  pthread_join(t, nullptr);
}
