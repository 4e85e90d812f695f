#!/usr/bin/python3
"""Runs the runtime benchmarks round-robin and writes the results.

Started by bench/run-runtime (which installs the peers and builds both
binaries); run it directly only with binaries you built yourself:

    driver.py --cpp build-bench/sendsync-bench \
              --rust build-bench/rust/release/sendsync-bench-rs \
              [--rounds 5] [--size 200000] [--out bench/results]

Method (this is a noisy 2-vCPU virtual machine, where wall-clock figures
swing by an order of magnitude between sessions):

  * every implementation, ours, the peers and the naive baseline, C++ and
    Rust alike, runs in the same invocation, one process per measurement,
    interleaved round-robin: in each round, every scenario runs every
    implementation (in an order rotated from round to round);
  * each measurement is a ratio to the baseline measured in the same round
    and scenario; the tables give the median over the rounds and the min-max;
  * absolute figures appear only for the baseline, for scale;
  * single-thread operation costs come from callgrind (instructions, which
    do not depend on the machine's load) and are the figures to compare over
    time.

Writes OUT/runtime.md, OUT/runtime.json (every raw figure) and
OUT/runtime-*.png.

    driver.py ... --suites rwlock --rounds 11 --update bench/results/runtime.json

re-measures only the suites named (and the instruction counts of their
operations) with the saved run's size, capacity and repetitions, replaces
those figures in the saved JSON, records when, at which commit and under
what load, and rewrites the tables from it: after a change to one primitive,
its rows are current and the report says which rows come from which run.
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

SUITES = ("channel", "lock", "rwlock", "pool")

# Column order of the tables: the scenarios as the issue lists them.
SCENARIO_ORDER = {
    "channel": ["1p1c-bounded", "1p1c-unbounded", "4p1c-bounded",
                "4p1c-unbounded", "1p4c-bounded", "1p4c-unbounded",
                "pingpong-bounded", "pingpong-unbounded"],
    "lock": ["uncontended", "contended-2t", "contended-4t"],
    "rwlock": ["read-1t", "read-2t", "mixed-4t"],
    "pool": ["throughput", "fanout-64"],
}

# What one operation is, per suite and scenario, for the tables' headers.
UNITS = {
    "channel": "ns per message (ping-pong: per round trip)",
    "lock": "ns per lock/increment/unlock",
    "rwlock": "ns per locked read (mixed-4t: 1 write in 10)",
    "pool": "ns per task (fanout-64: per round of 64 tasks)",
}

# Operations per measurement, as a function of --size, chosen so that each
# measurement takes roughly the same time (about 0.05-0.3 s here) whatever
# its per-operation cost.
def ops_for(suite, scenario, size):
    if suite == "channel":
        n = size // 20 if scenario.startswith("pingpong") else size
    elif suite in ("lock", "rwlock"):
        n = size * 2
    elif scenario == "fanout-64":
        n = size // 200
    else:
        n = size // 2
    return max(4, n - n % 4)  # divisible among 1, 2 and 4 threads


def sh(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def list_cases(binaries):
    """{(suite, scenario, impl): (binary, note)} and [(name, impl, binary)]."""
    cases, ops = {}, []
    for lang, binary in binaries:
        for line in sh([binary, "list"]).splitlines():
            parts = line.split("\t")
            if parts[0] == "case":
                _, suite, scenario, impl, note = parts
                cases[(suite, scenario, impl)] = (binary, note, lang)
            elif parts[0] == "op":
                ops.append((parts[1], parts[2], binary, lang))
    return cases, ops


def run_case(binary, suite, scenario, impl, ops, args):
    cmd = [binary, "run", "--suite", suite, "--scenario", scenario,
           "--impl", impl, "--ops", str(ops), "--capacity", str(args.capacity),
           "--reps", str(args.reps)]
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                             timeout=args.timeout).stdout
        return json.loads(out.strip().splitlines()[-1])["ns_per_op"], None
    except subprocess.TimeoutExpired:
        return None, f"timed out after {args.timeout} s"
    except subprocess.CalledProcessError as e:
        return None, f"exit {e.returncode}: {e.stderr.strip()[-300:]}"
    except (ValueError, KeyError, IndexError) as e:
        return None, f"bad output: {e}"


def measure(cases, args, log):
    """raw[suite][scenario][impl] = [ns per op per round, None if failed]."""
    raw, errors = {}, []
    grouped = {}
    for (suite, scenario, impl) in cases:
        if suite in args.suites:
            grouped.setdefault((suite, scenario), []).append(impl)
    keys = sorted(grouped, key=lambda k: (SUITES.index(k[0]),
                                          order_index(k[0], k[1])))
    loads = []
    for r in range(args.rounds):
        loads.append(load_average())
        log(f"round {r + 1}/{args.rounds} (load {loads[-1]})")
        for suite, scenario in keys:
            impls = sorted(grouped[(suite, scenario)])
            k = r % len(impls)
            for impl in impls[k:] + impls[:k]:  # rotate: no fixed position
                binary = cases[(suite, scenario, impl)][0]
                ns, err = run_case(binary, suite, scenario, impl,
                                   ops_for(suite, scenario, args.size), args)
                raw.setdefault(suite, {}).setdefault(scenario, {}) \
                   .setdefault(impl, []).append(ns)
                if err:
                    errors.append(f"{suite}/{scenario}/{impl} round {r + 1}: {err}")
                    log("  FAILED " + errors[-1])
    return raw, errors, loads


def order_index(suite, scenario):
    order = SCENARIO_ORDER.get(suite, [])
    return order.index(scenario) if scenario in order else len(order)


def summarise(raw):
    """stats[suite][scenario][impl] = dict(median, lo, hi, n) of the in-round
    ratios to the baseline; plus the baseline's own median ns/op."""
    stats = {}
    for suite, scenarios in raw.items():
        for scenario, impls in scenarios.items():
            base = impls.get("baseline")
            if not base:
                continue
            entry = stats.setdefault(suite, {}).setdefault(scenario, {})
            good_base = [b for b in base if b]
            entry["_baseline_ns"] = (statistics.median(good_base)
                                     if good_base else None)
            for impl, values in impls.items():
                ratios = [v / b for v, b in zip(values, base) if v and b]
                if ratios:
                    entry[impl] = dict(median=statistics.median(ratios),
                                       lo=min(ratios), hi=max(ratios),
                                       n=len(ratios))
    return stats


