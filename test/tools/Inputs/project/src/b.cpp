#include "shared.h"

void b(std::mutex &m) {
  hand_off(m);
  std::unique_lock<std::mutex> mine(m);
  std::thread t([mine = std::move(mine)] {});
  t.join();
}
