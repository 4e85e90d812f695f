// Ports of the racy programs of Miri's tests/fail/data_race that have a
// natural std::thread form. Each *_bad function must be flagged. Miri tests
// the design cannot catch, or that have no C++ form, are listed with the
// reason in docs/miri-ports.md.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

// miri: fail/data_race/read_write_race.rs
void read_write_race_bad() {
  unsigned a = 0;
  std::thread reader([](unsigned *p) { unsigned seen = *p; (void)seen; }, &a);
  // CHECK-MESSAGES: :[[@LINE-1]]:75: warning: 'a' is shared with another thread and written without synchronization: type 'unsigned int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:57: note: read here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:41: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:75: note: 'unsigned int' is not ThreadSafe: a plain 'unsigned int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:75: note: make it 'std::atomic<unsigned int>', or hold one mutex for every access
  std::thread writer([](unsigned *p) { *p = 64; }, &a);
  reader.join();
  writer.join();
}

// miri: fail/data_race/write_write_race.rs
void write_write_race_bad() {
  unsigned a = 0;
  std::thread first([](unsigned *p) { *p = 32; }, &a);
  // CHECK-MESSAGES: :[[@LINE-1]]:51: warning: 'a' is shared with another thread and written without synchronization: type 'unsigned int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:40: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:41: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:51: note: 'unsigned int' is not ThreadSafe: a plain 'unsigned int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:51: note: make it 'std::atomic<unsigned int>', or hold one mutex for every access
  std::thread second([](unsigned *p) { *p = 64; }, &a);
  first.join();
  second.join();
}

// miri: fail/data_race/enable_after_join_to_main.rs
void enable_after_join_to_main_bad() {
  std::thread t1([] {}), t2([] {}), t3([] {}), t4([] {});
  t1.join();
  t2.join();
  t3.join();
  t4.join();
  unsigned a = 0;
  std::thread first([&a] { a = 32; });
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'a' is shared with another thread and written without synchronization: type 'unsigned int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:28: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:29: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:23: note: 'unsigned int' is not ThreadSafe: a plain 'unsigned int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:23: note: make it 'std::atomic<unsigned int>', or hold one mutex for every access
  std::thread second([&a] { a = 64; });
  first.join();
  second.join();
}

// miri: fail/data_race/dangling_thread_race.rs
void dangling_thread_race_bad() {
  unsigned a = 0;
  std::thread([&a] { a = 32; }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'a' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-4]]:12: note: 'a' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:17: note: join the thread before 'a' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  // CHECK-MESSAGES: :[[@LINE-5]]:17: warning: 'a' is shared with another thread and written without synchronization: type 'unsigned int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-6]]:22: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+5]]:3: note: written here by the spawning thread while the new thread may still run
  // CHECK-MESSAGES: :[[@LINE-8]]:17: note: 'unsigned int' is not ThreadSafe: a plain 'unsigned int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-9]]:17: note: make it 'std::atomic<unsigned int>', or hold one mutex for every access
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::thread([] {}).join();
  a = 64;
}

// miri: fail/data_race/dangling_thread_async_race.rs
void dangling_thread_async_race_bad() {
  unsigned a = 0;
  std::thread([&a] { a = 32; }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'a' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-4]]:12: note: 'a' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:17: note: join the thread before 'a' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  // CHECK-MESSAGES: :[[@LINE-5]]:17: warning: 'a' is shared with another thread and written without synchronization: type 'unsigned int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-6]]:22: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+6]]:27: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+5]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-9]]:17: note: 'unsigned int' is not ThreadSafe: a plain 'unsigned int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-10]]:17: note: make it 'std::atomic<unsigned int>', or hold one mutex for every access
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::thread([] {}).join();
  std::thread late([&a] { a = 64; });
  late.join();
}

// miri: fail/data_race/stack_pop_race.rs
void stack_pop_race_bad(int local) {
  std::thread([&local] { int seen = local; (void)seen; }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'local' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-4]]:29: note: 'local' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:17: note: join the thread before 'local' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  std::this_thread::yield();
}

// miri: fail/data_race/fence_after_load.rs
void fence_after_load_bad() {
  static unsigned V = 0;
  auto flag = std::make_shared<std::atomic<unsigned long>>(0);
  auto flag2 = flag;
  std::thread([flag2] {
    V = 1;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: static local 'V' is written by another thread while written elsewhere, without a common lock: type 'unsigned int' is not ThreadSafe [sendsync-global]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the thread is started here
    // CHECK-MESSAGES: :[[@LINE+8]]:3: note: written here by the spawning thread while the new thread may still run
    // CHECK-MESSAGES: :[[@LINE-8]]:19: note: 'V' is declared here
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: make it 'std::atomic<unsigned int>', 'thread_local', or hold one mutex for every access
    flag2->store(1);
  }).detach();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::atomic_thread_fence(std::memory_order_seq_cst);
  (void)flag->load(std::memory_order_relaxed);
  V = 2;
}

// The six atomic/non-atomic mixes. Miri's programs make the object atomic and
// reach it non-atomically through a cast or get_mut; C++'s std::atomic has no
// non-atomic accessor, so the ports make the object plain and reach it
// atomically through std::atomic_ref, keeping which thread does what.

