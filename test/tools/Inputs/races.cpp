// Races as SARIF shows them (ci-sarif.test): each access a related location,
// each thread a thread flow.
#include <thread>
#include <vector>

int hits = 0;
void count_hit() { ++hits; }

void two_threads_bad() {
  std::thread a(count_hit);
  std::thread b(count_hit);
  a.join();
  b.join();
}

void spawner_bad() {
  int total = 0;
  std::thread t([&total] { total += 1; });
  total = 5;
  t.join();
}

void add(int &into) { into += 2; }

void loop_bad() {
  int sum = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&sum] { add(sum); });
  for (auto &t : threads)
    t.join();
}

long total = 0;
void bump() { ++total; }
void worker() { bump(); }

void through_a_call_bad() {
  std::thread t(worker);
  total = 0;
  t.join();
}
