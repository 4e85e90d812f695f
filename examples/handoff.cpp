// Handing work to a thread by value.
//
// The job is built here, moved into the worker, and its result comes back
// through a std::future: nothing is shared, so nothing needs a lock. Every
// value that crosses (the vector and the promise) is Send, which is what
// sendsync-send verifies. The wrong twin, test/checks/examples/handoff_bad.cpp,
// moves a held lock into the worker instead.
#include <cstdint>
#include <future>
#include <iostream>
#include <numeric>
#include <thread>
#include <vector>

int main() {
  std::vector<std::int64_t> numbers(100000);
  std::iota(numbers.begin(), numbers.end(), 1);

  std::promise<std::int64_t> result;
  std::future<std::int64_t> sum = result.get_future();
  std::thread worker(
      [numbers = std::move(numbers), result = std::move(result)]() mutable {
        result.set_value(
            std::accumulate(numbers.begin(), numbers.end(), std::int64_t{0}));
      });
  std::cout << "sum of 1..100000 = " << sum.get() << '\n';
  worker.join();
}
