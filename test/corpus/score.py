#!/usr/bin/env python3
"""Scores the sendsync checks on labelled corpora of racy and race-free programs.

Every `*_bad.c`/`*_bad.cpp` of a corpus directory is a program with a data
race, whose first line names it: `// RACE: <what> at line N` (or `lines N, M`;
every `line N`/`lines N, M` of that comment counts). Every `*_ok.c`/`*_ok.cpp`
is a race-free program (`// OK: <why>`). Each file is run through clang-tidy
with the sendsync plugin:

  clang-tidy --load=PLUGIN --quiet FILE --checks='-*,sendsync-*' \\
      -- -std=c++20 -pthread -I<repo>/include -I<repo>/runtime/include
  (for .c: -- -std=gnu11 -x c -pthread ...)

A bad file is CAUGHT when at least one `warning:` is reported in it, "at the
race" when one is on a line its RACE comment names (within --tolerance
lines, default 0), "elsewhere" otherwise. An ok file with any warning is a
FALSE POSITIVE. For a bad file caught elsewhere, the table also says whether
a note of one of its warnings points at a race line (not part of the
verdict: sendsync-shared warns where the object is shared and notes the
accesses). A `.clang-tidy` next to the files is read by clang-tidy as
usual (its CheckOptions apply; --checks above chooses the checks).

  score.py --clang-tidy /usr/lib/llvm-19/bin/clang-tidy \\
           --plugin build/lib/libSendSyncTidy.so test/corpus/textbook [DIR...] \\
           [--json OUT] [--extra-arg ARG]... [--tolerance N] [-j N]
"""
import argparse
import concurrent.futures
import datetime
import glob
import json
import os
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIAG = re.compile(r"^(?P<path>.*?):(?P<line>\d+):(?P<col>\d+): (?P<kind>warning|error|note): "
                  r"(?P<msg>.*?)(?: \[(?P<check>[^\]]+)\])?$")
LINES = re.compile(r"\blines?\s+(\d+(?:\s*(?:,|and)\s*\d+)*)")


def race_lines(path):
    """The lines the first-line comment of a *_bad file names."""
    with open(path, encoding="utf-8", errors="replace") as f:
        first = f.readline()
    if "RACE:" not in first:
        return None
    found = []
    for m in LINES.finditer(first):
        found += [int(n) for n in re.findall(r"\d+", m.group(1))]
    return sorted(set(found))


def corpus_files(directory):
    files = []
    for pattern in ("*_bad.c", "*_bad.cpp", "*_ok.c", "*_ok.cpp"):
        files += glob.glob(os.path.join(directory, pattern))
    return sorted(files)


def command(args, path):
    cmd = [args.clang_tidy, "--load=" + os.path.abspath(args.plugin), "--quiet", path,
           "--checks=-*,sendsync-*"]
    cmd += ["--extra-arg=" + a for a in args.extra_arg]
    cmd.append("--")
    if path.endswith(".c"):
        cmd += ["-std=gnu11", "-x", "c"]
    else:
        cmd += ["-std=c++20"]
    cmd += ["-pthread", "-I" + os.path.join(args.repo, "include"),
            "-I" + os.path.join(args.repo, "runtime", "include")]
    return cmd


def score_file(args, path):
    name = os.path.basename(path)
    bad = "_bad." in name
    rec = {"file": os.path.relpath(path, args.repo), "expect": "race" if bad else "none"}
    if bad:
        rec["race_lines"] = race_lines(path) or []
    cmd = command(args, path)
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout,
                           cwd=os.path.dirname(path))
        out, rc = r.stdout + r.stderr, r.returncode
    except subprocess.TimeoutExpired:
        out, rc = "", "timeout"
    warnings, errors, elsewhere = [], [], 0
    real = os.path.realpath(path)
    last = None  # the warning the following notes belong to
    for line in out.splitlines():
        m = DIAG.match(line)
        if not m:
            continue
        kind = m.group("kind")
        here = os.path.realpath(os.path.join(os.path.dirname(path), m.group("path"))) == real
        if kind == "note":
            if last is not None and here:
                last["note_lines"].append(int(m.group("line")))
            continue
        d = {"line": int(m.group("line")), "col": int(m.group("col")),
             "check": m.group("check") or "", "message": m.group("msg")}
        last = None
        if not here:
            elsewhere += kind == "warning"
            if kind == "error":
                errors.append(dict(d, file=m.group("path")))
            continue
        if kind == "warning":
            d["note_lines"] = []
            warnings.append(d)
            last = d
        else:
            errors.append(d)
    rec["warnings"] = warnings
    if elsewhere:
        rec["warnings_in_other_files"] = elsewhere
    if errors or rc == "timeout" or (rc != 0 and not warnings):
        rec["verdict"] = "error"
        rec["errors"] = [e["message"] for e in errors][:5] or ["clang-tidy exit %s" % rc]
        if rc == "timeout":
            rec["errors"] = ["timed out after %ss" % args.timeout]
        rec["tail"] = out[-1500:]
        return rec
    if not bad:
        rec["verdict"] = "false positive" if warnings else "clean"
    elif not warnings:
        rec["verdict"] = "missed"
    else:
        near = [w for w in warnings
                if any(abs(w["line"] - n) <= args.tolerance for n in rec["race_lines"])]
        rec["verdict"] = "caught at the race" if near else "caught elsewhere"
        # Not part of the verdict: does a note of a warning point at a race line?
        rec["race_line_in_note"] = any(
            abs(n - r) <= args.tolerance
            for w in warnings for n in w["note_lines"] for r in rec["race_lines"])
    return rec


