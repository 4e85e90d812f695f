#!/usr/bin/python3
"""Cost of the sendsync checks relative to parsing alone.

Times four variants on the same translation units, every variant of a TU in
the same round, rounds interleaved, the variants' order rotating per round:

  parse     clang++ -fsyntax-only                       (the baseline)
  tsa       clang++ -fsyntax-only -Wthread-safety       (reference)
  sendsync  clang-tidy --load=libSendSyncTidy.so --checks='-*,sendsync-*'
  common    clang-tidy --checks='-*,bugprone-*,performance-*,modernize-use-nullptr'
            less performance-unnecessary-value-param    (reference)

and reports each variant's time over the parse's time in the same round: the
median and min-max over rounds. Wall-clock seconds on a shared VM swing
between runs; a ratio of two runs made seconds apart does much less.

TUs:
  empty      the prelude alone (standard headers, annotations, the types)
  lines      ~1k/10k/100k lines of application-like code: modules of about
             300 lines (a record type, a mutex-guarded store, a virtual
             override, fifteen ordinary functions: strings, arithmetic,
             switches, exceptions, containers) with two crossings each (a
             std::thread over a lambda, std::async or a thread over a
             function with arguments, a thread that reaches a global),
             capturing deep (Deep<8>) and recursive (Node) types
  crossings  100/1k/10k crossings and nothing else: a std::thread or
             std::async over a function with a Deep<20> and a Node* argument,
             std::ref arguments, and one lambda in ten (its own
             std::thread instantiation)
  real       any TU given with --real FILE[::FLAGS] (FLAGS comma-separated,
             or looked up in a --compdb compile_commands.json)

Linear growth shows as a straight line of time against size and a constant
ratio. Writes a Markdown report, the raw per-round times as JSON (re-render
with --replot) and one PNG per axis (matplotlib: Debian's python3-matplotlib
for /usr/bin/python3). Instruction counts (valgrind's callgrind) of the parse,
of clang-tidy's own floor and of the sendsync checks on the TUs named by
--callgrind-lines and --callgrind-crossings do not depend on the load.

usage: bench/checker_cost.py [--build build] [--real FILE[::FLAGS] ...]
                             [--compdb DB ...] [--out bench/results/checker.md]
       bench/checker_cost.py --smoke          (one small TU, one round, ~10 s)
       bench/checker_cost.py --replot bench/results/checker.json
       bench/checker_cost.py --callgrind-only --callgrind-lines '' ...
                              (instruction counts only, added to --out)
"""
import argparse
import glob
import json
import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

LLVM = "19"
# performance-unnecessary-value-param is left out: for each by-value parameter
# it flags it searches the whole TU for uses of the function, so its time grows
# with the square of the TU (more than half of the set's time at 1,000
# crossings) and would take hours at 10k.
COMMON_CHECKS = ("-*,bugprone-*,performance-*,-performance-unnecessary-value-param,"
                 "modernize-use-nullptr")
VARIANTS = ["parse", "tsa", "sendsync", "common"]
VARIANT_LABEL = {
    "parse": "clang++ -fsyntax-only",
    "tsa": "clang++ -fsyntax-only -Wthread-safety",
    "sendsync": "clang-tidy -*,sendsync-*",
    "common": "clang-tidy " + COMMON_CHECKS,
}
TARGET = 1.10
# The checks' own share: instructions over clang-tidy's floor (below).
FLOOR_TARGET = 1.03

# ---------------------------------------------------------------------------
# Synthetic TUs

PRELUDE = r'''#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>
#include <sendsync/annotations.h>

struct SENDSYNC_NOT_SYNC Cell { int v; };
template <int N> struct Deep { Deep<N - 1> inner; std::vector<int> pad; };
template <> struct Deep<0> { std::shared_ptr<const int> leaf; };
struct Node { std::unique_ptr<Node> next; std::map<std::string, Node *> index; };

enum class Level { Debug, Info, Warning, Error };
static std::atomic<long> g_events{0};
static long g_unsynced_total = 0;

inline const char *level_name(Level l) {
  switch (l) {
  case Level::Debug: return "debug";
  case Level::Info: return "info";
  case Level::Warning: return "warning";
  case Level::Error: return "error";
  }
  return "?";
}

template <class T> T clamp_to(T v, T lo, T hi) { return v < lo ? lo : (v > hi ? hi : v); }

struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
  virtual std::string name() const = 0;
};

static void work(Deep<20> d, Node *n, int c) { (void)d; (void)n; (void)c; }
static void work_locked(std::mutex &mu, long &total, int c) {
  std::lock_guard<std::mutex> lock(mu);
  total += c;
}
'''

# The types of a module: each module has its own, so its containers are
# instantiated anew, as in a real code base.
MODULE_HEAD = r'''
namespace m{i} {{
struct Record {{
  std::string name;
  std::vector<int> values;
  std::map<std::string, double> attrs;
  Deep<8> deep;
  std::shared_ptr<Node> tree;
  Level level = Level::Info;
  int id = {i};
}};

class Store {{
public:
  void put(const Record &r) {{
    std::lock_guard<std::mutex> lock(mu_);
    by_name_[r.name] = r;
    ++version_;
  }}
  std::optional<Record> get(const std::string &name) const {{
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_name_.find(name);
    if (it == by_name_.end())
      return std::nullopt;
    return it->second;
  }}
  std::size_t size() const {{
    std::lock_guard<std::mutex> lock(mu_);
    return by_name_.size();
  }}
  long version() const {{
    std::lock_guard<std::mutex> lock(mu_);
    return version_;
  }}

private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, Record> by_name_;
  long version_ = 0;
}};

struct Square : Shape {{
  double side = {i} % 7 + 1.0;
  double area() const override {{ return side * side; }}
  std::string name() const override {{ return "square{i}"; }}
}};

static int score(const std::vector<int> &v) {{
  int s = 0;
  for (std::size_t k = 0; k < v.size(); ++k) {{
    if (v[k] % 3 == 0)
      s += v[k];
    else if (v[k] % 5 == 0)
      s -= v[k];
    else
      s ^= v[k];
  }}
  return clamp_to(s, -{i}, 1000 + {i});
}}

static Record parse(const std::string &line) {{
  Record r;
  std::size_t colon = line.find(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("missing ':' in " + line);
  r.name = line.substr(0, colon);
  for (std::size_t k = colon + 1; k < line.size(); ++k)
    if (line[k] >= '0' && line[k] <= '9')
      r.values.push_back(line[k] - '0');
  r.attrs["score"] = score(r.values);
  return r;
}}
'''