def paired(raw, suite, scenario, ours, theirs):
    """Median and min-max over rounds of ours/theirs measured in the same
    round, or None."""
    impls = raw.get(suite, {}).get(scenario, {})
    a, b = impls.get(ours), impls.get(theirs)
    if not a or not b:
        return None
    ratios = [x / y for x, y in zip(a, b) if x and y]
    if not ratios:
        return None
    return statistics.median(ratios), min(ratios), max(ratios)


# ---------------------------------------------------------------------------
# callgrind
# ---------------------------------------------------------------------------

def callgrind(ops, args, log):
    """{(name, impl): instructions per operation}."""
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, impl, binary, _ in ops:
            if args.smoke and impl not in ("sendsync", "crossbeam"):
                continue
            out = os.path.join(tmp, "cg.out")
            counts = []
            # Two lengths: the difference cancels the fixed cost of entering
            # sendsync_bench_ops, and a mismatch would reveal a non-linear
            # (amortised) cost such as a growing buffer.
            for n in (args.callgrind_ops, 2 * args.callgrind_ops):
                cmd = ["valgrind", "--tool=callgrind",
                       "--toggle-collect=sendsync_bench_ops",
                       f"--callgrind-out-file={out}", binary, "ops",
                       "--name", name, "--impl", impl, "--n", str(n),
                       "--capacity", str(args.capacity)]
                try:
                    subprocess.run(cmd, check=True, capture_output=True,
                                   text=True, timeout=600)
                except (subprocess.CalledProcessError,
                        subprocess.TimeoutExpired) as e:
                    log(f"  callgrind {name}/{impl} FAILED: {e}")
                    counts = None
                    break
                counts.append(read_callgrind_total(out))
            if counts and None not in counts:
                result[(name, impl)] = (counts[1] - counts[0]) / args.callgrind_ops
                log(f"  callgrind {name:28} {impl:20} "
                    f"{result[(name, impl)]:8.1f} instructions/op")
    return result


