#include <thread>

int c() {
  int v = 0;
  std::thread t([v] { (void)v; });
  t.join();
  return v;
}