# Ordinary functions, no threads: strings, arithmetic, control flow,
# exceptions, containers whose instantiations the modules share, virtual calls.
MODULE_PLAIN = [
    r'''static std::vector<std::string> split(const std::string &s, char sep) {{
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {{
    std::size_t end = s.find(sep, start);
    if (end == std::string::npos)
      end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }}
  return out;
}}
''',
    r'''static std::uint64_t checksum(const std::string &s) {{
  std::uint64_t h = 1469598103934665603ull ^ {i}u;
  for (unsigned char c : s) {{
    h ^= c;
    h *= 1099511628211ull;
  }}
  return h;
}}
''',
    r'''static std::vector<int> histogram(const std::vector<int> &v, int buckets) {{
  std::vector<int> counts(static_cast<std::size_t>(buckets), 0);
  if (buckets <= 0)
    return counts;
  for (int x : v) {{
    int b = x % buckets;
    if (b < 0)
      b += buckets;
    ++counts[static_cast<std::size_t>(b)];
  }}
  return counts;
}}
''',
    r'''static std::string describe(const Record &r) {{
  std::string out = r.name;
  switch (r.level) {{
  case Level::Debug:
    out += " (debug)";
    break;
  case Level::Info:
    break;
  case Level::Warning:
    out += " (warning)";
    break;
  case Level::Error:
    out += " (error: " + std::to_string(r.id) + ")";
    break;
  }}
  for (const auto &attr : r.attrs)
    out += " " + attr.first + "=" + std::to_string(attr.second);
  return out;
}}
''',
    r'''static std::vector<int> merge_sorted(const std::vector<int> &a, const std::vector<int> &b) {{
  std::vector<int> out;
  out.reserve(a.size() + b.size());
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {{
    if (a[i] <= b[j])
      out.push_back(a[i++]);
    else
      out.push_back(b[j++]);
  }}
  while (i < a.size())
    out.push_back(a[i++]);
  while (j < b.size())
    out.push_back(b[j++]);
  return out;
}}
''',
    r'''struct Stats {{
  double mean = 0, variance = 0, min = 0, max = 0;
}};
static Stats stats(const std::vector<int> &v) {{
  Stats s;
  if (v.empty())
    return s;
  s.min = s.max = v.front();
  for (int x : v) {{
    s.mean += x;
    s.min = std::min<double>(s.min, x);
    s.max = std::max<double>(s.max, x);
  }}
  s.mean /= static_cast<double>(v.size());
  for (int x : v)
    s.variance += (x - s.mean) * (x - s.mean);
  s.variance /= static_cast<double>(v.size());
  return s;
}}
''',
    r'''static bool refresh(Store &store, const std::string &name, int delta) {{
  std::optional<Record> r = store.get(name);
  if (!r)
    return false;
  for (int &v : r->values)
    v += delta;
  r->attrs["score"] = score(r->values);
  r->level = delta > 10 ? Level::Warning : Level::Info;
  store.put(*r);
  return true;
}}
''',
    r'''static int load_all(Store &store, const std::vector<std::string> &lines, std::string &errors) {{
  int loaded = 0;
  for (const auto &line : lines) {{
    try {{
      store.put(parse(line));
      ++loaded;
    }} catch (const std::invalid_argument &e) {{
      errors += e.what();
      errors += '\n';
    }}
  }}
  return loaded;
}}
''',
    r'''static std::array<double, 9> multiply(const std::array<double, 9> &a, const std::array<double, 9> &b) {{
  std::array<double, 9> c{{}};
  for (int row = 0; row < 3; ++row)
    for (int col = 0; col < 3; ++col) {{
      double sum = 0;
      for (int k = 0; k < 3; ++k)
        sum += a[row * 3 + k] * b[k * 3 + col];
      c[row * 3 + col] = sum;
    }}
  return c;
}}
''',
    r'''static double total_area(const std::vector<std::unique_ptr<Shape>> &shapes) {{
  double total = 0;
  for (const auto &shape : shapes) {{
    if (!shape)
      continue;
    double a = shape->area();
    if (std::isnan(a))
      throw std::runtime_error("bad area for " + shape->name());
    total += a;
  }}
  return total + Square().area();
}}
''',
    r'''static std::string escape(const std::string &s) {{
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {{
    switch (c) {{
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\t': out += "\\t"; break;
    default: out += c; break;
    }}
  }}
  return out;
}}
''',
    r'''static long find_index(const std::vector<int> &sorted, int key) {{
  long lo = 0, hi = static_cast<long>(sorted.size()) - 1;
  while (lo <= hi) {{
    long mid = lo + (hi - lo) / 2;
    int v = sorted[static_cast<std::size_t>(mid)];
    if (v == key)
      return mid;
    if (v < key)
      lo = mid + 1;
    else
      hi = mid - 1;
  }}
  return -1;
}}
''',
    r'''static long days_from_civil(long y, unsigned m, unsigned d) {{
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468 + {i} % 2;
}}
''',
    r'''static std::size_t tree_size(const Node *n, int depth) {{
  if (!n || depth > 64)
    return 0;
  std::size_t count = 1 + tree_size(n->next.get(), depth + 1);
  for (const auto &entry : n->index)
    if (entry.second != n)
      count += entry.first.size() % 3;
  return count;
}}
''',
    r'''static std::vector<int> top_values(std::vector<int> v, std::size_t k) {{
  std::sort(v.begin(), v.end());
  std::reverse(v.begin(), v.end());
  if (v.size() > k)
    v.resize(k);
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}}
''',
]

