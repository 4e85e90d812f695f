// One thread sends the numbers 1..1000 through a channel; another receives
// and sums them, then prints the total.
//
// Nothing is shared: each number is moved into the channel by the producer
// and out of it by the consumer. The producer owns the only Sender, so when it
// finishes the channel disconnects and the consumer's `for` loop ends. The
// element type (int) and both endpoints are Send, which is what sendsync-send
// checks where they enter the threads.
//
// The wrong twin, test/checks/examples/channel_sum_bad.cpp, sends messages
// that carry a held lock (not Send) through the channel into the consumer.
#include <cstdint>
#include <iostream>
#include <numeric>
#include <utility>
#include <vector>

#include <sendsync/channel.h>
#include <sendsync/thread.h>

int main() {
  std::vector<int> numbers(1000);
  std::iota(numbers.begin(), numbers.end(), 1);

  auto [tx, rx] = sendsync::channel<int>();
  auto producer = sendsync::spawn(
      [tx = std::move(tx), numbers = std::move(numbers)] {
        for (int n : numbers) (void)tx.send(n);  // the receiver outlives us
      });
  auto consumer = sendsync::spawn([rx = std::move(rx)] {
    std::int64_t sum = 0;
    for (int n : rx) sum += n;  // ends once the producer's Sender is gone
    std::cout << "sum of 1..1000 = " << sum << '\n';
  });
  producer.join();
  consumer.join();
}
