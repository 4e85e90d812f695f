// The sendsync::ThreadPool in use: submit functions, collect their results,
// and see one failing task reported without losing the others.
//
// submit() returns a std::future per task. A task that throws stores its
// exception in its own future, so future::get() rethrows it for that task
// alone; the results of the other tasks are unaffected. Results are printed in
// submission order, whatever order the workers finished in. A fire-and-forget
// execute() task that throws goes to the pool's error handler instead, here
// one that counts failures.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <future>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <sendsync/thread_pool.h>

namespace {

// The n-th Fibonacci number; refuses n > 90 (it would overflow int64).
std::int64_t fibonacci(int n) {
  if (n > 90)
    throw std::out_of_range("fibonacci(" + std::to_string(n) +
                            ") overflows int64");
  std::int64_t a = 0, b = 1;
  for (int i = 0; i < n; ++i) {
    std::int64_t next = a + b;
    a = b;
    b = next;
  }
  return a;
}

}  // namespace

int main() {
  // The handler runs on whichever worker ran the failing task, so it counts
  // with an atomic. Declared before the pool, the counter outlives it: the
  // pool's destructor joins the workers first.
  std::atomic<int> unobserved_failures{0};
  sendsync::ThreadPool pool(
      {.threads = 3, .on_error = [&unobserved_failures](std::exception_ptr) {
         unobserved_failures.fetch_add(1);
       }});

  const std::vector<int> inputs = {10, 20, 30, 100, 40, 50};
  std::vector<std::future<std::int64_t>> results;
  for (int n : inputs) results.push_back(pool.submit(fibonacci, n));
  pool.execute([] { throw std::runtime_error("fire-and-forget failure"); });

  std::size_t failed = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    try {
      std::int64_t value = results[i].get();
      std::cout << "fibonacci(" << inputs[i] << ") = " << value << '\n';
    } catch (const std::exception& e) {
      ++failed;
      std::cout << "fibonacci(" << inputs[i] << ") failed: " << e.what()
                << '\n';
    }
  }
  pool.wait_idle();  // the execute()d task has run and been reported
  std::cout << results.size() - failed << " succeeded, " << failed
            << " failed, " << unobserved_failures.load()
            << " reported to the error handler\n";
}