# Two crossings per module, in rotation over the modules.
MODULE_CROSSINGS = [
    # std::thread over a lambda: a copied record (deep, recursive), the store
    # and the lines by reference.
    r'''int run_worker(Store &store, const std::vector<std::string> &lines) {{
  Record first = parse(lines.at(0));
  std::thread worker([&store, first, &lines] {{
    for (const auto &line : lines)
      store.put(parse(line));
    store.put(first);
  }});
  worker.join();
  g_events.fetch_add(1);
  return static_cast<int>(store.size());
}}
''',
    # std::async over a function with an argument.
    r'''int run_async(Store &store, const std::vector<std::string> &lines) {{
  Record first = parse(lines.at(0));
  std::future<int> fut = std::async(std::launch::async, score, first.values);
  for (const auto &line : lines)
    store.put(parse(line));
  return fut.get() + static_cast<int>(store.size());
}}
''',
    # std::thread over a function with arguments, one by std::ref.
    r'''static void fill(Store &store, std::vector<std::string> lines, Deep<8> d) {{
  for (const auto &line : lines)
    store.put(parse(line));
  (void)d;
}}
int run_fill(Store &store, const std::vector<std::string> &lines) {{
  Deep<8> d;
  std::thread worker(fill, std::ref(store), lines, d);
  worker.join();
  return static_cast<int>(store.size());
}}
''',
    # A thread that writes a global through a helper while its spawner does
    # too (sendsync-global), with a not-Send capture (sendsync-send).
    r'''static void note(const Record &r) {{ g_unsynced_total += r.id; }}
int run_noted(Store &store, const std::vector<std::string> &lines) {{
  std::shared_ptr<Cell> cell = std::make_shared<Cell>();
  std::thread worker([&store, lines, cell] {{
    for (const auto &line : lines) {{
      Record r = parse(line);
      note(r);
      store.put(r);
    }}
    (void)cell;
  }});
  note(parse(lines.at(0)));
  worker.join();
  return static_cast<int>(store.size());
}}
''',
]
CROSSINGS_PER_MODULE = 2


def module(i):
    parts = [MODULE_HEAD.format(i=i)]
    parts += [f.format(i=i) for f in MODULE_PLAIN]
    for k in range(CROSSINGS_PER_MODULE):
        parts.append(MODULE_CROSSINGS[(i * CROSSINGS_PER_MODULE + k) %
                                      len(MODULE_CROSSINGS)].format(i=i))
    parts.append("}} // namespace m{i}\n".format(i=i))
    return "\n".join(parts)


def lines_tu(target):
    """The prelude and as many modules as come closest to `target` lines."""
    per_module = module(0).count("\n")
    count = max(1, round((target - PRELUDE.count("\n")) / per_module))
    return PRELUDE + "".join(module(i) for i in range(count)), \
        count * CROSSINGS_PER_MODULE


def crossing(i):
    k = i % 10
    if i % 20 == 0:  # a lambda with a not-Send capture: one finding
        body = ("std::shared_ptr<Cell> c{i}; "
                "std::thread t([d, n, c{i}] {{ (void)c{i}; }}); t.join();")
    elif k == 0:  # a lambda with Send captures and a locked shared counter
        body = ("std::mutex mu; long total = 0; int c{i} = {i}; "
                "std::thread t([d, n, c{i}, &mu, &total] {{ "
                "std::lock_guard<std::mutex> lock(mu); total += c{i}; }}); "
                "{{ std::lock_guard<std::mutex> lock(mu); total -= 1; }} t.join();")
    elif k < 5:
        body = "int c{i} = {i}; std::thread t(work, d, n, c{i}); t.join();"
    elif k < 8:
        body = ("std::mutex mu; long total = 0; "
                "std::thread t(work_locked, std::ref(mu), std::ref(total), {i}); "
                "work_locked(mu, total, {i}); t.join();")
    else:
        body = "auto f = std::async(std::launch::async, work, d, n, {i}); f.get();"
    return ("void f{i}(Deep<20> d, Node *n) {{ " + body + " }}\n").format(i=i)


def crossings_tu(n):
    return PRELUDE + "".join(crossing(i) for i in range(n))


POINTERS_HEAD = '''
struct Args { std::mutex mu; long sum; long out[8]; Args *next; };
struct Worker { long hits = 0; void run(int n) { for (int i = 0; i < n; ++i) ++hits; } };
struct Adder { long *total; void operator()() const { ++*total; } };
static void add_args(Args *a) { std::lock_guard<std::mutex> g(a->mu); a->sum += 1; }
static void fill(long *buf, int from, int to) { for (int i = from; i < to; ++i) buf[i] = i; }
'''


def pointer_function(i):
    """One function of the pointer-heavy TU: a heap argument block shared by
    two threads under its lock, a pointer copied into a lambda, a member
    function run on an object, a function object holding a pointer, an array
    filled in two disjoint halves, and a loop of fresh allocations; with
    pointer copies and casts the thread bodies follow."""
    return '''
void p{i}(Args *in, long *buf) {{
  Args *a = new Args{{}};
  Args *alias = a;
  void *raw = static_cast<void *>(alias);
  std::thread t1(add_args, a), t2(add_args, static_cast<Args *>(raw));
  std::thread t3([alias] {{ std::lock_guard<std::mutex> g(alias->mu); alias->out[{k}] += 1; }});
  Worker w;
  std::thread t4(&Worker::run, &w, {i});
  long total = 0;
  std::thread t5(Adder{{&total}});
  std::thread t6(fill, buf, 0, 4), t7(fill, buf, 4, 8);
  t1.join(); t2.join(); t3.join(); t4.join(); t5.join(); t6.join(); t7.join();
  std::vector<std::thread> ts;
  for (int j = 0; j < 2; ++j) {{
    Args *fresh = new Args{{}};
    fresh->next = in;
    ts.emplace_back(add_args, fresh);
  }}
  for (std::thread &t : ts) t.join();
  delete a;
}}
'''.format(i=i, k=i % 8)


def pointers_tu(n):
    return PRELUDE + POINTERS_HEAD + "".join(pointer_function(i)
                                             for i in range(n))


# ---------------------------------------------------------------------------
# Commands and timing


