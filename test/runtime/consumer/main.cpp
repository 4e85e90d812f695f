// Uses the installed runtime the way an application would.
#include <sendsync/runtime.h>

#include <cstdio>

int main() {
  sendsync::Mutex<int> total(0);
  total.with_lock([](int& t) { t += 41; });
  *total.lock() += 1;
  const int got = std::move(total).into_inner();
  if (got != 42) {
    std::fprintf(stderr, "consumer: expected 42, got %d\n", got);
    return 1;
  }
  std::puts("consumer: ok");
  return 0;
}
