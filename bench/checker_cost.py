#!/usr/bin/env python3
"""Cost of the sendsync checks relative to parsing alone.

Times, on the same translation units:
  parse   clang++ -fsyntax-only
  tidy    clang-tidy --load=libSendSyncTidy.so --checks='-*,sendsync-*'
and reports tidy/parse per TU (median and min-max over interleaved rounds,
since wall-clock time on a shared VM swings between runs).

TUs: synthetic ones with N crossings (each a std::thread over a lambda with
captures of nested, recursive and annotated types) and any real TU given with
--real FILE -- FLAGS. Linear growth shows as a constant ratio and a constant
per-crossing cost as N grows.

usage: bench/checker_cost.py --build build [--rounds 5] [--sizes 100,1000,10000]
                             [--out bench/results/checker.md]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

PRELUDE = """#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <map>
#include <sendsync/annotations.h>
struct SENDSYNC_NOT_SYNC Cell { int v; };
template <int N> struct Deep { Deep<N - 1> inner; std::vector<int> pad; };
template <> struct Deep<0> { std::shared_ptr<const int> leaf; };
struct Node { std::unique_ptr<Node> next; std::map<std::string, Node *> index; };
"""


def synthetic(n):
    body = [PRELUDE]
    for i in range(n):
        # Alternate Send and not-Send captures so both paths are exercised.
        bad = "std::shared_ptr<Cell> c%d;" % i if i % 10 == 0 else "int c%d = %d;" % (i, i)
        body.append(
            "void f%d(Deep<20> d, Node *n) { %s std::thread t([d, n, c%d] {}); t.join(); }\n"
            % (i, bad, i))
    return "".join(body)


def timed(cmd):
    start = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if r.returncode not in (0, 1):
        sys.exit("command failed (%d): %s" % (r.returncode, " ".join(cmd)))
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--llvm", default="19")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--real", nargs="*", default=[],
                    help="FILE[::flag1,flag2] real TUs to include")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    plugin = os.path.abspath(os.path.join(args.build, "lib", "libSendSyncTidy.so"))
    clang = "clang++-%s" % args.llvm
    tidy = "clang-tidy-%s" % args.llvm
    flags = ["-std=c++20", "-I" + os.path.join(root, "include"),
             "-I" + os.path.join(root, "runtime", "include")]
    tmp = tempfile.mkdtemp(prefix="sendsync-bench-")
    tus = []
    for n in [int(s) for s in args.sizes.split(",") if s]:
        path = os.path.join(tmp, "crossings_%d.cpp" % n)
        with open(path, "w") as f:
            f.write(synthetic(n))
        tus.append(("%d crossings" % n, path, flags))
    for spec in args.real:
        path, _, extra = spec.partition("::")
        tus.append((os.path.basename(path), path, extra.split(",") if extra else flags))

    results = {name: {"parse": [], "tidy": []} for name, _, _ in tus}
    for _ in range(args.rounds):
        for name, path, fl in tus:  # interleaved: parse, tidy, next TU
            results[name]["parse"].append(timed([clang, "-fsyntax-only", path] + fl))
            results[name]["tidy"].append(timed(
                [tidy, "--load=" + plugin, "--checks=-*,sendsync-*", "--quiet", path, "--"] + fl))

    lines = ["| TU | parse median (s) | checker median (s) | ratio median | ratio min-max |",
             "|---|---|---|---|---|"]
    for name, _, _ in tus:
        p, t = results[name]["parse"], results[name]["tidy"]
        ratios = [b / a for a, b in zip(p, t)]
        lines.append("| %s | %.3f | %.3f | %.3f | %.3f-%.3f |" % (
            name, statistics.median(p), statistics.median(t),
            statistics.median(ratios), min(ratios), max(ratios)))
    table = "\n".join(lines)
    print(table)
    if args.out:
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, "w") as f:
            f.write("# Checker cost relative to `clang++ -fsyntax-only`\n\n")
            f.write("%d interleaved rounds, LLVM %s, `--checks=-*,sendsync-*`.\n\n" % (args.rounds, args.llvm))
            f.write(table + "\n")


if __name__ == "__main__":
    main()
