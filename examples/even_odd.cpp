// Two threads share the numbers 1..20: one takes the odd ones, the other the
// even ones.
//
// First each thread prints its own numbers as one line; the two lines may
// come out in either order, because nothing orders the threads. Then the two
// threads print strictly alternating (1, 2, 3, ..., 20): whose turn it is
// lives in a sendsync::Mutex<int>, so it can only be read or advanced with the
// lock held, and a sendsync::Condvar wakes the other thread when the turn
// passes to it. sendsync::scope joins both threads before it returns, which is
// what lets them borrow the locals by reference.
//
// The wrong twin, test/checks/examples/even_odd_bad.cpp,
// keeps the turn in a plain `int` that both threads read and write without a
// lock: a data race.
#include <iostream>
#include <string>
#include <syncstream>

#include <sendsync/condvar.h>
#include <sendsync/mutex.h>
#include <sendsync/thread.h>

namespace {

constexpr int last = 20;

// Prints every number in 1..last whose remainder modulo 2 is `parity`, on
// one line. std::osyncstream emits the line in one piece, so the two threads'
// lines do not interleave character by character.
void print_parity(int parity, const char* label) {
  std::string line = label;
  for (int n = 1; n <= last; ++n)
    if (n % 2 == parity) line += ' ' + std::to_string(n);
  std::osyncstream(std::cout) << line << '\n';
}

}  // namespace

int main() {
  sendsync::scope([](sendsync::Scope& s) {
    s.spawn([] { print_parity(1, "odd:"); });
    s.spawn([] { print_parity(0, "even:"); });
  });

  // The number to print next; the thread whose parity matches owns the turn.
  sendsync::Mutex<int> next(1);
  sendsync::Condvar turn_passed;
  std::cout << "alternating:";
  sendsync::scope([&](sendsync::Scope& s) {
    for (int parity : {1, 0}) {
      s.spawn([&next, &turn_passed, parity] {
        for (;;) {
          auto n = next.lock();
          // Sleep until it is this thread's turn (or everything is printed).
          turn_passed.wait(n, [parity](int& v) {
            return v > last || v % 2 == parity;
          });
          if (*n > last) return;
          std::cout << ' ' << *n;  // only the turn holder writes
          ++*n;
          turn_passed.notify_all();
        }
      });
    }
  });
  std::cout << '\n';
}
