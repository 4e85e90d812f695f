// examples/counter.cpp as coroutines: tasks on a sendsync::ThreadPool each
// hop onto a worker with `co_await pool.schedule()` and add their share to
// one counter inside a sendsync::Mutex<long>.
//
// The lock is taken after the hop, one increment at a time: a guard held
// across a co_await that may resume the coroutine on another worker would
// be released by a thread that never acquired it (undefined behaviour for
// a mutex), which is what the wrong twin,
// test/checks/examples/counter_coro_bad.cpp, does and sendsync-send flags:
// what lives across such a co_await must be Send, as Rust asks of a future
// spawned on a multi-threaded executor.
#include <iostream>
#include <vector>

#include <sendsync/mutex.h>
#include <sendsync/task.h>
#include <sendsync/thread_pool.h>

namespace {

constexpr int tasks = 8;
constexpr int increments_per_task = 10000;
constexpr long expected = long{tasks} * increments_per_task;

sendsync::Task<> count(sendsync::ThreadPool& pool,
                       sendsync::Mutex<long>& total) {
  co_await pool.schedule();  // from here on, on a worker
  for (int i = 0; i < increments_per_task; ++i)
    ++*total.lock();  // the guard dies at the end of the line
}

}  // namespace

int main() {
  sendsync::ThreadPool pool(4);
  sendsync::Mutex<long> total(0);
  std::vector<sendsync::TaskHandle<>> handles;
  for (int t = 0; t < tasks; ++t)
    handles.push_back(pool.spawn(count(pool, total)));
  for (auto& h : handles) h.join();

  long counted = *total.lock();
  std::cout << "coroutine counter: " << counted << " (expected " << expected
            << ")\n";
  return counted == expected ? 0 : 1;
}
