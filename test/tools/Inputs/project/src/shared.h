// Included by two translation units: its finding must be reported once.
#pragma once
#include <mutex>
#include <thread>

inline void hand_off(std::mutex &m) {
  std::unique_lock<std::mutex> lk(m);
  std::thread t([lk = std::move(lk)] {});
  t.join();
}