def command(variant, path, flags, plugin):
    clang, tidy = "clang++-" + LLVM, "clang-tidy-" + LLVM
    if variant == "parse":
        return [clang, "-fsyntax-only", path] + flags
    if variant == "tsa":
        return [clang, "-fsyntax-only", "-Wthread-safety", path] + flags
    # --config={} keeps a project's .clang-tidy (options, WarningsAsErrors)
    # out of the measurement.
    if variant == "sendsync":
        return [tidy, "--load=" + plugin, "--config={}", "--checks=-*,sendsync-*",
                "--quiet", path, "--"] + flags
    # clang-tidy's floor: one check whose one AST matcher (anonymous
    # namespaces in headers) costs next to nothing. Any check set pays the
    # matcher traversal of the whole AST; with no check enabled at all,
    # clang-tidy costs no more than the parse. (llvm-header-guard, the
    # floor before, also checks every header's guard: ~130M instructions
    # on a TU with the standard headers, which flattered the ratio.)
    if variant == "floor":
        return [tidy, "--config={}", "--checks=-*,google-build-namespaces", "--quiet",
                path, "--"] + flags
    return [tidy, "--config={}", "--checks=" + COMMON_CHECKS, "--quiet", path,
            "--"] + flags


def timed(cmd):
    start = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, errors="replace")
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit("command failed (%d): %s\n%s" % (
            r.returncode, " ".join(shlex.quote(c) for c in cmd), r.stderr[-3000:]))
    return elapsed, r.stdout + r.stderr


def count_findings(output, prefix):
    return len(re.findall(r"warning: .*\[(%s)[^\]]*\]" % prefix, output))


def uptime():
    try:
        return subprocess.run(["uptime"], stdout=subprocess.PIPE,
                              universal_newlines=True).stdout.strip()
    except OSError:
        return "load average: %.2f, %.2f, %.2f" % os.getloadavg()


def wait_for_load(limit, poll, longest):
    """Waits until the 1-minute load average is below `limit`."""
    start = time.time()
    while os.getloadavg()[0] >= limit and time.time() - start < longest:
        print("load %.2f >= %.2f, waiting" % (os.getloadavg()[0], limit),
              flush=True)
        time.sleep(poll)
    return {"limit": limit, "waited_s": round(time.time() - start),
            "reached": os.getloadavg()[0] < limit}


def flags_from_compdb(dbs, path):
    """The compile flags of `path` in one of `dbs`, without warnings,
    optimization, output and the source itself."""
    path = os.path.realpath(path)
    for db in dbs:
        with open(db) as f:
            entries = json.load(f)
        for e in entries:
            src = os.path.realpath(os.path.join(e.get("directory", ""), e["file"]))
            if src != path:
                continue
            args = e.get("arguments") or shlex.split(e["command"])
            out, skip = [], False
            for a in args[1:]:
                if skip:
                    skip = False
                elif a in ("-o", "-MF", "-MT", "-MQ"):
                    skip = True
                elif a == "-c" or a.startswith(("-W", "-O", "-g", "-M")):
                    pass
                elif os.path.realpath(os.path.join(e.get("directory", ""), a)) == path:
                    pass
                else:
                    out.append(a)
            return out
    sys.exit("no compile command for %s in %s" % (path, ", ".join(dbs) or "(no --compdb)"))


def real_name(path):
    parts = os.path.normpath(path).split(os.sep)
    return "/".join(parts[-3:])


def count_instructions(args, data, tus, add, plugin):
    """Instruction counts of parse, floor and sendsync on the TUs named by
    --callgrind-lines and --callgrind-crossings, into data["callgrind"]."""
    wanted = [("lines", int(n)) for n in args.callgrind_lines.split(",") if n] + \
        [("crossings", int(n)) for n in args.callgrind_crossings.split(",") if n] + \
        [("pointers", int(n)) for n in args.callgrind_pointers.split(",") if n]
    for axis, n in wanted:
        name = "%s %d" % (axis, n)
        tu = next((t for t in tus if t["name"] == name), None)
        if tu is None:
            if axis == "lines":
                src, nc = lines_tu(n)
                add(axis, src.count("\n"), name, src=src, crossings=nc)
            elif axis == "pointers":
                add(axis, n, name, src=pointers_tu(n), crossings=n * 9)
            else:
                add(axis, n, name, src=crossings_tu(n), crossings=n)
            tu = tus.pop()
        print("callgrind on %s ..." % name, flush=True)
        parse, floor, sendsync = callgrind(
            [command(v, tu["path"], tu["flags"], plugin)
             for v in ("parse", "floor", "sendsync")])
        entry = {"tu": size_label(tu), "axis": axis, "lines": tu["lines"],
                 "crossings": tu["crossings"], "parse": parse, "floor": floor,
                 "sendsync": sendsync}
        data["callgrind"] = [c for c in data["callgrind"] if c["tu"] != entry["tu"]]
        data["callgrind"].append(entry)
    order = {"lines": 0, "crossings": 1, "pointers": 2}
    data["callgrind"].sort(key=lambda c: (order.get(c.get("axis", "lines"), 3),
                                          c["lines"]))


def callgrind(cmds):
    """Instructions executed by each command and its children (valgrind),
    the commands run side by side: the counts do not depend on the load."""
    procs = [subprocess.Popen(["valgrind", "--tool=callgrind", "--trace-children=yes",
                               "--callgrind-out-file=/dev/null"] + cmd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              universal_newlines=True, errors="replace")
             for cmd in cmds]
    out = []
    for cmd, p in zip(cmds, procs):
        err = p.communicate()[1]
        counts = [int(c) for c in re.findall(r"Collected : (\d+)", err)]
        if p.returncode != 0 or not counts:
            sys.exit("callgrind failed: %s\n%s" % (" ".join(cmd), err[-2000:]))
        out.append(sum(counts))
    return out


# ---------------------------------------------------------------------------
# Summaries


def is_big(tu):
    return (tu["axis"] == "lines" and tu["size"] >= 50000) or \
        (tu["axis"] == "crossings" and tu["size"] >= 5000)


def ratios(tu, variant):
    return [v / p for p, v in zip(tu["times"]["parse"], tu["times"][variant])]


def affine_fit(xs, ys):
    """Least squares y = a + b x; returns a, b, R^2."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    return a, b, (1 - ss_res / ss_tot) if ss_tot else 1.0


def axis_points(data, axis):
    """(size, tu) for the empty TU and the axis' TUs, by size."""
    base = [t for t in data["tus"] if t["axis"] == "empty"]
    pts = [(0, t) for t in base]
    pts += sorted(((t["size"], t) for t in data["tus"] if t["axis"] == axis),
                  key=lambda p: p[0])
    return pts


