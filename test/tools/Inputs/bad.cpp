#include <mutex>
#include <thread>
void f(std::mutex &m) {
  std::unique_lock<std::mutex> lk(m);
  std::thread t([lk = std::move(lk)] {});
  t.join();
}
