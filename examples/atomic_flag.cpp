// One thread raises a flag; another waits for it and then prints a message.
//
// The flag is a std::atomic<bool>. The writer prepares a value, then stores
// `true` with release ordering and wakes the waiter; the reader blocks in
// std::atomic::wait (no busy spinning) until the flag changes, and its
// acquire load guarantees it also sees the value written before the flag.
//
// The wrong twin, test/checks/examples/atomic_flag_bad.cpp,
// uses a plain `bool`: the reader's loop races with the write, and the
// compiler may hoist the load so the loop never ends.
#include <atomic>
#include <iostream>
#include <string>

#include <sendsync/thread.h>

int main() {
  std::atomic<bool> ready{false};
  std::string message;  // written before `ready`, read after it

  sendsync::scope([&](sendsync::Scope& s) {
    s.spawn([&ready, &message] {
      ready.wait(false, std::memory_order_acquire);  // sleeps while false
      std::cout << "flag seen: " << message << '\n';
    });
    s.spawn([&ready, &message] {
      message = "the answer is 42";
      ready.store(true, std::memory_order_release);
      ready.notify_one();
    });
  });
}
