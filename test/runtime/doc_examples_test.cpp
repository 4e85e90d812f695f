// The examples of docs/runtime/*.md, compiled and run.
//
// Each example below sits between `// [example:NAME]` and `// [end]` and is
// copied verbatim into a ```cpp block of a page in docs/runtime/. The test
// runtime.doc_examples_in_sync (check_doc_examples.cmake) fails if any ```cpp
// block of those pages is not found verbatim in this file, so the two cannot
// drift apart: edit here, then paste into the page.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sendsync/runtime.h"

namespace {

using namespace std::chrono_literals;

// [example:mutex_basic]
std::vector<std::string> mutex_basic() {
  sendsync::Mutex<std::vector<std::string>> names;

  names.lock()->push_back("ada");         // locked for one expression
  {
    auto guard = names.lock();            // locked until `guard` dies
    guard->push_back("grace");
    (*guard)[0] += " lovelace";
  }
  names.with_lock([](std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
  });
  if (auto guard = names.try_lock_for(10ms)) guard->push_back("edsger");

  return std::move(names).into_inner();   // no lock: nobody else has it
}
// [end]

// [example:mutex_threads]
long mutex_threads() {
  sendsync::Mutex<long> counter(0);
  sendsync::scope([&](sendsync::Scope& s) {
    for (int t = 0; t < 4; ++t)
      s.spawn([&] {
        for (int i = 0; i < 1000; ++i) ++*counter.lock();
      });
  });
  return *counter.lock();  // 4000
}
// [end]

// [example:condvar_queue]
struct JobQueue {
  sendsync::Mutex<std::deque<int>> jobs;
  sendsync::Condvar ready;

  void push(int job) {
    jobs.lock()->push_back(job);
    ready.notify_one();
  }

