#include <mutex>
#include <thread>

// Wrong on purpose: the lock must be released by the thread that took it.
void hand_off(std::mutex &m) {
  std::unique_lock<std::mutex> lk(m);
  std::thread t([lk = std::move(lk)] {});
  t.join();
}