def read_callgrind_total(path):
    with open(path) as f:
        for line in f:
            m = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if m:
                return int(m.group(1))
    return None


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

def fmt_ratio(s):
    if not s:
        return "—"
    return f"{s['median']:.2f} ({s['lo']:.2f}–{s['hi']:.2f})"


def fmt_ns(ns):
    if ns is None:
        return "—"
    if ns >= 10000:
        return f"{ns / 1000:.1f} µs"
    return f"{ns:.0f} ns" if ns >= 100 else f"{ns:.1f} ns"


def impl_order(suite, impls, cases):
    def key(impl):
        lang = next((c[2] for k, c in cases.items()
                     if k[0] == suite and k[2] == impl), "cpp")
        return (impl != "baseline", not impl.startswith("sendsync"),
                lang, impl)
    return sorted(impls, key=key)


def write_markdown(path, args, stats, raw, cases, cg, errors, meta):
    L = []
    L.append("# Runtime benchmarks: sendsync against its peers")
    L.append("")
    L.append(f"Generated by `bench/run-runtime {' '.join(meta['argv'])}` on "
             f"{meta['date']} at commit `{meta['commit']}`.")
    L.append("How the figures are made, and what they mean: "
             "[bench/README.md](../README.md#runtime-benchmarks).")
    L.append("")
    L.append(f"- Machine: {meta['machine']}; compilers: {meta['cxx']}, "
             f"{meta['rustc']}.")
    L.append(f"- Load average (1, 5, 15 min) at the start: {meta['load_start']};"
             f" at the end: {meta['load_end']}; at the start of each round: "
             f"{'; '.join(meta['round_loads'])}.")
    L.append(f"- {args.rounds} round{'s' if args.rounds != 1 else ''}, "
             f"interleaved round-robin; size "
             f"{args.size}; bounded channels hold {args.capacity} messages; "
             f"each measurement is the median of {args.reps} runs in one "
             f"process after a warm-up; wall time {meta['elapsed']}.")
    updates = meta.get("updates", [])
    for i, u in enumerate(updates):
        # An earlier re-measurement whose suites a later one measured again
        # is history: say so, lest its line read as the source of a figure.
        later = {s for v in updates[i + 1:] for s in v["suites"]}
        superseded = set(u["suites"]) <= later
        L.append(f"- Re-measured by `bench/run-runtime {' '.join(u['argv'])}`"
                 f" on {u['date']} at commit `{u['commit']}`: the "
                 f"{', '.join(u['suites'])} suite{'s' if len(u['suites']) != 1 else ''}"
                 f" ({u['rounds']} round{'s' if u['rounds'] != 1 else ''};"
                 f" load {u['load_start']} at the "
                 f"start, {u['load_end']} at the end; wall time "
                 f"{u['elapsed']})"
                 + (f" and the instruction counts of {', '.join(u['ops'])}"
                    if u['ops'] else "")
                 + (f"; {u['note']}" if u.get('note') else "")
                 + (". Its figures were replaced by the re-measurement below."
                    if superseded else
                    ". Every other figure is from the run above."))
    L.append("")
    L.append("Each cell: **time per operation as a ratio to the naive "
             "baseline measured in the same round** (lower is better; 0.50 = "
             "twice as fast as the baseline), median over the rounds, "
             "min–max in parentheses. The first row gives the baseline's "
             "median absolute time, for scale only: absolute figures are not "
             "comparable across runs on this machine. — : the implementation "
             "does not support the scenario.")
    L.append("")
    titles = {
        "channel": "Channels (baseline: `std::mutex` + `std::condition_variable` + `std::deque`)",
        "lock": "Mutexes (baseline: `std::mutex` + a `uint64_t`)",
        "rwlock": "Reader-writer locks (baseline: `std::shared_mutex`)",
        "pool": "Thread pools (baseline: 2 threads on one `std::mutex` + `std::condition_variable` + `std::deque<std::function>`)",
    }
    for suite in SUITES:
        if suite not in stats:
            continue
        scenarios = sorted(stats[suite], key=lambda s: order_index(suite, s))
        impls = set()
        for sc in scenarios:
            impls |= {k for k in stats[suite][sc] if not k.startswith("_")}
        for sc in scenarios:
            impls |= set(raw[suite][sc])
        impls = impl_order(suite, impls, cases)
        L.append(f"## {titles[suite]}")
        L.append("")
        L.append(f"Unit: {UNITS[suite]}.")
        L.append("")
        L.append("| implementation | " + " | ".join(scenarios) + " | how it is driven |")
        L.append("|---|" + "---|" * len(scenarios) + "---|")
        L.append("| *baseline, absolute median* | " + " | ".join(
            fmt_ns(stats[suite][sc].get("_baseline_ns")) for sc in scenarios)
            + " | |")
        for impl in impls:
            note = next((c[1] for k, c in cases.items()
                         if k[0] == suite and k[2] == impl), "")
            lang = next((c[2] for k, c in cases.items()
                         if k[0] == suite and k[2] == impl), "")
            name = f"**{impl}**" if impl.startswith("sendsync") else impl
            if lang == "rust":
                name += " (Rust)"
            cells = []
            for sc in scenarios:
                s = stats[suite][sc].get(impl)
                if s is None and impl in raw[suite][sc]:
                    cells.append("failed")
                else:
                    cells.append(fmt_ratio(s))
            L.append(f"| {name} | " + " | ".join(cells) + f" | {note} |")
        L.append("")
        L.append(f"![{suite}](runtime-{suite}.png)")
        L.append("")

    L.append("## Targets")
    L.append("")
    L.append("In-round ratios of ours to the peer named (median over the "
             "rounds, min–max); met when the median is at or under the "
             "bound.")
    L.append("")
    L.append("| target | scenario | ours / peer | bound | met? |")
    L.append("|---|---|---|---|---|")

    def target_row(label, suite, scenario, ours, theirs, bound):
        p = paired(raw, suite, scenario, ours, theirs)
        if p is None:
            return
        met = "yes" if p[0] <= bound else "**no**"
        # Three decimals: a median of 1.004 must not read as a met 1.00.
        L.append(f"| {label} | {scenario} | {p[0]:.3f} ({p[1]:.2f}–{p[2]:.2f})"
                 f" | ≤ {bound:.2f} | {met} |")

    for sc in SCENARIO_ORDER["channel"]:
        target_row("channel ≥ crossbeam-channel throughput", "channel", sc,
                   "sendsync", "crossbeam", 1.0)
    target_row("spsc_channel ≥ crossbeam-channel", "channel", "1p1c-bounded",
               "sendsync-spsc", "crossbeam", 1.0)
    target_row("spsc_channel ≥ crossbeam-channel", "channel",
               "pingpong-bounded", "sendsync-spsc", "crossbeam", 1.0)
    for sc in SCENARIO_ORDER["lock"]:
        target_row("`Mutex<T>` within 5% of `std::mutex`", "lock", sc,
                   "sendsync", "baseline", 1.05)
    for sc in SCENARIO_ORDER["pool"]:
        target_row("pool ≥ `tbb::task_group` (small tasks)", "pool", sc,
                   "sendsync", "tbb-task-group", 1.0)
    # Issue 17's intermediate goal for the pool.
    target_row("pool fan-out within 2x `tbb::task_group` (issue 17)", "pool",
               "fanout-64", "sendsync", "tbb-task-group", 2.0)
    if cg:
        ours = cg.get(("channel.send_recv.bounded", "sendsync"))
        theirs = cg.get(("channel.send_recv.bounded", "crossbeam"))
        if ours is not None and theirs is not None:
            met = "yes" if ours <= theirs else "**no**"
            L.append(f"| instructions per send+recv ≤ crossbeam bounded | "
                     f"callgrind | {ours:.0f} / {theirs:.0f} | ≤ {theirs:.0f} "
                     f"| {met} |")
        # Issue 17's bounds: no more than before its changes (141 and 168
        # instructions per send+recv), and a read or write lock+unlock of
        # RwLock<T> in at most 30.
        for name, label, bound in (
                ("channel.send_recv.bounded",
                 "bounded send+recv ≤ 141 instructions (issue 17)", 141),
                ("channel.send_recv.unbounded",
                 "unbounded send+recv ≤ 168 instructions (issue 17)", 168),
                ("rwlock.read", "`RwLock<T>` read lock+unlock ≤ 30 "
                 "instructions (issue 17)", 30),
                ("rwlock.write", "`RwLock<T>` write lock+unlock ≤ 30 "
                 "instructions (issue 17)", 30)):
            v = cg.get((name, "sendsync"))
            if v is not None:
                met = "yes" if v <= bound else "**no**"
                L.append(f"| {label} | callgrind | {v:.0f} | ≤ {bound} "
                         f"| {met} |")
    L.append("")

    if cg:
        L.append("## Instructions per operation (callgrind)")
        L.append("")
        L.append("One thread, nothing contended: `valgrind --tool=callgrind "
                 "--toggle-collect=sendsync_bench_ops`, counting only the "
                 "loop of operations, run for N and 2N operations "
                 f"(N = {args.callgrind_ops}); the figure is the difference "
                 "divided by N, so fixed costs cancel and amortised ones "
                 "(buffer growth, block allocation) are included. "
                 "Deterministic: these are the figures to compare over time.")
        L.append("")
        L.append("| operation | implementation | instructions/op |")
        L.append("|---|---|---|")
        names = sorted({n for n, _ in cg})
        for name in names:
            rows = sorted(((impl, v) for (n, impl), v in cg.items()
                           if n == name), key=lambda r: r[1])
            for impl, v in rows:
                shown = f"**{impl}**" if impl.startswith("sendsync") else impl
                L.append(f"| {name} | {shown} | {v:.0f} |")
        L.append("")
        L.append("![callgrind](runtime-callgrind.png)")
        L.append("")

    if errors:
        L.append("## Failures")
        L.append("")
        for e in errors:
            L.append(f"- {e}")
        L.append("")

    analysis = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "analysis.md")
    if os.path.exists(analysis) and not args.smoke:
        with open(analysis) as f:
            L.append(f.read().rstrip())
        L.append("")

    with open(path, "w") as f:
        f.write("\n".join(L))


