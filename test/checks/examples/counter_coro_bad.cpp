// The wrong twin of examples/counter_coro.cpp: each task takes a std::mutex
// on the thread that runs it (here the main thread, through block_on) and
// then hops onto a worker with the guard still alive. The worker that
// resumes the coroutine releases a lock another thread acquired (undefined
// behaviour; ThreadSanitizer reports "unlock of an unlocked mutex (or by a
// wrong thread)"). sendsync-send flags the guard: it is not Send, and it
// lives across a co_await that may resume the coroutine elsewhere.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
#include <iostream>
#include <mutex>

#include <sendsync/task.h>
#include <sendsync/thread_pool.h>

namespace {

constexpr int tasks = 8;
constexpr int increments_per_task = 10000;

sendsync::Task<> count(sendsync::ThreadPool& pool, std::mutex& mu,
                       long& total) {
  std::unique_lock<std::mutex> lock(mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'lock' lives across a suspension point after which the coroutine may run on another thread: type 'std::unique_lock<std::mutex>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: the coroutine may resume on another thread here: awaiter 'sendsync::ScheduleAwaiter' is annotated SENDSYNC_RESUMES_ELSEWHERE
  // CHECK-MESSAGES: :[[@LINE-3]]:32: note: 'std::unique_lock<std::mutex>' is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-4]]:32: note: end its scope before the suspension point (a block around its uses): the lock is then released by the thread that took it
  co_await pool.schedule();
  for (int i = 0; i < increments_per_task; ++i)
    ++total;
}

}  // namespace

int main() {
  sendsync::ThreadPool pool(4);
  std::mutex mu;
  long total = 0;
  for (int t = 0; t < tasks; ++t)
    sendsync::block_on(count(pool, mu, total));  // locks here, unlocks there
  std::cout << "coroutine counter: " << total << "\n";
}
