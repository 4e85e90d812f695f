// Argument blocks in C++: each thread runs on a block of its own
// (`std::thread(run, &jobs[i])`) whose pointer members all point at one
// object of the spawner's; writes through them race unless the mutex the
// blocks also point at is held. Each *_ok is silent; each *_bad twin is a
// real race (tsan_confirm.py runs them under ThreadSanitizer).
// RUN: %check_tidy %s --checks='-*,sendsync-shared' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <mutex>
#include <thread>

struct Job {
  int id = 0;
  long *sum = nullptr;
  std::mutex *mu = nullptr;
};

static void run(Job *job) {
  for (int i = 0; i < 1000; ++i)
    *job->sum += job->id;
}

static void run_locked(Job *job) {
  for (int i = 0; i < 1000; ++i) {
    std::lock_guard<std::mutex> hold(*job->mu);
    *job->sum += job->id;
  }
}

void shared_sum_bad() {
  long sum = 0;
  Job jobs[2];
  std::thread ts[2];
  for (int i = 0; i < 2; ++i) {
    jobs[i].id = i;
    jobs[i].sum = &sum;
    ts[i] = std::thread(run, &jobs[i]);
    // CHECK-MESSAGES: :[[@LINE-1]]:30: warning: 'sum' is shared with another thread and written without synchronization: type 'long' is not ThreadSafe [sendsync-shared]
    // CHECK-MESSAGES: :[[@LINE-19]]:6: note: written here in the new thread
    // CHECK-MESSAGES: :[[@LINE-20]]:6: note: written here by every thread this loop starts, concurrently
    // CHECK-MESSAGES: :[[@LINE-4]]:30: note: 'long' is not ThreadSafe: a plain 'long' written from two threads is a data race
    // CHECK-MESSAGES: :[[@LINE-5]]:30: note: make it 'std::atomic<long>', or hold one mutex for every access
  }
  for (std::thread &t : ts)
    t.join();
}

void shared_sum_locked_ok() {
  long sum = 0;
  std::mutex mu;
  Job jobs[2];
  std::thread ts[2];
  for (int i = 0; i < 2; ++i) {
    jobs[i].id = i;
    jobs[i].sum = &sum;
    jobs[i].mu = &mu;
    ts[i] = std::thread(run_locked, &jobs[i]);
  }
  for (std::thread &t : ts)
    t.join();
}

#ifdef SENDSYNC_TSAN_MAIN
#include "../Inputs/tsan_main.h"
static const struct tsan_entry entries[] = {
    TSAN_ENTRY(shared_sum_bad) TSAN_ENTRY(shared_sum_locked_ok)};
TSAN_MAIN(entries)
#endif
