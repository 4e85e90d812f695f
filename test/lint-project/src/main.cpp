#include <mutex>

int sum_in_thread(int n);
void hand_off(std::mutex &m);

int main() {
  std::mutex m;
  hand_off(m);
  return sum_in_thread(3) == 6 ? 0 : 1;
}
