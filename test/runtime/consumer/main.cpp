// Uses the installed runtime the way an application would: one header, the
// sendsync::runtime target, no other setup.
#include <sendsync/runtime.h>

#include <cstdio>

int main() {
  sendsync::Mutex<int> total(0);
  auto [tx, rx] = sendsync::sync_channel<int>(4);
  {
    sendsync::ThreadPool pool(2);
    for (int i = 1; i <= 10; ++i)
      pool.execute([tx = tx, i] { (void)tx.send(i); });
    auto consumer = sendsync::spawn([rx = std::move(rx), &total] {
      for (int v : rx) *total.lock() += v;
    });
    pool.shutdown();
    { auto last = std::move(tx); }  // disconnect: the consumer's loop ends
    consumer.join();
  }
  static const sendsync::LazyLock expected([] { return 55; });
  const int got = std::move(total).into_inner();
  if (got != *expected) {
    std::fprintf(stderr, "consumer: expected %d, got %d\n", *expected, got);
    return 1;
  }
  std::puts("consumer: ok");
  return 0;
}