// miri: fail/data_race/atomic_read_na_write_race1.rs
void atomic_read_na_write_race1_bad() {
  unsigned long a = 0;
  std::thread plain([&a] { a = 32; });
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'a' is shared with another thread and written without synchronization: type 'unsigned long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:28: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:66: note: read here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:23: note: 'unsigned long' is not ThreadSafe: a plain 'unsigned long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:23: note: make it 'std::atomic<unsigned long>', or hold one mutex for every access
  std::thread atomic([&a] { (void)std::atomic_ref<unsigned long>(a).load(); });
  plain.join();
  atomic.join();
}

// miri: fail/data_race/atomic_read_na_write_race2.rs
void atomic_read_na_write_race2_bad() {
  unsigned long a = 0;
  std::thread atomic([&a] { (void)std::atomic_ref<unsigned long>(a).load(); });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'a' is shared with another thread and written without synchronization: type 'unsigned long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:66: note: read here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:28: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:24: note: 'unsigned long' is not ThreadSafe: a plain 'unsigned long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:24: note: make it 'std::atomic<unsigned long>', or hold one mutex for every access
  std::thread plain([&a] { a = 32; });
  atomic.join();
  plain.join();
}

// miri: fail/data_race/atomic_write_na_read_race1.rs
void atomic_write_na_read_race1_bad() {
  unsigned long a = 0;
  std::thread atomic([&a] { std::atomic_ref<unsigned long>(a).store(32); });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'a' is shared with another thread and written without synchronization: type 'unsigned long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:60: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:49: note: read here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:24: note: 'unsigned long' is not ThreadSafe: a plain 'unsigned long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:24: note: make it 'std::atomic<unsigned long>', or hold one mutex for every access
  std::thread plain([&a] { unsigned long seen = a; (void)seen; });
  atomic.join();
  plain.join();
}

// miri: fail/data_race/atomic_write_na_read_race2.rs
void atomic_write_na_read_race2_bad() {
  unsigned long a = 0;
  std::thread plain([&a] { unsigned long seen = a; (void)seen; });
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'a' is shared with another thread and written without synchronization: type 'unsigned long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:49: note: read here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:60: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:23: note: 'unsigned long' is not ThreadSafe: a plain 'unsigned long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:23: note: make it 'std::atomic<unsigned long>', or hold one mutex for every access
  std::thread atomic([&a] { std::atomic_ref<unsigned long>(a).store(32); });
  plain.join();
  atomic.join();
}

// miri: fail/data_race/atomic_write_na_write_race1.rs
void atomic_write_na_write_race1_bad() {
  unsigned long a = 0;
  std::thread plain([&a] { a = 32; });
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'a' is shared with another thread and written without synchronization: type 'unsigned long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:28: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:60: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:23: note: 'unsigned long' is not ThreadSafe: a plain 'unsigned long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:23: note: make it 'std::atomic<unsigned long>', or hold one mutex for every access
  std::thread atomic([&a] { std::atomic_ref<unsigned long>(a).store(64); });
  plain.join();
  atomic.join();
}

// miri: fail/data_race/atomic_write_na_write_race2.rs
void atomic_write_na_write_race2_bad() {
  unsigned long a = 0;
  std::thread atomic([&a] { std::atomic_ref<unsigned long>(a).store(64); });
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: 'a' is shared with another thread and written without synchronization: type 'unsigned long' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:60: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:28: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:24: note: 'unsigned long' is not ThreadSafe: a plain 'unsigned long' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:24: note: make it 'std::atomic<unsigned long>', or hold one mutex for every access
  std::thread plain([&a] { a = 32; });
  atomic.join();
  plain.join();
}

// miri: fail/data_race/dealloc_read_race1.rs
void dealloc_read_race1_bad() {
  int *pointer = new int(0);
  std::thread reader([pointer] { int seen = *pointer; (void)seen; });
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: '*pointer' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:46: note: read here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:40: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:23: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:23: note: make it 'std::atomic<int>', or hold one mutex for every access
  std::thread freer([pointer] { delete pointer; });
  reader.join();
  freer.join();
}

// miri: fail/data_race/dealloc_write_race1.rs
void dealloc_write_race1_bad() {
  int *pointer = new int(0);
  std::thread writer([pointer] { *pointer = 2; });
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: '*pointer' is shared with another thread and written without synchronization: type 'int' is not ThreadSafe [sendsync-shared]
  // CHECK-MESSAGES: :[[@LINE-2]]:35: note: written here in the new thread
  // CHECK-MESSAGES: :[[@LINE+4]]:40: note: written here by another thread
  // CHECK-MESSAGES: :[[@LINE+3]]:15: note: which is started here
  // CHECK-MESSAGES: :[[@LINE-5]]:23: note: 'int' is not ThreadSafe: a plain 'int' written from two threads is a data race
  // CHECK-MESSAGES: :[[@LINE-6]]:23: note: make it 'std::atomic<int>', or hold one mutex for every access
  std::thread freer([pointer] { delete pointer; });
  writer.join();
  freer.join();
}
