// The runtime's coroutine layer (sendsync/task.h) seen by the checker: what
// lives across `co_await pool.schedule()`, across awaiting a TaskHandle, and
// across awaiting a Task that hops must be Send; awaiting a Task that never
// hops keeps the coroutine where it is.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <mutex>

#include <sendsync/mutex.h>
#include <sendsync/task.h>
#include <sendsync/thread_pool.h>

std::mutex mu;
long total = 0;

sendsync::Task<long> hops(sendsync::ThreadPool &pool) {
  co_await pool.schedule();
  co_return 1;
}

sendsync::Task<long> stays() { co_return 2; }

sendsync::Task<> across_schedule_bad(sendsync::ThreadPool &pool) {
  std::lock_guard<std::mutex> lock(mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: 'lock' lives across a suspension point after which the coroutine may run on another thread: type 'std::lock_guard<std::mutex>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE+3]]:3: note: the coroutine may resume on another thread here: awaiter 'sendsync::ScheduleAwaiter' is annotated SENDSYNC_RESUMES_ELSEWHERE
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: 'std::lock_guard<std::mutex>' is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-4]]:31: note: end its scope before the suspension point (a block around its uses): the lock is then released by the thread that took it
  co_await pool.schedule();
  ++total;
}

sendsync::Task<> after_schedule_ok(sendsync::ThreadPool &pool) {
  co_await pool.schedule();
  std::lock_guard<std::mutex> lock(mu);
  ++total;
}

sendsync::Task<> across_hopping_child_bad(sendsync::ThreadPool &pool,
                                          sendsync::Mutex<long> &sum) {
  auto guard = sum.lock();
  // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: 'guard' lives across a suspension point after which the coroutine may run on another thread: type 'sendsync::MutexGuard<long>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE+3]]:13: note: the coroutine may resume on another thread here: it awaits 'hops', which may finish on another thread
  // CHECK-MESSAGES: sendsync/mutex.h:{{[0-9]+}}:{{[0-9]+}}: note: 'sendsync::MutexGuard<long>' is marked not Send here
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: end its scope before the suspension point (a block around its uses)
  *guard += co_await hops(pool);
}

sendsync::Task<> across_staying_child_ok(sendsync::Mutex<long> &sum) {
  auto guard = sum.lock();
  *guard += co_await stays();
}

sendsync::Task<> across_handle_bad(sendsync::ThreadPool &pool) {
  sendsync::TaskHandle<long> h = pool.spawn(stays());
  std::unique_lock<std::mutex> lock(mu);
  // CHECK-MESSAGES: :[[@LINE-1]]:32: warning: 'lock' lives across a suspension point after which the coroutine may run on another thread: type 'std::unique_lock<std::mutex>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE+3]]:12: note: the coroutine may resume on another thread here: awaiting 'sendsync::TaskHandle<long>' suspends on awaiter 'sendsync::detail::join_awaiter', which is annotated SENDSYNC_RESUMES_ELSEWHERE
  // CHECK-MESSAGES: :[[@LINE-3]]:32: note: 'std::unique_lock<std::mutex>' is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-4]]:32: note: end its scope before the suspension point (a block around its uses): the lock is then released by the thread that took it
  total += co_await std::move(h);
}

sendsync::Task<> handle_then_lock_ok(sendsync::ThreadPool &pool) {
  sendsync::TaskHandle<long> h = pool.spawn(stays());
  long v = co_await std::move(h);
  std::unique_lock<std::mutex> lock(mu);
  total += v;
}
