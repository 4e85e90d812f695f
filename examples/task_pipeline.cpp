// A coroutine pipeline on a sendsync::ThreadPool: the sum of the squares of
// 1..800000, computed by eight pipelines of three stages (load a chunk,
// square it, sum it) that run at once on the pool's workers.
//
// Each stage is a sendsync::Task; a stage awaits the one before it and hands
// its value on, so a pipeline reads as nested calls. `co_await
// pool.schedule()` moves a stage onto a worker. Everything a stage keeps
// across that co_await (here a std::vector) moves to the worker with it, so
// it must be Send; the checker says so for any local that is not (a held
// lock, say). ThreadPool::spawn() starts each pipeline on the pool and gives
// a TaskHandle to its result; a last Task awaits the eight handles in order
// (without blocking a worker) and adds them up. block_on() runs a small
// pipeline, then that sum, to completion from main().
#include <cstdint>
#include <iostream>
#include <numeric>
#include <vector>

#include <sendsync/task.h>
#include <sendsync/thread_pool.h>

namespace {

using Values = std::vector<std::uint64_t>;

// Stage 1, on a worker: the chunk first..last. The range is taken by value:
// a Task keeps its parameters in its frame, and a reference could dangle by
// the time the stage runs.
sendsync::Task<Values> load(sendsync::ThreadPool& pool, std::uint64_t first,
                            std::uint64_t last) {
  co_await pool.schedule();
  Values values(last - first + 1);
  std::iota(values.begin(), values.end(), first);
  co_return values;
}

// Stage 2: squares what stage 1 produced. It hops once more after awaiting
// its input, so that the squaring may run on whichever worker is free; the
// vector travels with it.
sendsync::Task<Values> square(sendsync::ThreadPool& pool,
                              sendsync::Task<Values> input) {
  Values values = co_await std::move(input);
  co_await pool.schedule();
  for (std::uint64_t& v : values) v *= v;
  co_return values;
}

// Stage 3: the sum, on whichever thread stage 2 ended on.
sendsync::Task<std::uint64_t> sum(sendsync::Task<Values> input) {
  const Values values = co_await std::move(input);
  co_return std::accumulate(values.begin(), values.end(), std::uint64_t{0});
}

sendsync::Task<std::uint64_t> pipeline(sendsync::ThreadPool& pool,
                                       std::uint64_t first,
                                       std::uint64_t last) {
  co_return co_await sum(square(pool, load(pool, first, last)));
}

// The reduction: starts one pipeline per chunk of 1..n, then awaits them.
// The handles still to be awaited live across each co_await, so they must be
// Send too (a TaskHandle is, when its value is).
sendsync::Task<std::uint64_t> sum_of_squares(sendsync::ThreadPool& pool,
                                             std::uint64_t n,
                                             std::uint64_t chunks) {
  const std::uint64_t per_chunk = n / chunks;
  std::vector<sendsync::TaskHandle<std::uint64_t>> parts;
  for (std::uint64_t c = 0; c < chunks; ++c)
    parts.push_back(
        pool.spawn(pipeline(pool, c * per_chunk + 1, (c + 1) * per_chunk)));
  std::uint64_t total = 0;
  for (auto& part : parts) total += co_await std::move(part);
  co_return total;
}

}  // namespace

int main() {
  // Outlives every pipeline (block_on() returns once they have all ended):
  // the stages refer to it.
  sendsync::ThreadPool pool(2);

  const std::uint64_t small = sendsync::block_on(pipeline(pool, 1, 10));
  std::cout << "sum of squares of 1..10 = " << small << '\n';

  constexpr std::uint64_t n = 800'000, chunks = 8;
  const std::uint64_t total =
      sendsync::block_on(sum_of_squares(pool, n, chunks));
  const std::uint64_t expected = n * (n + 1) * (2 * n + 1) / 6;
  std::cout << "sum of squares of 1.." << n << " = " << total << " ("
            << chunks << " pipelines; n(n+1)(2n+1)/6 = " << expected << ")\n";
}