def plot(out_dir, stats, cg, cases):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("driver.py: matplotlib missing (python3-matplotlib); no plots",
              file=sys.stderr)
        return False
    for suite in SUITES:
        if suite not in stats:
            continue
        scenarios = sorted(stats[suite], key=lambda s: order_index(suite, s))
        impls = set()
        for sc in scenarios:
            impls |= {k for k in stats[suite][sc] if not k.startswith("_")}
        impls = impl_order(suite, impls, cases)
        fig, ax = plt.subplots(figsize=(max(7, 1.3 * len(scenarios) + 3), 4.8))
        width = 0.8 / len(impls)
        cmap = plt.get_cmap("tab20")
        for i, impl in enumerate(impls):
            xs, ys, lo, hi = [], [], [], []
            for j, sc in enumerate(scenarios):
                s = stats[suite][sc].get(impl)
                if s:
                    xs.append(j - 0.4 + width * (i + 0.5))
                    ys.append(s["median"])
                    lo.append(s["median"] - s["lo"])
                    hi.append(s["hi"] - s["median"])
            kw = dict(edgecolor="black", linewidth=1.2) \
                if impl.startswith("sendsync") else {}
            ax.bar(xs, ys, width, yerr=[lo, hi], capsize=2, label=impl,
                   color=cmap(i % 20), **kw)
        ax.axhline(1.0, color="black", linewidth=0.8, linestyle="--")
        ax.set_yscale("log")
        ax.set_xticks(range(len(scenarios)))
        ax.set_xticklabels(scenarios, rotation=20, ha="right")
        ax.set_ylabel("time per op / baseline (log; lower is better)")
        ax.set_title(f"{suite}: median ratio to the in-round baseline, "
                     "bars = min–max over rounds")
        ax.legend(fontsize=7, ncol=2, loc="upper left",
                  bbox_to_anchor=(1.01, 1.0))
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, f"runtime-{suite}.png"), dpi=90)
        plt.close(fig)
    if cg:
        rows = sorted(cg.items(), key=lambda kv: (kv[0][0], kv[1]))
        fig, ax = plt.subplots(figsize=(8, 0.28 * len(rows) + 1.2))
        labels = [f"{n}  {i}" for (n, i), _ in rows]
        colors = ["tab:red" if i.startswith("sendsync") else "tab:gray"
                  for (n, i), _ in rows]
        ax.barh(range(len(rows)), [v for _, v in rows], color=colors)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel("instructions per operation (callgrind, one thread)")
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, "runtime-callgrind.png"), dpi=90)
        plt.close(fig)
    return True


