// The wrong twin of examples/channel_sum.cpp: each message carries, next to
// its number, the lock of the buffer the number was read from, so that "the
// consumer releases the buffer when done". A lock must be released by the
// thread that acquired it, so a Chunk is not Send, and neither is a channel
// endpoint of Chunks: moving the endpoints into the threads is flagged.
// RUN: %check_tidy %s --checks='-*,sendsync-*' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
#include <cstdint>
#include <iostream>
#include <mutex>
#include <numeric>
#include <utility>
#include <vector>

#include <sendsync/channel.h>
#include <sendsync/thread.h>

// Guards the producer's read buffer (a global: nothing else is borrowed).
std::mutex buffer_mutex;

struct Chunk {
  int number;
  std::unique_lock<std::mutex> buffer_lock;  // BAD: a held lock as a message
};

int main() {
  std::vector<int> numbers(1000);
  std::iota(numbers.begin(), numbers.end(), 1);

  auto [tx, rx] = sendsync::channel<Chunk>();
  auto producer = sendsync::spawn(
      [tx = std::move(tx), numbers = std::move(numbers)] {
      // CHECK-MESSAGES: :[[@LINE-1]]:8: warning: capture 'tx' cannot be sent to another thread: type 'sendsync::Sender<Chunk>' is not Send [sendsync-send]
      // CHECK-MESSAGES: sendsync/thread.h:{{[0-9]+}}:{{[0-9]+}}: note: required by this parameter of 'sendsync::spawn', which runs its argument on another thread
      // CHECK-MESSAGES: :[[@LINE-3]]:8: note: 'sendsync::Sender<Chunk>' is Send only if 'Chunk' is Send
      // CHECK-MESSAGES: :[[@LINE-13]]:32: note: field 'buffer_lock' has type 'std::unique_lock<std::mutex>', which is not Send: a lock must be released by the thread that acquired it
      // CHECK-MESSAGES: :[[@LINE-5]]:8: note: acquire the lock inside the new thread instead of passing it in
        for (int n : numbers)
          (void)tx.send(Chunk{n, std::unique_lock<std::mutex>(buffer_mutex)});
      });
  auto consumer = sendsync::spawn([rx = std::move(rx)] {
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: capture 'rx' cannot be sent to another thread: type 'sendsync::Receiver<Chunk>' is not Send [sendsync-send]
  // CHECK-MESSAGES: sendsync/thread.h:{{[0-9]+}}:{{[0-9]+}}: note: required by this parameter of 'sendsync::spawn', which runs its argument on another thread
  // CHECK-MESSAGES: :[[@LINE-3]]:36: note: 'sendsync::Receiver<Chunk>' is Send only if 'Chunk' is Send
  // CHECK-MESSAGES: :[[@LINE-22]]:32: note: field 'buffer_lock' has type 'std::unique_lock<std::mutex>', which is not Send: a lock must be released by the thread that acquired it
  // CHECK-MESSAGES: :[[@LINE-5]]:36: note: acquire the lock inside the new thread instead of passing it in
    std::int64_t sum = 0;
    for (Chunk& c : rx) sum += c.number;  // unlocks a mutex it never locked
    std::cout << "sum of 1..1000 = " << sum << '\n';
  });
  producer.join();
  consumer.join();
}