def growth(data, axis):
    """Per variant: the affine fit of median time against size, and the
    exponent of the time above the empty TU (1 = linear)."""
    pts = axis_points(data, axis)
    if len(pts) < 3 or pts[0][0] != 0:
        return {}
    out = {}
    for v in VARIANTS:
        xs = [p[0] for p in pts]
        ys = [statistics.median(p[1]["times"][v]) for p in pts]
        a, b, r2 = affine_fit(xs, ys)
        above = [(x, y - ys[0]) for x, y in zip(xs[1:], ys[1:]) if y > ys[0]]
        expo = None
        if len(above) >= 2:
            _, expo, _ = affine_fit([math.log(x) for x, _ in above],
                                    [math.log(y) for _, y in above])
        out[v] = {"t0": a, "per_unit": b, "r2": r2, "exponent": expo}
    return out


def fmt_exp(e):
    return "-" if e is None else "%.2f" % e


def fmt_ratio(rs):
    return "%.3f (%.3f-%.3f)" % (statistics.median(rs), min(rs), max(rs))


def size_label(tu):
    if tu["axis"] == "lines":
        return "%s lines (%d crossings)" % (format(tu["lines"], ","), tu["crossings"])
    if tu["axis"] == "crossings":
        return "%s crossings (%s lines)" % (format(tu["size"], ","), format(tu["lines"], ","))
    if tu["axis"] == "pointers":
        return "%s pointer-heavy functions (%s crossings, %s lines)" % (
            format(tu["size"], ","), format(tu["crossings"], ","),
            format(tu["lines"], ","))
    if tu["axis"] == "empty":
        return "prelude only (%d lines)" % tu["lines"]
    return "`%s`" % tu["name"]