def render(args, cases, out_dir):
    with open(args.render) as f:
        saved = json.load(f)
    for key in ("rounds", "size", "capacity", "reps", "callgrind_ops"):
        setattr(args, key, saved["args"][key])
    args.smoke = False
    cg = {tuple(k.split("|", 1)): v for k, v in saved["callgrind"].items()}
    stats = summarise(saved["raw"])
    write_markdown(os.path.join(out_dir, "runtime.md"), args, stats,
                   saved["raw"], cases, cg, saved["errors"], saved["meta"])
    plot(out_dir, stats, cg, cases)
    return 0


def update(args, path, raw, cg, errors, meta, log):
    """Replaces the figures of args.suites in the saved run at `path` with
    the ones just measured and records the re-measurement in its meta.
    Writes `path` back and returns the saved run, merged."""
    with open(path) as f:
        saved = json.load(f)
    for suite in args.suites:
        saved["raw"].pop(suite, None)
        if suite in raw:
            saved["raw"][suite] = raw[suite]
    for (name, impl), v in cg.items():
        saved["callgrind"][f"{name}|{impl}"] = v
    saved["errors"] = [e for e in saved["errors"]
                       if e.split("/", 1)[0] not in args.suites] + errors
    saved["meta"].setdefault("updates", []).append(dict(
        argv=meta["argv"], date=meta["date"], commit=meta["commit"],
        suites=args.suites, rounds=args.rounds, ops=sorted({n for n, _ in cg}),
        load_start=meta["load_start"], load_end=meta["load_end"],
        round_loads=meta["round_loads"], elapsed=meta["elapsed"]))
    with open(path, "w") as f:
        json.dump(saved, f, indent=1)
    log(f"updated {', '.join(args.suites)} and {len(cg)} instruction counts "
        f"in {path}")
    return saved


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cpp", required=True, help="sendsync-bench binary")
    p.add_argument("--rust", required=True, help="sendsync-bench-rs binary")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--size", type=int, default=200000,
                   help="messages per channel measurement; the other "
                        "suites scale from it (see ops_for)")
    p.add_argument("--capacity", type=int, default=256,
                   help="capacity of the bounded channels")
    p.add_argument("--reps", type=int, default=3,
                   help="timed runs per measurement (the median is kept)")
    p.add_argument("--suites", default=",".join(SUITES))
    p.add_argument("--callgrind-ops", type=int, default=100000)
    p.add_argument("--no-callgrind", action="store_true")
    p.add_argument("--timeout", type=int, default=120,
                   help="seconds before one measurement counts as failed")
    p.add_argument("--out", default=None, help="directory for the results")
    p.add_argument("--smoke", action="store_true",
                   help="CI: every case once at a tiny size, callgrind on "
                        "two cases, results to a temporary directory; "
                        "fails if anything fails")
    p.add_argument("--render", metavar="JSON",
                   help="measure nothing: rewrite runtime.md and the plots "
                        "from a runtime.json of an earlier run (e.g. after "
                        "editing analysis.md)")
    p.add_argument("--update", metavar="JSON",
                   help="re-measure only --suites (and their instruction "
                        "counts) with JSON's settings, replace their figures "
                        "in JSON and rewrite the report from it")
    p.add_argument("--argv", default="", help=argparse.SUPPRESS)
    args = p.parse_args()
    args.suites = [s for s in args.suites.split(",") if s]
    if args.smoke:
        args.rounds, args.size, args.reps = 1, 2000, 1
        args.callgrind_ops = 1000
        args.timeout = 60

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    out_dir = args.out or (tempfile.mkdtemp(prefix="sendsync-bench-")
                           if args.smoke else "bench/results")
    os.makedirs(out_dir, exist_ok=True)

    start = time.time()
    meta = dict(argv=[a for a in args.argv.split(" ") if a] or sys.argv[1:],
                date=datetime.date.today().isoformat(),
                load_start=load_average())
    meta["commit"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True,
        text=True).stdout.strip() or "unknown"
    meta["machine"] = f"{platform.machine()}, {os.cpu_count()} CPUs"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(l.split(":", 1)[1].strip() for l in f
                         if l.startswith("model name"))
        meta["machine"] = f"{model}, {os.cpu_count()} CPUs"
    except (OSError, StopIteration):
        pass
    meta["cxx"] = os.environ.get("SENDSYNC_BENCH_CXX", "C++ compiler")
    meta["rustc"] = (subprocess.run(["rustc", "--version"], capture_output=True,
                                    text=True).stdout.strip()
                     if not os.environ.get("SENDSYNC_BENCH_RUSTC")
                     else os.environ["SENDSYNC_BENCH_RUSTC"])

    cases, ops = list_cases([("cpp", args.cpp), ("rust", args.rust)])
    if args.render:
        return render(args, cases, out_dir)
    if args.update:
        with open(args.update) as f:
            saved_args = json.load(f)["args"]
        for key in ("size", "capacity", "reps", "callgrind_ops"):
            setattr(args, key, saved_args[key])
        # Only the operations of the suites measured (names start with the
        # suite: rwlock.read, lock.lock_unlock, channel.send_recv.bounded).
        ops = [o for o in ops if o[0].split(".", 1)[0] in args.suites]
    log(f"{len(cases)} cases, {len(ops)} counted operations; "
        f"load {meta['load_start']}")
    raw, errors, loads = measure(cases, args, log)
    stats = summarise(raw)
    cg = {}
    if not args.no_callgrind:
        log("callgrind")
        cg = callgrind(ops, args, log)
        if args.smoke and len(cg) < 2:
            errors.append("callgrind counted fewer than two operations")
    meta["load_end"] = load_average()
    meta["round_loads"] = loads
    meta["elapsed"] = f"{(time.time() - start) / 60:.1f} min"
    if args.update:
        update(args, args.update, raw, cg, errors, meta, log)
        args.render = args.update  # the report, from the merged run
        return render(args, cases, out_dir) or (1 if errors else 0)

    with open(os.path.join(out_dir, "runtime.json"), "w") as f:
        json.dump(dict(meta=meta, args={k: v for k, v in vars(args).items()},
                       raw=raw,
                       callgrind={f"{n}|{i}": v for (n, i), v in cg.items()},
                       errors=errors), f, indent=1)
    write_markdown(os.path.join(out_dir, "runtime.md"), args, stats, raw,
                   cases, cg, errors, meta)
    plotted = plot(out_dir, stats, cg, cases)
    if args.smoke and not plotted:
        errors.append("no plots (matplotlib missing)")
    log(f"wrote {out_dir}/runtime.md ({meta['elapsed']}; load "
        f"{meta['load_start']} -> {meta['load_end']})")
    if args.smoke:
        # One line in the usual test-runner form, for CI logs.
        runs = sum(len(values) for scenarios in raw.values()
                   for impls in scenarios.values() for values in impls.values())
        print(f"benchmarks: {runs + len(cg) - len(errors)} passed, "
              f"{len(errors)} failed", flush=True)
    if errors:
        log(f"{len(errors)} failure(s):")
        for e in errors:
            log("  " + e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