  // Waits up to `timeout` for a job; -1 if none came.
  int pop(std::chrono::milliseconds timeout) {
    auto guard = jobs.lock();
    if (!ready.wait_for(guard, timeout,
                        [](std::deque<int>& q) { return !q.empty(); }))
      return -1;
    int job = guard->front();
    guard->pop_front();
    return job;
  }
};
// [end]

// [example:condvar_wait_while]
// Rust's sense: wait *while* the condition holds.
int condvar_wait_while() {
  sendsync::Mutex<std::deque<int>> jobs;
  sendsync::Condvar ready;
  auto producer = sendsync::spawn([&jobs, &ready] {
    jobs.lock()->push_back(42);
    ready.notify_one();
  });
  auto guard = jobs.lock();
  ready.wait_while(guard, [](std::deque<int>& q) { return q.empty(); });
  int job = guard->front();
  guard->pop_front();
  auto r = ready.wait_timeout_while(guard, 1ms,
                                    [](std::deque<int>& q) { return q.empty(); });
  producer.join();
  return r.timed_out() ? job : -1;  // nothing more came: 42
}
// [end]

// [example:rwlock_basic]
std::string rwlock_basic() {
  sendsync::RwLock<std::map<int, std::string>> table;
  table.write()->emplace(1, "one");
  table.with_write([](auto& m) { m.emplace(2, "two"); });

  auto reader = table.read();             // const std::map<...>&
  // reader->emplace(3, "three");         // error: read access is const
  return reader->at(1) + "," + reader->at(2);
}
// [end]

// [example:channel_basic]
int channel_basic() {
  auto [tx, rx] = sendsync::channel<int>();
  std::vector<sendsync::JoinHandle<void>> producers;
  for (int p = 0; p < 3; ++p)
    producers.push_back(sendsync::spawn([tx = tx, p] {   // each has a Sender
      for (int i = 0; i < 10; ++i) (void)tx.send(p * 10 + i);
    }));
  { auto last = std::move(tx); }  // drop ours: only the producers' remain

  int sum = 0;
  for (int v : rx) sum += v;      // ends when every Sender is gone
  return sum;                     // 0 + 1 + ... + 29 = 435
}
// [end]

// [example:channel_errors]
std::string channel_errors() {
  auto [tx, rx] = sendsync::sync_channel<std::string>(1);
  (void)tx.send("first");

  auto r = tx.try_send("second");          // full: the message comes back
  std::string back = r ? "" : std::move(r.error().value);

  auto timed = rx.recv_timeout(5ms);       // "first" is buffered
  auto empty = rx.try_recv();              // nothing left
  bool was_empty = !empty && empty.error() == sendsync::TryRecvError::empty;

  return back + "," + timed.value() + "," + (was_empty ? "empty" : "?");
}
// [end]

// [example:spsc_basic]
long spsc_basic() {
  auto [tx, rx] = sendsync::spsc_channel<int>(256);
  auto producer = sendsync::spawn([tx = std::move(tx)]() mutable {
    for (int i = 1; i <= 1000; ++i) (void)tx.send(i);
  });                                       // tx dies here: disconnects
  long sum = 0;
  for (int v : rx) sum += v;
  producer.join();
  return sum;                               // 500500
}
// [end]

// [example:select_basic]
// Waits on two channels at once, with a timeout.
std::string select_basic() {
  auto [num_tx, num_rx] = sendsync::channel<int>();
  auto [word_tx, word_rx] = sendsync::sync_channel<std::string>(0);
  auto producer = sendsync::spawn(
      [num_tx = std::move(num_tx), word_tx = std::move(word_tx)] {
        (void)word_tx.send("one");  // rendezvous: waits for the select
        (void)num_tx.send(2);
      });                           // both Senders die here

  sendsync::Select sel;
  const std::size_t num = sel.recv(num_rx);
  const std::size_t word = sel.recv(word_rx);
  std::string log;
  while (sel.size() > 0) {
    auto op = sel.select_timeout(10s);
    if (!op) return "timeout";
    if (op->index() == num) {
      if (auto n = op->recv(num_rx)) log += std::to_string(*n) + " ";
      else sel.remove(num);   // disconnected: stop selecting on it
    } else if (op->index() == word) {
      if (auto w = op->recv(word_rx)) log += *w + " ";
      else sel.remove(word);
    }
  }
  producer.join();
  return log;  // "one 2 ": "one" was taken before 2 was sent
}
// [end]

// [example:channel_try_iter]
// Drains what is buffered now, without blocking.
int channel_try_iter() {
  auto [tx, rx] = sendsync::channel<int>();
  for (int i = 1; i <= 4; ++i) (void)tx.send(i);
  int sum = 0;
  for (int v : rx.try_iter()) sum += v;   // 1 + 2 + 3 + 4, then stops
  return sum;                             // tx still alive: no blocking
}
// [end]

// [example:spawn_basic]
int spawn_basic() {
  auto h = sendsync::spawn([](std::vector<int> v) {
    return std::accumulate(v.begin(), v.end(), 0);
  }, std::vector<int>{1, 2, 3});

  auto failing = sendsync::spawn([]() -> int {
    throw std::runtime_error("no result");
  });
  int fallback = 0;
  try {
    fallback = failing.join();
  } catch (const std::runtime_error&) {
    fallback = -1;                          // the thread's exception
  }
  return h.join() + fallback;               // 6 + -1
}
// [end]

// [example:scope_basic]
long scope_basic() {
  std::vector<int> data(1000, 1);
  long left = 0, right = 0;
  sendsync::scope([&](sendsync::Scope& s) {
    // cbegin/cend: the threads only read `data` (a shared const access).
    s.spawn([&] { left = std::accumulate(data.cbegin(), data.cbegin() + 500, 0L); });
    s.spawn([&] { right = std::accumulate(data.cbegin() + 500, data.cend(), 0L); });
  });                                       // both joined here
  return left + right;                      // 1000
}
// [end]

// [example:pool_basic]
int pool_basic() {
  sendsync::ThreadPool pool(2);
  std::future<int> answer = pool.submit([](int a, int b) { return a * b; }, 6, 7);

  // Pool tasks may outlive this frame as far as the compiler knows: share
  // by shared_ptr, not by reference to a local.
  auto seen = std::make_shared<sendsync::Mutex<std::vector<int>>>();
  for (int i = 0; i < 10; ++i)
    pool.execute([seen, i] { seen->lock()->push_back(i); });
  pool.wait_idle();                         // all ten ran

  return answer.get() + static_cast<int>(seen->lock()->size());  // 52
}
// [end]

// [example:pool_errors]
int pool_errors() {
  sendsync::Mutex<int> failures(0);
  sendsync::ThreadPool pool({.threads = 2,
                             .on_error = [&failures](std::exception_ptr) {
                               ++*failures.lock();
                             }});
  pool.execute([] { throw std::runtime_error("lost? no: counted"); });
  auto f = pool.submit([]() -> int { throw std::runtime_error("in future"); });
  pool.shutdown();                          // runs everything accepted
  try {
    pool.execute([] {});
  } catch (const sendsync::PoolShutdownError&) {
    ++*failures.lock();
  }
  try {
    f.get();
  } catch (const std::runtime_error&) {
    ++*failures.lock();
  }
  return *failures.lock();                  // 3
}
// [end]

// [example:task_basic]
// Runs on a worker: the co_await moves the rest of the body there.
sendsync::Task<long> sum_on_pool(sendsync::ThreadPool& pool,
                                 std::vector<int> values) {
  co_await pool.schedule();
  co_return std::accumulate(values.begin(), values.end(), 0L);
}

// Starts one sum, computes another meanwhile, then waits for the first
// without blocking a thread. Both end on workers, so this continues on one.
sendsync::Task<long> sum_both(sendsync::ThreadPool& pool) {
  sendsync::TaskHandle<long> first = pool.spawn(sum_on_pool(pool, {1, 2, 3}));
  long second = co_await sum_on_pool(pool, {4, 5, 6});
  co_return co_await std::move(first) + second;
}

long task_basic() {
  sendsync::ThreadPool pool(2);
  sendsync::TaskHandle<long> started = pool.spawn(sum_both(pool));  // runs now
  long here = sendsync::block_on(sum_on_pool(pool, {10, 20}));     // waits
  long there = started.join();                                     // 21
  return there + here;                                             // 51
}
// [end]

// [example:task_errors]
sendsync::Task<int> parse(std::string text) {
  if (text.empty()) throw std::invalid_argument("empty input");
  co_return std::stoi(text);
}

sendsync::Task<int> parse_or(std::string text, int fallback) {
  try {
    co_return co_await parse(std::move(text));
  } catch (const std::invalid_argument&) {  // thrown in parse(), caught here
    co_return fallback;
  }
}

int task_errors() {
  sendsync::ThreadPool pool(1);
  sendsync::TaskHandle<int> bad = pool.spawn(parse("x"));  // std::stoi throws
  int failed = 0;
  try {
    bad.join();
  } catch (const std::invalid_argument&) {
    failed = 1;
  }
  return sendsync::block_on(parse_or("", 7)) +
         sendsync::block_on(parse_or("34", 0)) + failed;  // 7 + 34 + 1
}
// [end]

// [example:once_basic]
struct Config {
  std::string name;
};

const Config& global_config() {
  static sendsync::OnceLock<Config> config;
  return config.get_or_init([] { return Config{"default"}; });
}

static const sendsync::LazyLock squares([] {
  std::vector<int> v(10);
  for (int i = 0; i < 10; ++i) v[i] = i * i;
  return v;
});

int once_basic() {
  sendsync::OnceLock<int> cell;
  bool first = cell.set(1);                 // true
  bool second = cell.set(2);                // false: already set
  return *cell.get() + (*squares)[3] + (first && !second) +
         static_cast<int>(global_config().name.size());  // 1 + 9 + 1 + 7
}
// [end]

TEST(DocExamples, mutex) {
  EXPECT_EQ(mutex_basic(),
            (std::vector<std::string>{"ada lovelace", "grace", "edsger"}));
  EXPECT_EQ(mutex_threads(), 4000);
}

TEST(DocExamples, condvar) {
  JobQueue q;
  EXPECT_EQ(q.pop(1ms), -1);
  std::thread t([&q] { q.push(7); });
  EXPECT_EQ(q.pop(10s), 7);
  t.join();
  EXPECT_EQ(condvar_wait_while(), 42);
}

TEST(DocExamples, rwlock) { EXPECT_EQ(rwlock_basic(), "one,two"); }

TEST(DocExamples, channel) {
  EXPECT_EQ(channel_basic(), 435);
  EXPECT_EQ(channel_errors(), "second,first,empty");
  EXPECT_EQ(spsc_basic(), 500500);
  EXPECT_EQ(channel_try_iter(), 10);
}

TEST(DocExamples, select) { EXPECT_EQ(select_basic(), "one 2 "); }

TEST(DocExamples, thread) {
  EXPECT_EQ(spawn_basic(), 5);
  EXPECT_EQ(scope_basic(), 1000);
}

TEST(DocExamples, thread_pool) {
  EXPECT_EQ(pool_basic(), 52);
  EXPECT_EQ(pool_errors(), 3);
}

TEST(DocExamples, task) {
  EXPECT_EQ(task_basic(), 51);
  EXPECT_EQ(task_errors(), 42);
}

TEST(DocExamples, once) { EXPECT_EQ(once_basic(), 18); }

}  // namespace