def table(tus):
    head = ["TU", "rounds", "parse median (s)", "sendsync", "tsa", "common",
            "sendsync findings"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in tus:
        rows.append("| %s | %d | %.2f | %s | %s | %s | %s |" % (
            size_label(t), len(t["times"]["parse"]),
            statistics.median(t["times"]["parse"]),
            fmt_ratio(ratios(t, "sendsync")), fmt_ratio(ratios(t, "tsa")),
            fmt_ratio(ratios(t, "common")), t.get("findings", "")))
    return "\n".join(rows)


def growth_table(g, unit, scale):
    rows = ["| variant | time at size 0 (s) | added s per %s | R^2 of the line | exponent of the time above the prelude |" % unit,
            "|---|---|---|---|---|"]
    for v in VARIANTS:
        if v not in g:
            continue
        f = g[v]
        rows.append("| %s | %.2f | %.4f | %.4f | %s |" % (
            VARIANT_LABEL[v], f["t0"], f["per_unit"] * scale, f["r2"],
            "%.2f" % f["exponent"] if f["exponent"] is not None else "-"))
    return "\n".join(rows)


def verdict(data):
    worst = max((statistics.median(ratios(t, "sendsync")), size_label(t))
                for t in data["tus"])
    lin = {axis: growth(data, axis) for axis in ("lines", "crossings")}
    # Linear: a line explains the median times and the time above the
    # prelude grows with an exponent of about one.
    lin_ok = all(g["sendsync"]["r2"] >= 0.99 and g["sendsync"]["exponent"] is not None
                 and 0.9 <= g["sendsync"]["exponent"] <= 1.1
                 for g in lin.values() if g)
    return worst, worst[0] <= TARGET, lin, lin_ok


def report(data):
    m = data["meta"]
    out = ["# Checker cost relative to `clang++ -fsyntax-only`", ""]
    out.append("Generated by `%s` on %s (checkout at %s), LLVM %s, %s vCPUs. "
               "Each cell is the variant's time over the parse's time of the "
               "same TU in the same round: median (min-max) over the rounds. "
               "Seconds of the parse alone are there for scale only; compare "
               "ratios, not seconds, across runs." % (
                   m["command"], m["date"], m["commit"], LLVM, m["cpus"]))
    out.append("")
    out.append("Variants, run in the same round one after the other in an order "
               "that rotates per round:")
    out.append("")
    for v in VARIANTS:
        out.append("- **%s**: `%s`" % (v, VARIANT_LABEL[v] if v != "common" else
                                       "clang-tidy " + m.get("common_checks", COMMON_CHECKS)))
    out.append("")
    out.append("`common` is the kind of check set projects run in CI: every "
               "`bugprone-*` and `performance-*` check and "
               "`modernize-use-nullptr`, less "
               "`performance-unnecessary-value-param`, whose time grows with the "
               "square of the TU (for each by-value parameter it flags it "
               "searches the whole TU for uses of the function: more than half "
               "of the set's time at 1,000 crossings) and would take hours on "
               "the largest TUs here. "
               "clang-tidy's own default (`clang-diagnostic-*,clang-analyzer-*`) "
               "runs the static analyzer, several times the parse, and is not "
               "measured.")
    out.append("")
    w = m["load_wait"]
    out.append("Load average (`uptime`): at start `%s`; %s; at the end `%s`." % (
        m["uptime_start"],
        "no wait" if w is None else
        ("waited %d s for the 1-minute load to fall below %.1f: `%s`" % (
            w["waited_s"], w["limit"], m["uptime_after_wait"])
         if w["reached"] else
         "the 1-minute load stayed at or above %.1f for %d s, so the rounds ran "
         "anyway: `%s`" % (w["limit"], w["waited_s"], m["uptime_after_wait"])),
        m["uptime_end"]))
    big = [size_label(t) for t in data["tus"] if is_big(t)]
    out.append("%d rounds%s. The timed rounds took %d s in all." % (
        m["rounds"], "; %s: %d rounds, each of their runs taking from half a "
        "minute to minutes" % (" and ".join(big), m["big_rounds"]) if big else "",
        m["elapsed_s"]))
    out.append("")

    worst, wall_ok, lin, lin_ok = verdict(data)
    cg = data.get("callgrind") or []
    instr_ok = all(c["sendsync"] / c["parse"] <= TARGET for c in cg)
    status = ("met" if wall_ok and instr_ok else "not met" if not cg or not
              (wall_ok or instr_ok) else "met in instructions, not in "
              "wall-clock time" if instr_ok else "met in wall-clock time, not "
              "in instructions")
    tsa = [statistics.median(ratios(t, "tsa")) for t in data["tus"]]
    out.append("## Targets")
    out.append("")
    out.append("- At most %.2fx the parse alone: **%s**." % (TARGET, status))
    if cg:
        out.append("  In instructions (deterministic, below): %s; clang-tidy "
                   "itself, with a check that does nothing here, is already at "
                   "%s." % (
                       ", ".join("%.3fx on %s" % (c["sendsync"] / c["parse"], c["tu"])
                                 for c in cg),
                       ", ".join("%.3fx" % (c["floor"] / c["parse"]) for c in cg)))
    out.append("  In wall-clock time the sendsync run's median ratios are at "
               "most %.3f, on %s; the tsa reference, which adds little work "
               "to the parse, has medians from %.3f to %.3f in the same "
               "rounds, a measure of this run's noise." % (
                   worst[0], worst[1], min(tsa), max(tsa)))
    if cg:
        floor_ok = all(c["sendsync"] / c["floor"] <= FLOOR_TARGET for c in cg)
        out.append("- At most %.2fx clang-tidy's floor, in instructions: "
                   "**%s** (%s)." % (
                       FLOOR_TARGET, "met" if floor_ok else "not met",
                       ", ".join("%.3fx on %s" % (c["sendsync"] / c["floor"], c["tu"])
                                 for c in cg)))
    if any(lin.values()):
        out.append("- Linear in TU size: **%s**. %s." % (
            "met" if lin_ok else "not met", "; ".join(
                "%s, the sendsync run's median times lie on a line with "
                "R^2 = %.4f and its time above the prelude grows with size to "
                "the power %s (the parse's: %s; 1 is linear)" % (
                    "Over lines" if axis == "lines" else "over crossings",
                    g["sendsync"]["r2"], fmt_exp(g["sendsync"]["exponent"]),
                    fmt_exp(g["parse"]["exponent"]))
                for axis, g in lin.items() if g)))
    out.append("")

    for axis, title, unit, scale, png in (
            ("lines", "Size in lines", "1k lines", 1000, "checker-lines.png"),
            ("crossings", "Size in crossings", "1k crossings", 1000,
             "checker-crossings.png")):
        tus = [t for _, t in axis_points(data, axis)]
        if not tus:
            continue
        out.append("## " + title)
        out.append("")
        if axis == "lines":
            out.append("Application-like code: modules of about 300 lines, each "
                       "with its own record type (deep `Deep<8>` and recursive "
                       "`Node` members), a mutex-guarded store, a virtual "
                       "override, fifteen ordinary functions and two crossings "
                       "(one crossing per ~150 lines). Lines are the TU's own; "
                       "the standard headers it includes add about 70k more "
                       "(non-blank, after preprocessing).")
        else:
            out.append("Nothing but crossings, one per line, so the parse per "
                       "crossing is small and the checker's share large: "
                       "`std::thread` or `std::async` over a function with "
                       "`Deep<20>` and `Node *` arguments, `std::ref` "
                       "arguments under a mutex, and one lambda in ten (half of "
                       "them with a not-Send capture).")
        out.append("")
        out.append(table(tus))
        out.append("")
        if axis == "crossings":
            out.append("Findings are the sendsync warnings of the first round. "
                       "Three crossings in ten pass `std::ref(mu)` and "
                       "`std::ref(total)` to a function that locks `mu` before "
                       "writing `total`, as the spawning thread does: "
                       "`sendsync-shared` reports each of them, since it does "
                       "not tie the lock taken on the reference parameter to "
                       "the caller's mutex. They are false positives, kept "
                       "because a finding's cost is part of the checker's.")
            out.append("")
        g = growth(data, axis)
        if g:
            out.append("Median time against size, least squares (size 0 is the "
                       "prelude alone); the exponent is the slope of log(time "
                       "above the prelude) against log(size):")
            out.append("")
            out.append(growth_table(g, unit, scale))
            out.append("")
        if data.get("plots"):
            out.append("![time against %s](%s)" % (axis, png))
            out.append("")

    real = [t for t in data["tus"] if t["axis"] == "real"]
    if real:
        out.append("## Real translation units")
        out.append("")
        out.append("Sources read in place, compile flags from each project's "
                   "`compile_commands.json` without its warning flags; nothing "
                   "of them is in this repository.")
        out.append("")
        out.append(table(real))
        out.append("")

    cg = data.get("callgrind")
    if cg:
        out.append("## Instruction counts")
        out.append("")
        out.append("callgrind (`valgrind --tool=callgrind`), deterministic: the "
                   "same counts on a loaded or an idle machine.%s" % (
                       " Some rows were counted in a separate run: `%s`." % m["callgrind_command"]
                       if m.get("callgrind_command") else ""))
        out.append("")
        out.append("`floor` is clang-tidy with one check whose one AST matcher "
                   "costs next to nothing (`-*,google-build-namespaces`): what "
                   "any clang-tidy run costs over `clang++ -fsyntax-only`, "
                   "chiefly the matchers' traversal of the whole AST, before "
                   "the checks do any work.")
        out.append("")
        out.append("| TU | parse | floor | sendsync | floor / parse | sendsync / parse | sendsync / floor |")
        out.append("|---|---|---|---|---|---|---|")
        for c in cg:
            out.append("| %s | %s | %s | %s | %.3f | %.3f | %.3f |" % (
                c["tu"], format(c["parse"], ","), format(c["floor"], ","),
                format(c["sendsync"], ","), c["floor"] / c["parse"],
                c["sendsync"] / c["parse"], c["sendsync"] / c["floor"]))
        by_lines = [c for c in cg if c.get("axis", "lines") == "lines"]
        if len(by_lines) >= 2:
            a, b = by_lines[0], by_lines[-1]
            if b["lines"] != a["lines"]:
                out.append("")
                dl = b["lines"] - a["lines"]
                per = {k: (b[k] - a[k]) / dl for k in ("parse", "floor", "sendsync")}
                out.append("From the smaller TU to the larger, each line costs "
                           "the parse %s instructions, clang-tidy's floor %s "
                           "more and the checks %s more again: the ratio a "
                           "much larger TU of such code tends to is %.3f." % (
                               format(round(per["parse"]), ","),
                               format(round(per["floor"] - per["parse"]), ","),
                               format(round(per["sendsync"] - per["floor"]), ","),
                               per["sendsync"] / per["parse"]))
        out.append("")
    if m.get("notes"):
        out.append("## Notes")
        out.append("")
        out += ["- " + n for n in m["notes"]]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def plot(data, out_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colors = {"parse": "black", "tsa": "tab:green", "sendsync": "tab:red",
              "common": "tab:blue"}
    short = {"parse": "parse: clang++ -fsyntax-only",
             "tsa": "tsa: ... -Wthread-safety",
             "sendsync": "sendsync: clang-tidy -*,sendsync-*",
             "common": "common: clang-tidy bugprone-*,performance-*,..."}
    written = []
    for axis, xlabel, png in (("lines", "TU size (lines of its own code)",
                               "checker-lines.png"),
                              ("crossings", "crossings in the TU",
                               "checker-crossings.png")):
        pts = axis_points(data, axis)
        if len(pts) < 2:
            continue
        fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(16, 4.8))
        g = growth(data, axis)
        xs = [p[0] for p in pts]
        for v in VARIANTS:
            med = [statistics.median(p[1]["times"][v]) for p in pts]
            lo = [m - min(p[1]["times"][v]) for m, p in zip(med, pts)]
            hi = [max(p[1]["times"][v]) - m for m, p in zip(med, pts)]
            ax1.errorbar(xs, med, yerr=[lo, hi], fmt="o", color=colors[v],
                         label=short[v], capsize=3, ms=4)
            if v in g:
                f = g[v]
                ax1.plot([0, xs[-1]], [f["t0"], f["t0"] + f["per_unit"] * xs[-1]],
                         "-", color=colors[v], lw=1, alpha=0.7)
                above = [(x, y - med[0]) for x, y in zip(xs[1:], med[1:]) if y > med[0]]
                if above:
                    ax2.loglog([a for a, _ in above], [b for _, b in above], "o-",
                               color=colors[v], ms=4, lw=1,
                               label="%s: slope %.2f" % (v, f["exponent"])
                               if f["exponent"] is not None else v)
            if v in ("sendsync", "tsa"):
                rs = [ratios(p[1], v) for p in pts]
                ax3.errorbar([max(x, 1) for x in xs], [statistics.median(r) for r in rs],
                             yerr=[[statistics.median(r) - min(r) for r in rs],
                                   [max(r) - statistics.median(r) for r in rs]],
                             fmt="o-", color=colors[v], capsize=3, ms=4, lw=1, label=v)
        ax1.set_xlabel(xlabel)
        ax1.set_ylabel("seconds (median, min-max bars)")
        ax1.set_title("time against size, fitted lines")
        ax1.legend(fontsize=7, loc="upper left")
        ax2.set_xlabel(xlabel)
        ax2.set_ylabel("seconds above the prelude-only TU")
        ax2.set_title("log-log: slope 1 is linear")
        if ax2.get_lines():
            x0, x1 = min(x for x in xs if x > 0), xs[-1]
            ax2.loglog([x0, x1], [0.5 * x0 / x0, 0.5 * x1 / x0], ":", color="grey",
                       label="slope 1")
            ax2.legend(fontsize=7)
        ax3.set_xscale("log")
        ax3.axhline(TARGET, color="grey", ls="--", lw=1, label="target %.2fx" % TARGET)
        ax3.axhline(1.0, color="black", lw=0.5)
        ax3.set_xlabel(xlabel + " (prelude only at 1)")
        ax3.set_ylabel("time / parse time, same round")
        common = [statistics.median(ratios(p[1], "common")) for p in pts]
        ax3.set_title("ratio to clang++ -fsyntax-only\n(common: %.1f-%.1fx, off the scale)"
                      % (min(common), max(common)), fontsize=10)
        ax3.legend(fontsize=7)
        fig.tight_layout()
        path = os.path.join(out_dir, png)
        fig.savefig(path, dpi=100)
        plt.close(fig)
        written.append(path)
    return written


# ---------------------------------------------------------------------------


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build",
                    help="build directory holding lib/libSendSyncTidy.so")
    ap.add_argument("--plugin", default=None,
                    help="libSendSyncTidy.so (default BUILD/lib/); copied with "
                         "its libSendSyncTidyChecks-*.so to a temporary "
                         "directory, so a rebuild during the run does not matter")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--big-rounds", type=int, default=3,
                    help="rounds for the TUs of 50k lines or more and of 5k "
                         "crossings or more")
    ap.add_argument("--lines", default="1000,10000,100000",
                    help="sizes of the application-like TUs, in lines")
    ap.add_argument("--crossings", default="100,1000,10000",
                    help="sizes of the crossings-only TUs")
    ap.add_argument("--real", action="append", default=[],
                    help="FILE[::FLAG,FLAG...] a real TU (repeatable)")
    ap.add_argument("--compdb", action="append", default=[],
                    help="compile_commands.json to take --real flags from")
    ap.add_argument("--callgrind-lines", default="1000,10000",
                    help="lines-axis sizes to count instructions on ('' for none)")
    ap.add_argument("--callgrind-crossings", default="1000",
                    help="crossings-axis sizes to count instructions on")
    ap.add_argument("--callgrind-pointers", default="100,1000",
                    help="sizes (functions) of the pointer-heavy TUs to count "
                         "instructions on: heap argument blocks, pointer "
                         "copies and casts, member-function and function-object "
                         "threads, disjoint array halves")
    ap.add_argument("--callgrind-only", action="store_true",
                    help="no timed rounds: count instructions and add them to "
                         "the report whose JSON sits beside --out")
    ap.add_argument("--wait-load", type=float, default=1.5,
                    help="wait (30 s polls, up to 20 min) until the 1-minute "
                         "load average is below this; 0 to skip")
    ap.add_argument("--out", default="bench/results/checker.md")
    ap.add_argument("--no-plot", action="store_true")
    ap.add_argument("--replot", metavar="JSON",
                    help="rewrite the report and plots from a run's JSON")
    ap.add_argument("--smoke", action="store_true",
                    help="tiny sizes, one round, no waiting or callgrind, "
                         "everything written to a temporary directory")
    ap.add_argument("--keep", action="store_true", help="keep the generated TUs")
    ap.add_argument("--note", action="append", default=[],
                    help="a line for the report's Notes (repeatable)")
    return ap.parse_args(argv)


