// examples/counter.cpp rewritten asynchronously: instead of threads that
// increment one shared counter, tasks on a sendsync::ThreadPool each count
// their own share and return it through a std::future; the main thread adds
// the results.
//
// No counter is shared, so there is nothing to lock: each task's count is
// moved into its future, and future::get() makes it visible to the caller.
// Each task gets everything by value (the pool's tasks may outlive any local
// as far as the compiler can tell), which is what sendsync-send checks at
// submit().
#include <cstddef>
#include <future>
#include <iostream>
#include <vector>

#include <sendsync/thread_pool.h>

namespace {

constexpr int tasks = 8;
constexpr int increments_per_task = 10000;
constexpr std::size_t expected = std::size_t{tasks} * increments_per_task;

// One task's share of the work: counts `n` increments and returns the count.
std::size_t count_to(int n) {
  std::size_t count = 0;
  for (int i = 0; i < n; ++i) ++count;
  return count;
}

}  // namespace

int main() {
  sendsync::ThreadPool pool(4);
  std::vector<std::future<std::size_t>> partial_counts;
  for (int t = 0; t < tasks; ++t)
    partial_counts.push_back(pool.submit(count_to, increments_per_task));

  std::size_t total = 0;
  for (auto& partial : partial_counts) total += partial.get();
  std::cout << "async counter: " << total << " (expected " << expected
            << ")\n";
  return total == expected ? 0 : 1;
}