def summarize(recs):
    bad = [r for r in recs if r["expect"] == "race"]
    ok = [r for r in recs if r["expect"] == "none"]
    count = lambda rs, v: sum(r["verdict"] == v for r in rs)
    s = {
        "bad": len(bad),
        "caught": count(bad, "caught at the race") + count(bad, "caught elsewhere"),
        "caught_at_race": count(bad, "caught at the race"),
        "caught_elsewhere": count(bad, "caught elsewhere"),
        "caught_elsewhere_note_at_race": sum(r["verdict"] == "caught elsewhere"
                                             and r.get("race_line_in_note", False) for r in bad),
        "missed": count(bad, "missed"),
        "bad_errors": count(bad, "error"),
        "ok": len(ok),
        "false_positives": count(ok, "false positive"),
        "clean": count(ok, "clean"),
        "ok_errors": count(ok, "error"),
    }
    s["recall"] = round(s["caught"] / s["bad"], 4) if s["bad"] else None
    s["false_positive_rate"] = round(s["false_positives"] / s["ok"], 4) if s["ok"] else None
    return s


def describe(rec):
    if rec["verdict"] == "error":
        return "; ".join(rec["errors"])[:110]
    ws = rec["warnings"]
    parts = ["%d:%s" % (w["line"], w["check"].replace("sendsync-", "")) for w in ws[:6]]
    if len(ws) > 6:
        parts.append("+%d" % (len(ws) - 6))
    return " ".join(parts)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    p.add_argument("--clang-tidy", required=True, help="clang-tidy executable")
    p.add_argument("--plugin", required=True, help="libSendSyncTidy.so, given to --load=")
    p.add_argument("--extra-arg", action="append", default=[],
                   help="passed to clang-tidy as --extra-arg=ARG (repeatable)")
    p.add_argument("--json", metavar="OUT", help="write the results as JSON")
    p.add_argument("--tolerance", type=int, default=0,
                   help="a warning within N lines of a RACE line is 'at the race' (default 0)")
    p.add_argument("--repo", default=REPO, help="repository root for -I (default: %(default)s)")
    p.add_argument("--timeout", type=int, default=300, help="seconds per file")
    p.add_argument("-j", "--jobs", type=int, default=1, help="files checked at once (default 1)")
    p.add_argument("--snapshot-plugin", action="store_true",
                   help="copy the plugin and the libraries beside it (the plugin loads its checks "
                        "library from its own directory) to a temporary directory first, so that a "
                        "rebuild during the run cannot mix two builds")
    p.add_argument("--min-caught", type=int, default=None,
                   help="fail (exit 1) when fewer bad files than this are caught, "
                        "over all corpora")
    p.add_argument("--max-false-positives", type=int, default=None,
                   help="fail (exit 1) when more ok files than this get a warning")
    p.add_argument("dirs", nargs="+", help="corpus directories")
    args = p.parse_args()

    try:
        version = subprocess.run([args.clang_tidy, "--version"], capture_output=True,
                                 text=True).stdout
        version = next((l.strip() for l in version.splitlines() if "version" in l), "?")
    except OSError as e:
        sys.exit("score.py: cannot run %s: %s" % (args.clang_tidy, e))
    commit = subprocess.run(["git", "-C", args.repo, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "?"
    plugin = os.path.abspath(args.plugin)
    if not os.path.isfile(plugin):
        sys.exit("score.py: no plugin at %s" % plugin)
    dirty = subprocess.run(["git", "-C", args.repo, "status", "--porcelain", "--", "lib", "include",
                            "tools"], capture_output=True, text=True).stdout.split("\n")
    dirty = [l[3:] for l in dirty if l.strip()]
    print("# score.py: %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"))
    print("# clang-tidy: %s (%s)" % (args.clang_tidy, version))
    print("# repository HEAD %s; uncommitted changes under lib/ include/ tools/: %s"
          % (commit, ", ".join(dirty) or "none"))
    libs = [plugin] + sorted(l for l in glob.glob(os.path.join(os.path.dirname(plugin), "*.so"))
                             if l != plugin)
    for lib in libs:
        mtime = datetime.datetime.fromtimestamp(os.path.getmtime(lib), datetime.timezone.utc)
        with open(lib, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
        print("# %s: %s, built %s, sha256 %s" % ("plugin" if lib == plugin else "beside it",
                                                   lib, mtime.strftime("%Y-%m-%d %H:%M:%S UTC"), digest))
    snapshot = None
    if args.snapshot_plugin:
        snapshot = tempfile.mkdtemp(prefix="score-plugin-")
        for lib in libs:
            shutil.copy2(lib, snapshot)
        args.plugin = os.path.join(snapshot, os.path.basename(plugin))
        print("# run with a copy of these in %s" % snapshot)
    print("# checks: -*,sendsync-*; extra args: %s; tolerance: %d line(s)"
          % (" ".join(args.extra_arg) or "none", args.tolerance))

    result = {"clang_tidy": args.clang_tidy, "clang_tidy_version": version, "plugin": plugin,
              "commit": commit, "tolerance": args.tolerance, "corpora": []}
    totals = []
    for d in args.dirs:
        files = corpus_files(d)
        if not files:
            sys.exit("score.py: no *_bad.* or *_ok.* files in %s" % d)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
            recs = list(ex.map(lambda f: score_file(args, os.path.abspath(f)), files))
        s = summarize(recs)
        totals.append(recs)
        print()
        print("## %s" % os.path.relpath(os.path.abspath(d), args.repo))
        print()
        print("%-58s %-6s %-19s %s" % ("file", "expect", "verdict", "warnings (line:check)"))
        for r in recs:
            name = os.path.basename(r["file"])
            rl = ""
            if r["expect"] == "race":
                rl = " [race: %s%s]" % (",".join(map(str, r["race_lines"])),
                                        "; a note is at it" if r.get("race_line_in_note")
                                        and r["verdict"] == "caught elsewhere" else "")
            print("%-58s %-6s %-19s %s%s" % (name, r["expect"], r["verdict"], describe(r), rl))
        print()
        print_summary(s)
        result["corpora"].append({"dir": os.path.relpath(os.path.abspath(d), args.repo),
                                  "summary": s, "files": recs})
    if len(args.dirs) > 1:
        s = summarize([r for recs in totals for r in recs])
        print()
        print("## all corpora")
        print()
        print_summary(s)
        result["summary"] = s
    if snapshot:
        shutil.rmtree(snapshot, ignore_errors=True)
    if args.json:
        for c in result["corpora"]:
            for r in c["files"]:
                r.pop("tail", None) if r["verdict"] != "error" else None
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
    every = [r for recs in totals for r in recs]
    s = summarize(every)
    failed = False
    if s["bad_errors"] or s["ok_errors"]:
        print("score.py: %d files could not be checked" % (s["bad_errors"] + s["ok_errors"]))
        failed = True
    if args.min_caught is not None and s["caught"] < args.min_caught:
        print("score.py: %d bad files caught, fewer than the %d expected: a recall "
              "regression" % (s["caught"], args.min_caught))
        failed = True
    if args.max_false_positives is not None and s["false_positives"] > args.max_false_positives:
        print("score.py: %d ok files warned about, more than the %d allowed: a precision "
              "regression (%s)" % (s["false_positives"], args.max_false_positives,
                                   ", ".join(os.path.basename(r["file"]) for r in every
                                             if r["verdict"] == "false positive")))
        failed = True
    return 1 if failed else 0


def print_summary(s):
    pct = lambda x: "n/a" if x is None else "%.1f%%" % (100 * x)
    print("bad files: %d; caught %d (at the race %d, elsewhere %d, of which %d with a note at the"
          " race); missed %d; errors %d"
          % (s["bad"], s["caught"], s["caught_at_race"], s["caught_elsewhere"],
             s["caught_elsewhere_note_at_race"], s["missed"], s["bad_errors"]))
    print("ok files: %d; false positives %d; clean %d; errors %d"
          % (s["ok"], s["false_positives"], s["clean"], s["ok_errors"]))
    print("recall = caught/bad = %d/%d = %s; false-positive rate = fp/ok = %d/%d = %s"
          % (s["caught"], s["bad"], pct(s["recall"]), s["false_positives"], s["ok"],
             pct(s["false_positive_rate"])))


if __name__ == "__main__":
    sys.exit(main())
