//===- bench/runtime/main.cpp - Command line of sendsync-bench ------------===//
//
//   sendsync-bench list
//       one line per case:     case <TAB> suite <TAB> scenario <TAB> impl <TAB> note
//       and per counted op:    op <TAB> name <TAB> impl
//   sendsync-bench run --suite S --scenario X --impl I --ops N
//                      [--capacity C] [--reps R]
//       one warm-up at N/10, then R timed runs; prints one JSON line with the
//       median and every sample (ns per operation)
//   sendsync-bench ops --name X --impl I --n N [--capacity C]
//       N single-thread operations inside sendsync_bench_ops(), for
//       `valgrind --tool=callgrind --toggle-collect=sendsync_bench_ops`
//
// bench/rust's binary takes the same arguments; bench/runtime/driver.py runs
// both. One case per process, so that no case inherits another's heap,
// threads or caches.
//
//===----------------------------------------------------------------------===//
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "harness.h"

namespace bench {

std::vector<bench_case>& cases() {
  static std::vector<bench_case> all;
  return all;
}

std::vector<op_case>& op_cases() {
  static std::vector<op_case> all;
  return all;
}

}  // namespace bench

// The only code callgrind counts (--toggle-collect). Out of line and with C
// linkage so that the name is the same in every build and in the Rust binary.
extern "C" [[gnu::noinline]] void sendsync_bench_ops(bench::ops_fn* f,
                                                    std::size_t n) {
  (*f)(n);
  asm volatile("" ::: "memory");
}

namespace {

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "sendsync-bench: %s\n"
               "usage: sendsync-bench list\n"
               "       sendsync-bench run --suite S --scenario X --impl I "
               "--ops N [--capacity C] [--reps R]\n"
               "       sendsync-bench ops --name X --impl I --n N "
               "[--capacity C]\n",
               why);
  std::exit(2);
}

struct options {
  std::string suite, scenario, impl, name;
  std::size_t ops = 0, n = 0, capacity = 256, reps = 3;
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 2; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) usage("missing value after a flag");
    const char* value = argv[++i];
    auto number = [&] { return static_cast<std::size_t>(std::strtoull(value, nullptr, 10)); };
    if (flag == "--suite") o.suite = value;
    else if (flag == "--scenario") o.scenario = value;
    else if (flag == "--impl") o.impl = value;
    else if (flag == "--name") o.name = value;
    else if (flag == "--ops") o.ops = number();
    else if (flag == "--n") o.n = number();
    else if (flag == "--capacity") o.capacity = number();
    else if (flag == "--reps") o.reps = number();
    else usage("unknown flag");
  }
  return o;
}

int list() {
  for (const auto& c : bench::cases())
    std::printf("case\t%s\t%s\t%s\t%s\n", c.suite.c_str(), c.scenario.c_str(),
                c.impl.c_str(), c.note.c_str());
  for (const auto& c : bench::op_cases())
    std::printf("op\t%s\t%s\n", c.name.c_str(), c.impl.c_str());
  return 0;
}

int run(const options& o) {
  const auto& all = bench::cases();
  const auto it = std::find_if(all.begin(), all.end(), [&](const auto& c) {
    return c.suite == o.suite && c.scenario == o.scenario && c.impl == o.impl;
  });
  if (it == all.end()) usage("no such case (see `list`)");
  if (o.ops == 0 || o.reps == 0) usage("--ops and --reps must be positive");
  // The warm-up pays for first-touch page faults and lazy initialisation
  // (tbb's scheduler, moodycamel's blocks) so the timed runs do not.
  (void)it->run({std::max<std::size_t>(o.ops / 10, 4), o.capacity});
  std::vector<double> samples;
  for (std::size_t r = 0; r < o.reps; ++r)
    samples.push_back(it->run({o.ops, o.capacity}));
  std::vector<double> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  std::printf("{\"suite\": \"%s\", \"scenario\": \"%s\", \"impl\": \"%s\", "
              "\"ops\": %zu, \"ns_per_op\": %.3f, \"samples\": [",
              o.suite.c_str(), o.scenario.c_str(), o.impl.c_str(), o.ops,
              sorted[sorted.size() / 2]);
  for (std::size_t i = 0; i < samples.size(); ++i)
    std::printf("%s%.3f", i ? ", " : "", samples[i]);
  std::printf("]}\n");
  return 0;
}

int ops(const options& o) {
  const auto& all = bench::op_cases();
  const auto it = std::find_if(all.begin(), all.end(), [&](const auto& c) {
    return c.name == o.name && c.impl == o.impl;
  });
  if (it == all.end()) usage("no such op case (see `list`)");
  bench::ops_fn f = it->prepare({o.n, o.capacity});
  f(1000);  // warm: first allocations, lazy initialisation
  sendsync_bench_ops(&f, o.n);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) usage("missing command");
  bench::register_channel_cases();
  bench::register_lock_cases();
  bench::register_pool_cases();
  const std::string_view cmd = argv[1];
  const options o = parse(argc, argv);
  if (cmd == "list") return list();
  if (cmd == "run") return run(o);
  if (cmd == "ops") return ops(o);
  usage("unknown command");
}