def command_line(argv):
    """The command, without --note (the notes are in the report)."""
    kept, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--note":
            skip = True
        elif not a.startswith("--note="):
            kept.append(shlex.quote(a))
    return " ".join(["bench/checker_cost.py"] + kept)


def write_outputs(data, out, no_plot):
    out_dir = os.path.dirname(os.path.abspath(out))
    os.makedirs(out_dir, exist_ok=True)
    raw = os.path.splitext(out)[0] + ".json"
    with open(raw, "w") as f:
        json.dump(data, f, indent=1)
    if not no_plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            sys.exit("no matplotlib for %s: run under /usr/bin/python3 with "
                     "python3-matplotlib installed (apt-get install "
                     "python3-matplotlib), then `%s --replot %s`" % (
                         sys.executable, sys.argv[0], raw))
        data["plots"] = [os.path.basename(p) for p in plot(data, out_dir)]
    text = report(data)
    with open(out, "w") as f:
        f.write(text)
    print(text)
    print("wrote %s%s" % (out, "".join(
        ", " + os.path.join(out_dir, p) for p in data.get("plots", []))))


def main(argv):
    args = parse_args(argv)
    if args.replot:
        with open(args.replot) as f:
            data = json.load(f)
        write_outputs(data, args.out, args.no_plot)
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    tmp = tempfile.mkdtemp(prefix="sendsync-checker-cost-")
    if args.smoke:
        args.rounds, args.lines, args.crossings = 1, "", ""
        args.callgrind_lines, args.callgrind_crossings, args.wait_load = "", "", 0
        args.callgrind_pointers = ""
        args.out = os.path.join(tmp, "results", "checker.md")

    plugin_src = args.plugin or os.path.join(args.build, "lib", "libSendSyncTidy.so")
    if not os.path.exists(plugin_src):
        sys.exit("no plugin at %s: build the project or pass --plugin" % plugin_src)
    plugin_dir = os.path.join(tmp, "plugin")
    os.makedirs(plugin_dir)
    for so in [plugin_src] + glob.glob(os.path.join(os.path.dirname(plugin_src),
                                                    "libSendSyncTidyChecks-*.so")):
        shutil.copy2(so, plugin_dir)
    plugin = os.path.join(plugin_dir, os.path.basename(plugin_src))

    flags = ["-std=c++20", "-I" + os.path.join(root, "include"),
             "-I" + os.path.join(root, "runtime", "include")]
    tus = []

    def add(axis, size, name, src=None, path=None, fl=flags, crossings=0):
        if src is not None:
            path = os.path.join(tmp, name.replace(" ", "_") + ".cpp")
            with open(path, "w") as f:
                f.write(src)
        with open(path, errors="replace") as f:
            lines = sum(1 for _ in f)
        tus.append({"axis": axis, "size": size, "name": name, "path": path,
                    "flags": fl, "lines": lines, "crossings": crossings,
                    "times": {v: [] for v in VARIANTS}})

    if args.callgrind_only:
        with open(os.path.splitext(args.out)[0] + ".json") as f:
            data = json.load(f)
        data["meta"]["callgrind_command"] = command_line(argv)
        try:
            count_instructions(args, data, tus, add, plugin)
            write_outputs(data, args.out, args.no_plot)
        finally:
            shutil.rmtree(tmp)
        return
    if args.smoke:  # one TU from both generators: a module and ten crossings
        src, nc = lines_tu(300)
        add("lines", src.count("\n"), "smoke", crossings=nc + 10,
            src=src + "".join(crossing(i) for i in range(10)))
    else:
        add("empty", 0, "prelude", src=PRELUDE)
    for n in [int(s) for s in args.lines.split(",") if s]:
        src, nc = lines_tu(n)
        add("lines", src.count("\n"), "lines %d" % n, src=src, crossings=nc)
    for n in [int(s) for s in args.crossings.split(",") if s]:
        add("crossings", n, "crossings %d" % n, src=crossings_tu(n), crossings=n)
    for spec in args.real:
        path, _, extra = spec.partition("::")
        fl = extra.split(",") if extra else flags_from_compdb(args.compdb, path)
        add("real", 0, real_name(path), path=os.path.abspath(path), fl=fl)

    meta = {"command": command_line(argv),
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
            "commit": subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                                     stdout=subprocess.PIPE, universal_newlines=True
                                     ).stdout.strip() or "?",
            "cpus": os.cpu_count(), "rounds": args.rounds,
            "common_checks": COMMON_CHECKS,
            "big_rounds": args.big_rounds,
            "uptime_start": uptime(), "load_wait": None, "notes": list(args.note)}
    if args.wait_load > 0:
        meta["load_wait"] = wait_for_load(args.wait_load, 30, 20 * 60)
        meta["uptime_after_wait"] = uptime()
    print(meta["uptime_start"], flush=True)

    # Warm the binaries, the plugin and the headers in the page cache.
    for v in VARIANTS if not args.smoke else []:
        timed(command(v, tus[0]["path"], tus[0]["flags"], plugin))

    start = time.time()
    for r in range(args.rounds):
        for i, tu in enumerate(tus):
            if is_big(tu) and r >= args.big_rounds:
                continue
            order = VARIANTS[(r + i) % 4:] + VARIANTS[:(r + i) % 4]
            for v in order:
                t, output = timed(command(v, tu["path"], tu["flags"], plugin))
                tu["times"][v].append(t)
                if r == 0 and v == "sendsync":
                    tu["findings"] = count_findings(output, "sendsync-")
            p = tu["times"]["parse"][-1]
            print("round %d %-28s parse %7.2f s  %s" % (
                r + 1, tu["name"], p, "  ".join(
                    "%s %.3f" % (v, tu["times"][v][-1] / p) for v in VARIANTS[1:])),
                flush=True)
    meta["elapsed_s"] = round(time.time() - start)
    meta["uptime_end"] = uptime()

    data = {"meta": meta, "tus": tus, "callgrind": []}
    count_instructions(args, data, tus, add, plugin)
    for tu in tus:
        tu.pop("flags")
        if tu["axis"] != "real":
            tu.pop("path")
    try:
        write_outputs(data, args.out, args.no_plot or args.smoke)
    finally:
        if args.keep:
            print("generated TUs kept in " + tmp)
        else:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    main(sys.argv[1:])
