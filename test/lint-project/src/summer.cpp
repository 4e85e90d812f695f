#include <sendsync/channel.h>
#include <sendsync/thread.h>

int sum_in_thread(int n) {
  auto [tx, rx] = sendsync::channel<int>();
  auto worker = sendsync::spawn([tx = std::move(tx), n]() mutable {
    for (int i = 1; i <= n; ++i)
      (void)tx.send(i);
  });
  worker.join();
  int total = 0;
  for (int v : rx)
    total += v;
  return total;
}
